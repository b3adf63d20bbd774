/**
 * The shards module through the whole app, in process, with a child chain whose CometBFT headers
 * and commits the harness signs with real ed25519 keys: the branch and what it forbids the parent
 * afterwards; reports verified as a light client does (from the registered validators, adjacent,
 * skipping, across a validator set change), duplicates and stale reports refused before any
 * signature is checked, the relayer paid per accepted report; forged reports refused with their
 * codes (bad signature, unknown validator, too little power, wrong chain id, outside the trusting
 * period, missing sets); a conflicting header that freezes the shard until its admin unfreezes it;
 * and a genesis export that restores the app hash.
 */
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { feeAccountOf, headerHash } from '../../modules/shards/index.ts';
import * as q from '../../proto/gen/ain/shards/v1/query.ts';
import { MsgBranch, MsgReport, MsgUnfreeze } from '../../proto/gen/ain/shards/v1/tx.ts';
import { MsgCreateApp, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { consensusKey, signedHeaderBytes, validatorSetBytes } from './shardsHarness.fixture.ts';
import { any, branchMsg, CHILD_ID, DEPOSIT, keys, type Pair, PARENT_ID, REPORT_FEE, SHARD, startPair, T0 } from './shardsPair.fixture.ts';
import { code, ok } from './shardsChecks.fixture.ts';

const { alice, bob, relayer } = keys;
const shardQuery = (pair: Pair) =>
  pair.parent.query('/ain.shards.v1.Query/Shard', q.QueryShardRequest.encode({ name: SHARD }).finish(), q.QueryShardResponse.decode);

describe('shards in the app, in process', () => {
  let pair: Pair;

  beforeEach(() => {
    pair = startPair();
  });
  afterEach(async () => {
    await pair.close();
  });

  describe('branch', () => {
    it('registers the shard and its fee account; the parent refuses writes under /apps/chat from then on', () => {
      const { shard, link } = shardQuery(pair);
      expect(shard).toMatchObject({ name: SHARD, path: '/apps/chat', chainId: CHILD_ID, parentChainId: PARENT_ID, admin: alice.address });
      expect(shard!.account).toBe(feeAccountOf(SHARD));
      expect(pair.parent.balance(feeAccountOf(SHARD))).toBe(DEPOSIT);
      expect(link).toMatchObject({ frozen: false, reports: 0n, nextSequence: 1n });
      expect(link!.latest!.height).toBe(0n);

      expect(code(pair.parent.send(alice, [any(MsgSetValue, { signer: alice.address, path: '/apps/chat/x', value: '1' })]))).toBe(
        'shards/5',
      );
      expect(
        code(pair.parent.send(alice, [any(MsgSetRule, { signer: alice.address, path: '/apps/chat/x', rule: '{"write":"true"}' })])),
      ).toBe('shards/5');
      // Other apps are not touched, and cost what they always did.
      ok(pair.parent.send(alice, [any(MsgSetValue, { signer: alice.address, path: '/apps/mirror/x', value: '1' })]));
      // The child holds the app, with alice as its admin: writes go there.
      ok(pair.child.send(bob, [any(MsgCreateApp, { signer: bob.address, name: 'other', admins: [bob.address], public: false })]));
      expect(pair.child.get(`/manage_app/chat/config/admin/${alice.address}`)).toBe(true);
    });

    it('refuses a branch by a non-admin, of a branched app, with a malformed registration', () => {
      expect(code(pair.parent.send(bob, [any(MsgBranch, { ...branchMsg({ name: 'mirror' }), signer: bob.address })]))).toBe('shards/4');
      expect(code(pair.parent.send(alice, [any(MsgBranch, branchMsg())]))).toBe('shards/3');
      expect(code(pair.parent.send(alice, [any(MsgBranch, branchMsg({ name: 'mirror', chainId: PARENT_ID }))]))).toBe('shards/3');
      const bad = branchMsg({
        name: 'mirror',
        trust: { trustingPeriodSeconds: 3600n, trustNumerator: 1n, trustDenominator: 4n, maxClockDriftSeconds: 10n },
      });
      expect(code(pair.parent.send(alice, [any(MsgBranch, bad)]))).toBe('lightclient/16');
      expect(code(pair.parent.send(alice, [any(MsgBranch, branchMsg({ name: 'parent' }))]))).toBe('shards/1');
    });
  });

  describe('reports', () => {
    it('verifies from the registered set, then adjacent and skipping; pays the relayer per accepted report', () => {
      pair.child.block([]);
      pair.child.block([]);
      pair.child.block([]);
      const before = pair.parent.balance(relayer.address);
      ok(pair.reportChild(1n));
      ok(pair.reportChild(2n));
      ok(pair.reportChild(4n));
      const { link } = shardQuery(pair);
      expect(link!.latest).toMatchObject({
        height: 4n,
        headerHash: Buffer.from(headerHash(pair.child.header(4n)))
          .toString('hex')
          .toUpperCase(),
      });
      expect(link!.reports).toBe(3n);
      // Three fees received, three tx fees paid.
      expect(pair.parent.balance(relayer.address)).toBe(before + 3n * REPORT_FEE - 3n * 50_000n);
      expect(pair.parent.balance(feeAccountOf(SHARD))).toBe(DEPOSIT - 3n * REPORT_FEE);
      const cs = pair.parent.query(
        '/ain.shards.v1.Query/ConsensusState',
        q.QueryConsensusStateRequest.encode({ shard: SHARD, height: 2n }).finish(),
        q.QueryConsensusStateResponse.decode,
      ).state!;
      expect(cs.appHash).toBe(Buffer.from(pair.child.header(2n).appHash).toString('hex').toUpperCase());
      expect(cs.timeSeconds).toBe(pair.child.header(2n).time.seconds);
    });

    it('refuses a duplicate (shards/7) and a stale height (shards/8) before checking signatures, and pays nothing for them', () => {
      pair.child.block([]);
      pair.child.block([]);
      ok(pair.reportChild(1n));
      ok(pair.reportChild(3n));
      const fees = pair.parent.balance(feeAccountOf(SHARD));
      const dup = pair.reportChild(3n);
      expect(code(dup)).toBe('shards/7');
      // Cheaper than an accepted report: no signature was verified.
      expect(code(pair.reportChild(2n))).toBe('shards/8');
      expect(pair.parent.balance(feeAccountOf(SHARD))).toBe(fees);
      // Two relayers in one block: the first is stored, the second refused as a duplicate.
      pair.child.block([]);
      const both = pair.parent.block([
        [relayer, [reportOf(pair, 4n, relayer.address)]],
        [bob, [reportOf(pair, 4n, bob.address)]],
      ]);
      expect(both.results.map(code)).toEqual(['/0', 'shards/7']);
      expect(Number(dup.gasUsed)).toBeLessThan(Number(both.results[0]!.gasUsed));
    });

    it('follows a validator set change adjacent (sets sent once) and by skipping', () => {
      const v3 = consensusKey('child-v3', 50n);
      const [v1, v2] = [consensusKey('child-v1'), consensusKey('child-v2')];
      pair.child.changeValidators([v1, v2, v3], 4n);
      for (let i = 0; i < 5; i++) pair.child.block([]);
      ok(pair.reportChild(1n));
      ok(pair.reportChild(2n));
      // Header 3 names the new set as next: without it the report is refused; with it, accepted.
      expect(code(pair.reportChild(3n))).toBe('shards/9');
      ok(pair.reportChild(3n, { next: true }));
      ok(pair.reportChild(4n));
      ok(pair.reportChild(6n));
      expect(shardQuery(pair).link!.latest!.height).toBe(6n);

      const skipping = startPair();
      try {
        skipping.child.changeValidators([v1, v2, v3], 4n);
        for (let i = 0; i < 5; i++) skipping.child.block([]);
        ok(skipping.reportChild(1n));
        // From height 1 straight to 5: v1 and v2 (all the trusted power) signed it.
        ok(skipping.reportChild(5n, { validators: true }));
      } finally {
        void skipping.close();
      }
    });
  });

  describe('forged reports', () => {
    beforeEach(() => {
      for (let i = 0; i < 3; i++) pair.child.block([]);
      ok(pair.reportChild(1n));
    });

    const send = (signed: ReturnType<Pair['child']['signedHeader']>, extra: object = {}) =>
      pair.parent.send(relayer, [
        any(MsgReport, { signer: relayer.address, shard: SHARD, signedHeader: signedHeaderBytes(signed), ...extra }),
      ]);

    it('bad signature: lightclient/4', () => {
      const signed = pair.child.signedHeader(2n);
      signed.commit!.signatures[0]!.signature[5]! ^= 1;
      expect(code(send(signed))).toBe('lightclient/4');
    });

    it('unknown validator: lightclient/5', () => {
      const signed = pair.child.signedHeader(2n);
      const stranger = pair.child.signedHeader(2n, { signers: [consensusKey('stranger')] }).commit!.signatures[0]!;
      signed.commit!.signatures[1] = stranger;
      expect(code(send(signed))).toBe('lightclient/5');
    });

    it('too little power: lightclient/6', () => {
      expect(code(send(pair.child.signedHeader(2n, { signed: 1 })))).toBe('lightclient/6');
    });

    it('wrong chain id: lightclient/3, a header of another chain signed by its own validators', () => {
      expect(code(send(pair.parent.signedHeader(2n)))).toBe('lightclient/3');
      expect(code(send(pair.child.signedHeader(2n, { change: { chainId: 'ain-other-1' } })))).toBe('lightclient/3');
    });

    it('outside the trusting period: lightclient/8', () => {
      // The parent's clock runs an hour past the trusted header's time.
      pair.parent.block([], 3600n);
      expect(code(pair.reportChild(2n))).toBe('lightclient/8');
    });

    it('a header changed after signing: lightclient/13', () => {
      const signed = pair.child.signedHeader(2n);
      signed.header!.appHash = new Uint8Array(32);
      expect(code(send(signed))).toBe('lightclient/13');
    });

    it('a validly signed conflicting header freezes the shard; its admin unfreezes it', () => {
      ok(pair.reportChild(2n));
      const conflicting = pair.child.signedHeader(2n, { change: { appHash: new Uint8Array(32).fill(9) } });
      const frozen = ok(send(conflicting));
      expect(frozen.events.some((e) => e.type === 'ain.shards.v1.EventFrozen')).toBe(true);
      expect(shardQuery(pair).link!.frozen).toBe(true);
      expect(code(pair.reportChild(3n))).toBe('shards/6');
      expect(code(pair.parent.send(bob, [any(MsgUnfreeze, { signer: bob.address, shard: SHARD })]))).toBe('shards/4');
      ok(pair.parent.send(alice, [any(MsgUnfreeze, { signer: alice.address, shard: SHARD })]));
      ok(pair.reportChild(3n));
      // An unsigned conflicting header is not evidence: refused, nothing frozen.
      const forged = pair.child.signedHeader(3n, { change: { appHash: new Uint8Array(32).fill(8) } });
      forged.commit!.signatures[0]!.signature[0]! ^= 1;
      forged.commit!.signatures[1]!.signature[0]! ^= 1;
      expect(code(send(forged))).toBe('lightclient/4');
      expect(shardQuery(pair).link!.frozen).toBe(false);
    });

    it('a set that does not hash to the header: lightclient/12', () => {
      const one = { validators: pair.child.validatorSet(2n).validators.slice(0, 1), totalVotingPower: 100n };
      expect(code(send(pair.child.signedHeader(2n), { validators: validatorSetBytes(one) }))).toBe('lightclient/12');
    });
  });

  it('exports a genesis that starts a chain with the same app hash', async () => {
    pair.child.block([]);
    ok(pair.reportChild(2n));
    const exported = pair.parent.app.exportGenesis();
    expect(
      Object.keys((exported.shards as { leaves: Record<string, unknown> }).leaves).some((path) =>
        path.startsWith('/shards/children/chat/headers/'),
      ),
    ).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'ain-shards-export-'));
    const store = openCommittedState(join(dir, 'app.lmdb'));
    try {
      const app = new AinApplication(store);
      const init = app.initChain(
        RequestInitChain.fromPartial({
          chainId: PARENT_ID,
          initialHeight: pair.parent.height() + 1n,
          time: { seconds: T0, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(exported)),
        }),
      );
      expect(Buffer.from(init.appHash).toString('hex')).toBe(Buffer.from(pair.parent.store.appHash).toString('hex'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function reportOf(pair: Pair, h: bigint, signer: string) {
  return any(MsgReport, { signer, shard: SHARD, signedHeader: signedHeaderBytes(pair.child.signedHeader(h)) });
}
