/**
 * End-to-end: a 4-validator localnet (each validator an app process and a CometBFT process with its
 * own home, plus Big Storage and an executor) on loopback ports. Blocks keep coming with one
 * validator killed; the killed one restarts, catches up and agrees on the app hash; a full node
 * added later syncs to the same state; stop() leaves no process behind.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase64, toHex } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { commitSigners } from './helpers/node.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, keySigner, privValidatorPubkey } from '../home/index.ts';
import { createLocalnet, FAUCET_KEY, groupAlive, type Localnet, pidFilePath, startLocalnet, VALIDATOR_STAKE } from '../localnet/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { parseCoins } from '../core/coins.ts';
import { POWER_REDUCTION } from '../modules/staking/params.ts';
import { storageInfo } from '../storage/index.ts';

const KEEP = process.env.AIN_TEST_KEEP_HOME === '1';
let dir: string;
let net: Localnet | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-localnet-'));
  // Free ports (other test runs share the machine); short blocks.
  await createLocalnet({ dir, validators: 4, chainId: 'ain-localnet-test', timeoutCommit: '500ms' });
  net = await startLocalnet({ dir });
}, 180_000);

afterAll(async () => {
  await net?.stop();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
});

/** Height of every listed node (a node whose RPC does not answer fails the test). */
async function heights(nodes: readonly number[]): Promise<number[]> {
  return Promise.all(
    nodes.map(async (i) => {
      const h = await net!.height(i);
      if (h === undefined) throw new Error(`node${i} does not answer /status`);
      return h;
    }),
  );
}

/** Header app hash of block `height` on node i, through CosmJS's CometBFT client. */
async function appHashAt(i: number, height: number): Promise<string> {
  const comet = await Comet38Client.connect(net!.nodes[i]!.rpcUrl);
  try {
    return toHex((await comet.block(height)).block.header.appHash);
  } finally {
    comet.disconnect();
  }
}

/** Validator addresses (upper-case hex) with a signature in the commits of `from`..`to`, read on node 0. */
async function signers(from: number, to: number): Promise<Set<string>> {
  const comet = await Comet38Client.connect(net!.nodes[0]!.rpcUrl);
  try {
    return await commitSigners(comet, from, to);
  } finally {
    comet.disconnect();
  }
}

/** Consensus address (upper-case hex) of each validator by its ed25519 key (base64), from CometBFT's /validators. */
let consensusAddresses = new Map<string, string>();
/** The consensus address of node i's validator key (priv_validator_key.json). */
const validatorAddress = (i: number) => consensusAddresses.get(privValidatorPubkey(net!.nodes[i]!.home));

