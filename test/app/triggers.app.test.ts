/**
 * The triggers module through the whole app, in process: native `_transfer`, off-chain calls fired
 * by writes, executors' results, refunds and expiry at the end of a block, with the supply checked
 * after every block.
 */
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType, type ExecTxResult, RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../../app/genesis.ts';
import { QueryGetRequest, QueryGetResponse } from '../../proto/gen/ain/state/v1/query.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import {
  type Call,
  QueryCallRequest,
  QueryCallResponse,
  QueryCallsRequest,
  QueryCallsResponse,
  QueryExecutorsRequest,
  QueryExecutorsResponse,
} from '../../proto/gen/ain/triggers/v1/query.ts';
import { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults, MsgSubmitResultsResponse } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { signTx, type TestKey, testKey, anyOf } from '../helpers/tx.ts';
import { moduleAddress } from '../../core/address.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';

const CHAIN_ID = 'ain-triggers-test-1';
const alice = testKey('alice'); // app admin
const bob = testKey('bob'); // client
const carol = testKey('carol'); // listed executor
const dave = testKey('dave'); // registered, not listed
const KEYS = [alice, bob, carol, dave];
const GENESIS = 1_000_000_000n;
const SUPPLY = GENESIS * BigInt(KEYS.length);
const GAS = 400_000n;
const FEE = (GAS * 25n) / 1000n;
const PRICE = 1000n;
const TIMEOUT = 10;
const TRIGGERS = moduleAddress('triggers');
const CODE_HASH = 'ab'.repeat(32);

const sum = {
  function_type: 'OFFCHAIN',
  function_id: 'sum',
  runtime: 'node',
  code_hash: CODE_HASH,
  resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
  timeout_blocks: TIMEOUT,
  price: PRICE.toString(),
  output_path: '/apps/job/result/$key',
  executors: [carol.address],
};

