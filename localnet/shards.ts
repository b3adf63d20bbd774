/**
 * Child chains of a localnet (`aind localnet start --shards N`): for each, a one-validator child
 * node home under DIR/<name> and a relayer key in DIR's keyring, listed in DIR/shards.json. When the
 * localnet starts, each child not yet branched is branched on the parent (the faucet creates the app
 * `/apps/<name>`, funds the relayer, and sends MsgBranch with the child node's consensus key), its
 * home is written from the registration as `aind shard init` writes it, and the child node and its
 * relayer (`aind shard relay`) start as process groups of the localnet, stopped with it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { appHeight, cometRpcClient, connectAin, queryClientState, queryShard, shardsMsg } from '../client/index.ts';
import {
  addKey,
  AIND_SCRIPT,
  COMETBFT_BIN,
  getKey,
  initHome,
  keySigner,
  nodeId,
  privValidatorPubkey,
  setClientKeyringBackend,
  signerForKey,
  TEST_KEYRING,
  writeShardHome,
} from '../home/index.ts';
import { cometbftEnvironment } from '../app/index.ts';
import { branchMessage, DEFAULT_TRUST } from '../relayer/index.ts';
import { configureNode } from './create.ts';
import { basePortLayout, FAUCET_KEY, type ManifestNode, MAX_NODES, nodeView, VALIDATOR_KEY } from './manifest.ts';
import { freePorts, nodeHeight, portOpen } from './ports.ts';
import type { GroupProcess } from './processes.ts';

export const SHARDS_FILE = 'shards.json';
/** Most child chains a localnet runs (each is a node and a relayer). */
export const MAX_SHARDS = 4;
/** What each child's genesis gives the relayer and the faucet, and what the shard account pays per report. */
const CHILD_BALANCE = 1_000_000_000_000n;
const RELAYER_FUNDS = '10000000000';
const REPORT_FEE = 100n;
const DEPOSIT = 100_000_000n;

/** One child chain of the localnet. */
export interface LocalnetShard {
  readonly name: string;
  readonly chainId: string;
  /** Its one node (home DIR/<name>). */
  readonly node: ManifestNode;
  /** The relayer's key in DIR's keyring. */
  readonly relayerKey: string;
}

export interface ShardsManifest {
  readonly version: 1;
  readonly shards: readonly LocalnetShard[];
}

export function readShards(dir: string): ShardsManifest | undefined {
  const path = join(dir, SHARDS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ShardsManifest) : undefined;
}

function writeShards(dir: string, manifest: ShardsManifest): void {
  const path = join(dir, SHARDS_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function checkShardCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_SHARDS) {
    throw ainError(ErrInvalidRequest, `--shards ${count} must be an integer from 0 to ${MAX_SHARDS}`);
  }
}

/**
 * Writes the homes and keys of `count` child chains into a localnet folder (none started, none
 * branched yet); a folder that has them already keeps them (the count must match).
 */
export async function addShards(dir: string, count: number, chainId: string, basePort?: number): Promise<ShardsManifest> {
  checkShardCount(count);
  const existing = readShards(dir);
  if (existing) {
    if (existing.shards.length !== count)
      throw ainError(ErrInvalidRequest, `${dir} has ${existing.shards.length} shards, not ${count}; pass --reset to replace the localnet`);
    return existing;
  }
  const shards: LocalnetShard[] = [];
  for (let i = 0; i < count; i++) {
    const name = `shard${i + 1}`;
    const home = join(dir, name);
    const childId = `${chainId.replace(/-\d+$/, '')}-${name}-1`;
    initHome({ home, chainId: childId, moniker: name });
    setClientKeyringBackend(home, 'test');
    const { key } = await addKey(home, VALIDATOR_KEY, undefined, TEST_KEYRING);
    const relayerKey = `relayer-${name}`;
    await addKey(dir, relayerKey, undefined, TEST_KEYRING);
    const [p2p, rpc, abci, api] = basePort === undefined ? await freePorts(4) : Object.values(basePortLayout(basePort, MAX_NODES - 1 - i));
    const node: ManifestNode = {
      name,
      validator: true,
      nodeId: nodeId(home),
      host: '127.0.0.1',
      ports: { p2p: p2p!, rpc: rpc!, abci: abci!, api: api! },
      account: key.address,
    };
    shards.push({ name, chainId: childId, node, relayerKey });
  }
  const manifest: ShardsManifest = { version: 1, shards };
  writeShards(dir, manifest);
  return manifest;
}

/** What starting the children needs of the running localnet. */
export interface ShardRunner {
  readonly dir: string;
  readonly parentRpc: string;
  readonly parentChainId: string;
  /** The parent's block time, for the children's. */
  readonly timeoutCommit: string;
  spawn(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): GroupProcess;
  until(what: string, check: () => Promise<boolean>, watch: readonly GroupProcess[]): Promise<void>;
  log(line: string): void;
}

