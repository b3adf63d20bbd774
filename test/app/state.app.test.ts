/**
 * The state module through the whole app, in process: signed txs through CheckTx, FinalizeBlock and
 * Commit, and ABCI queries, on a temporary lmdb store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType, RequestFinalizeBlock, RequestInitChain, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signTx, testKey, type TestKey, anyOf } from '../helpers/tx.ts';
import { AinApplication } from '../../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../../app/genesis.ts';
import {
  Kind,
  QueryEvalRuleRequest,
  QueryEvalRuleResponse,
  QueryGetRequest,
  QueryGetResponse,
  QueryMatchRuleRequest,
  QueryMatchRuleResponse,
} from '../../proto/gen/ain/state/v1/query.ts';
import {
  MsgBatch,
  MsgCreateApp,
  MsgIncValue,
  MsgDecValue,
  MsgSetOwner,
  MsgSetRule,
  MsgSetValue,
  type Op,
} from '../../proto/gen/ain/state/v1/tx.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';

const CHAIN_ID = 'ain-state-test-1';
const alice = testKey('alice');
const bob = testKey('bob');
const carol = testKey('carol');
const KEYS = [alice, bob, carol];

describe('state module in the app, in process', () => {
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
    return response;
  };

  /** Signs, checks and delivers one tx in its own block; the sequence advances as the chain's does. */
  const send = (key: TestKey, messages: Any[], gasLimit = 400_000n): ExecTxResult => {
    const sequence = sequences.get(key)!;
    const tx = signTx({
      key,
      messages,
      chainId: CHAIN_ID,
      accountNumber: BigInt(KEYS.indexOf(key)),
      sequence,
      gasLimit,
      fee: [{ denom: 'uain', amount: String((gasLimit * 25n) / 1000n) }],
    });
    const check = app.checkTx({ tx, type: CheckTxType.NEW });
    const result = finalize([tx]).txResults[0]!;
    if (check.code === 0 || result.code !== 0) sequences.set(key, sequence + 1n);
    return result;
  };

  const query = (path: string, data: Uint8Array) => {
    const response = app.query({ path, data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return response.value;
  };
  const get = (path: string, kind = Kind.KIND_VALUE, depth = 0): unknown =>
    JSON.parse(
      QueryGetResponse.decode(
        query('/ain.state.v1.Query/Get', QueryGetRequest.encode(QueryGetRequest.fromPartial({ path, kind, depth })).finish()),
      ).value,
    );

  const setValue = (key: TestKey, path: string, value: unknown) =>
    anyOf(MsgSetValue, { signer: key.address, path, value: JSON.stringify(value) });
  const post = (user: TestKey) => `/apps/blog/posts/${user.address}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ain-state-'));
    store = openCommittedState(join(dir, 'app.lmdb'));
    app = new AinApplication(store);
    let state = defaultAppState();
    for (const key of KEYS) state = addGenesisAccount(state, key.address, [{ denom: 'uain', amount: 1_000_000_000n }]);
    state = { ...state, state: { apps: [{ name: 'genesis_app', admins: [bob.address], public: true }] } };
    app.initChain(
      RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(state)) }),
    );
    height = 0n;
    finalize([]);
    sequences = new Map(KEYS.map((key) => [key, 0n]));
    // Alice creates the blog; its posts rule lets only the author write /apps/blog/posts/$user/...
    const created = send(alice, [
      anyOf(MsgCreateApp, { signer: alice.address, name: 'blog', admins: [alice.address], public: false }),
      anyOf(MsgSetRule, { signer: alice.address, path: '/apps/blog/posts/$user', rule: JSON.stringify({ write: 'auth.addr == $user' }) }),
    ]);
    expect(created.log).toBe('');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates genesis apps and apps by message', () => {
    expect(get('/manage_app/genesis_app/config')).toEqual({ admin: { [bob.address]: true }, creator: bob.address, public: true });
    expect(get('/apps/genesis_app', Kind.KIND_RULE)).toEqual({ write: 'true' });
    expect(get('/apps/blog', Kind.KIND_RULE)).toEqual({ write: "isAppAdmin('blog', auth.addr)" });
    expect(get('/apps/blog/posts/$user', Kind.KIND_RULE)).toEqual({ write: 'auth.addr == $user' });
    expect(Object.keys((get('/apps/blog', Kind.KIND_OWNER) as { owners: object }).owners)).toEqual([alice.address]);
    const again = send(carol, [anyOf(MsgCreateApp, { signer: carol.address, name: 'blog', admins: [carol.address], public: true })]);
    expect([again.codespace, again.code]).toEqual(['state', 12]);
  });

  it('lets only the author write their posts; others are refused with the rule path named', () => {
    const written = send(bob, [setValue(bob, `${post(bob)}/p1`, { title: 'Hello', body: 'first post' })]);
    expect(written.code).toBe(0);
    const event = written.events.find((e) => e.type === 'ain.state.v1.EventValueWritten')!;
    expect(event.attributes).toEqual([
      { key: 'path', value: `${post(bob)}/p1`, index: true },
      { key: 'writer', value: bob.address, index: true },
      { key: 'op', value: 'set_value', index: true },
      { key: 'msg_index', value: '0', index: true },
    ]);
    const refused = send(carol, [setValue(carol, `${post(bob)}/p1/title`, 'defaced')]);
    expect([refused.codespace, refused.code]).toEqual(['state', 4]);
    expect(refused.log).toContain('write refused by rule at /apps/blog/posts/$user: `auth.addr == $user` is false');
    expect(get(`${post(bob)}/p1`)).toEqual({ body: 'first post', title: 'Hello' });
    // Alice is the app's admin, but the deeper posts rule decides her writes there too.
    expect(send(alice, [setValue(alice, `${post(bob)}/p2`, 'x')]).code).toBe(4);
  });

  it('refuses owner and rule changes by non-owners, naming the owner config and permission', () => {
    const owner = send(bob, [
      anyOf(MsgSetOwner, {
        signer: bob.address,
        path: '/apps/blog',
        owner: JSON.stringify({
          owners: { [bob.address]: { branch_owner: true, write_function: true, write_owner: true, write_rule: true } },
        }),
      }),
    ]);
    expect([owner.codespace, owner.code]).toEqual(['state', 7]);
    expect(owner.log).toContain(`owner config at /apps/blog does not give ${bob.address} write_owner`);
    const branch = send(bob, [
      anyOf(MsgSetOwner, {
        signer: bob.address,
        path: '/apps/blog/mine',
        owner: JSON.stringify({ owners: { '*': { branch_owner: true, write_function: true, write_owner: true, write_rule: true } } }),
      }),
    ]);
    expect(branch.log).toContain('branch_owner');
    const rule = send(bob, [
      anyOf(MsgSetRule, { signer: bob.address, path: '/apps/blog/posts/$user', rule: JSON.stringify({ write: 'true' }) }),
    ]);
    expect(rule.log).toContain(`owner config at /apps/blog does not give ${bob.address} write_rule`);
    expect(get('/apps/blog/posts/$user', Kind.KIND_RULE)).toEqual({ write: 'auth.addr == $user' });
  });

  it('applies a batch all or nothing, later ops seeing earlier writes', () => {
    const batch = (ops: Op[]) => anyOf(MsgBatch, { signer: alice.address, ops });
    const failed = send(alice, [
      batch([
        { op: { $case: 'setValue', value: { path: '/apps/blog/title', value: '"My blog"' } } },
        { op: { $case: 'incValue', value: { path: '/apps/blog/count', delta: '5' } } },
        { op: { $case: 'setValue', value: { path: `${post(bob)}/p1`, value: '"not mine"' } } },
      ]),
    ]);
    expect([failed.codespace, failed.code]).toEqual(['state', 4]);
    expect(failed.log).toMatch(/^ops\[2\] \(set_value\): write refused by rule at \/apps\/blog\/posts\/\$user/);
    expect(get('/apps/blog')).toBeNull();
    const ok = send(alice, [
      batch([
        { op: { $case: 'setValue', value: { path: '/apps/blog/count', value: '1' } } },
        { op: { $case: 'incValue', value: { path: '/apps/blog/count', delta: '2' } } },
        { op: { $case: 'setRule', value: { path: '/apps/blog/count', rule: JSON.stringify({ write: 'newData > data' }) } } },
        { op: { $case: 'decValue', value: { path: '/apps/blog/count', delta: '-10' } } },
      ]),
    ]);
    expect(ok.log).toBe('');
    expect(get('/apps/blog/count')).toBe(13);
    expect(ok.events.filter((e) => e.type === 'ain.state.v1.EventValueWritten').map((e) => e.attributes[2]!.value)).toEqual([
      'set_value',
      'inc_value',
      'dec_value',
    ]);
    expect(send(alice, [anyOf(MsgDecValue, { signer: alice.address, path: '/apps/blog/count', delta: '1' })]).code).toBe(4);
    expect(send(alice, [anyOf(MsgIncValue, { signer: alice.address, path: '/apps/blog/count', delta: '0.5' })]).code).toBe(11);
  });

  it('writes objects and reads them deep and shallow', () => {
    expect(send(bob, [setValue(bob, post(bob), { p1: { title: 'A', tags: { ai: true } }, p2: { title: 'B', n: 2 } })]).code).toBe(0);
    expect(get(post(bob))).toEqual({ p1: { tags: { ai: true }, title: 'A' }, p2: { n: 2, title: 'B' } });
    expect(get(post(bob), Kind.KIND_VALUE, 1)).toEqual({ p1: true, p2: true });
    expect(get(`${post(bob)}/p2`, Kind.KIND_VALUE, 1)).toEqual({ n: 2, title: 'B' });
    expect(get(`${post(bob)}/p1/title`)).toBe('A');
    expect(send(bob, [setValue(bob, `${post(bob)}/p1`, 'replaced')]).code).toBe(0);
    expect(get(post(bob), Kind.KIND_VALUE, 1)).toEqual({ p1: 'replaced', p2: true });
    const response = QueryGetResponse.decode(
      query('/ain.state.v1.Query/Get', QueryGetRequest.encode(QueryGetRequest.fromPartial({ path: post(bob) })).finish()),
    );
    expect(response.height).toBe(height);
    expect(response.proof.length).toBe(0);
  });

  it('refuses malformed messages in CheckTx with named fields', () => {
    const cases: Array<[Any, string, number, string]> = [
      [anyOf(MsgSetValue, { signer: alice.address, path: '/apps/blog/x', value: '{"a":' }), 'state', 1, 'value is not JSON'],
      [anyOf(MsgSetValue, { signer: alice.address, path: '/apps/blog/x', value: '[1]' }), 'state', 1, 'arrays are not stored'],
      [anyOf(MsgSetValue, { signer: alice.address, path: '/accounts/x', value: '1' }), 'sdk', 4, '/apps/<app>/...'],
      [
        anyOf(MsgSetRule, { signer: alice.address, path: '/apps/blog/x', rule: JSON.stringify({ write: 'auth.addr ==' }) }),
        'rules',
        1,
        '1:13',
      ],
      [anyOf(MsgBatch, { signer: alice.address, ops: [] }), 'state', 14, '1 to 50 ops'],
      [anyOf(MsgCreateApp, { signer: alice.address, name: 'Bad-Name', admins: [alice.address] }), 'state', 13, 'must match'],
    ];
    for (const [message, codespace, code, text] of cases) {
      const tx = signTx({ key: alice, messages: [message], chainId: CHAIN_ID, accountNumber: 0n, sequence: sequences.get(alice)! });
      const check = app.checkTx({ tx, type: CheckTxType.NEW });
      expect({ text, codespace: check.codespace, code: check.code }).toEqual({ text, codespace, code });
      expect(check.log).toContain(text);
    }
  });

  it('answers EvalRule and MatchRule dry runs', () => {
    const evalRule = (address: string, path: string, value: unknown) =>
      QueryEvalRuleResponse.decode(
        query(
          '/ain.state.v1.Query/EvalRule',
          QueryEvalRuleRequest.encode(QueryEvalRuleRequest.fromPartial({ address, path, value: JSON.stringify(value) })).finish(),
        ),
      );
    const refused = evalRule(carol.address, `${post(bob)}/p1`, 'x');
    expect(refused).toMatchObject({ allowed: false, rulePath: '/apps/blog/posts/$user' });
    expect(refused.reason).toContain('write refused by rule at /apps/blog/posts/$user');
    expect(refused.gasUsed).toBeGreaterThan(0n);
    expect(evalRule(bob.address, `${post(bob)}/p1`, { title: 'ok' })).toMatchObject({
      allowed: true,
      reason: '',
      rulePath: '/apps/blog/posts/$user',
    });
    expect(evalRule(bob.address, '/apps/blog/title', 'x')).toMatchObject({ allowed: false, rulePath: '/apps/blog' });
    expect(evalRule(bob.address, '/apps/nothing/x', 'x').reason).toContain('no write rule');
    expect(get(`${post(bob)}/p1`)).toBeNull(); // a dry run writes nothing
    // `time` is the latest block's, as in CheckTx (ms of whole seconds), not 0.
    const nextBlockMs = (1_700_000_000n + height + 1n) * 1000n;
    const ruled = send(alice, [
      anyOf(MsgSetRule, { signer: alice.address, path: '/apps/blog/stamp', rule: JSON.stringify({ write: `time == ${nextBlockMs}` }) }),
    ]);
    expect(ruled.log).toBe('');
    expect(evalRule(alice.address, '/apps/blog/stamp', 1)).toMatchObject({ allowed: true, reason: '' });

    const match = (path: string) =>
      QueryMatchRuleResponse.decode(query('/ain.state.v1.Query/MatchRule', QueryMatchRuleRequest.encode({ path }).finish()));
    expect(match(`${post(bob)}/p1/title`)).toEqual({
      matchedPath: '/apps/blog/posts/$user',
      rule: '{"write":"auth.addr == $user"}',
      vars: { $user: bob.address },
    });
    expect(match('/apps/blog/about')).toEqual({ matchedPath: '/apps/blog', rule: `{"write":"isAppAdmin('blog', auth.addr)"}`, vars: {} });
    expect(match('/apps/none/x')).toEqual({ matchedPath: '', rule: 'null', vars: {} });
  });
});
