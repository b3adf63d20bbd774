/**
 * Upgrades without surprises, on a real node and the CLI as a user runs it: ABCI Info reports the
 * app's version; `aind genesis export --height H` (a retained height, not the latest) and
 * `aind init --genesis FILE` in a new home restart the chain with the state of height H (the first
 * block's app hash is H's, balances are H's, not the later ones); the new node refuses to start, with
 * a clear message, once its state records a newer major version (what a newer aind writes at commit).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StargateClient } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_PROTOCOL_VERSION, APP_VERSION } from '../app/application.ts';
import { AIND_SCRIPT, REPO_ROOT } from '../home/index.ts';
import { waitForAppHeight } from './helpers/appHeight.ts';
import { runAind } from './helpers/cli.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** `aind start --home HOME` (app and its CometBFT child), the leader of its own process group. */
function startAind(home: string, ...flags: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [AIND_SCRIPT, 'start', '--home', home, ...flags], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('upgrades', () => {
  let node: TestNode | undefined;
  let restarted: ReturnType<typeof startAind> | undefined;
  const newHome = mkdtempSync(join(tmpdir(), 'ain-upgrade-'));
  afterAll(async () => {
    if (restarted && restarted.child.exitCode === null) {
      process.kill(-restarted.child.pid!, 'SIGTERM');
      await restarted.exited;
    }
    await node?.stop();
    rmSync(newHome, { recursive: true, force: true });
  });

  it('restarts a chain from an export at a retained height with that height state, and refuses newer-major state', async () => {
    node = await startTestNode({ accounts: 2, createEmptyBlocks: false });
    const { client, address } = await fundedClient(node, 0);
    const receiver = node.accounts[1]!.address;
    await client.sendTokens(address, receiver, [{ denom: 'uain', amount: '12345' }], 'auto');
    const comet = await Comet38Client.connect(node.rpcUrl);
    const info = await comet.abciInfo();
    // CosmJS drops Info's version fields: read them from CometBFT's JSON-RPC.
    const raw = (await (await fetch(`${node.rpcUrl}/abci_info`)).json()) as {
      result: { response: { version: string; app_version: string } };
    };
    expect(raw.result.response).toMatchObject({ version: APP_VERSION, app_version: String(APP_PROTOCOL_VERSION) });
    const height = info.lastBlockHeight!;
    const atHeight = { sender: await client.getBalance(address, 'uain'), receiver: await client.getBalance(receiver, 'uain') };
    // Traffic after the exported height: the restarted chain must not have it.
    await client.sendTokens(address, receiver, [{ denom: 'uain', amount: '777' }], 'auto');
    client.disconnect();
    const later = await comet.abciInfo();
    expect(later.lastBlockHeight!).toBeGreaterThan(height);
    comet.disconnect();
    await node.kill('comet', 'SIGTERM');
    await node.kill('app', 'SIGTERM');

    const file = join(newHome, 'exported.json');
    const exported = await runAind('genesis', 'export', '--home', node.home, '--height', String(height), '--output-document', file);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { chain_id: string; initial_height: string };
    expect(doc.initial_height).toBe(String(height + 1));
    const tooOld = await runAind('genesis', 'export', '--home', node.home, '--height', String(later.lastBlockHeight! + 5));
    expect(tooOld.code).toBe(1);

    // A new home from the document; the same validator (its consensus key is in the exported staking
    // state) and the test node's ports.
    const home = join(newHome, 'home');
    const init = await runAind('init', 'restarted', '--home', home, '--genesis', file);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ chain_id: doc.chain_id });
    expect(readFileSync(join(home, 'config', 'genesis.json'), 'utf8')).toBe(readFileSync(file, 'utf8'));
    for (const name of ['priv_validator_key.json', 'node_key.json', 'config.toml', 'app.toml']) {
      copyFileSync(join(node.home, 'config', name), join(home, 'config', name));
    }
    restarted = startAind(home);
    await waitForAppHeight(node.rpcUrl, height + 1);
    const newComet = await Comet38Client.connect(node.rpcUrl);
    const first = await newComet.block(height + 1);
    newComet.disconnect();
    expect(hex(first.block.header.appHash)).toBe(hex(info.lastBlockAppHash!));
    const reader = await StargateClient.connect(node.rpcUrl);
    expect(await reader.getBalance(address, 'uain')).toEqual(atHeight.sender);
    expect(await reader.getBalance(receiver, 'uain')).toEqual(atHeight.receiver);
    reader.disconnect();
    process.kill(-restarted.child.pid!, 'SIGTERM');
    await restarted.exited;

    // What a newer major version leaves in the store's metadata at its commits.
    const env = open({
      path: join(home, 'data', 'application.lmdb'),
      noSubdir: false,
      maxDbs: 8,
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    const meta = env.openDB<Uint8Array, Uint8Array>('meta', { keyEncoding: 'binary', encoding: 'binary' });
    expect(Buffer.from(meta.getBinary(Buffer.from('app/app_version'))!).toString()).toBe(APP_VERSION);
    await meta.put(Buffer.from('app/app_version'), Buffer.from('99.0.0'));
    await env.close();
    const refused = startAind(home, '--with-comet=false');
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(
      /application\.lmdb was written by aind 99\.0\.0, a newer major version than this aind \S+; refusing to start/,
    );
    const exportRefused = await runAind('genesis', 'export', '--home', home);
    expect(exportRefused.code).toBe(1);
    expect(exportRefused.stderr).toMatch(/written by aind 99\.0\.0/);
  });
});
