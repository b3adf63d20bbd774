import { join } from 'node:path';
import {
  RequestApplySnapshotChunk,
  RequestCommit,
  ResponseCommit,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  ResponseApplySnapshotChunk_Result as Apply,
  ResponseOfferSnapshot_Result as Offer,
} from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePathKey, encodeValue, randomValue, rng, tempDir, toHex } from '../../tree/index.ts';
import { type CommittedState, encodeSnapshot, openCommittedState, SnapshotStore, type SnapshotLeaf } from '../../tree/lmdb/index.ts';
import { StateSync, withStateSync } from './stateSync.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function open(): CommittedState {
  const tmp = tempDir();
  const state = openCommittedState(join(tmp.dir, 'db'));
  cleanups.push(tmp.remove, () => state.close());
  return state;
}

/** A node that snapshots every 5 heights into 1 KiB chunks, with `blocks` blocks committed. */
async function offeringNode(blocks: number): Promise<{ state: CommittedState; sync: StateSync }> {
  const state = open();
  const tmp = tempDir('ain-snapshots-');
  cleanups.push(tmp.remove);
  const sync = new StateSync({ state, store: new SnapshotStore(tmp.dir, 2), interval: 5, chunkSize: 1024, onRestored: () => {} });
  const next = rng(3);
  for (let h = 1; h <= blocks; h++) {
    const writes = new Map<string, string | number | boolean>();
    for (let i = 0; i < 40; i++) writes.set(`/apps/x/k${Math.floor(next() * 300)}`, randomValue(next));
    state.commit(state.prepare(writes), BigInt(h), new Map([['chain_id', 'ain-sync-1']]));
    sync.afterCommit(state.height);
    await sync.idle();
  }
  return { state, sync };
}

