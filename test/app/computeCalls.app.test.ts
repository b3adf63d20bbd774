/**
 * Compute-driven supply measures completed off-chain function calls: a call answered with a result
 * counts the units of the resources its function declares for its executor; a failed one counts
 * nothing; with the module off (no params) nothing is recorded. Through the whole app, in process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType, type ExecTxResult, RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../../app/genesis.ts';
import type { ComputeKeeper } from '../../modules/compute/keeper.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { MsgSubmitResult } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';
import { signTx, type TestKey, testKey, anyOf } from '../helpers/tx.ts';

const CHAIN_ID = 'ain-compute-calls-1';
const alice = testKey('cc-alice');
const bob = testKey('cc-bob');
const carol = testKey('cc-carol');
const KEYS = [alice, bob, carol];
const GAS = 400_000n;
/** 2 CPUs, 3 GiB: 10 + 2 x 1 + 3 x 1 = 15 units a call with the default weights. */
const sum = {
  function_type: 'OFFCHAIN',
  function_id: 'sum',
  runtime: 'node',
  code_hash: 'ab'.repeat(32),
  resources: { cpu: 2, memory_mb: 3072, gpus: 0, gpu_memory_mb: 0 },
  timeout_blocks: 10,
  price: '0',
  output_path: '/apps/job/result/$key',
  executors: [carol.address],
};

let dir: string;
let store: CommittedState;
let app: AinApplication;
let height = 0n;
const sequences = new Map<TestKey, bigint>();
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(compute: object | undefined): void {
  dir = mkdtempSync(join(tmpdir(), 'ain-compute-calls-'));
  store = openCommittedState(join(dir, 'app.lmdb'));
  app = new AinApplication(store);
  let state = defaultAppState();
  for (const key of KEYS) state = addGenesisAccount(state, key.address, [{ denom: 'uain', amount: 1_000_000_000n }]);
  const executor = { address: carol.address, runtimes: ['node'], cpu: 4, memory_mb: 8192, gpus: 1, gpu_memory_mb: 4096, price: '0' };
  state = { ...state, triggers: { executors: [executor] }, ...(compute ? { compute } : {}) };
  app.initChain(RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(state)) }));
  height = 0n;
  finalize([]);
  for (const key of KEYS) sequences.set(key, 0n);
  const setup = send(alice, [
    anyOf(MsgCreateApp, { signer: alice.address, name: 'job', admins: [alice.address], public: false }),
    anyOf(MsgSetRule, { signer: alice.address, path: '/apps/job/request/$key', rule: JSON.stringify({ write: 'true' }) }),
    anyOf(MsgSetRule, { signer: alice.address, path: '/apps/job/result/$key', rule: JSON.stringify({ write: "auth.fid == 'sum'" }) }),
    anyOf(MsgSetFunction, { signer: alice.address, path: '/apps/job/request/$key', function: JSON.stringify(sum) }),
  ]);
  expect(setup.log).toBe('');
}

function finalize(txs: Uint8Array[]) {
  height += 1n;
  const response = app.finalizeBlock(
    RequestFinalizeBlock.fromPartial({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } }),
  );
  app.commit();
  return response;
}

function send(key: TestKey, messages: Any[]): ExecTxResult {
  const sequence = sequences.get(key)!;
  const tx = signTx({
    key,
    messages,
    chainId: CHAIN_ID,
    accountNumber: BigInt(KEYS.indexOf(key)),
    sequence,
    gasLimit: GAS,
    fee: [{ denom: 'uain', amount: ((GAS * 25n) / 1000n).toString() }],
  });
  app.checkTx({ tx, type: CheckTxType.NEW });
  sequences.set(key, sequence + 1n);
  return finalize([tx]).txResults[0]!;
}

const call = (key: string) => send(bob, [anyOf(MsgSetValue, { signer: bob.address, path: `/apps/job/request/${key}`, value: '{"a":1}' })]);
const answer = (callId: bigint, failed = false) =>
  send(carol, [anyOf(MsgSubmitResult, { signer: carol.address, callId, output: '3', failed, error: failed ? 'boom' : '' })]);

describe('compute-driven supply measures function calls', () => {
  it('counts a completed call by its declared resources for its executor, a failed one not at all', () => {
    start({ params: { epoch_blocks: '1000' } });
    expect(call('one').log).toBe('');
    expect(call('two').log).toBe('');
    expect(answer(1n).log).toBe('');
    expect(answer(2n, true).log).toBe('');
    expect(app.keeper<ComputeKeeper>('compute').epoch(store).units).toBe(15n);
    expect(store.get(`/compute/workers/${carol.address}`)).toBe('15');
  });

  it('records nothing while the module is off (test/app/replay.test.ts checks the gas is unchanged too)', () => {
    start(undefined);
    call('one');
    const off = answer(1n);
    expect(off.log).toBe('');
    expect(store.get('/compute/epoch')).toBeUndefined();
    expect(store.list('/compute', 10)).toEqual([]);
  });
});
