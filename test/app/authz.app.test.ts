/**
 * The authz module through the whole app, in process: a grantee sends for its granter within a
 * SendAuthorization (the limit decreases, the grant goes at zero, over the limit or outside the allow
 * list nothing changes), writes a granter's state-tree value under a GenericAuthorization (the rules
 * see the granter as auth.addr), delegates under a StakeAuthorization; expired grants are refused and
 * pruned, revoked ones gone, a MsgExec with one failing message changes nothing, and an exported state
 * with grants restarts with the same app hash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import {
  QueryGranteeGrantsRequest,
  QueryGranteeGrantsResponse,
  QueryGrantsRequest,
  QueryGrantsResponse,
} from 'cosmjs-types/cosmos/authz/v1beta1/query';
import { MsgExec, MsgGrant, MsgRevoke } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthorizationType, StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import { MsgDelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import { QueryGetRequest, QueryGetResponse, Kind } from '../../proto/gen/ain/state/v1/query.ts';
import { MsgCreateApp, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { testKey } from '../helpers/tx.ts';
import { anyOf, attribute, CHAIN_ID, codeOf, DENOM, FEE, PosHarness } from './posHarness.fixture.ts';

const SEND = '/cosmos.bank.v1beta1.MsgSend';
const recipient = testKey('authz-recipient').address;
const other = testKey('authz-other').address;

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });
const grant = (granter: string, grantee: string, authorization: Any, expiration?: bigint) =>
  anyOf(MsgGrant, {
    granter,
    grantee,
    grant: { authorization, ...(expiration === undefined ? {} : { expiration: { seconds: expiration, nanos: 0 } }) },
  });
const sendAuthorization = (limit: bigint, allowList: string[] = []) => ({
  typeUrl: SendAuthorization.typeUrl,
  value: SendAuthorization.encode({ spendLimit: [coin(limit)], allowList }).finish(),
});
const genericAuthorization = (msg: string) => ({
  typeUrl: GenericAuthorization.typeUrl,
  value: GenericAuthorization.encode({ msg }).finish(),
});
const exec = (grantee: string, msgs: Any[]) => anyOf(MsgExec, { grantee, msgs });
const send = (from: string, to: string, amount: bigint) => ({
  typeUrl: SEND,
  value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [coin(amount)] }).finish(),
});

/** The grants from `granter` to `grantee` (all of them), decoded. */
const grants = (granter: string, grantee: string) =>
  h.query(
    '/cosmos.authz.v1beta1.Query/Grants',
    QueryGrantsRequest.encode({ granter, grantee, msgTypeUrl: '' }).finish(),
    QueryGrantsResponse,
  ).grants;
const spendLimit = (granter: string, grantee: string) => {
  const found = grants(granter, grantee).find((g) => g.authorization?.typeUrl === SendAuthorization.typeUrl);
  return found ? SendAuthorization.decode(found.authorization!.value).spendLimit : undefined;
};

