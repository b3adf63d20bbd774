import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePathKey, ErrInvalidSnapshot, ErrRestoreNotEmpty, randomValue, rng, tempDir, toHex } from '../index.ts';
import { type CommittedState, openCommittedState } from './committedState.ts';
import { chunkMatches, decodeChunk, decodeMetadata, encodeMetadata, encodeSnapshot, type SnapshotLeaf } from './snapshotFormat.ts';
import { SnapshotStore } from './snapshotStore.ts';
import { codeOf } from '../../test/helpers/errorCode.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function open(keepRecent = 10): CommittedState {
  const tmp = tempDir();
  const state = openCommittedState(join(tmp.dir, 'db'), { keepRecent });
  cleanups.push(tmp.remove, () => state.close());
  return state;
}

/** A store with `blocks` blocks of random writes (and some deletes) under a few subtrees. */
function filled(blocks: number, perBlock: number): CommittedState {
  const state = open();
  const next = rng(7);
  for (let h = 1; h <= blocks; h++) {
    const writes = new Map<string, string | number | boolean | null>();
    for (let i = 0; i < perBlock; i++) writes.set(`/apps/a${Math.floor(next() * 50)}/k${Math.floor(next() * 400)}`, randomValue(next));
    if (h > 1) writes.set(`/apps/a${h % 50}/k${h}`, null);
    state.commit(
      state.prepare(writes),
      BigInt(h),
      new Map([
        ['chain_id', 'ain-test-1'],
        ['last_block_time', String(1000 + h)],
      ]),
    );
  }
  return state;
}

