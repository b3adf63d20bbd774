// The test node helper's own test, and the `aind` CLI against a real node: queries, a send signed
// from the keyring, a CheckTx rejection, kill -9 of each process and restart, and a clean stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeight, cometRpc, field, int32 } from '../../client/index.ts';
import { AIND_SCRIPT, REPO_ROOT } from '../../home/index.ts';
import { fundedClient, startTestNode, type TestNode, waitForTx } from './node.ts';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aind ...args` as a user would, with optional stdin. */
function aind(args: readonly string[], stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AIND_SCRIPT, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function json<T>(result: CliResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

let node: TestNode;
let nodeFlag: string[];

beforeAll(async () => {
  node = await startTestNode({ accounts: 2, balance: '5000000uain' });
  nodeFlag = ['--node', node.rpcUrl.replace('http://', 'tcp://')];
});
afterAll(async () => {
  await node?.stop();
});

describe('startTestNode', () => {
  it('runs two processes with funded accounts', async () => {
    expect(node.appPid()).toBeGreaterThan(0);
    expect(node.cometPid()).toBeGreaterThan(0);
    expect(node.accounts).toHaveLength(2);
    expect(node.accounts[0]!.mnemonic.split(' ')).toHaveLength(24);
    const { client, address } = await fundedClient(node, 1);
    try {
      expect(await client.getBalance(address, 'uain')).toEqual({ denom: 'uain', amount: '5000000' });
      expect(await client.getChainId()).toBe(node.chainId);
    } finally {
      client.disconnect();
    }
  });
  it('waitForHeight returns once the app has committed the height: a query and the block results there answer', async () => {
    const target = (await node.height()) + 1;
    expect(await node.waitForHeight(target)).toBeGreaterThanOrEqual(target);
    expect(await appHeight(node.rpcUrl)).toBeGreaterThanOrEqual(target);
    const query = await cometRpc(node.rpcUrl, 'abci_query', { path: '/cosmos.bank.v1beta1.Query/TotalSupply', height: String(target) });
    expect([int32(field(query, 'response'), 'code'), int32(field(query, 'response'), 'height')]).toEqual([0, target]);
    expect(int32(await cometRpc(node.rpcUrl, 'block_results', { height: String(target) }), 'height')).toBe(target);
  });
});

describe('aind CLI against the node', () => {
  it('status, balances, total supply', async () => {
    const status = json<{ node_info: { network: string }; sync_info: { latest_block_height: string } }>(
      await aind(['status', ...nodeFlag, '--output', 'json']),
    );
    expect(status.node_info.network).toBe(node.chainId);
    expect(Number(status.sync_info.latest_block_height)).toBeGreaterThanOrEqual(1);

    const balances = json<{ balances: { denom: string; amount: string }[] }>(
      await aind(['query', 'bank', 'balances', node.accounts[0]!.address, ...nodeFlag, '-o', 'json']),
    );
    expect(balances.balances).toEqual([{ denom: 'uain', amount: '5000000' }]);

    const total = json<{ supply: { denom: string; amount: string }[] }>(await aind(['query', 'bank', 'total', ...nodeFlag, '-o', 'json']));
    // Genesis: two accounts and the validator's operator (5 AIN each, plus its stake); then the
    // distribution module mints its block reward (1 AIN) in each block that has a last commit.
    const genesis = 3n * 5_000_000n + node.validator.stake;
    const minted = BigInt(total.supply.find((c) => c.denom === 'uain')!.amount) - genesis;
    expect(minted >= 0n && minted % 1_000_000n === 0n).toBe(true);
    const after = json<{ sync_info: { latest_block_height: string } }>(await aind(['status', ...nodeFlag, '--output', 'json']));
    expect(minted / 1_000_000n).toBeLessThanOrEqual(BigInt(after.sync_info.latest_block_height));
  });

  it('sends from a recovered keyring key, then finds the tx and the account', async () => {
    const [from, to] = node.accounts;
    const added = json<{ address: string }>(
      await aind(['keys', 'add', 'alice', '--recover', '--home', node.home, '-o', 'json'], `${from!.mnemonic}\n`),
    );
    expect(added.address).toBe(from!.address);

    const sent = await aind([
      'tx',
      'bank',
      'send',
      'alice',
      to!.address,
      '1234uain',
      '--gas',
      'auto',
      '--yes',
      '--home',
      node.home,
      ...nodeFlag,
      '--output',
      'json',
    ]);
    const response = json<{ code: number; txhash: string; height: string; gas_used: string; events: { type: string }[] }>(sent);
    expect(response.code).toBe(0);
    expect(Number(response.height)).toBeGreaterThan(0);
    expect(response.events.map((e) => e.type)).toContain('transfer');

    const tx = json<{ txhash: string; code: number; tx: { body: { messages: { '@type': string; amount: unknown }[] } } }>(
      await aind(['query', 'tx', response.txhash, ...nodeFlag, '-o', 'json']),
    );
    expect(tx.txhash).toBe(response.txhash);
    expect(tx.tx.body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', amount: [{ denom: 'uain', amount: '1234' }] });

    const account = json<{ account: { address: string; sequence: string; pub_key: { key: string } } }>(
      await aind(['query', 'auth', 'account', from!.address, ...nodeFlag, '-o', 'json']),
    );
    expect(account.account).toMatchObject({
      address: from!.address,
      sequence: '1',
      pub_key: { key: Buffer.from(from!.pubkey).toString('base64') },
    });

    const { client } = await fundedClient(node, 1);
    try {
      expect((await waitForTx(client, response.txhash)).code).toBe(0);
      expect(await client.getBalance(to!.address, 'uain')).toEqual({ denom: 'uain', amount: String(5_000_000 + 1234) });
    } finally {
      client.disconnect();
    }
  });

  it('prints a CheckTx rejection with its code and exits 1', async () => {
    const result = await aind([
      'tx',
      'bank',
      'send',
      node.accounts[0]!.address,
      node.accounts[1]!.address,
      '1uain',
      '--fees',
      '1uain',
      '--home',
      node.home,
      ...nodeFlag,
      '-o',
      'json',
    ]);
    expect(result.code).toBe(1);
    const response = JSON.parse(result.stdout) as { code: number; codespace: string; height: string };
    expect(response).toMatchObject({ code: 13, codespace: 'sdk', height: '0' });
  });

  it('fails with a clear error when the node is unreachable', async () => {
    const result = await aind(['status', '--node', 'tcp://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/127\.0\.0\.1:1/);
  });
});

describe('kill -9 and restart', () => {
  it('restarts CometBFT after kill -9 and keeps going', async () => {
    const before = await node.height();
    const exit = await node.kill('comet');
    expect(exit.signal).toBe('SIGKILL');
    expect(node.cometPid()).toBeUndefined();
    expect(node.isRunning('app')).toBe(true);
    await node.startComet();
    expect(await node.waitForHeight(before + 2)).toBeGreaterThanOrEqual(before + 2);
  });

  it('restarts the app after kill -9 (CometBFT stops by itself) and keeps going', async () => {
    const before = await node.height();
    await node.kill('app');
    await node.cometStopsAfterApp();
    await node.startApp();
    await node.startComet();
    expect(await node.waitForHeight(before + 2)).toBeGreaterThanOrEqual(before + 2);
    const { client } = await fundedClient(node, 1);
    try {
      expect(await client.getBalance(node.accounts[1]!.address, 'uain')).toEqual({ denom: 'uain', amount: String(5_000_000 + 1234) });
    } finally {
      client.disconnect();
    }
  });

  it('stop() ends both processes and removes the home', async () => {
    const pids = [node.appPid()!, node.cometPid()!];
    await node.stop();
    expect(node.appPid()).toBeUndefined();
    expect(node.cometPid()).toBeUndefined();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(node.home)).toBe(false);
  });
});