/** Branches the children not branched yet, writes their homes, starts each node and its relayer. */
export async function startShards(runner: ShardRunner): Promise<void> {
  const manifest = readShards(runner.dir);
  if (!manifest || manifest.shards.length === 0) return;
  const faucet = getKey(runner.dir, FAUCET_KEY);
  const client = await connectAin({
    rpcUrl: runner.parentRpc,
    signer: await signerForKey(await keySigner(faucet)),
    broadcastPollIntervalMs: 200,
  });
  try {
    for (const shard of manifest.shards) {
      const home = join(runner.dir, shard.name);
      const registered = await queryShard(client.cometClient, shard.name).catch(() => undefined);
      if (!registered) {
        const relayer = getKey(runner.dir, shard.relayerKey).address;
        await client.createApp(shard.name, { admins: [faucet.address] });
        await client.signAndBroadcast([
          {
            typeUrl: '/cosmos.bank.v1beta1.MsgSend',
            value: { fromAddress: faucet.address, toAddress: relayer, amount: [{ denom: 'uain', amount: RELAYER_FUNDS }] },
          },
        ]);
        const msg = await branchMessage(
          { chainId: runner.parentChainId, rpc: cometRpcClient(runner.parentRpc, 15_000) },
          {
            signer: faucet.address,
            name: shard.name,
            childChainId: shard.chainId,
            validators: [{ pubKey: privValidatorPubkey(home), power: 100n, operator: shard.node.account }],
            accounts: [relayer, faucet.address].map((address) => ({ address, amount: CHILD_BALANCE })),
            genesisTime: BigInt(Math.floor(Date.now() / 1000)),
            trust: DEFAULT_TRUST,
            blockTimeMs: BigInt(durationMs(runner.timeoutCommit)),
            maxBlockBytes: 22_020_096n,
            reportFee: REPORT_FEE,
            deposit: DEPOSIT,
          },
        );
        await client.signAndBroadcast([shardsMsg.branch(faucet.address, msg)]);
        const { shard: record } = await queryShard(client.cometClient, shard.name);
        writeShardHome(home, record, shard.name);
        configureNode(runner.dir, shard.node, [shard.node], `${durationMs(runner.timeoutCommit)}ms`, false);
        runner.log(`${shard.name}: branched /apps/${shard.name} to ${shard.chainId}`);
      }
      await startChild(runner, shard);
    }
  } finally {
    client.disconnect();
  }
}

async function startChild(runner: ShardRunner, shard: LocalnetShard): Promise<void> {
  const view = nodeView(runner.dir, shard.node);
  const app = runner.spawn(`${shard.name}/app`, process.execPath, [AIND_SCRIPT, 'start', '--home', view.home, '--with-comet=false']);
  await runner.until(`${shard.name}'s app to listen on ${view.abciAddress}`, () => portOpen(shard.node.ports.abci), [app]);
  const comet = runner.spawn(`${shard.name}/comet`, COMETBFT_BIN, ['node', '--home', view.home], cometbftEnvironment());
  await runner.until(`${shard.name} to commit a block`, async () => (await appHeight(view.rpcUrl).catch(() => 0)) >= 1, [app, comet]);
  const relayer = runner.spawn(`${shard.name}/relayer`, process.execPath, [
    AIND_SCRIPT,
    'shard',
    'relay',
    '--parent',
    runner.parentRpc,
    '--child',
    view.rpcUrl,
    '--key',
    shard.relayerKey,
    '--home',
    runner.dir,
  ]);
  runner.log(`${shard.name} up: RPC ${view.rpcUrl}, relayer pid ${relayer.pid}`);
}

function durationMs(text: string): number {
  const match = /^(\d+)(ms|s)$/.exec(text);
  return match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : 1000;
}

/** Each child's height, its last height the parent holds, and the parent's last height it holds. */
export interface ShardStatus {
  readonly name: string;
  readonly chainId: string;
  readonly rpc: string;
  readonly height: number | null;
  readonly reportedOnParent: number | null;
  readonly parentReportedHere: number | null;
}

export async function shardStatuses(dir: string, parentRpc: string): Promise<ShardStatus[]> {
  const manifest = readShards(dir);
  if (!manifest) return [];
  const reported = async (rpc: string, shard: string): Promise<number | null> => {
    try {
      const comet = await Comet38Client.connect(rpc);
      try {
        return Number((await queryClientState(comet, shard)).latest!.height);
      } finally {
        comet.disconnect();
      }
    } catch {
      return null;
    }
  };
  return Promise.all(
    manifest.shards.map(async (shard) => {
      const view = nodeView(dir, shard.node);
      return {
        name: shard.name,
        chainId: shard.chainId,
        rpc: view.rpcUrl,
        height: (await nodeHeight(view.rpcUrl)) ?? null,
        reportedOnParent: await reported(parentRpc, shard.name),
        parentReportedHere: await reported(view.rpcUrl, 'parent'),
      };
    }),
  );
}
