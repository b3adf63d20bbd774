/**
 * The white paper's "Simple request and response" end to end with real processes: CometBFT and the
 * app (startTestNode), a Big Storage server, and an executor daemon (startExecutor) listening on the
 * websocket. Then a fault: code whose bytes do not match its hash is refused and the caller refunded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet, decodeTxRaw } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { addKey, AIND_SCRIPT } from '../home/index.ts';
import { queryCall } from '../client/queryTriggers.ts';
import { type RunningExecutor, startExecutor } from '../executor/daemon.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { runAind } from './helpers/cli.ts';
import { until } from './helpers/poll.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';

const PRICE = 1000n;
const WRITE_FEE = { amount: [{ denom: 'uain', amount: '12500' }], gas: '500000' };
const SUM_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {a,b}=JSON.parse(s);process.stdout.write(JSON.stringify(a+b));});\n`;

describe('AIN Functions end to end', () => {
  let node: TestNode;
  let storage: StorageServer;
  let storageDir: string;
  let client: AinClient;
  let reader: StargateClient;
  let executor: RunningExecutor | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    node = await startTestNode({ accounts: 3 });
    storageDir = mkdtempSync(join(tmpdir(), 'ain-functions-storage-'));
    storage = await startStorageServer({ dir: storageDir, port: 0 });
    const wallet = await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, ADDRESS_PREFIX);
    client = await connectAin({ rpcUrl: node.rpcUrl, signer: wallet, broadcastPollIntervalMs: 100 });
    reader = await StargateClient.connect(node.rpcUrl);
  }, 120_000);

  afterAll(async () => {
    if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`${logs.join('\n')}\n`);
    await executor?.stop();
    client?.disconnect();
    reader?.disconnect();
    await storage?.close();
    await node?.stop();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  }, 60_000);

  const balance = async (address: string): Promise<bigint> => BigInt((await reader.getBalance(address, 'uain')).amount);
  const feeOf = async (txhash: string): Promise<bigint> => {
    const tx = await reader.getTx(txhash);
    if (!tx) throw new Error(`tx ${txhash} not found`);
    return decodeTxRaw(tx.tx).authInfo.fee!.amount.reduce((sum, c) => sum + (c.denom === 'uain' ? BigInt(c.amount) : 0n), 0n);
  };
  const readCall = async (callId: bigint): Promise<Call> => {
    return (await queryCall(client.cometClient, callId)).call;
  };

  it('answers a request written by the client with the function result, paying the executor exactly the price', async () => {
    const clientAddress = node.accounts[0]!.address;
    const executorAddress = node.accounts[1]!.address;
    await client.createApp('calc', { admins: [clientAddress], public: false });
    await client.ref('/apps/calc/job/request/$key').setRule({ write: `auth.addr == '${clientAddress}'` });
    await client.ref('/apps/calc/job/result/$key').setRule({ write: `auth.fid == 'sum'` });
    const code = new TextEncoder().encode(SUM_JS);
    const { hash } = await putBlob(storage.url, code, node.accounts[0]!);
    await client.ref('/apps/calc/job/request/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'sum',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 150,
      price: PRICE.toString(),
      output_path: '/apps/calc/job/result/$key',
      executors: 'any',
    });

    executor = await startExecutor({
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      key: { privkey: node.accounts[1]!.privkey },
      runtimes: ['node'],
      cursorFile: join(storageDir, 'executor-cursor.json'),
      log: (line) => logs.push(line),
    });
    expect(executor.address).toBe(executorAddress);
    expect(logs.some((l) => l.startsWith('sandbox isolation: '))).toBe(true);
    expect(logs.some((l) => l.includes('registered executor'))).toBe(true);

    const clientBefore = await balance(clientAddress);
    const executorBefore = await balance(executorAddress);
    const write = await client.ref('/apps/calc/job/request/key_1').setValue({ a: 10, b: 10 }, { fee: WRITE_FEE });
    const result = await until('the result', async () => {
      const snapshot = await client.ref('/apps/calc/job/result/key_1').get();
      return snapshot.value === null ? undefined : snapshot;
    });
    expect(result.value).toBe(20);
    expect(result.height).toBeLessThanOrEqual(write.height + 2);

    const running = executor;
    const outcome = await until('the executor outcome', async () => running.outcomes.find((o) => o.callId === 1n));
    expect(outcome.kind).toBe('submitted');
    const executorFee = await feeOf(outcome.txhash!);
    expect((await readCall(1n)).status).toBe('done');
    expect(await balance(executorAddress)).toBe(executorBefore + PRICE - executorFee);
    expect(await balance(clientAddress)).toBe(clientBefore - PRICE - BigInt(WRITE_FEE.amount[0]!.amount));
  }, 120_000);

  it('refuses code whose bytes do not match its hash: the call fails and the caller is refunded', async () => {
    const clientAddress = node.accounts[0]!.address;
    const executorAddress = node.accounts[1]!.address;
    const code = new TextEncoder().encode(`${SUM_JS}// v2\n`);
    const { hash } = await putBlob(storage.url, code, node.accounts[0]!);
    // The storage node now serves other bytes under this hash (a corrupted disk or a lying server).
    const evil = `process.stdout.write('666');//`;
    writeFileSync(join(storageDir, 'blobs', hash), evil.padEnd(code.length, 'x'));
    await client.ref('/apps/calc/job/result2/$key').setRule({ write: `auth.fid == 'sum2'` });
    await client.ref('/apps/calc/job/request2/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'sum2',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 150,
      price: PRICE.toString(),
      output_path: '/apps/calc/job/result2/$key',
      executors: 'any',
    });
    const clientBefore = await balance(clientAddress);
    const executorBefore = await balance(executorAddress);
    await client.ref('/apps/calc/job/request2/key_1').setValue({ a: 1, b: 2 }, { fee: WRITE_FEE });
    const outcome = await until('the executor refusing the code', async () => executor!.outcomes.find((o) => o.callId === 2n));
    expect(outcome.kind).toBe('failed');
    expect(outcome.detail).toMatch(/do not match code_hash/);
    const call = await until('the failed call', async () => {
      const c = await readCall(2n);
      return c.status === 'pending' ? undefined : c;
    });
    expect(call.status).toBe('failed');
    expect((await client.ref('/apps/calc/job/result2/key_1').get()).value).toBeNull();
    const executorFee = await feeOf(outcome.txhash!);
    expect(await balance(executorAddress)).toBe(executorBefore - executorFee);
    expect(await balance(clientAddress)).toBe(clientBefore - BigInt(WRITE_FEE.amount[0]!.amount));
    // Nothing was submitted twice.
    const ids = executor!.outcomes.filter((o) => o.kind !== 'skipped').map((o) => o.callId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);

  it('`aind executor` (a real process) catches up on a call written while no executor ran, and keeps its cursor', async () => {
    const t0 = Date.now();
    await executor?.stop();
    executor = undefined;
    if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`stopped in ${Date.now() - t0} ms\n`);
    const home = mkdtempSync(join(tmpdir(), 'ain-functions-executor-'));
    const account = node.accounts[2]!;
    await addKey(home, 'exec', account.mnemonic);
    await client.ref('/apps/calc/job/request/key_2').setValue({ a: 5, b: 37 }, { fee: WRITE_FEE });
    const before = await balance(account.address);
    const args = [AIND_SCRIPT, 'executor', '--home', home, '--key', 'exec', '--node', node.rpcUrl, '--storage', storage.url];
    const proc = spawn(process.execPath, [...args, '--runtimes', 'node'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    try {
      const result = await until(
        'the result written by the restarted executor',
        async () => {
          const snapshot = await client.ref('/apps/calc/job/result/key_2').get();
          return snapshot.value === null ? undefined : snapshot;
        },
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${stderr}`);
      });
      expect(result.value).toBe(42);
      expect(stderr).toMatch(/sandbox isolation: /);
      expect(stderr).toMatch(/registered executor /);
      expect((await readCall(3n)).executor).toBe(account.address);
      const cursorFile = join(home, 'executor-cursor.json');
      await until('the cursor file', async () => (existsSync(cursorFile) ? true : undefined));
      const cursor = JSON.parse(readFileSync(cursorFile, 'utf8')) as { height: number };
      expect(cursor.height).toBeGreaterThan(0);
      // Paid the price once, minus its two fees (registration and result).
      const registerTx = /registered executor \S+: .*\(tx ([0-9A-F]{64})\)/.exec(stderr)?.[1];
      const submitTx = /call 3: submitted \(tx ([0-9A-F]{64})\)/.exec(stderr)?.[1];
      const fees = (await feeOf(registerTx!)) + (await feeOf(submitTx!));
      expect(await balance(account.address)).toBe(before + PRICE - fees);

      // The same records through the CLI.
      const shown = await runAind('query', 'triggers', 'call', '3', '--node', node.rpcUrl, '--output', 'json');
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout).call).toMatchObject({ id: '3', status: 'done', executor: account.address, function_id: 'sum' });
      const listed = await runAind('query', 'triggers', 'executors', '--node', node.rpcUrl, '--output', 'json');
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout).executors.map((e: { address: string }) => e.address)).toContain(account.address);
      const pending = await runAind('query', 'triggers', 'calls', '--node', node.rpcUrl, '--output', 'json');
      expect(JSON.parse(pending.stdout).calls).toEqual([]);
      const missing = await runAind('query', 'triggers', 'call', '999', '--node', node.rpcUrl);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/no call 999/);
    } finally {
      if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`child stderr:\n${stderr}\n`);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
