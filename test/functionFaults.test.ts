/**
 * AIN Functions under faults, with real processes: CometBFT and the app, a Big Storage server, and two
 * `aind executor` daemons (A and B). An executor killed mid-call (the restarted one, or the other,
 * finishes it; paid once), code that loops forever (killed at the timeout, the call fails and the caller
 * is refunded), code that tries to read files outside its dir or reach the network (denied), and a
 * burst of 1,000 requests (each answered exactly once).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet, decodeTxRaw } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { queryCall, queryPendingCalls } from '../client/queryTriggers.ts';
import { ADDRESS_PREFIX, moduleAddress } from '../core/address.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { until } from './helpers/poll.ts';
import { txIndexCaughtUp } from './helpers/txIndex.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';
import { setValueTxs } from './helpers/tx.ts';
import type { JsonValue } from '../core/json.ts';

const PRICE = 1000n;
const WRITE_FEE = { amount: [{ denom: 'uain', amount: '12500' }], gas: '500000' };
const EXECUTOR_TIMEOUT_MS = 4000;
const FALLBACK_MS = 1500;
const BURST = 1000;
/** Writes per request tx in the burst: the chain fires at most 8 off-chain calls per tx. */
const WRITES_PER_TX = 8;

const SLOW_SUM_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {a,b}=JSON.parse(s);setTimeout(()=>process.stdout.write(JSON.stringify(a+b)),1500);});\n`;
const LOOP_JS = `for (;;) {}\n`;
/** Tries a file outside its dir, /etc/passwd and the node's RPC port on loopback; reports what happened. */
const ESCAPE_JS = `const fs=require('fs'),net=require('net');let s='';process.stdin.on('data',(d)=>{s+=d});
process.stdin.on('end',()=>{const {file,port}=JSON.parse(s);const out={};
for (const [k,f] of [['file',file],['passwd','/etc/passwd']]) { try { fs.readFileSync(f); out[k]='read'; } catch (e) { out[k]='denied '+e.code; } }
const c=net.connect(port,'127.0.0.1');const done=(r)=>{if(out.net)return;out.net=r;c.destroy();process.stdout.write(JSON.stringify(out));};
c.on('connect',()=>done('connected'));c.on('error',(e)=>done('denied '+e.code));setTimeout(()=>done('denied timeout'),2000);});\n`;
const SUM_PY = `import json, sys\nd = json.load(sys.stdin)\nprint(json.dumps(d["a"] + d["b"]))\n`;

describe('AIN Functions under faults, two executors', () => {
  let node: TestNode;
  let storage: StorageServer;
  let storageDir: string;
  let client: AinClient;
  let reader: StargateClient;
  let clientAccount: TestAccount;
  const executors = new Map<'A' | 'B', ExecutorProcess>();
  const startBalances = new Map<string, bigint>();
  const homes: string[] = [];

  const balance = async (address: string): Promise<bigint> => BigInt((await reader.getBalance(address, 'uain')).amount);
  const readCall = async (callId: bigint): Promise<Call> => {
    return (await queryCall(client.cometClient, callId)).call;
  };
  const settled = (callId: bigint, timeoutMs = 60_000) =>
    until(
      `call ${callId} settled`,
      async () => {
        const call = await readCall(callId);
        return call.status === 'pending' ? undefined : call;
      },
      timeoutMs,
    );
  /** The call id a write fired (from the tx's EventFunctionCalled). */
  const write = async (path: string, value: JsonValue): Promise<bigint> => {
    const result = await client.ref(path).setValue(value, { fee: WRITE_FEE });
    const event = result.events.find((e) => e.type === 'ain.triggers.v1.EventFunctionCalled');
    return BigInt(event!.attributes.find((a) => a.key === 'call_id')!.value);
  };
  const startExecutor = async (name: 'A' | 'B', account: TestAccount, home?: string): Promise<ExecutorProcess> => {
    const executor = await startExecutorProcess({
      account,
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      args: ['--timeout-ms', String(EXECUTOR_TIMEOUT_MS), '--fallback-ms', String(FALLBACK_MS)],
      ...(home ? { home } : {}),
    });
    if (!home) homes.push(executor.home);
    executors.set(name, executor);
    await until(`executor ${name} subscribed`, async () => (/subscribed to /.test(executor.stderr()) ? true : undefined), 60_000);
    return executor;
  };
  /** searchTx once the index holds every tx committed so far (the calls' records are read from state). */
  const searchIndexed = async (query: string) => {
    await txIndexCaughtUp(node.rpcUrl);
    return reader.searchTx(query);
  };
  /** The fees of every tx `address` signed (results and registrations). */
  const feesPaidBy = async (address: string): Promise<bigint> => {
    const txs = await searchIndexed(`message.sender='${address}'`);
    return txs.reduce(
      (sum, tx) => sum + BigInt(decodeTxRaw(tx.tx).authInfo.fee!.amount.find((c) => c.denom === 'uain')?.amount ?? '0'),
      0n,
    );
  };
  const resultEvents = async (callId: bigint) => (await searchIndexed(`ain.triggers.v1.EventResultSubmitted.call_id='${callId}'`)).length;

  const setFunction = async (name: string, runtime: 'node' | 'python3', code: string, executorsList: 'any' | string[], network = false) => {
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(code), clientAccount);
    await client.ref(`/apps/faults/${name}/result/$key`).setRule({ write: `auth.fid == '${name}'` });
    await client.ref(`/apps/faults/${name}/request/$key`).setRule({ write: `auth.addr == '${clientAccount.address}'` });
    await client.ref(`/apps/faults/${name}/request/$key`).setFunction({
      function_type: 'OFFCHAIN',
      function_id: name,
      runtime,
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 300,
      price: PRICE.toString(),
      output_path: `/apps/faults/${name}/result/$key`,
      executors: executorsList,
      ...(network ? { network: true } : {}),
    });
  };

  beforeAll(async () => {
    node = await startTestNode({ accounts: 3 });
    clientAccount = node.accounts[0]!;
    storageDir = mkdtempSync(join(tmpdir(), 'ain-faults-storage-'));
    storage = await startStorageServer({ dir: storageDir, port: 0 });
    const wallet = await DirectSecp256k1Wallet.fromKey(clientAccount.privkey, ADDRESS_PREFIX);
    client = await connectAin({ rpcUrl: node.rpcUrl, signer: wallet, broadcastPollIntervalMs: 100 });
    reader = await StargateClient.connect(node.rpcUrl);
    await client.createApp('faults', { admins: [clientAccount.address], public: false });
    for (const account of node.accounts.slice(1)) startBalances.set(account.address, await balance(account.address));
    await startExecutor('A', node.accounts[1]!);
    await startExecutor('B', node.accounts[2]!);
  }, 180_000);

  afterAll(async () => {
    for (const [name, executor] of executors) {
      await executor.stop();
      if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`executor ${name}:\n${executor.stderr()}\n`);
    }
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    client?.disconnect();
    reader?.disconnect();
    await storage?.close();
    await node?.stop();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  }, 60_000);

  it('a call only A may take: A is killed mid-run, restarts, catches up and finishes it once', async () => {
    const a = executors.get('A')!;
    await setFunction('only_a', 'node', SLOW_SUM_JS, [a.address]);
    const callId = await write('/apps/faults/only_a/request/k1', { a: 2, b: 3 });
    await until('A running the call', async () => (a.stderr().includes(`call ${callId}: running only_a`) ? true : undefined), 30_000);
    await a.kill();
    expect((await readCall(callId)).status).toBe('pending');
    // The killed run's directory outlives it; the restarted executor's first run removes it.
    const leftBy = (pid: number) => readdirSync(tmpdir()).filter((name) => name.startsWith(`ain-sbx-${pid}-`));
    expect(leftBy(a.pid)).toHaveLength(1);
    const restarted = await startExecutor('A', node.accounts[1]!, a.home);
    const call = await settled(callId);
    expect(call).toMatchObject({ status: 'done', executor: a.address });
    expect((await client.ref('/apps/faults/only_a/result/k1').get()).value).toBe(5);
    expect(await resultEvents(callId)).toBe(1);
    expect(restarted.stderr()).toMatch(new RegExp(`call ${callId}: running only_a`));
    expect(leftBy(a.pid)).toEqual([]);
  }, 120_000);

  it('a call any executor may take: its preferred executor is killed mid-run and the other finishes it', async () => {
    await setFunction('any_slow', 'node', SLOW_SUM_JS, 'any');
    const callId = await write('/apps/faults/any_slow/request/k1', { a: 20, b: 22 });
    const [first, second] = [...executors.entries()].sort((x, y) => (x[1].address < y[1].address ? -1 : 1));
    const [preferredName, preferred] = Number(callId % 2n) === 0 ? first! : second!;
    const [, other] = preferred === first![1] ? second! : first!;
    await until('the preferred executor running the call', async () =>
      preferred.stderr().includes(`call ${callId}: running any_slow`) ? true : undefined,
    );
    await preferred.kill();
    const call = await settled(callId);
    expect(call).toMatchObject({ status: 'done', executor: other.address });
    expect((await client.ref('/apps/faults/any_slow/result/k1').get()).value).toBe(42);
    expect(await resultEvents(callId)).toBe(1);
    // Back to two executors for the next tests.
    await startExecutor(preferredName, node.accounts.find((a) => a.address === preferred.address)!, preferred.home);
  }, 120_000);

  it('code that loops forever is killed at the timeout: the call fails and the caller gets the price back', async () => {
    await setFunction('loop', 'node', LOOP_JS, 'any');
    const before = await balance(clientAccount.address);
    const callId = await write('/apps/faults/loop/request/k1', { a: 1, b: 1 });
    const call = await settled(callId, 90_000);
    expect(call.status).toBe('failed');
    expect(call.error).toMatch(/^timeout/);
    expect((await client.ref('/apps/faults/loop/result/k1').get()).value).toBeNull();
    expect(await balance(clientAccount.address)).toBe(before - BigInt(WRITE_FEE.amount[0]!.amount));
    expect(await resultEvents(callId)).toBe(1);
  }, 120_000);

  it('code cannot read files outside its dir (an executor key, /etc/passwd) or reach the node on loopback', async () => {
    const a = executors.get('A')!;
    expect(a.stderr()).toMatch(/sandbox isolation: bwrap/);
    await setFunction('escape', 'node', ESCAPE_JS, 'any');
    const keyFile = join(a.home, 'keyring-test');
    const callId = await write('/apps/faults/escape/request/k1', { file: keyFile, port: node.ports.rpc });
    const call = await settled(callId);
    expect(call.status).toBe('done');
    const report = (await client.ref('/apps/faults/escape/result/k1').get()).value as Record<string, string>;
    expect(report.file).toMatch(/^denied /);
    expect(report.passwd).toMatch(/^denied /);
    expect(report.net).toMatch(/^denied /);
  }, 120_000);

  it(`answers a burst of ${BURST} requests, each exactly once, and pays each executor exactly for what it answered`, async () => {
    await setFunction('burst', 'python3', SUM_PY, 'any');
    const account = await reader.getAccount(clientAccount.address);
    const txs = setValueTxs({
      key: { privkey: clientAccount.privkey, pubkey: clientAccount.pubkey, address: clientAccount.address },
      chainId: node.chainId,
      accountNumber: BigInt(account!.accountNumber),
      sequence: BigInt(account!.sequence),
      count: BURST,
      perTx: WRITES_PER_TX,
      pathAt: (i) => `/apps/faults/burst/request/r${i}`,
      valueAt: (i) => ({ a: i, b: 1 }),
    });
    const firstCall = (await pendingOrLatestCallId()) + 1n;
    for (const tx of txs) {
      const result = await client.cometClient.broadcastTxSync({ tx });
      expect(result.code, result.log).toBe(0);
    }
    const ids = Array.from({ length: BURST }, (_, i) => firstCall + BigInt(i));
    await until(
      'every burst call settled',
      async () => {
        const pending = (await queryPendingCalls(client.cometClient)).calls;
        return pending.length === 0 && (await readCall(ids.at(-1)!)).status !== 'pending' ? true : undefined;
      },
      300_000,
    );
    const calls = await Promise.all(ids.map((id) => readCall(id)));
    expect(calls.filter((c) => c.status !== 'done').map((c) => `${c.id} ${c.status} ${c.error}`)).toEqual([]);
    for (const call of calls) {
      const i = Number(/r(\d+)$/.exec(call.triggerPath)![1]);
      expect((await client.ref(`/apps/faults/burst/result/r${i}`).get()).value).toBe(i + 1);
    }
    const submitted = await searchIndexed(`ain.triggers.v1.EventResultSubmitted.executor EXISTS`);
    const counted = submitted.flatMap((tx) =>
      tx.events
        .filter((e) => e.type === 'ain.triggers.v1.EventResultSubmitted')
        .map((e) => e.attributes.find((a) => a.key === 'call_id')!.value),
    );
    expect(counted.length).toBe(new Set(counted).size);
    expect(ids.every((id) => counted.includes(id.toString()))).toBe(true);
    expect(await balance(moduleAddress('triggers'))).toBe(0n);

    // Paid once per call answered: each executor's balance = start + price x calls done - its fees.
    for (const account of node.accounts.slice(1)) {
      const done = await doneBy(account.address);
      const expected = startBalances.get(account.address)! + PRICE * BigInt(done) - (await feesPaidBy(account.address));
      expect(await balance(account.address)).toBe(expected);
    }
  }, 400_000);

  /** The highest call id so far (ids are sequential from 1). */
  async function pendingOrLatestCallId(): Promise<bigint> {
    let id = 0n;
    for (;;) {
      try {
        await readCall(id + 1n);
        id += 1n;
      } catch {
        return id;
      }
    }
  }

  /** How many calls `address` answered successfully (status done), from the chain's records. */
  async function doneBy(address: string): Promise<number> {
    const last = await pendingOrLatestCallId();
    let count = 0;
    for (let id = 1n; id <= last; id++) {
      const call = await readCall(id);
      if (call.status === 'done' && call.executor === address) count += 1;
    }
    return count;
  }
});