describe('4-validator localnet', () => {
  it('runs 4 validators that all produce blocks, and commits a CosmJS bank send', async () => {
    expect(net!.nodes.map((n) => n.validator)).toEqual([true, true, true, true]);
    expect(new Set(net!.rpcUrls).size).toBe(4);
    // Big Storage asks the chain which readers may read a private copy (a private job's input).
    expect((await storageInfo(net!.storageUrl)).chain).toBe(true);
    const start = Math.max(...(await heights([0, 1, 2, 3])));
    await net!.waitForHeight(start + 3);

    // The set InitChain returned from app_state.staking: every node's key, equal power (stake / 10^6).
    const comet = await Comet38Client.connect(net!.nodes[0]!.rpcUrl);
    try {
      const { validators } = await comet.validatorsAll(start + 1);
      consensusAddresses = new Map(validators.map((v) => [toBase64(v.pubkey!.data), toHex(v.address).toUpperCase()]));
      expect([...consensusAddresses.keys()].sort()).toEqual([0, 1, 2, 3].map((i) => privValidatorPubkey(net!.nodes[i]!.home)).sort());
      const power = parseCoins(VALIDATOR_STAKE, 'stake')[0]!.amount / POWER_REDUCTION;
      expect(validators.map((v) => v.votingPower)).toEqual([power, power, power, power]);
    } finally {
      comet.disconnect();
    }
    // Every validator signs (a late vote can miss one commit, so look at three).
    expect([...(await signers(start + 1, start + 3))].sort()).toEqual([0, 1, 2, 3].map(validatorAddress).sort());

    const faucet = await keySigner(getKey(dir, FAUCET_KEY));
    const wallet = await DirectSecp256k1Wallet.fromKey(faucet.privkey, ADDRESS_PREFIX);
    const client = await SigningStargateClient.connectWithSigner(net!.nodes[1]!.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString('0.025uain'),
      broadcastPollIntervalMs: 250,
      broadcastTimeoutMs: 60_000,
    });
    const recipient = net!.nodes[3]!.account;
    const before = BigInt((await client.getBalance(recipient, 'uain')).amount);
    const result = await client.sendTokens(faucet.address, recipient, [{ denom: 'uain', amount: '12345' }], 'auto');
    client.disconnect();
    expect(result.code).toBe(0);

    // Another validator's node has the same balance once it has the block.
    await net!.waitForHeight(result.height, { nodes: [2] });
    const reader = await StargateClient.connect(net!.nodes[2]!.rpcUrl);
    expect(BigInt((await reader.getBalance(recipient, 'uain')).amount)).toBe(before + 12_345n);
    reader.disconnect();
  });

  it('keeps producing blocks with validator 3 killed (SIGKILL of its app and CometBFT)', async () => {
    const node3 = net!.processes().filter((p) => p.name.startsWith('node3/'));
    expect(node3.map((p) => p.name).sort()).toEqual(['node3/app', 'node3/comet']);
    await net!.killNode(3);
    for (const p of node3) expect(groupAlive(p.pid)).toBe(false);
    expect(await net!.height(3)).toBeUndefined();

    const from = Math.max(...(await heights([0, 1, 2])));
    // 3 of 4 equal validators hold 75% > 2/3 of the power; a round whose proposer is node3 waits for timeout_propose.
    await net!.waitForHeight(from + 3, { nodes: [0, 1, 2], timeoutMs: 90_000 });
    expect(Math.min(...(await heights([0, 1, 2])))).toBeGreaterThanOrEqual(from + 3);
    // ...signed by the three that run.
    const signed = await signers(from + 1, from + 3);
    expect(signed).not.toContain(validatorAddress(3));
    expect(signed.size).toBe(3);
  });

  it('restarts validator 3, which catches up to the others and reports the same app hash', async () => {
    await net!.restartNode(3);
    const target = Math.max(...(await heights([0, 1, 2])));
    await net!.waitForHeight(target, { nodes: [3], timeoutMs: 90_000 });
    const common = Math.min(...(await heights([0, 1, 2, 3])));
    expect(common).toBeGreaterThanOrEqual(target);
    const hashes = await Promise.all([0, 1, 2, 3].map((i) => appHashAt(i, common)));
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(1);
    // It votes again: a later commit carries its signature. Blocksync hands over to consensus only after
    // it has caught up, so on a loaded machine the first few commits may still lack it: look 20 ahead.
    let signedAt: number | undefined;
    for (let h = common + 1; h <= common + 20 && signedAt === undefined; h++) {
      await net!.waitForHeight(h, { timeoutMs: 60_000 });
      if ((await signers(h, h)).has(validatorAddress(3)!)) signedAt = h;
    }
    expect(signedAt).toBeDefined();
  });

  it('adds a full node that syncs from the validators to the same app hash', async () => {
    const added = await net!.addNode();
    expect(added.validator).toBe(false);
    expect(added.name).toBe('node4');
    const target = Math.max(...(await heights([0, 1, 2, 3])));
    await net!.waitForHeight(target, { nodes: [4], timeoutMs: 90_000 });
    expect(await appHashAt(4, target)).toBe(await appHashAt(0, target));
  });

  it('stop() leaves no process of the localnet running and removes the pid file', async () => {
    const processes = net!.processes().filter((p) => p.running);
    // 5 nodes x (app, CometBFT), storage, executor.
    expect(processes.map((p) => p.name).sort()).toEqual(
      [...[0, 1, 2, 3, 4].flatMap((i) => [`node${i}/app`, `node${i}/comet`]), 'executor', 'storage'].sort(),
    );
    expect(existsSync(pidFilePath(dir))).toBe(true);
    await net!.stop();
    for (const p of processes) expect(groupAlive(p.pid), p.name).toBe(false);
    expect(existsSync(pidFilePath(dir))).toBe(false);
  });
});
