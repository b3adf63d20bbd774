/**
 * Pruning of expired consensus states, through the whole app in process: the parent follows its
 * child across more than the link's trusting period (an hour), and each accepted report deletes at
 * most four of the oldest stored headers whose time plus the trusting period is at or before the
 * block's time, never the latest. A proof at a pruned height is refused with shards/10 naming the
 * height; a conflicting header at a pruned height is a stale report, at a stored unexpired one it
 * still freezes the link; the ConsensusState query answers for held heights only; the export of a
 * pruned link imports with the same app hash. Validator sets go with the last header naming them
 * (counted in `R/valset_refs/`), never while a retained header or the trusted state names one; a
 * report that prunes emits EventHeadersPruned; headers stored before the counts (an older export)
 * are pruned without deleting any set.
 */
import { type ExecTxResult, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { childRoot, validatorSetHash } from '../../modules/shards/index.ts';
import * as q from '../../proto/gen/ain/shards/v1/query.ts';
import { MsgProveValue, MsgReport } from '../../proto/gen/ain/shards/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import {
  type Chain,
  type ConsensusKey,
  consensusKey,
  setOf,
  signedHeaderBytes,
  startChain,
  validatorSetBytes,
} from './shardsHarness.fixture.ts';
import { any, childKeys, keys, type Pair, PARENT_ID, parentKeys, SHARD, startPair, T0 } from './shardsPair.fixture.ts';
import { code, ok } from './shardsChecks.fixture.ts';

const { bob, relayer } = keys;
const held = (pair: Pair): bigint[] =>
  pair.parent.store.list(`${childRoot(SHARD)}/headers`, 100).map(([path]) => BigInt(path.slice(path.lastIndexOf('/') + 1)));

describe('expired consensus states are pruned', () => {
  let pair: Pair;
  beforeEach(() => {
    pair = startPair();
  });
  afterEach(async () => {
    await pair.close();
  });

  /** Moves the parent's clock to the child's header `h` (the report's block is a second later), then reports it. */
  const reportInStep = (h: bigint) => {
    const behind = pair.child.header(h).time.seconds - pair.parent.time();
    if (behind > 0n) pair.parent.block([], behind);
    return ok(pair.reportChild(h));
  };
  const proveBalance = (height: bigint) => {
    const path = `/accounts/${bob.address}/balance/uain`;
    const leaf = pair.child.prove(path, height);
    return pair.parent.send(relayer, [
      any(MsgProveValue, { signer: relayer.address, shard: SHARD, height, path, value: leaf.value, proof: leaf.proof }),
    ]);
  };
  const consensusState = (height: bigint) => q.QueryConsensusStateRequest.encode({ shard: SHARD, height }).finish();
  const reportSigned = (signed: ReturnType<Pair['child']['signedHeader']>) =>
    pair.parent.send(relayer, [any(MsgReport, { signer: relayer.address, shard: SHARD, signedHeader: signedHeaderBytes(signed) })]);

  it('deletes at most four expired headers per report, keeps the unexpired and the latest; proofs and evidence follow', async () => {
    // Child headers 1-6 a second apart (T0 + 1 .. T0 + 6), 7 at T0 + 3006, 8 at T0 + 4006, 9 at T0 + 4007.
    for (let i = 0; i < 5; i++) pair.child.block([]);
    pair.child.block([], 3000n);
    pair.child.block([], 1000n);
    pair.child.block([]);
    for (let h = 1n; h <= 7n; h++) reportInStep(h);
    // At T0 + 3007 none has expired (header 1 does at T0 + 3601).
    expect(held(pair)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);

    // At T0 + 4007 headers 1-6 have expired: the report deletes the four oldest.
    reportInStep(8n);
    expect(held(pair)).toEqual([5n, 6n, 7n, 8n]);
    reportInStep(9n);
    // 7 expires at T0 + 6606: it stays, with 8 and the latest.
    expect(held(pair)).toEqual([7n, 8n, 9n]);

    // A proof at state height 2 needs header 3, pruned: refused naming the height, not a crash.
    const refused = proveBalance(2n);
    expect(code(refused)).toBe('shards/10');
    expect(refused.log).toContain('header 3 of ain-chat-1 (its app hash commits to state height 2) is not held');
    expect(refused.log).toContain('below the oldest header held, 7 (headers are pruned once past the trusting period of 3600 s)');
    // At state height 7 (header 8, held) it verifies.
    ok(proveBalance(7n));

    expect(pair.parent.queryFailure('/ain.shards.v1.Query/ConsensusState', consensusState(3n))).toBe('shards/10');
    const kept = pair.parent.query('/ain.shards.v1.Query/ConsensusState', consensusState(7n), q.QueryConsensusStateResponse.decode);
    expect(kept.state!.timeSeconds).toBe(T0 + 3006n);

    // The export of the pruned link imports with the same app hash.
    expect(await importedAppHash(pair.parent.app.exportGenesis(), pair.parent.height() + 1n)).toBe(
      Buffer.from(pair.parent.store.appHash).toString('hex'),
    );

    // A conflicting header at pruned height 3 is no evidence (its signers' trust expired): a stale report.
    const appHash = new Uint8Array(32).fill(9);
    expect(code(reportSigned(pair.child.signedHeader(3n, { change: { appHash } })))).toBe('shards/8');
    expect(pair.parent.get(`${childRoot(SHARD)}/frozen`)).toBeUndefined();
    // At stored, unexpired height 7 it still freezes the link.
    const frozen = ok(reportSigned(pair.child.signedHeader(7n, { change: { appHash } })));
    expect(frozen.events.some((e) => e.type === 'ain.shards.v1.EventFrozen')).toBe(true);
    expect(pair.parent.get(`${childRoot(SHARD)}/frozen`)).toBeDefined();
  });
});

