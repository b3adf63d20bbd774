/**
 * The ainft app-test harness: the jobs harness (a real AinApplication on lmdb, signed txs through
 * CheckTx, FinalizeBlock and Commit, the jobs escrow invariants) with the ainft invariants asserted
 * after every block as well:
 * - no dust: the uain supply equals the sum of every account's balance, and the ainft module
 *   account holds nothing (payments go from the payer to the owners directly);
 * - the token indexes agree with the tokens: each token's owner index entry, every owner's balance
 *   counter and every class's supply counter.
 * Plus message builders and query helpers for the module's tx and query services.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { moduleAddress } from '../../core/address.ts';
import { accountSequencePath } from '../../modules/auth/keys.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { sha256Hex } from '../../modules/ainft/provenance.ts';
import * as q from '../../proto/gen/ain/ainft/v1/query.ts';
import {
  MsgApprove,
  MsgBurn,
  MsgCreateClass,
  MsgMint,
  MsgPay,
  MsgRequestRerun,
  MsgRevoke,
  MsgSetApprovalForAll,
  MsgSetComposition,
  MsgSetMinters,
  MsgTransfer,
} from '../../proto/gen/ain/ainft/v1/tx.ts';
import type { Composition, Token } from '../../proto/gen/ain/ainft/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { any, FEE, type JobsHarness, keys, msg as jobsMsg, startJobsApp } from './jobsHarness.fixture.ts';

export const AINFT_ACCOUNT = moduleAddress('ainft');
export type Events = ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>;

export interface AinftHarness extends JobsHarness {
  /** The block's events (tx events are in each result). */
  advanceAll(seconds: bigint): Events;
  /** `/ain.ainft.v1.Query/<method>`. */
  ainft<T>(method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T;
  /** `/cosmos.nft.v1beta1.Query/<method>`. */
  nft<T>(method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T;
  /** The failing query's codespace/code and log. */
  queryFailure(path: string, request: Uint8Array): { code: string; log: string };
  token(classId: string, id: string): Token;
  /** Leaves of `/ainft`, `/owners`, `/jobs` and every test key's balance: what a refused tx must leave alone. */
  snapshot(): Map<string, unknown>;
}

function checkAinftInvariants(h: JobsHarness): void {
  const bank = h.app.keeper<BankKeeper>('bank');
  const balances = h.store.list('/accounts', 10_000_000).filter(([path]) => path.endsWith('/balance/uain'));
  const sum = balances.reduce((total, [, value]) => total + BigInt(value as string), 0n);
  expect(sum).toBe(bank.getSupply(h.store, 'uain'));
  expect(bank.getBalance(h.store, AINFT_ACCOUNT, 'uain')).toBe(0n);
  const owned = new Map<string, number>();
  const supply = new Map<string, number>();
  for (const [path, text] of h.store.list('/ainft/tokens', 10_000_000)) {
    const token = JSON.parse(text as string) as { classId: string; id: string; owner: string };
    expect(path).toBe(`/ainft/tokens/${token.classId}/${token.id}`);
    expect(h.store.get(`/ainft/owners/${token.owner}/${token.classId}/${token.id}`)).toBe(true);
    owned.set(`${token.owner}/${token.classId}`, (owned.get(`${token.owner}/${token.classId}`) ?? 0) + 1);
    supply.set(token.classId, (supply.get(token.classId) ?? 0) + 1);
  }
  expect(h.store.list('/ainft/owners', 10_000_000).length).toBe([...owned.values()].reduce((a, b) => a + b, 0));
  const counters = (root: string) => new Map(h.store.list(root, 10_000_000).map(([path, v]) => [path.slice(root.length + 1), Number(v)]));
  expect(counters('/ainft/balances')).toEqual(owned);
  expect(counters('/ainft/supply')).toEqual(supply);
}

/** The jobs harness with the ainft invariants checked after every block (arguments as `startJobsApp`'s). */
export function startAinftApp(...args: Parameters<typeof startJobsApp>): AinftHarness {
  const inner = startJobsApp(...args);
  const block: JobsHarness['block'] = (txs, seconds) => {
    const result = inner.block(txs, seconds);
    checkAinftInvariants(inner);
    return result;
  };
  const query = <T>(path: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T => {
    const response = inner.app.query({ path, data: request, height: 0n, prove: false });
    expect(response.log).toBe('');
    return decode(response.value);
  };
  const ainft = <T>(method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T) =>
    query(`/ain.ainft.v1.Query/${method}`, request, decode);
  checkAinftInvariants(inner);
  return {
    ...inner,
    block,
    send: (key, messages, seconds = 1n) => block([[key, messages]], seconds).results[0]!,
    advance(seconds) {
      return (block([], seconds) as ResponseFinalizeBlock).events
        .filter((e) => e.type.startsWith('ain.jobs.'))
        .map((e) => ({ type: e.type, attributes: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) }));
    },
    advanceAll: (seconds) => block([], seconds).events,
    ainft,
    nft: (method, request, decode) => query(`/cosmos.nft.v1beta1.Query/${method}`, request, decode),
    queryFailure(path, request) {
      const response = inner.app.query({ path, data: request, height: 0n, prove: false });
      return { code: `${response.codespace}/${response.code}`, log: response.log };
    },
    token: (classId, id) => ainft('Token', q.QueryTokenRequest.encode({ classId, id }).finish(), q.QueryTokenResponse.decode).token!,
    snapshot() {
      const leaves = new Map<string, unknown>();
      for (const root of ['/ainft', '/owners', '/jobs'])
        for (const [path, value] of inner.store.list(root, 10_000_000)) leaves.set(path, value);
      for (const key of Object.values(keys)) leaves.set(`balance ${key.address}`, inner.balance(key.address));
      return leaves;
    },
  };
}

/**
 * A refused tx: its code, and nothing changed but the signer's fee. A message refused by its stateless
 * checks fails before the ante handler, as in the SDK: not even a fee is taken (nor a sequence used).
 */
export function expectRefused(h: AinftHarness, key: TestKey, messages: readonly Any[], code: string, log?: RegExp): ExecTxResult {
  const before = h.snapshot();
  const sequence = () => h.get(accountSequencePath(key.address));
  const sequenceBefore = sequence();
  const result = h.send(key, messages);
  expect(`${result.codespace}/${result.code}`, result.log).toBe(code);
  if (log) expect(result.log).toMatch(log);
  const after = h.snapshot();
  if (sequence() !== sequenceBefore) before.set(`balance ${key.address}`, (before.get(`balance ${key.address}`) as bigint) - FEE);
  expect(after).toEqual(before);
  return result;
}

export const ok = (result: ExecTxResult): ExecTxResult => {
  expect(result.log, result.log).toBe('');
  expect(result.code).toBe(0);
  return result;
};

// ---- message builders ----

export const nftMsg = {
  createClass: (key: TestKey, id: string, minters: readonly TestKey[] = [], fields: Partial<MsgCreateClass> = {}) =>
    any(MsgCreateClass, {
      signer: key.address,
      id,
      name: `${id} collection`,
      symbol: 'AINFT',
      minters: minters.map((k) => k.address),
      ...fields,
    }),
  setMinters: (key: TestKey, classId: string, minters: readonly TestKey[]) =>
    any(MsgSetMinters, { signer: key.address, classId, minters: minters.map((k) => k.address) }),
  mint: (
    key: TestKey,
    classId: string,
    id: string,
    fields: { metadata?: object; composition?: object; fromJob?: bigint; owner?: string; reproduce?: object } = {},
  ) => any(MsgMint, { signer: key.address, classId, id, ...fields }),
  transfer: (key: TestKey, classId: string, id: string, receiver: string) =>
    any(MsgTransfer, { signer: key.address, classId, id, receiver }),
  approve: (key: TestKey, classId: string, id: string, spender: TestKey) =>
    any(MsgApprove, { signer: key.address, classId, id, spender: spender.address }),
  approveAll: (key: TestKey, operator: TestKey, approved = true) =>
    any(MsgSetApprovalForAll, { signer: key.address, operator: operator.address, approved }),
  revoke: (key: TestKey, classId: string, id: string) => any(MsgRevoke, { signer: key.address, classId, id }),
  burn: (key: TestKey, classId: string, id: string) => any(MsgBurn, { signer: key.address, classId, id }),
  compose: (key: TestKey, classId: string, id: string, composition: object) =>
    any(MsgSetComposition, { signer: key.address, classId, id, composition }),
  rerun: (key: TestKey, classId: string, id: string, fields: Partial<MsgRequestRerun> = {}) =>
    any(MsgRequestRerun, {
      signer: key.address,
      classId,
      id,
      workerReward: '10',
      evaluatorReward: '10',
      evaluatorDeposit: '200',
      timeLimitSeconds: 30n,
      ...fields,
    }),
  pay: (key: TestKey, classId: string, id: string, amount: bigint, kind = 'service') =>
    any(MsgPay, { signer: key.address, classId, id, amount: amount.toString(), kind, memo: 'thanks' }),
};

/** Children as a composition: `[token id, weight]` pairs in one class, the owner's weight first. */
export const composition = (
  classId: string,
  ownerWeight: bigint,
  children: ReadonlyArray<readonly [string, bigint]>,
): Partial<Composition> => ({
  ownerWeight,
  children: children.map(([id, weight]) => ({ classId, id, weight })),
  totalWeight: ownerWeight + children.reduce((sum, [, weight]) => sum + weight, 0n),
});

export const hashOf = sha256Hex;

/**
 * One Calculate Root request through the market, accepted: `client` requests (or `rerun` messages
 * post it), eve evaluates, the workers commit and reveal `outputs`, eve ranks them in that order, the
 * client accepts. Returns the request id.
 */
export function runCalculateRoot(
  h: AinftHarness,
  client: TestKey,
  outputs: ReadonlyArray<readonly [TestKey, string]>,
  post: readonly Any[] = [jobsMsg.request(client, 1n)],
): bigint {
  ok(h.send(client, post));
  const id = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
  ok(h.send(keys.eve, [jobsMsg.acceptAsEvaluator(keys.eve, id)]));
  const committed = h.block(outputs.map(([w, output]) => [w, [jobsMsg.join(w, id), jobsMsg.submit(w, id, output)]] as const));
  for (const result of committed.results) ok(result);
  h.advance(31n);
  for (const result of h.block(outputs.map(([w, output]) => [w, [jobsMsg.reveal(w, id, output)]] as const)).results) ok(result);
  h.advance(21n);
  ok(
    h.send(keys.eve, [
      jobsMsg.rank(
        keys.eve,
        id,
        outputs.map(([w]) => w),
      ),
    ]),
  );
  ok(h.send(client, [jobsMsg.acceptResult(client, id)]));
  return id;
}

export { keys, jobsMsg, q };