describe('triggers module in the app, in process', () => {
  let dir: string;
  let store: CommittedState;
  let app: AinApplication;
  let height: bigint;
  let sequences: Map<TestKey, bigint>;

  const finalize = (txs: Uint8Array[]) => {
    height += 1n;
    const response = app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } }),
    );
    app.commit();
    expect(app.keeper<BankKeeper>('bank').getSupply(store, 'uain')).toBe(SUPPLY);
    return response;
  };

  const send = (key: TestKey, messages: Any[], gasLimit = GAS): ExecTxResult => {
    const sequence = sequences.get(key)!;
    const tx = signTx({
      key,
      messages,
      chainId: CHAIN_ID,
      accountNumber: BigInt(KEYS.indexOf(key)),
      sequence,
      gasLimit,
      fee: [{ denom: 'uain', amount: ((gasLimit * 25n) / 1000n).toString() }],
    });
    app.checkTx({ tx, type: CheckTxType.NEW });
    const result = finalize([tx]).txResults[0]!;
    sequences.set(key, sequence + 1n);
    return result;
  };

  const query = (path: string, data: Uint8Array) => {
    const response = app.query({ path, data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return response.value;
  };
  const get = (path: string): unknown =>
    JSON.parse(
      QueryGetResponse.decode(query('/ain.state.v1.Query/Get', QueryGetRequest.encode(QueryGetRequest.fromPartial({ path })).finish()))
        .value,
    );
  const call = (callId: bigint): Call =>
    QueryCallResponse.decode(query('/ain.triggers.v1.Query/Call', QueryCallRequest.encode({ callId }).finish())).call!;
  const pending = (): Call[] =>
    QueryCallsResponse.decode(query('/ain.triggers.v1.Query/Calls', QueryCallsRequest.encode({ limit: 0, pagination: undefined }).finish()))
      .calls;
  const balance = (address: string) => app.keeper<BankKeeper>('bank').getBalance(store, address, 'uain');
  const balances = () => new Map([...KEYS.map((k) => k.address), TRIGGERS].map((a) => [a, balance(a)]));

  const setValue = (key: TestKey, path: string, value: unknown) =>
    anyOf(MsgSetValue, { signer: key.address, path, value: JSON.stringify(value) });
  const register = (key: TestKey) =>
    send(key, [anyOf(MsgRegisterExecutor, { signer: key.address, runtimes: ['node'], cpu: 2, memoryMb: 1024n, price: '10' })]);
  const submit = (key: TestKey, callId: bigint, output: unknown, failed = false) =>
    send(key, [
      anyOf(MsgSubmitResult, { signer: key.address, callId, output: JSON.stringify(output), failed, error: failed ? 'boom' : '' }),
    ]);
  const attributes = (result: { events: ExecTxResult['events'] }, type: string) =>
    result.events.find((e) => e.type === type)?.attributes.filter((a) => a.key !== 'msg_index');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ain-triggers-'));
    store = openCommittedState(join(dir, 'app.lmdb'));
    app = new AinApplication(store);
    let state = defaultAppState();
    for (const key of KEYS) state = addGenesisAccount(state, key.address, [{ denom: 'uain', amount: GENESIS }]);
    // carol runs the `sum` function's calls (it is the one executor listed); dave is registered but not listed.
    state = {
      ...state,
      triggers: {
        executors: [
          { address: carol.address, runtimes: ['node'], cpu: 2, memory_mb: 1024, price: '10' },
          { address: dave.address, runtimes: ['python3'], gpus: 1, price: '5' },
        ],
      },
    };
    app.initChain(
      RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(state)) }),
    );
    height = 0n;
    finalize([]);
    sequences = new Map(KEYS.map((key) => [key, 0n]));
    // The white paper's "simple request and response": only bob writes requests, only `sum` writes results.
    const rule = (path: string, write: string) => anyOf(MsgSetRule, { signer: alice.address, path, rule: JSON.stringify({ write }) });
    const fn = (path: string, config: object) => anyOf(MsgSetFunction, { signer: alice.address, path, function: JSON.stringify(config) });
    const setup = send(alice, [
      anyOf(MsgCreateApp, { signer: alice.address, name: 'job', admins: [alice.address], public: false }),
      rule('/apps/job/request/$key', `auth.addr == '${bob.address}'`),
      rule('/apps/job/result/$key', "auth.fid == 'sum'"),
      rule('/apps/job/transfer/$from/$to/$key/value', 'true'),
      rule('/apps/job/notes', 'true'),
      fn('/apps/job/request/$key', sum),
      fn('/apps/job/transfer/$from/$to/$key/value', { function_type: 'NATIVE', function_id: '_transfer' }),
    ]);
    expect(setup.log).toBe('');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses malformed function configs with state/10', () => {
    const bad = send(alice, [
      anyOf(MsgSetFunction, { signer: alice.address, path: '/apps/job/x/$key', function: JSON.stringify({ ...sum, timeout_blocks: 0 }) }),
    ]);
    expect([bad.codespace, bad.code]).toEqual(['state', 10]);
    expect(bad.log).toContain('timeout_blocks');
    const native = send(alice, [
      anyOf(MsgSetFunction, {
        signer: alice.address,
        path: '/apps/job/y/$key',
        function: JSON.stringify({ function_type: 'NATIVE', function_id: '_transfer' }),
      }),
    ]);
    expect(native.log).toContain('needs $from and $to');
  });

  it('runs the native _transfer in the tx; a wrong writer reverts the whole tx', () => {
    const before = balances();
    const moved = send(bob, [setValue(bob, `/apps/job/transfer/${bob.address}/${carol.address}/k1/value`, 500)]);
    expect(moved.log).toBe('');
    expect(balance(bob.address)).toBe(before.get(bob.address)! - FEE - 500n);
    expect(balance(carol.address)).toBe(before.get(carol.address)! + 500n);
    expect(attributes(moved, 'ain.triggers.v1.EventNativeFunctionRun')?.map((a) => a.value)).toEqual([
      '_transfer',
      `/apps/job/transfer/${bob.address}/${carol.address}/k1/value`,
      '/apps/job/transfer/$from/$to/$key/value',
      bob.address,
    ]);

    const afterMove = balances();
    const stolen = send(bob, [
      setValue(bob, '/apps/job/notes', 'written first'),
      setValue(bob, `/apps/job/transfer/${carol.address}/${bob.address}/k2/value`, 500),
    ]);
    expect([stolen.codespace, stolen.code]).toEqual(['triggers', 2]);
    expect(stolen.log).toContain(`the writer ${bob.address} is not $from ${carol.address}`);
    expect(get('/apps/job/notes')).toBeNull();
    expect(get(`/apps/job/transfer/${carol.address}`)).toBeNull();
    expect(balance(carol.address)).toBe(afterMove.get(carol.address)!);
    expect(balance(bob.address)).toBe(afterMove.get(bob.address)! - FEE);

    const tooMuch = send(bob, [setValue(bob, `/apps/job/transfer/${bob.address}/${carol.address}/k3/value`, Number(GENESIS))]);
    expect([tooMuch.codespace, tooMuch.code]).toEqual(['sdk', 5]);
    const notAmount = send(bob, [setValue(bob, `/apps/job/transfer/${bob.address}/${carol.address}/k4/value`, 1.5)]);
    expect([notAmount.codespace, notAmount.code]).toEqual(['triggers', 2]);
  });

  it('fires an off-chain call on a write, escrowing exactly the price, with an indexed event', () => {
    const before = balances();
    const fired = send(bob, [setValue(bob, '/apps/job/request/key_1', { a: 10, b: 10 })]);
    expect(fired.log).toBe('');
    const requestHeight = height;
    expect(balance(bob.address)).toBe(before.get(bob.address)! - FEE - PRICE);
    expect(balance(TRIGGERS)).toBe(PRICE);
    const event = fired.events.find((e) => e.type === 'ain.triggers.v1.EventFunctionCalled')!;
    expect(event.attributes).toEqual([
      { key: 'call_id', value: '1', index: true },
      { key: 'function_id', value: 'sum', index: true },
      { key: 'trigger_path', value: '/apps/job/request/key_1', index: true },
      { key: 'function_path', value: '/apps/job/request/$key', index: true },
      { key: 'caller', value: bob.address, index: true },
      { key: 'price', value: '1000', index: true },
      { key: 'deadline_height', value: String(requestHeight + BigInt(TIMEOUT)), index: true },
      { key: 'runtime', value: 'node', index: true },
      { key: 'code_hash', value: CODE_HASH, index: true },
      { key: 'msg_index', value: '0', index: true },
    ]);
    expect(call(1n)).toMatchObject({
      id: 1n,
      functionPath: '/apps/job/request/$key',
      functionId: 'sum',
      triggerPath: '/apps/job/request/key_1',
      value: '{"a":10,"b":10}',
      caller: bob.address,
      price: '1000',
      deadlineHeight: requestHeight + BigInt(TIMEOUT),
      outputPath: '/apps/job/result/key_1',
      executors: [carol.address],
      status: 'pending',
      runtime: 'node',
      codeHash: CODE_HASH,
    });
    expect(get('/triggers/next_call_id')).toBe('2');
    expect(pending().map((c) => c.id)).toEqual([1n]);
    // The writer cannot write the function's output path itself.
    expect(send(bob, [setValue(bob, '/apps/job/result/key_1', 20)]).code).toBe(4);
  });

  it('refuses a write whose call no registered executor can run (runtime, packages, GPUs), and fires it once one registers', () => {
    const gpuSum = {
      ...sum,
      runtime: 'torch',
      requires: ['torch>=2.4', 'numpy'],
      resources: { cpu: 1, memory_mb: 256, gpus: 1, gpu_memory_mb: 40_000 },
      executors: 'any',
    };
    const setup = send(alice, [
      anyOf(MsgSetRule, { signer: alice.address, path: '/apps/job/train/$key', rule: JSON.stringify({ write: 'true' }) }),
      anyOf(MsgSetFunction, { signer: alice.address, path: '/apps/job/train/$key', function: JSON.stringify(gpuSum) }),
    ]);
    expect(setup.log).toBe('');
    const before = balances();
    const refused = send(bob, [setValue(bob, '/apps/job/train/k1', { lr: 0.1 })]);
    expect([refused.codespace, refused.code]).toEqual(['triggers', 10]);
    expect(refused.log).toContain('calls sum (runtime torch, requires torch>=2.4 numpy, 1 GPU), which no registered executor can run');
    expect(refused.log).toContain(`${carol.address}: no runtime torch`);
    expect(balance(bob.address)).toBe(before.get(bob.address)! - FEE); // the fee only: no escrow
    const torch = (packages: Array<[string, string]>, cuda: boolean, gpuMemoryMb: bigint) =>
      send(dave, [
        anyOf(MsgRegisterExecutor, {
          signer: dave.address,
          runtimes: ['python3', 'torch'],
          gpus: 1,
          gpuMemoryMb,
          price: '5',
          runtimeInfo: [
            { name: 'torch', kind: 'python', version: '3.12.3', packages: packages.map(([name, version]) => ({ name, version })), cuda },
          ],
        }),
      ]);
    expect(torch([['torch', '2.3.1']], true, 80_000n).log).toBe('');
    expect(send(bob, [setValue(bob, '/apps/job/train/k2', 1)]).log).toContain(`${dave.address}: runtime torch does not meet torch>=2.4`);
    expect(
      torch(
        [
          ['Torch', '2.11.0+cu130'],
          ['NumPy', '2.1.0'],
        ],
        false,
        80_000n,
      ).log,
    ).toBe('');
    expect(send(bob, [setValue(bob, '/apps/job/train/k3', 1)]).log).toContain('runtime torch cannot use CUDA');
    expect(
      torch(
        [
          ['torch', '2.11.0+cu130'],
          ['numpy', '2.1.0'],
        ],
        true,
        24_000n,
      ).log,
    ).toBe('');
    expect(send(bob, [setValue(bob, '/apps/job/train/k4', 1)]).log).toContain('24000 MiB per GPU, the function needs 40000');
    expect(
      torch(
        [
          ['torch', '2.11.0+cu130'],
          ['numpy', '2.1.0'],
        ],
        true,
        143_771n,
      ).log,
    ).toBe('');
    const fired = send(bob, [setValue(bob, '/apps/job/train/k5', { lr: 0.1 })]);
    expect(fired.log).toBe('');
    expect(pending().map((c) => c.runtime)).toEqual(['torch']);
    const registered = QueryExecutorsResponse.decode(
      query('/ain.triggers.v1.Query/Executors', QueryExecutorsRequest.encode({ limit: 0, pagination: undefined }).finish()),
    ).executors.find((e) => e.address === dave.address)!;
    expect(registered.runtimeInfo).toEqual([
      {
        name: 'torch',
        kind: 'python',
        version: '3.12.3',
        packages: [
          { name: 'torch', version: '2.11.0+cu130' },
          { name: 'numpy', version: '2.1.0' },
        ],
        cuda: true,
      },
    ]);
  });

  it('refuses results from unregistered or unlisted executors, takes the allowed one, pays it exactly the price, refuses a second', () => {
    send(bob, [setValue(bob, '/apps/job/request/key_1', { a: 10, b: 10 })]);
    const unregistered = submit(bob, 1n, 20);
    expect([unregistered.codespace, unregistered.code]).toEqual(['triggers', 7]);
    // dave is registered at genesis.
    const unlisted = submit(dave, 1n, 20);
    expect([unlisted.codespace, unlisted.code]).toEqual(['triggers', 8]);
    expect(register(carol).log).toBe('');
    const executors = QueryExecutorsResponse.decode(
      query('/ain.triggers.v1.Query/Executors', QueryExecutorsRequest.encode({ limit: 0, pagination: undefined }).finish()),
    ).executors;
    expect(executors.map((e) => e.address).sort()).toEqual([carol.address, dave.address].sort());
    expect(executors.find((e) => e.address === dave.address)).toMatchObject({ runtimes: ['python3'], gpus: 1, price: '5' });

    const before = balances();
    const answered = submit(carol, 1n, 20);
    expect(answered.log).toBe('');
    expect(get('/apps/job/result/key_1')).toBe(20);
    expect(balance(carol.address)).toBe(before.get(carol.address)! - FEE + PRICE);
    expect(balance(TRIGGERS)).toBe(0n);
    expect(attributes(answered, 'ain.triggers.v1.EventResultSubmitted')).toEqual([
      { key: 'call_id', value: '1', index: true },
      { key: 'executor', value: carol.address, index: true },
      { key: 'failed', value: 'false', index: true },
    ]);
    expect(call(1n)).toMatchObject({ status: 'done', executor: carol.address });
    expect(pending()).toEqual([]);

    const second = submit(carol, 1n, 21);
    expect([second.codespace, second.code]).toEqual(['triggers', 5]);
    expect(second.log).toContain('call 1 is done; only its first result counts');
    expect(get('/apps/job/result/key_1')).toBe(20);
    expect(balance(carol.address)).toBe(before.get(carol.address)! - 2n * FEE + PRICE);
    expect([submit(carol, 99n, 1).codespace, submit(carol, 99n, 1).code]).toEqual(['triggers', 4]);
  });

  it('answers a batch of results one by one: skips what cannot count, fails and refunds a refused output', () => {
    register(carol);
    const requests = ['b1', 'b2', 'b3'].map((key, i) => setValue(bob, `/apps/job/request/${key}`, { a: i, b: 1 }));
    expect(send(bob, requests, 1_000_000n).log).toBe('');
    expect(submit(carol, 3n, 7).log).toBe(''); // call 3 answered alone first
    const before = balances();
    const batch = send(carol, [
      anyOf(MsgSubmitResults, {
        signer: carol.address,
        results: [
          { callId: 1n, output: '1', failed: false, error: '' },
          { callId: 2n, output: '{}', failed: false, error: '' }, // an empty object is not a value: refused
          { callId: 1n, output: '5', failed: false, error: '' }, // a second answer to call 1
          { callId: 3n, output: '9', failed: false, error: '' }, // already answered
          { callId: 99n, output: '1', failed: false, error: '' },
        ],
      }),
    ]);
    expect(batch.log).toBe('');
    const response = MsgSubmitResultsResponse.decode(TxMsgData.decode(batch.data).msgResponses[0]!.value);
    expect(response).toEqual({ accepted: [1n, 2n], skipped: [1n, 3n, 99n] });
    expect(get('/apps/job/result/b1')).toBe(1);
    expect(get('/apps/job/result/b2')).toBeNull();
    expect(get('/apps/job/result/b3')).toBe(7);
    expect(call(1n)).toMatchObject({ status: 'done', executor: carol.address });
    expect(call(2n)).toMatchObject({ status: 'failed', executor: carol.address });
    expect(call(2n).error).toMatch(/^output refused: .*empty/);
    // Paid once for call 1; call 2's price went back to bob.
    expect(balance(carol.address)).toBe(before.get(carol.address)! - FEE + PRICE);
    expect(balance(bob.address)).toBe(before.get(bob.address)! + PRICE);
    expect(balance(TRIGGERS)).toBe(0n);
    const skippedReasons = batch.events
      .filter((e) => e.type === 'ain.triggers.v1.EventResultSkipped')
      .map((e) => e.attributes.find((a) => a.key === 'reason')!.value);
    expect(skippedReasons).toEqual([
      'call 1 is done; only its first result counts: call is not pending',
      'call 3 is done; only its first result counts: call is not pending',
      expect.stringContaining('no call 99'),
    ]);
    expect(batch.events.filter((e) => e.type === 'ain.triggers.v1.EventResultRefused')).toHaveLength(1);
    expect(batch.events.filter((e) => e.type === 'ain.triggers.v1.EventResultSubmitted')).toHaveLength(2);

    // An unregistered signer fails the whole message; bad batches fail validation.
    const unregistered = send(dave, [anyOf(MsgSubmitResults, { signer: alice.address, results: [{ callId: 1n, output: '1' }] })]);
    expect(unregistered.code).not.toBe(0);
    const byAlice = send(alice, [anyOf(MsgSubmitResults, { signer: alice.address, results: [{ callId: 1n, output: '1' }] })]);
    expect([byAlice.codespace, byAlice.code]).toEqual(['triggers', 7]);
    const empty = send(carol, [anyOf(MsgSubmitResults, { signer: carol.address, results: [] })]);
    expect([empty.codespace, empty.code, empty.log]).toEqual(['triggers', 1, expect.stringContaining('expected 1 to 100')]);
    const badJson = send(carol, [anyOf(MsgSubmitResults, { signer: carol.address, results: [{ callId: 1n, output: 'nope' }] })]);
    expect([badJson.codespace, badJson.code, badJson.log]).toEqual(['triggers', 1, expect.stringContaining('results[0]')]);
  });

  it('refunds the caller on a failed result', () => {
    register(carol);
    const before = balances();
    send(bob, [setValue(bob, '/apps/job/request/key_2', { a: 1, b: 2 })]);
    expect(balance(TRIGGERS)).toBe(PRICE);
    const failed = submit(carol, 1n, null, true);
    expect(failed.log).toBe('');
    expect(balance(bob.address)).toBe(before.get(bob.address)! - FEE);
    expect(balance(carol.address)).toBe(before.get(carol.address)! - FEE);
    expect(balance(TRIGGERS)).toBe(0n);
    expect(call(1n)).toMatchObject({ status: 'failed', error: 'boom', executor: carol.address });
    expect(get('/apps/job/result/key_2')).toBeNull();
  });

  it('refunds a call past its deadline at the end of a block, and refuses late results', () => {
    register(carol);
    const before = balances();
    send(bob, [setValue(bob, '/apps/job/request/key_3', { a: 1, b: 2 })]);
    const deadline = call(1n).deadlineHeight;
    while (height < deadline) expect(finalize([]).events).toEqual([]);
    expect(call(1n).status).toBe('pending');
    const late = submit(carol, 1n, 3); // at deadline + 1: refused, and this block's end expires the call
    expect([late.codespace, late.code]).toEqual(['triggers', 6]);
    expect(call(1n).status).toBe('expired');
    expect(balance(bob.address)).toBe(before.get(bob.address)! - FEE);
    expect(balance(TRIGGERS)).toBe(0n);
    expect(pending()).toEqual([]);
    expect(get('/triggers/pending')).toBeNull();
  });

  it('emits EventCallExpired in the block events', () => {
    send(bob, [setValue(bob, '/apps/job/request/key_4', { a: 1, b: 2 })]);
    const deadline = call(1n).deadlineHeight;
    while (height < deadline) finalize([]);
    const expiring = finalize([]);
    expect(expiring.events.filter((e) => e.type.startsWith('ain.'))).toEqual([
      {
        type: 'ain.triggers.v1.EventCallExpired',
        attributes: [
          { key: 'call_id', value: '1', index: true },
          { key: 'caller', value: bob.address, index: true },
          { key: 'refund', value: '1000', index: true },
        ],
      },
    ]);
  });

  it('bounds fan-out: at most 8 off-chain calls per tx', () => {
    const writes = (n: number) => Array.from({ length: n }, (_, i) => setValue(bob, `/apps/job/request/fan_${i}`, i));
    expect(send(bob, writes(8), 4_000_000n).log).toBe('');
    expect(pending()).toHaveLength(8);
    const nine = send(bob, writes(9), 4_000_000n);
    expect([nine.codespace, nine.code]).toEqual(['triggers', 3]);
    expect(pending()).toHaveLength(8);
  });
});