const ROOT = childRoot(SHARD);
const hashOf = (keys: readonly ConsensusKey[]): string =>
  Buffer.from(validatorSetHash(setOf(keys).validators))
    .toString('hex')
    .toUpperCase();
const setB = [consensusKey('child-b1'), consensusKey('child-b2')];
const setC = [consensusKey('child-c1'), consensusKey('child-c2'), consensusKey('child-c3')];
const [A, B, C] = [hashOf(childKeys), hashOf(setB), hashOf(setC)];
/** The sets the parent holds for the child, and their counts. */
const valsets = (chain: Chain): string[] => chain.store.list(`${ROOT}/valsets`, 100).map(([path]) => path.slice(path.lastIndexOf('/') + 1));
const counts = (chain: Chain): Record<string, unknown> =>
  Object.fromEntries(chain.store.list(`${ROOT}/valset_refs`, 100).map(([path, value]) => [path.slice(path.lastIndexOf('/') + 1), value]));
const prunedEvent = (result: ExecTxResult) => {
  const event = result.events.find((e) => e.type === 'ain.shards.v1.EventHeadersPruned');
  return event && Object.fromEntries(event.attributes.filter((a) => a.key !== 'msg_index').map((a) => [a.key, a.value]));
};

/**
 * The child's validators change: headers 1-3 are signed by A (3 names B next), 4-5 by B (5 names C
 * next), 6 on by C. Headers 1-5 are a second apart (T0 + 1 .. T0 + 5), 6 at T0 + 3005, 7 at T0 + 4005,
 * 8 at T0 + 4006; so at 7's report 1-5 have expired, 6 not (until T0 + 6605).
 */
function changingChild(pair: Pair): void {
  pair.child.changeValidators(setB, 4n);
  pair.child.changeValidators(setC, 6n);
  for (let i = 0; i < 4; i++) pair.child.block([]);
  pair.child.block([], 3000n);
  pair.child.block([], 1000n);
  pair.child.block([]);
}