describe('state snapshots', () => {
  it('cuts the leaves into chunks of at most the chunk size, in key order, and decodes them back', () => {
    const state = filled(20, 60);
    const exported = state.exportState();
    expect(exported.height).toBe(20n);
    expect(exported.appMeta.get('chain_id')).toBe('ain-test-1');
    expect(exported.appMeta.get('last_block_time')).toBe('1020');
    const snap = encodeSnapshot(exported.height, exported.appHash, exported.leaves, exported.appMeta, 2048);
    expect(snap.chunks.length).toBeGreaterThan(3);
    for (const chunk of snap.chunks) expect(chunk.length).toBeLessThanOrEqual(2048);
    let after: Uint8Array | undefined;
    const back: SnapshotLeaf[] = [];
    for (const [i, chunk] of snap.chunks.entries()) {
      expect(chunkMatches(snap.metadata, i, chunk)).toBe(true);
      const leaves = decodeChunk(chunk, after);
      back.push(...leaves);
      after = leaves.at(-1)![0];
    }
    expect(back.map(([k, v]) => toHex(k) + toHex(v))).toEqual(exported.leaves.map(([k, v]) => toHex(k) + toHex(v)));
    expect(snap.metadata.leaves).toBe(exported.leaves.length);
  });

  it('gives the same bytes for the same height and chunk size (deterministic)', () => {
    const a = filled(10, 40).exportState();
    const b = filled(10, 40).exportState();
    const sa = encodeSnapshot(a.height, a.appHash, a.leaves, a.appMeta, 4096);
    const sb = encodeSnapshot(b.height, b.appHash, b.leaves, b.appMeta, 4096);
    expect(toHex(sa.hash)).toBe(toHex(sb.hash));
    expect(sa.chunks.map(toHex)).toEqual(sb.chunks.map(toHex));
  });

  it('checks metadata against its offer and a chunk against the sha256 the metadata lists', () => {
    const e = filled(5, 30).exportState();
    const snap = encodeSnapshot(e.height, e.appHash, e.leaves, e.appMeta, 1024);
    const offer = { height: e.height, format: 1, chunks: snap.chunks.length, hash: snap.hash, metadata: snap.metadataBytes };
    expect(toHex(decodeMetadata(offer).appHash)).toBe(toHex(e.appHash));
    expect(codeOf(() => decodeMetadata({ ...offer, height: e.height + 1n }))).toBe('store/16');
    expect(codeOf(() => decodeMetadata({ ...offer, chunks: offer.chunks + 1 }))).toBe('store/16');
    expect(codeOf(() => decodeMetadata({ ...offer, hash: new Uint8Array(32) }))).toBe('store/16');
    const forged = encodeMetadata({ ...snap.metadata, leaves: 1 });
    expect(codeOf(() => decodeMetadata({ ...offer, metadata: forged }))).toBe('store/16');
    const corrupt = Uint8Array.from(snap.chunks[1]!);
    corrupt[corrupt.length - 1]! ^= 1;
    expect(chunkMatches(snap.metadata, 1, corrupt)).toBe(false);
    expect(chunkMatches(snap.metadata, 0, snap.chunks[1]!)).toBe(false); // a wrong chunk
    expect(chunkMatches(snap.metadata, snap.chunks.length, snap.chunks[0]!)).toBe(false);
    expect(codeOf(() => decodeChunk(snap.chunks[0]!.subarray(0, 10), undefined))).toBe('store/16');
    const lastOfOne = decodeChunk(snap.chunks[1]!, undefined).at(-1)![0];
    expect(codeOf(() => decodeChunk(snap.chunks[0]!, lastOfOne))).toBe('store/16'); // out of order
  });

  it('refuses a chunk holding a value that is not a canonical encoding (string bytes not UTF-8)', () => {
    const leaves: SnapshotLeaf[] = [
      [encodePathKey('/apps/a'), Uint8Array.of(1, 0x61)],
      [encodePathKey('/apps/b'), Uint8Array.of(1, 0x61, 0xff)],
    ];
    const snap = encodeSnapshot(1n, new Uint8Array(32), leaves, new Map(), 1024);
    expect(codeOf(() => decodeChunk(snap.chunks[0]!, undefined))).toBe('store/16');
    expect(() => decodeChunk(snap.chunks[0]!, undefined)).toThrow(/chunk leaf 1: not a canonical value encoding .*not well-formed UTF-8/);
  });

  it('refuses a chunk holding a key that is not a canonical path key (a slash byte, an empty label)', () => {
    const good = encodePathKey('/apps/a');
    // `apps/b` written with a 0x2f inside one label reads as `/apps/b` leniently, but no path has this key.
    const forged = Uint8Array.from([...Buffer.from('apps/b'), 0]);
    const doubled = Uint8Array.from([...Buffer.from('apps'), 0, 0, ...Buffer.from('x'), 0]);
    for (const bad of [forged, doubled]) {
      const [first, second] = [good, bad].sort(Buffer.compare) as [Uint8Array, Uint8Array];
      const snap = encodeSnapshot(
        1n,
        new Uint8Array(32),
        [
          [first, Uint8Array.of(1, 0x61)],
          [second, Uint8Array.of(1, 0x62)],
        ],
        new Map(),
        1024,
      );
      expect(codeOf(() => decodeChunk(snap.chunks[0]!, undefined))).toBe(`store/${ErrInvalidSnapshot.code}`);
      expect(() => decodeChunk(snap.chunks[0]!, undefined)).toThrow(/chunk leaf \d: not a canonical path key: /);
    }
  });

  it('restores into an empty store with the original app hash, metadata, reads and proofs', () => {
    const source = filled(30, 50);
    const e = source.exportState();
    const snap = encodeSnapshot(e.height, e.appHash, e.leaves, e.appMeta, 3000);
    const leaves = snap.chunks.flatMap((chunk, i, all) =>
      decodeChunk(chunk, i === 0 ? undefined : decodeChunk(all[i - 1]!, undefined).at(-1)![0]),
    );
    const target = open();
    // Read before the restore, so the leaf cache holds it as absent: the restore must not leave it so.
    const [firstPath, firstValue] = source.list('/apps', 1)[0]!;
    expect(target.getCanonical(firstPath)).toBeUndefined();
    target.restore({ leaves, height: snap.metadata.height, appHash: snap.metadata.appHash, appMeta: snap.metadata.appMeta });
    expect(target.getCanonical(firstPath)).toBe(firstValue);
    expect(target.height).toBe(30n);
    expect(toHex(target.appHash)).toBe(toHex(source.appHash));
    expect(target.getMeta('chain_id')).toBe('ain-test-1');
    expect(target.list('/apps', Infinity)).toEqual(source.list('/apps', Infinity));
    expect(target.oldestHeight).toBe(30n);
    // It goes on committing blocks like the source.
    const writes = new Map([['/apps/a1/next', 'x']]);
    source.commit(source.prepare(writes), 31n);
    target.commit(target.prepare(writes), 31n);
    expect(toHex(target.appHash)).toBe(toHex(source.appHash));
    expect(target.getAt('/apps/a1/next', 30n)).toBeUndefined();
  });

  it('refuses a restore whose leaves do not hash to the app hash, or into a store that holds state', () => {
    const e = filled(3, 20).exportState();
    const target = open();
    const tampered = e.leaves.map(([k, v], i) => (i === 2 ? ([k, Uint8Array.of(...v, 0)] as const) : ([k, v] as const)));
    expect(codeOf(() => target.restore({ leaves: tampered, height: e.height, appHash: e.appHash, appMeta: e.appMeta }))).toBe(
      `store/${ErrInvalidSnapshot.code}`,
    );
    expect(codeOf(() => target.restore({ leaves: e.leaves.slice(1), height: e.height, appHash: e.appHash, appMeta: e.appMeta }))).toBe(
      'store/16',
    );
    expect(target.height).toBe(0n); // nothing written
    target.restore({ leaves: e.leaves, height: e.height, appHash: e.appHash, appMeta: e.appMeta });
    expect(codeOf(() => target.restore({ leaves: e.leaves, height: e.height, appHash: e.appHash, appMeta: e.appMeta }))).toBe(
      `store/${ErrRestoreNotEmpty.code}`,
    );
  });

  it('keeps the newest snapshots on disk and serves their chunks after a reopen', async () => {
    const state = filled(4, 30);
    const tmp = tempDir('ain-snapshots-');
    cleanups.push(tmp.remove);
    const store = new SnapshotStore(tmp.dir, 2);
    const e = state.exportState();
    for (const h of [2n, 3n, 4n]) await store.save(encodeSnapshot(h, e.appHash, e.leaves, e.appMeta, 1500));
    expect(store.list().map((s) => s.height)).toEqual([4n, 3n]);
    const reopened = new SnapshotStore(tmp.dir, 2);
    const [newest] = reopened.list();
    expect(newest!.chunks).toBeGreaterThan(1);
    const chunk = await reopened.loadChunk(4n, 1, 1);
    expect(chunkMatches(newest!.decoded, 1, chunk!)).toBe(true);
    expect(await reopened.loadChunk(2n, 1, 0)).toBeUndefined();
    expect(await reopened.loadChunk(4n, 1, newest!.chunks)).toBeUndefined();
  });
});
