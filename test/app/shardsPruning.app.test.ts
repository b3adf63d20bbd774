/**
 * Pruning of expired consensus states, through the whole app in process: the parent follows its
 * child across more than the link's trusting period (an hour), and each accepted report deletes at
 * most four of the oldest stored headers whose time plus the trusting period is at or before the
 * block's time, never the latest. A proof at a pruned height is refused with shards/10 naming the
 * height; a conflicting header at a pruned height is a stale report, at a stored unexpired one it
 * still freezes the link; the ConsensusState query answers for held heights only; the export of a
 * pruned link imports with the same app hash.
 */
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { childRoot } from '../../modules/shards/index.ts';
import * as q from '../../proto/gen/ain/shards/v1/query.ts';
import { MsgProveValue, MsgReport } from '../../proto/gen/ain/shards/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { signedHeaderBytes } from './shardsHarness.fixture.ts';
import { any, keys, type Pair, PARENT_ID, SHARD, startPair, T0 } from './shardsPair.fixture.ts';
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
    expect(await importedAppHash(pair)).toBe(Buffer.from(pair.parent.store.appHash).toString('hex'));

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

/** The app hash of a fresh app started from the parent's export (hex). */
async function importedAppHash(pair: Pair): Promise<string> {
  const exported = pair.parent.app.exportGenesis();
  const dir = mkdtempSync(join(tmpdir(), 'ain-shards-pruned-'));
  const store = openCommittedState(join(dir, 'app.lmdb'));
  try {
    const init = new AinApplication(store).initChain(
      RequestInitChain.fromPartial({
        chainId: PARENT_ID,
        initialHeight: pair.parent.height() + 1n,
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