describe('authz in the app', () => {
  it('lets a grantee send for the granter within the spend limit, down to zero, and refuses beyond it', () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n] });
    const [granter, grantee] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    const granted = h.ok(granter, [grant(granter.address, grantee.address, sendAuthorization(1000n))]);
    expect(attribute(granted.events, 'cosmos.authz.v1beta1.EventGrant', 'msg_type_url')).toBe(JSON.stringify(SEND));
    const before = h.balance(granter.address);

    const spent = h.ok(grantee, [exec(grantee.address, [send(granter.address, recipient, 400n)])]);
    expect(h.balance(granter.address)).toBe(before - 400n);
    expect(h.balance(recipient)).toBe(400n);
    expect(spendLimit(granter.address, grantee.address)).toEqual([coin(600n)]);
    // The inner send's events carry its index in the MsgExec (the fee's transfer comes first, without).
    const inner = spent.events.filter((e) => e.type === 'transfer' && e.attributes.some((a) => a.key === 'authz_msg_index'));
    expect(inner.map((e) => e.attributes.find((a) => a.key === 'recipient')?.value)).toEqual([recipient]);

    // Over what is left: refused, and nothing but the grantee's fee changes.
    const granteeBefore = h.balance(grantee.address);
    const over = h.send(grantee, [exec(grantee.address, [send(granter.address, recipient, 601n)])]);
    expect(codeOf(over)).toEqual(['sdk', 5]);
    expect(over.log).toContain('is more than the spend limit 600uain');
    expect(h.balance(granter.address)).toBe(before - 400n);
    expect(h.balance(grantee.address)).toBe(granteeBefore - FEE);
    expect(spendLimit(granter.address, grantee.address)).toEqual([coin(600n)]);

    // Exactly the rest: the grant is used up and deleted.
    const last = h.ok(grantee, [exec(grantee.address, [send(granter.address, recipient, 600n)])]);
    expect(attribute(last.events, 'cosmos.authz.v1beta1.EventRevoke', 'granter')).toBe(JSON.stringify(granter.address));
    expect(grants(granter.address, grantee.address)).toEqual([]);
    const none = h.send(grantee, [exec(grantee.address, [send(granter.address, recipient, 1n)])]);
    expect(codeOf(none)).toEqual(['authz', 2]);
    expect(none.log).toContain(`no grant from ${granter.address} to ${grantee.address} for ${SEND}`);
    // The grantee's own message in a MsgExec needs no grant.
    h.ok(grantee, [exec(grantee.address, [send(grantee.address, recipient, 5n)])]);
    expect(h.balance(recipient)).toBe(1005n);
  });

  it('keeps to the allow list, replaces a grant for the same type, and changes nothing when one message of a MsgExec fails', () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n] });
    const [granter, grantee] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.ok(granter, [grant(granter.address, grantee.address, sendAuthorization(500n, [recipient]))]);
    const before = h.balance(granter.address);
    const elsewhere = h.send(grantee, [exec(grantee.address, [send(granter.address, other, 10n)])]);
    expect(codeOf(elsewhere)).toEqual(['sdk', 4]);
    expect(elsewhere.log).toContain(`cannot send to ${other}`);

    // Two sends, the second over the limit: the first is undone too.
    const mixed = h.send(grantee, [
      exec(grantee.address, [send(granter.address, recipient, 100n), send(granter.address, recipient, 450n)]),
    ]);
    expect(codeOf(mixed)).toEqual(['sdk', 5]);
    expect(mixed.log).toContain('msgs[1] (/cosmos.bank.v1beta1.MsgSend)');
    expect(h.balance(granter.address)).toBe(before);
    expect(h.balance(recipient)).toBe(0n);
    expect(spendLimit(granter.address, grantee.address)).toEqual([coin(500n)]);

    // A new grant for the same message type replaces the old one.
    h.ok(granter, [grant(granter.address, grantee.address, sendAuthorization(70n))]);
    expect(grants(granter.address, grantee.address)).toHaveLength(1);
    expect(spendLimit(granter.address, grantee.address)).toEqual([coin(70n)]);
    h.ok(grantee, [exec(grantee.address, [send(granter.address, other, 20n)])]);
    expect(h.balance(other)).toBe(20n);
  });

  it('lets an executor write an app owner’s state-tree values under a generic grant: the rules see the granter', () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n] });
    const [owner, executor] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.ok(owner, [
      anyOf(MsgCreateApp, { signer: owner.address, name: 'blog', admins: [owner.address], public: false }),
      anyOf(MsgSetRule, { signer: owner.address, path: '/apps/blog/posts/$user', rule: JSON.stringify({ write: 'auth.addr == $user' }) }),
    ]);
    const setValue = anyOf(MsgSetValue, { signer: owner.address, path: `/apps/blog/posts/${owner.address}`, value: '"hello"' });
    expect(codeOf(h.send(executor, [exec(executor.address, [setValue])]))).toEqual(['authz', 2]);
    h.ok(owner, [grant(owner.address, executor.address, genericAuthorization('/ain.state.v1.MsgSetValue'))]);
    h.ok(executor, [exec(executor.address, [setValue])]);
    const value = h.query(
      '/ain.state.v1.Query/Get',
      QueryGetRequest.encode(QueryGetRequest.fromPartial({ path: `/apps/blog/posts/${owner.address}`, kind: Kind.KIND_VALUE })).finish(),
      QueryGetResponse,
    );
    expect(JSON.parse(value.value)).toBe('hello');
    // The generic grant stays; the executor's own path is not the owner's to write.
    const ownPath = anyOf(MsgSetValue, { signer: owner.address, path: `/apps/blog/posts/${executor.address}`, value: '"x"' });
    expect(h.send(executor, [exec(executor.address, [ownPath])]).code).not.toBe(0);
    expect(
      h
        .query(
          '/cosmos.authz.v1beta1.Query/GranteeGrants',
          QueryGranteeGrantsRequest.encode({ grantee: executor.address }).finish(),
          QueryGranteeGrantsResponse,
        )
        .grants.map((g) => [g.granter, GenericAuthorization.decode(g.authorization!.value).msg]),
    ).toEqual([[owner.address, '/ain.state.v1.MsgSetValue']]);
  });

  it('refuses an expired grant, prunes it at the end of its block, refuses a past expiration, and revokes', () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n] });
    const [granter, grantee] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.finalize();
    const past = h.send(granter, [grant(granter.address, grantee.address, sendAuthorization(10n), h.time)]);
    expect(codeOf(past)).toEqual(['authz', 3]);
    expect(past.log).toContain('is not after the block time');
    // The grant's block is at h.time + 5; it expires at the block after.
    h.ok(granter, [grant(granter.address, grantee.address, sendAuthorization(10n), h.time + 10n)]);
    expect(grants(granter.address, grantee.address)).toHaveLength(1);
    const late = h.send(grantee, [exec(grantee.address, [send(granter.address, recipient, 1n)])]);
    expect(codeOf(late)).toEqual(['authz', 6]);
    expect(h.store.list('/authz', 10)).toEqual([]);
    expect(grants(granter.address, grantee.address)).toEqual([]);

    h.ok(granter, [grant(granter.address, grantee.address, genericAuthorization(SEND), h.time + 1000n)]);
    const revoked = h.ok(granter, [anyOf(MsgRevoke, { granter: granter.address, grantee: grantee.address, msgTypeUrl: SEND })]);
    expect(attribute(revoked.events, 'cosmos.authz.v1beta1.EventRevoke', 'msg_type_url')).toBe(JSON.stringify(SEND));
    expect(h.store.list('/authz', 10)).toEqual([]);
    const again = h.send(granter, [anyOf(MsgRevoke, { granter: granter.address, grantee: grantee.address, msgTypeUrl: SEND })]);
    expect(codeOf(again)).toEqual(['authz', 2]);
    expect(codeOf(h.send(grantee, [exec(grantee.address, [send(granter.address, recipient, 1n)])]))).toEqual(['authz', 2]);
  });

  it('delegates for the granter within a StakeAuthorization’s max tokens and allow list', () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n, 100n * 10n ** 6n] });
    const [granter, grantee] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    const [v0, v1] = [h.validators[0]!.valoper, h.validators[1]!.valoper];
    const stake = {
      typeUrl: StakeAuthorization.typeUrl,
      value: StakeAuthorization.encode({
        maxTokens: coin(500n),
        allowList: { address: [v0] },
        authorizationType: AuthorizationType.AUTHORIZATION_TYPE_DELEGATE,
      }).finish(),
    };
    h.ok(granter, [grant(granter.address, grantee.address, stake)]);
    const delegate = (validator: string, amount: bigint) => ({
      typeUrl: MsgDelegate.typeUrl,
      value: MsgDelegate.encode({ delegatorAddress: granter.address, validatorAddress: validator, amount: coin(amount) }).finish(),
    });
    h.ok(grantee, [exec(grantee.address, [delegate(v0, 300n)])]);
    const staking = h.app.keeper<StakingKeeper>('staking');
    expect(staking.delegatorDelegations(h.store, granter.address).map((d) => d.validator)).toEqual([v0]);
    const left = grants(granter.address, grantee.address).map((g) => StakeAuthorization.decode(g.authorization!.value).maxTokens);
    expect(left).toEqual([coin(200n)]);
    expect(codeOf(h.send(grantee, [exec(grantee.address, [delegate(v1, 10n)])]))).toEqual(['sdk', 4]);
    expect(codeOf(h.send(grantee, [exec(grantee.address, [delegate(v0, 201n)])]))).toEqual(['sdk', 5]);
    h.ok(grantee, [exec(grantee.address, [delegate(v0, 200n)])]);
    expect(grants(granter.address, grantee.address)).toEqual([]);
  });

  it('exports grants into a genesis that restarts with the same app hash', async () => {
    h = PosHarness.open({ stakes: [100n * 10n ** 6n] });
    const [granter, grantee] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.ok(granter, [
      grant(granter.address, grantee.address, sendAuthorization(900n, [recipient]), h.time + 10_000n),
      grant(granter.address, grantee.address, genericAuthorization('/ain.state.v1.MsgSetValue')),
    ]);
    const last = h.finalize();
    const appState = h.app.exportGenesis();
    expect((appState.authz as { authorization: unknown[] }).authorization).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'ain-authz-export-'));
    const store = openCommittedState(join(dir, 'app.lmdb'));
    try {
      const restarted = new AinApplication(store);
      const answer = restarted.initChain(
        RequestInitChain.fromPartial({
          chainId: CHAIN_ID,
          initialHeight: h.height + 1n,
          time: { seconds: h.time, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(appState)),
        }),
      );
      expect(Buffer.from(answer.appHash).toString('hex')).toBe(Buffer.from(last.appHash).toString('hex'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
