/**
 * ABCI Query at recent heights and with proofs, driving the app in process (no CometBFT). The app
 * hash CometBFT puts in the header of block H + 1 is the one FinalizeBlock returned for block H, so
 * `headerAppHash(H + 1)` below is that value, and a proof of the state at H verifies against it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { RequestFinalizeBlock, RequestInitChain, type ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryGetRequest, QueryGetResponse } from '../proto/gen/ain/state/v1/query.ts';
import { sendMsg, signTx, testKey, type TestKey } from '../test/helpers/tx.ts';
import { AinApplication, STORE_KEY_QUERY } from './application.ts';

const STATE_GET_QUERY = '/ain.state.v1.Query/Get';
import { addGenesisAccount, defaultAppState } from './genesis.ts';
import { PROOF_OP_TYPE, decodeValue, verifyProof } from '../tree/index.ts';
import { balancePath } from '../modules/bank/index.ts';
import { openCommittedState, type CommittedState } from '../tree/lmdb/index.ts';
import type { StateValue } from '../core/index.ts';

const CHAIN_ID = 'ain-query-1';
const alice = testKey('alice');
const bob = testKey('bob');
const carol = testKey('carol');

function genesis(): Uint8Array {
  let state = defaultAppState();
  state = addGenesisAccount(state, alice.address, [{ denom: 'uain', amount: 1_000_000_000n }]);
  state = addGenesisAccount(state, bob.address, [{ denom: 'uain', amount: 10_000n }]);
  return Buffer.from(JSON.stringify(state));
}

describe('ABCI Query at recent heights, with proofs', () => {
  let dir: string;
  let store: CommittedState;
  let app: AinApplication;
  let height: bigint;
  let sequence: bigint;
  /** Block height -> the app_hash its header carries (FinalizeBlock's answer for the block before). */
  let headers: Map<bigint, Uint8Array>;

  const open = (keepRecent: number) => {
    store = openCommittedState(join(dir, 'app.lmdb'), { keepRecent });
    app = new AinApplication(store);
    const init = app.initChain(RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: genesis() }));
    height = 0n;
    sequence = 0n;
    headers = new Map([[1n, init.appHash]]); // block 1's header carries InitChain's app hash
    finalize([]);
  };

  const finalize = (txs: Uint8Array[]) => {
    height += 1n;
    const response = app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } }),
    );
    app.commit();
    headers.set(height + 1n, response.appHash);
    return response;
  };

  const pay = (to: TestKey, amount: string) => {
    const tx = signTx({
      key: alice,
      messages: [sendMsg(alice.address, to.address, amount)],
      chainId: CHAIN_ID,
      accountNumber: 0n,
      sequence: sequence++,
    });
    expect(finalize([tx]).txResults[0]!.code).toBe(0);
  };

  const balanceAt = (address: string, at: bigint): ResponseQuery =>
    app.query({
      path: '/cosmos.bank.v1beta1.Query/Balance',
      data: QueryBalanceRequest.encode({ address, denom: 'uain' }).finish(),
      height: at,
      prove: false,
    });

  const amount = (response: ResponseQuery): bigint => {
    expect(response.log).toBe('');
    expect(response.code).toBe(0);
    return BigInt(QueryBalanceResponse.decode(response.value).balance!.amount);
  };

  const raw = (path: string, at: bigint, prove = true) =>
    app.query({ path: STORE_KEY_QUERY, data: Buffer.from(path, 'utf8'), height: at, prove });

  /** The value and proof of a raw store query, checked against the header that commits height `at`. */
  const expectProvedAt = (path: string, at: bigint, expected: StateValue | undefined) => {
    const response = raw(path, at);
    expect(response.code).toBe(0);
    expect(response.height).toBe(at);
    expect(Buffer.from(response.key).toString('utf8')).toBe(path);
    const value = response.value.length === 0 ? undefined : decodeValue(response.value);
    expect(value).toBe(expected);
    const [op] = response.proofOps!.ops;
    expect(op!.type).toBe(PROOF_OP_TYPE);
    expect(Buffer.from(op!.key).toString('utf8')).toBe(path);
    // State after block `at` is committed to by the header of block at + 1 ...
    expect(verifyProof(headers.get(at + 1n)!, path, value, op!.data)).toBe(true);
    // ... and not by the header of block `at` (the state before it) when the block changed anything.
    if (!Buffer.from(headers.get(at + 1n)!).equals(Buffer.from(headers.get(at)!))) {
      expect(verifyProof(headers.get(at)!, path, value, op!.data)).toBe(false);
    }
    return value;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ain-query-'));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers balances at older heights with the old values; height 0 is the latest', () => {
    open(100);
    pay(carol, '250'); // height 2
    pay(carol, '50'); // height 3
    pay(bob, '1'); // height 4
    expect(amount(balanceAt(carol.address, 1n))).toBe(0n);
    expect(amount(balanceAt(carol.address, 2n))).toBe(250n);
    expect(amount(balanceAt(carol.address, 3n))).toBe(300n);
    expect(amount(balanceAt(carol.address, 4n))).toBe(300n);
    expect(amount(balanceAt(bob.address, 3n))).toBe(10_000n);
    expect(amount(balanceAt(bob.address, 0n))).toBe(10_001n);
    expect(balanceAt(carol.address, 2n).height).toBe(2n);
    expect(balanceAt(carol.address, 0n).height).toBe(4n);
  });

  it('refuses heights it does not keep, naming the oldest kept height', () => {
    open(3);
    for (let i = 0; i < 5; i++) pay(carol, '1'); // heights 2..6; kept: 4, 5, 6
    expect(amount(balanceAt(carol.address, 4n))).toBe(3n);
    const old = balanceAt(carol.address, 3n);
    expect({ code: old.code, codespace: old.codespace }).toEqual({ code: 15, codespace: 'store' });
    expect(old.log).toContain('oldest retained height 4');
    const future = balanceAt(carol.address, 7n);
    expect(future.codespace).toBe('store');
    expect(future.log).toMatch(/above the latest height/);
    expect(balanceAt(carol.address, -1n).code).not.toBe(0);
  });

  it('proves raw store keys at H and H - 1 against the headers of H + 1 and H, values and absences', () => {
    open(100);
    pay(bob, '5'); // height 2
    pay(carol, '250'); // height 3: carol's balance appears
    const h = height;
    const carolPath = balancePath(carol.address, 'uain');
    const bobPath = balancePath(bob.address, 'uain');
    expect(expectProvedAt(carolPath, h, '250')).toBe('250');
    expect(expectProvedAt(carolPath, h - 1n, undefined)).toBeUndefined(); // absent one block earlier
    expect(expectProvedAt(bobPath, h, '10005')).toBe('10005');
    expect(expectProvedAt(bobPath, h - 1n, '10005')).toBe('10005');
    expect(expectProvedAt(bobPath, h - 2n, '10000')).toBe('10000');
    expect(expectProvedAt('/nothing/here', h, undefined)).toBeUndefined();
    expect(expectProvedAt('/nothing/here', h - 1n, undefined)).toBeUndefined();
    // Latest height (0) proves against the newest header too; no proof unless asked.
    const latest = raw(carolPath, 0n);
    expect(latest.height).toBe(h);
    expect(verifyProof(headers.get(h + 1n)!, carolPath, '250', latest.proofOps!.ops[0]!.data)).toBe(true);
    expect(raw(carolPath, 0n, false).proofOps).toBeUndefined();
    expect(raw('bad//path', 0n).codespace).toBe('store');
  });

  it('adds the proof of the requested path to the state module Get answer (proofOps and QueryGetResponse.proof)', () => {
    open(100);
    pay(carol, '250'); // height 2
    pay(carol, '1'); // height 3
    const path = balancePath(carol.address, 'uain');
    for (const [at, expected, prove] of [
      [2n, '250', true],
      [3n, '251', true],
      [2n, '250', false],
    ] as const) {
      const response = app.query({
        path: STATE_GET_QUERY,
        data: QueryGetRequest.encode({ path, kind: 0, depth: 0, prove }).finish(),
        height: at,
        prove: true,
      });
      expect(response.code).toBe(0);
      expect(response.height).toBe(at);
      const answer = QueryGetResponse.decode(response.value);
      expect(JSON.parse(answer.value)).toBe(expected);
      if (prove) expect(answer.height).toBe(at); // set by the app when it adds the proof
      const [op] = response.proofOps!.ops;
      expect(op!.type).toBe(PROOF_OP_TYPE);
      expect(Buffer.from(op!.key).toString('utf8')).toBe(path);
      expect(Buffer.from(answer.proof).equals(Buffer.from(op!.data))).toBe(true);
      expect(verifyProof(headers.get(at + 1n)!, path, expected, answer.proof)).toBe(true);
    }
    const absent = app.query({
      path: STATE_GET_QUERY,
      data: QueryGetRequest.encode({ path: '/apps/none', kind: 0, depth: 0, prove: true }).finish(),
      height: 2n,
      prove: false,
    });
    expect(verifyProof(headers.get(3n)!, '/apps/none', undefined, QueryGetResponse.decode(absent.value).proof)).toBe(true);
    const unproved = app.query({
      path: STATE_GET_QUERY,
      data: QueryGetRequest.encode({ path, kind: 0, depth: 0, prove: false }).finish(),
      height: 0n,
      prove: false,
    });
    expect(unproved.proofOps).toBeUndefined();
    expect(QueryGetResponse.decode(unproved.value).proof).toHaveLength(0);
  });

  it('refuses request data that does not decode on every route with sdk/18 naming the request type', () => {
    open(100);
    // A field tag whose varint never ends: every request type's decoder stops short.
    const truncated = Uint8Array.from([0x80]);
    const paths = [...app.modules.modules.flatMap((m) => m.queries.map((q) => q.path)), '/cosmos.tx.v1beta1.Service/Simulate'];
    let refused = 0;
    for (const path of paths) {
      const response = app.query({ path, data: truncated, height: 0n, prove: false });
      // A query that takes no request (Params, CurrentPlan, Parent) answers as it does to no data.
      const unasked = app.query({ path, data: new Uint8Array(), height: 0n, prove: false });
      if (response.code === unasked.code && response.log === unasked.log) continue;
      refused++;
      expect(`${response.codespace}/${response.code}`, path).toBe('sdk/18');
      expect(response.log, path).toMatch(/^query data is not a valid [a-z0-9.]+\.\w+Request \(.+\): invalid request$/);
    }
    expect(refused).toBeGreaterThan(90);
  });
});
