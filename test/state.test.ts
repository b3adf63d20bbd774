/**
 * The state tree as a dApp and a developer meet it: a real node, driven through the client library
 * (client/) and through the `aind` CLI. Apps, write rules on `$user` paths, refusals naming the rule,
 * owner changes by non-owners, atomic batches, deep and shallow reads, eval-rule dry runs, and Merkle
 * proofs of presence and absence checked against app hashes from CometBFT block headers (also at an
 * older height when the node keeps it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey } from '../home/index.ts';
import { type AinClient, connectAin, type OwnerPermissions, QueryError, TxError, verifyStateProof } from '../client/index.ts';
import { runAind } from './helpers/cli.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';

/** A complete off-chain function config (modules/triggers/README.md), fired by writes under posts/$user. */
const notifyFunction = (app: string) => ({
  function_type: 'OFFCHAIN',
  function_id: 'notify',
  runtime: 'node',
  code_hash: 'a'.repeat(64),
  resources: { cpu: 1, memory_mb: 128, gpus: 0, gpu_memory_mb: 0 },
  timeout_blocks: 5,
  price: '100',
  output_path: `/apps/${app}/notified/$user`,
  executors: 'any',
});

const ALL: OwnerPermissions = { branch_owner: true, write_function: true, write_owner: true, write_rule: true };
const NONE: OwnerPermissions = { branch_owner: false, write_function: false, write_owner: false, write_rule: false };
/** An explicit fee: no simulation, so a refusal comes from CheckTx. */
const FIXED_FEE = { amount: [{ denom: 'uain', amount: '20000' }], gas: '800000' };

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<TxError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(
      `expected a refusal, got ${JSON.stringify(outcome.value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  expect(outcome.error).toBeInstanceOf(TxError);
  return outcome.error as TxError;
}

/** True for the node's answer to a height it no longer (or never) keeps. */
function notRetained(error: unknown): boolean {
  return error instanceof QueryError && ((error.codespace === 'store' && error.code === 15) || /not retained/i.test(error.log));
}

async function signingClient(node: TestNode, account: TestAccount): Promise<AinClient> {
  return connectAin({
    rpcUrl: node.rpcUrl,
    signer: await DirectSecp256k1Wallet.fromKey(account.privkey, 'ain'),
    chainId: node.chainId,
    broadcastPollIntervalMs: 200,
  });
}

describe('the state tree through the client and the CLI', () => {
  let node: TestNode;
  let author: AinClient;
  let other: AinClient;
  let reader: AinClient;
  let authorAddress: string;
  let otherAddress: string;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 2 });
    author = await signingClient(node, node.accounts[0]!);
    other = await signingClient(node, node.accounts[1]!);
    reader = await connectAin({ rpcUrl: node.rpcUrl });
    authorAddress = author.address!;
    otherAddress = other.address!;
  });

  afterAll(async () => {
    for (const client of [author, other, reader]) client?.disconnect();
    await node?.stop();
  });

  describe('through the client', () => {
    const app = 'chat';
    const posts = `/apps/${app}/posts`;
    const mine = () => `${posts}/${authorAddress}/1`;

    it('creates an app and a rule that lets only the author write under posts/$user', async () => {
      expect((await author.createApp(app, { admins: [authorAddress] })).code).toBe(0);
      expect((await reader.ref(`/apps/${app}`).getOwner()).value).toEqual({ owners: { [authorAddress]: ALL } });

      expect((await author.ref(`${posts}/$user`).setRule({ write: 'auth.addr == $user' })).code).toBe(0);
      expect((await reader.ref(`${posts}/$user`).getRule()).value).toEqual({ write: 'auth.addr == $user' });
      expect(await reader.ref(mine()).matchRule()).toMatchObject({
        matchedPath: `${posts}/$user`,
        rule: { write: 'auth.addr == $user' },
        vars: { $user: authorAddress },
      });
    });

    it("lets the author write and refuses another account's write there, naming the rule", async () => {
      const post = author.ref(mine());
      await post.setValue({ text: 'hello', likes: 0 });
      await post.child('likes').incValue(5);
      await post.child('likes').decValue(2n);
      expect((await reader.ref(mine()).get()).value).toEqual({ likes: 3, text: 'hello' });

      // fee 'auto': the simulation refuses, so nothing is signed.
      const simulated = await rejection(other.ref(mine()).setValue({ text: 'spam' }));
      expect(simulated).toMatchObject({ codespace: 'state', code: 4, stage: 'simulate' });
      expect(simulated.log).toContain(`rule at ${posts}/$user`);
      // An explicit fee skips the simulation: CheckTx refuses the signed tx.
      const checked = await rejection(other.ref(mine()).setValue({ text: 'spam' }, { fee: FIXED_FEE }));
      expect(checked).toMatchObject({ codespace: 'state', code: 4, stage: 'check' });
      expect(checked.txhash).toMatch(/^[0-9A-F]{64}$/);
      expect(checked.log).toContain(`${posts}/$user`);
      expect((await reader.ref(mine()).get()).value).toEqual({ likes: 3, text: 'hello' });

      // The same rule lets the other account write under its own label.
      expect((await other.ref(`${posts}/${otherAddress}/1`).setValue({ text: 'mine' })).code).toBe(0);
    });

    it('explains a refusal in an eval-rule dry run', async () => {
      const refused = await reader.ref(mine()).evalRule({ text: 'spam' }, otherAddress);
      expect(refused.allowed).toBe(false);
      expect(refused.rulePath).toBe(`${posts}/$user`);
      expect(refused.reason).toContain(`${posts}/$user`);
      expect(refused.reason).toContain(otherAddress);
      const allowed = await reader.ref(mine()).evalRule({ text: 'edit' }, authorAddress);
      expect(allowed).toMatchObject({ allowed: true, reason: '', rulePath: `${posts}/$user` });
      expect((await reader.ref(mine()).get()).value).toEqual({ likes: 3, text: 'hello' });
    });

    it('refuses owner and rule changes by non-owners, and lets an owner delegate', async () => {
      const grab = await rejection(other.ref(`/apps/${app}`).setOwner({ owners: { [otherAddress]: ALL } }));
      expect(grab).toMatchObject({ codespace: 'state', code: 7 });
      expect(grab.log).toContain('write_owner');
      expect(await rejection(other.ref(`${posts}/${otherAddress}`).setOwner({ owners: { [otherAddress]: ALL } }))).toMatchObject({
        codespace: 'state',
        code: 7,
      });
      expect(await rejection(other.ref(`${posts}/$user`).setRule({ write: 'true' }))).toMatchObject({ codespace: 'state', code: 7 });
      expect(await rejection(other.ref(`${posts}/$user`).setRule(null, { fee: FIXED_FEE }))).toMatchObject({
        codespace: 'state',
        code: 7,
        stage: 'check',
      });
      expect((await reader.ref(`/apps/${app}`).getOwner()).value).toEqual({ owners: { [authorAddress]: ALL } });
      expect((await reader.ref(`${posts}/$user`).getRule()).value).toEqual({ write: 'auth.addr == $user' });

      // The owner gives `other` write_rule on /apps/chat/mods only.
      await author.ref(`/apps/${app}/mods`).setOwner({ owners: { [authorAddress]: ALL, [otherAddress]: { ...NONE, write_rule: true } } });
      expect((await other.ref(`/apps/${app}/mods`).setRule({ write: 'true' })).code).toBe(0);
      expect(await rejection(other.ref(`/apps/${app}/mods`).setOwner({ owners: { [otherAddress]: ALL } }))).toMatchObject({
        codespace: 'state',
        code: 7,
      });
    });

    it('applies a batch all or nothing', async () => {
      const base = `${posts}/${otherAddress}`;
      await other.batch([
        { type: 'setValue', path: `${base}/2`, value: 'two' },
        { type: 'incValue', path: `${base}/count`, delta: 1 },
      ]);
      expect((await reader.ref(base).get()).value).toEqual({ 1: { text: 'mine' }, 2: 'two', count: 1 });

      const ops = [
        { type: 'setValue', path: `${base}/3`, value: 'three' },
        { type: 'incValue', path: `${base}/count`, delta: 10 },
        { type: 'setValue', path: `${mine()}/hack`, value: 'x' }, // refused: the author's post
        { type: 'setValue', path: `${base}/4`, value: 'four' },
      ] as const;
      for (const options of [{}, { fee: FIXED_FEE }]) {
        const refused = await rejection(other.batch(ops, options));
        expect(refused).toMatchObject({ codespace: 'state', code: 4 });
        expect(refused.log).toContain(`${posts}/$user`);
      }
      expect((await reader.ref(base).get()).value).toEqual({ 1: { text: 'mine' }, 2: 'two', count: 1 });
      expect((await reader.ref(`${mine()}/hack`).get()).value).toBeNull();
    });

    it('reads deep and shallow', async () => {
      const deep = (await reader.ref(posts).get()).value;
      expect(deep).toEqual({
        [authorAddress]: { 1: { likes: 3, text: 'hello' } },
        [otherAddress]: { 1: { text: 'mine' }, 2: 'two', count: 1 },
      });
      expect((await reader.ref(posts).get({ depth: 1 })).value).toEqual({ [authorAddress]: true, [otherAddress]: true });
      expect((await reader.ref(`${posts}/${otherAddress}`).get({ depth: 1 })).value).toEqual({ 1: true, 2: 'two', count: 1 });
      expect((await reader.ref(`${posts}/nobody`).get()).value).toBeNull();
    });

    it('proves presence and absence against app hashes from block headers', async () => {
      const present = await reader.ref(`${mine()}/text`).prove();
      expect(present.value).toBe('hello');
      expect(await present.verify()).toBe(true);
      // The same check by hand: the app hash of block height + 1, from its header.
      const { header } = await reader.cometClient.commit(present.height + 1);
      const check = (value: Parameters<typeof verifyStateProof>[0]['value'], proof = present.proof, path = present.path) =>
        verifyStateProof({ appHash: header.appHash, path, value, proof });
      expect(check('hello')).toBe(true);
      expect(check('hellO')).toBe(false);
      expect(check(null)).toBe(false);
      expect(
        check(
          'hello',
          present.proof.map((b, i) => (i === present.proof.length - 1 ? b ^ 1 : b)),
        ),
      ).toBe(false);

      const count = await reader.ref(`${posts}/${otherAddress}/count`).prove();
      expect(count.value).toBe(1);
      expect(await count.verify()).toBe(true);

      for (const path of [`${mine()}/nothing`, `/apps/no_such_app/x`]) {
        const absent = await reader.ref(path).prove();
        expect(absent.value).toBeNull();
        expect(await absent.verify()).toBe(true);
      }
      // A proof is of one leaf: an object is a subtree and is proven leaf by leaf.
      expect(await (await reader.ref(mine()).prove()).verify()).toBe(false);
    });

    it('proves values and absences at an older height', async (ctx) => {
      const before = await reader.ref(`${mine()}/text`).prove();
      await author.ref(`${mine()}/text`).setValue('edited');
      await author.ref(`${mine()}/later`).setValue(true);
      let old: Awaited<ReturnType<ReturnType<typeof reader.ref>['prove']>>;
      try {
        old = await reader.ref(`${mine()}/text`).prove({ height: before.height });
      } catch (error) {
        if (notRetained(error)) {
          console.warn(`skipped: the node does not keep height ${before.height}: ${(error as QueryError).log}`);
          ctx.skip();
        }
        throw error;
      }
      expect(old).toMatchObject({ value: 'hello', height: before.height });
      expect(await old.verify()).toBe(true);
      expect((await reader.ref(`${mine()}/text`).get({ height: before.height })).value).toBe('hello');
      const latest = await reader.ref(`${mine()}/text`).prove();
      expect(latest.value).toBe('edited');
      expect(latest.height).toBeGreaterThan(before.height);
      expect(await latest.verify()).toBe(true);

      const absentThen = await reader.ref(`${mine()}/later`).prove({ height: before.height });
      expect(absentThen.value).toBeNull();
      expect(await absentThen.verify()).toBe(true);
      expect((await reader.ref(`${mine()}/later`).get()).value).toBe(true);
    });
  });

  describe('through the CLI', () => {
    const app = 'forum';
    const posts = `/apps/${app}/posts`;
    let home: string;
    const post = () => `${posts}/${authorAddress}/1`;

    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), 'aind-state-cli-'));
      await addKey(home, 'author', node.accounts[0]!.mnemonic);
      await addKey(home, 'other', node.accounts[1]!.mnemonic);
    });
    afterAll(() => rmSync(home, { recursive: true, force: true }));

    /** Runs `aind` in a child process. */
    const aind = runAind;
    const txFlags = () => [
      '--home',
      home,
      '--node',
      node.rpcUrl,
      '--chain-id',
      node.chainId,
      '--gas',
      'auto',
      '--gas-adjustment',
      '1.5',
      '--yes',
      '--output',
      'json',
    ];
    /** `aind tx state ...`: the exit code and the TxResponse JSON. */
    async function tx(...args: string[]): Promise<{ exit: number; code: number; codespace: string; raw_log: string; txhash: string }> {
      const run = await aind('tx', 'state', ...args, ...txFlags());
      if (run.stdout.trim() === '') throw new Error(`aind tx state ${args.join(' ')} printed nothing; stderr: ${run.stderr}`);
      return { exit: run.code, ...(JSON.parse(run.stdout) as { code: number; codespace: string; raw_log: string; txhash: string }) };
    }
    /** `aind query state ...`: the parsed JSON output. */
    async function query<T = Record<string, unknown>>(...args: string[]): Promise<T> {
      const run = await aind('query', 'state', ...args, '--node', node.rpcUrl, '--output', 'json');
      if (run.code !== 0) throw new Error(`aind query state ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
      return JSON.parse(run.stdout) as T;
    }

    it('creates an app, sets a rule, writes as the author and is refused for others', async () => {
      expect(await tx('create-app', app, '--admins', 'author', '--from', 'author')).toMatchObject({ exit: 0, code: 0 });
      expect(await tx('set-rule', `${posts}/$user`, '{"write": "auth.addr == $user"}', '--from', 'author')).toMatchObject({
        exit: 0,
        code: 0,
      });
      const written = await tx('set-value', post(), '{"text": "hi"}', '--from', 'author');
      expect(written).toMatchObject({ exit: 0, code: 0 });
      const shown = await aind('query', 'tx', written.txhash, '--node', node.rpcUrl, '--output', 'json');
      expect(JSON.parse(shown.stdout)).toMatchObject({
        tx: {
          body: { messages: [{ '@type': '/ain.state.v1.MsgSetValue', signer: authorAddress, path: post(), value: '{"text": "hi"}' }] },
        },
      });
      expect(await tx('inc-value', `${posts}/${authorAddress}/likes`, '5', '--from', 'author')).toMatchObject({ exit: 0, code: 0 });
      expect(await tx('dec-value', `${posts}/${authorAddress}/likes`, '2', '--from', 'author')).toMatchObject({ exit: 0, code: 0 });

      const refused = await tx('set-value', post(), '{"text": "spam"}', '--from', 'other');
      expect(refused).toMatchObject({ exit: 1, code: 4, codespace: 'state' });
      expect(refused.raw_log).toContain(`${posts}/$user`);
      // --gas given: no simulation, CheckTx refuses the signed tx.
      const atCheck = await aind(
        'tx',
        'state',
        'set-value',
        post(),
        '"spam"',
        '--from',
        'other',
        ...txFlags().slice(0, 6),
        '--gas',
        '800000',
        '--output',
        'json',
      );
      expect(atCheck.code).toBe(1);
      expect(JSON.parse(atCheck.stdout)).toMatchObject({ code: 4, codespace: 'state', txhash: expect.stringMatching(/^[0-9A-F]{64}$/) });

      const grab = await tx('set-owner', `/apps/${app}`, JSON.stringify({ owners: { [otherAddress]: ALL } }), '--from', 'other');
      expect(grab).toMatchObject({ exit: 1, code: 7, codespace: 'state' });
      expect(await tx('set-rule', `${posts}/$user`, '{"write": "true"}', '--from', 'other')).toMatchObject({ exit: 1, code: 7 });
      expect(await tx('set-function', `${posts}/$user`, JSON.stringify(notifyFunction(app)), '--from', 'author')).toMatchObject({
        exit: 0,
        code: 0,
      });
    });

    it('reads deep, shallow, rules, owners and functions', async () => {
      expect(await query('get', posts)).toMatchObject({ value: { [authorAddress]: { 1: { text: 'hi' }, likes: 3 } } });
      expect(await query('get', posts, '--shallow')).toMatchObject({ value: { [authorAddress]: true } });
      expect(await query('get', `${posts}/$user`, '--rule')).toMatchObject({ kind: 'rule', value: { write: 'auth.addr == $user' } });
      expect(await query('get', `/apps/${app}`, '--owner')).toMatchObject({ value: { owners: { [authorAddress]: ALL } } });
      expect(await query('get', `${posts}/$user`, '--function')).toMatchObject({
        value: { function_type: 'OFFCHAIN', function_id: 'notify' },
      });
      expect(await query('match-rule', post())).toMatchObject({ matched_path: `${posts}/$user`, vars: { $user: authorAddress } });
    });

    it('explains a refusal with eval-rule', async () => {
      const refused = await query<{ allowed: boolean; reason: string; rule_path: string }>(
        'eval-rule',
        post(),
        '{"text": "spam"}',
        '--from',
        'other',
        '--home',
        home,
      );
      expect(refused.allowed).toBe(false);
      expect(refused.rule_path).toBe(`${posts}/$user`);
      expect(refused.reason).toContain(`${posts}/$user`);
      expect(await query('eval-rule', post(), '{"text": "edit"}', '--from', authorAddress)).toMatchObject({
        allowed: true,
        address: authorAddress,
      });
    });

    it('prints proofs that verify against the next header, for presence and absence, now and at an older height', async () => {
      type ProofJson = { value: unknown; height: string; proof: string; app_hash: string; app_hash_height: string; verified: boolean };
      const present = await query<ProofJson>('get', `${post()}/text`, '--proof');
      expect(present).toMatchObject({ value: 'hi', verified: true });
      expect(Number(present.app_hash_height)).toBe(Number(present.height) + 1);
      const { header } = await reader.cometClient.commit(Number(present.app_hash_height));
      expect(present.app_hash).toBe(Buffer.from(header.appHash).toString('hex').toUpperCase());
      expect(await query('get', `${post()}/missing`, '--proof')).toMatchObject({ value: null, verified: true });

      expect(await tx('delete-value', post(), '--from', 'author')).toMatchObject({ exit: 0, code: 0 });
      expect(await query('get', post())).toMatchObject({ value: null });
      const gone = await query<ProofJson>('get', `${post()}/text`, '--proof');
      expect(gone).toMatchObject({ value: null, verified: true });

      const old = await aind(
        'query',
        'state',
        'get',
        `${post()}/text`,
        '--proof',
        '--height',
        present.height,
        '--node',
        node.rpcUrl,
        '--output',
        'json',
      );
      if (old.code !== 0 && /not retained|store\/15/.test(old.stderr)) {
        console.warn(`skipped the older-height proof: ${old.stderr.trim()}`);
        return;
      }
      expect(old.code, old.stderr).toBe(0);
      expect(JSON.parse(old.stdout)).toMatchObject({ value: 'hi', height: present.height, verified: true });
    });
  });
});