describe('StateSync (ABCI snapshot methods)', () => {
  it('takes a snapshot at every multiple of the interval after Commit and lists the newest kept', async () => {
    const { sync } = await offeringNode(12);
    const listed = sync.listSnapshots().snapshots;
    expect(listed.map((s) => s.height)).toEqual([10n, 5n]);
    expect(listed[0]!.chunks).toBeGreaterThan(2);
    const chunk = await sync.loadSnapshotChunk(RequestLoadSnapshotChunk.fromPartial({ height: 10n, format: 1, chunk: 0 }));
    expect(chunk.chunk.length).toBeGreaterThan(0);
    const missing = await sync.loadSnapshotChunk(RequestLoadSnapshotChunk.fromPartial({ height: 7n, format: 1, chunk: 0 }));
    expect(missing.chunk.length).toBe(0);
  });

  it('restores a node from chunks, refetching a corrupt chunk from another peer, to the same app hash', async () => {
    const { state: source, sync: offering } = await offeringNode(10);
    const snapshot = offering.listSnapshots().snapshots[0]!;
    const appHashAt10 = source.appHash;
    const target = open();
    let restored = 0;
    const joining = new StateSync({ state: target, chunkSize: 1024, onRestored: () => restored++ });

    expect(joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot, appHash: new Uint8Array(32) })).result).toBe(Offer.REJECT);
    expect(
      joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot: { ...snapshot, format: 9 }, appHash: appHashAt10 })).result,
    ).toBe(Offer.REJECT_FORMAT);
    expect(joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot, appHash: appHashAt10 })).result).toBe(Offer.ACCEPT);

    for (let index = 0; index < snapshot.chunks; index++) {
      const { chunk } = await offering.loadSnapshotChunk(RequestLoadSnapshotChunk.fromPartial({ height: 10n, format: 1, chunk: index }));
      if (index === 1) {
        const corrupt = Uint8Array.from(chunk);
        corrupt[5]! ^= 0xff;
        const retry = joining.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({ index, chunk: corrupt, sender: 'badpeer' }));
        expect(retry.result).toBe(Apply.RETRY);
        expect(retry.refetchChunks).toEqual([1]);
        expect(retry.rejectSenders).toEqual(['badpeer']);
        // A wrong chunk (another index's bytes) is refused the same way.
        const { chunk: other } = await offering.loadSnapshotChunk(
          RequestLoadSnapshotChunk.fromPartial({ height: 10n, format: 1, chunk: 0 }),
        );
        expect(joining.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({ index, chunk: other, sender: 'p2' })).result).toBe(
          Apply.RETRY,
        );
      }
      const applied = joining.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({ index, chunk, sender: 'goodpeer' }));
      expect(applied.result).toBe(Apply.ACCEPT);
    }
    expect(restored).toBe(1);
    expect(target.height).toBe(10n);
    expect(toHex(target.appHash)).toBe(toHex(appHashAt10));
    expect(target.getMeta('chain_id')).toBe('ain-sync-1');
    expect(target.list('/apps', Infinity)).toEqual(source.list('/apps', Infinity));
    // A node that holds state refuses every offer.
    expect(joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot, appHash: appHashAt10 })).result).toBe(Offer.ABORT);
  });

  it('refuses an offer whose metadata names another app hash, and chunks while no snapshot is accepted', async () => {
    const { sync: offering } = await offeringNode(5);
    const { state: other } = await offeringNode(6); // a different state, offered with the first one's app hash
    const snapshot = offering.listSnapshots().snapshots[0]!;
    const target = open();
    const joining = new StateSync({ state: target, chunkSize: 1024, onRestored: () => {} });
    // The metadata names its own app hash: offered against another, it is refused at once.
    expect(joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot, appHash: other.appHash })).result).toBe(Offer.REJECT);
    expect(
      joining.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({ index: 0, chunk: new Uint8Array(), sender: 'p' })).result,
    ).toBe(Apply.ABORT);
    expect(target.height).toBe(0n);
  });

  it("refuses a peer's snapshot at the chunk holding a value that is not a canonical encoding, and the peer", async () => {
    const { state: source } = await offeringNode(5);
    // A forged snapshot: metadata naming the verified app hash, chunks of the peer's own making.
    const leaves: SnapshotLeaf[] = [
      [encodePathKey('/apps/x/a'), Uint8Array.of(1, 0x61, 0xff)], // 0xff: not UTF-8
      [encodePathKey('/apps/x/b'), encodeValue('b'.repeat(1000))],
    ];
    const forged = encodeSnapshot(5n, source.appHash, leaves, new Map([['chain_id', 'ain-sync-1']]), 1024);
    expect(forged.chunks.length).toBe(2);
    const target = open();
    const joining = new StateSync({ state: target, chunkSize: 1024, onRestored: () => {} });
    const snapshot = { height: 5n, format: 1, chunks: 2, hash: forged.hash, metadata: forged.metadataBytes };
    expect(joining.offerSnapshot(RequestOfferSnapshot.fromPartial({ snapshot, appHash: source.appHash })).result).toBe(Offer.ACCEPT);
    const first = joining.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({ index: 0, chunk: forged.chunks[0]!, sender: 'evil' }));
    expect({ result: first.result, rejectSenders: first.rejectSenders }).toEqual({
      result: Apply.REJECT_SNAPSHOT,
      rejectSenders: ['evil'],
    });
    // The restore is over: later chunks are refused, and the store is still empty.
    const second = joining.applySnapshotChunk(
      RequestApplySnapshotChunk.fromPartial({ index: 1, chunk: forged.chunks[1]!, sender: 'evil' }),
    );
    expect(second.result).toBe(Apply.ABORT);
    expect(target.height).toBe(0n);
  });

  it('withStateSync: answers the snapshot methods with StateSync and snapshots after a Commit at the interval', async () => {
    const state = open();
    const tmp = tempDir('ain-snapshots-');
    cleanups.push(tmp.remove);
    const sync = new StateSync({ state, store: new SnapshotStore(tmp.dir, 2), interval: 2, chunkSize: 1024, onRestored: () => {} });
    let height = 0n;
    const app = withStateSync(
      {
        info: () => {
          throw new Error('unused');
        },
        initChain: () => {
          throw new Error('unused');
        },
        query: () => {
          throw new Error('unused');
        },
        checkTx: () => {
          throw new Error('unused');
        },
        finalizeBlock: () => {
          throw new Error('unused');
        },
        commit: () => {
          height++;
          state.commit(state.prepare(new Map([[`/apps/a/h${height}`, Number(height)]])), height);
          return ResponseCommit.fromPartial({});
        },
      },
      sync,
      () => state.height,
    );
    for (let i = 0; i < 4; i++) {
      await app.commit(RequestCommit.fromPartial({}));
      await sync.idle();
    }
    const listed = (await app.listSnapshots!({})).snapshots;
    expect(listed.map((s) => s.height)).toEqual([4n, 2n]);
    const { chunk } = await app.loadSnapshotChunk!(RequestLoadSnapshotChunk.fromPartial({ height: 4n, format: 1, chunk: 0 }));
    expect(chunk.length).toBeGreaterThan(0);
  });
});