/** Reports the child's header `h` on `parent` (both sets sent), its clock moved to the header's time first. */
function reportOn(parent: Chain, child: Chain, h: bigint): ExecTxResult {
  const behind = child.header(h).time.seconds - parent.time();
  if (behind > 0n) parent.block([], behind);
  return ok(
    parent.send(relayer, [
      any(MsgReport, {
        signer: relayer.address,
        shard: SHARD,
        signedHeader: signedHeaderBytes(child.signedHeader(h)),
        validators: validatorSetBytes(child.validatorSet(h)),
        nextValidators: validatorSetBytes(child.validatorSet(h + 1n)),
      }),
    ]),
  );
}

describe('validator sets no retained header names are pruned with the headers', () => {
  let pair: Pair;
  beforeEach(() => {
    pair = startPair();
    changingChild(pair);
  });
  afterEach(async () => {
    await pair.close();
  });

  it('deletes a set with the last header naming it, keeps those a retained header or the client names; emits EventHeadersPruned', async () => {
    for (let h = 1n; h <= 6n; h++) expect(prunedEvent(reportOn(pair.parent, pair.child, h))).toBeUndefined();
    expect(valsets(pair.parent).sort()).toEqual([A, B, C].sort());
    // A: headers 1-3; B: 3-5; C: 5-6 (a header naming one set twice counts once).
    expect(counts(pair.parent)).toEqual({ [A]: '3', [B]: '3', [C]: '2' });
    expect(pair.parent.get(`${ROOT}/valset_refs_from`)).toBe('1');

    // At T0 + 4005: headers 1-4 go; A with them; B stays, header 5 names it.
    const first = reportOn(pair.parent, pair.child, 7n);
    expect(prunedEvent(first)).toEqual({ shard: SHARD, heights: '1,2,3,4', valsets: A });
    expect(held(pair)).toEqual([5n, 6n, 7n]);
    expect(valsets(pair.parent).sort()).toEqual([B, C].sort());
    expect(counts(pair.parent)).toEqual({ [B]: '1', [C]: '3' });

    // Header 5 goes, and B; C, named by the retained headers and the client, stays.
    const second = reportOn(pair.parent, pair.child, 8n);
    expect(prunedEvent(second)).toEqual({ shard: SHARD, heights: '5', valsets: B });
    expect(held(pair)).toEqual([6n, 7n, 8n]);
    expect(valsets(pair.parent)).toEqual([C]);
    expect(counts(pair.parent)).toEqual({ [C]: '3' });
    expect(JSON.parse(pair.parent.get(`${ROOT}/client`) as string).nextValidatorsHash).toBe(C);

    // A proof at state height 6 (header 7, held) verifies against the remaining header.
    const path = `/accounts/${bob.address}/balance/uain`;
    const leaf = pair.child.prove(path, 6n);
    ok(
      pair.parent.send(relayer, [
        any(MsgProveValue, { signer: relayer.address, shard: SHARD, height: 6n, path, value: leaf.value, proof: leaf.proof }),
      ]),
    );

    // The export imports with the same app hash; counts that differ from the headers, or of a set not held, are refused.
    const exported = pair.parent.app.exportGenesis() as { shards: { leaves: Record<string, unknown> } };
    const leaves = exported.shards.leaves;
    expect(leaves[`${ROOT}/valset_refs/${C}`]).toBe('3');
    const height = pair.parent.height() + 1n;
    expect(await importedAppHash(exported, height)).toBe(Buffer.from(pair.parent.store.appHash).toString('hex'));
    const changed = (change: (l: Record<string, unknown>) => void) => {
      const copy = structuredClone(exported);
      change(copy.shards.leaves);
      return importedAppHash(copy, height);
    };
    await expect(changed((l) => (l[`${ROOT}/valset_refs/${C}`] = '2'))).rejects.toThrow(
      `genesis shards.leaves["${ROOT}/valset_refs/${C}"] is 2; expected 3, the headers from height 1 naming the set`,
    );
    await expect(
      changed((l) => {
        l[`${ROOT}/valset_refs/${B}`] = '1';
      }),
    ).rejects.toThrow(`genesis shards.leaves["${ROOT}/valset_refs/${B}"] counts the validator set "${ROOT}/valsets/${B}", which is absent`);
    await expect(changed((l) => delete l[`${ROOT}/valset_refs/${C}`])).rejects.toThrow(
      `genesis shards.leaves lacks "${ROOT}/valset_refs/${C}": 3 header(s) from height 1 name the set`,
    );
    await expect(changed((l) => delete l[`${ROOT}/valset_refs_from`])).rejects.toThrow(
      `genesis shards.leaves["${ROOT}/valset_refs/${C}"] is a count, but "${ROOT}/valset_refs_from" (the first height counted) is absent`,
    );

    // Misbehaviour at retained height 6 is still checked against its set (C): it freezes the link.
    const frozen = ok(
      pair.parent.send(relayer, [
        any(MsgReport, {
          signer: relayer.address,
          shard: SHARD,
          signedHeader: signedHeaderBytes(pair.child.signedHeader(6n, { change: { appHash: new Uint8Array(32).fill(9) } })),
        }),
      ]),
    );
    expect(frozen.events.some((e) => e.type === 'ain.shards.v1.EventFrozen')).toBe(true);
  });

  it('prunes headers stored before the counts (an older export without them) and deletes none of their sets', async () => {
    for (let h = 1n; h <= 5n; h++) reportOn(pair.parent, pair.child, h);
    // The parent as an older chain would export it: no counts.
    const exported = pair.parent.app.exportGenesis() as { shards: { leaves: Record<string, unknown> } };
    for (const path of Object.keys(exported.shards.leaves)) if (path.includes('/valset_refs')) delete exported.shards.leaves[path];
    const older = startChain(PARENT_ID, exported as never, parentKeys, pair.parent.time());
    try {
      // Counting starts at header 6 (C twice: one count).
      reportOn(older, pair.child, 6n);
      expect(older.get(`${ROOT}/valset_refs_from`)).toBe('6');
      expect(counts(older)).toEqual({ [C]: '1' });
      // Headers 1-5, uncounted, go; no set goes with them (A is named by none now, but nothing says so).
      expect(prunedEvent(reportOn(older, pair.child, 7n))).toEqual({ shard: SHARD, heights: '1,2,3,4', valsets: '' });
      expect(prunedEvent(reportOn(older, pair.child, 8n))).toEqual({ shard: SHARD, heights: '5', valsets: '' });
      expect(held({ parent: older } as Pair)).toEqual([6n, 7n, 8n]);
      expect(valsets(older).sort()).toEqual([A, B, C].sort());
      expect(counts(older)).toEqual({ [C]: '3' });
      // Its export round-trips.
      const again = older.app.exportGenesis() as { shards: { leaves: Record<string, unknown> } };
      expect(await importedAppHash(again, older.height() + 1n)).toBe(Buffer.from(older.store.appHash).toString('hex'));
      // A count of a held set no counted header names, and a first counted height above the client's, are refused.
      const changed = (change: (l: Record<string, unknown>) => void) => {
        const copy = structuredClone(again);
        change(copy.shards.leaves);
        return importedAppHash(copy, older.height() + 1n);
      };
      await expect(changed((l) => (l[`${ROOT}/valset_refs/${A}`] = '0'))).rejects.toThrow(
        `genesis shards.leaves["${ROOT}/valset_refs/${A}"] is 0; no header from height 6 names the set (a count is deleted at zero)`,
      );
      await expect(changed((l) => (l[`${ROOT}/valset_refs_from`] = '9'))).rejects.toThrow(
        `genesis shards.leaves["${ROOT}/valset_refs_from"] is 9; expected a height from 1 to the trusted height 8`,
      );
    } finally {
      await older.close();
    }
  });
});

/** The app hash of a fresh app started from an export (hex). */
async function importedAppHash(exported: unknown, initialHeight: bigint): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-shards-pruned-'));
  const store = openCommittedState(join(dir, 'app.lmdb'));
  try {
    const init = new AinApplication(store).initChain(
      RequestInitChain.fromPartial({
        chainId: PARENT_ID,
        initialHeight,
        time: { seconds: T0, nanos: 0 },
        appStateBytes: Buffer.from(JSON.stringify(exported)),
      }),
    );
    return Buffer.from(init.appHash).toString('hex');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
