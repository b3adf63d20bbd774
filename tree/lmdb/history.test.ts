import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { type CommittedState, openCommittedState } from './committedState.ts';
import {
  ErrHeightNotRetained,
  EMPTY_ROOT,
  toHex,
  MemoryTrie,
  comparePaths,
  encodePathKey,
  pathKeyRange,
  decodeProof,
  encodeProof,
  verifyProof,
  randomValue,
  rng,
  tempDir,
  updateOf,
} from '../index.ts';
import {
  ABSENT,
  LEAF_UNDO,
  NODE_UNDO,
  type LeafAt,
  encodeNodeChunk,
  findInNodeChunk,
  leafUndoRange,
  mergeChangedLeaves,
  nodeGroup,
  undoBase,
  undoHeight,
  undoKey,
} from './history.ts';
import type { StateValue, StateWrite } from '../../core/index.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function fresh(options?: Parameters<typeof openCommittedState>[1]): { state: CommittedState; dir: string } {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const state = openCommittedState(dir, options);
  cleanups.push(() => state.close());
  return { state, dir };
}

function rootOf(entries: Iterable<[string, StateValue]>): string {
  const trie = new MemoryTrie();
  trie.apply([...entries].map(([p, v]) => updateOf(p, v)));
  return toHex(trie.root);
}

const sorted = (model: ReadonlyMap<string, StateValue>): Array<[string, StateValue]> => [...model].sort(([a], [b]) => comparePaths(a, b));

function notRetained(fn: () => unknown): AinError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).codespace).toBe(ErrHeightNotRetained.codespace);
    expect((error as AinError).code).toBe(ErrHeightNotRetained.code);
    return error as AinError;
  }
  throw new Error('expected ErrHeightNotRetained');
}

/** Paths in a few nested subtrees, so lists cross changed and unchanged leaves (and `/a` holds a leaf and children). */
function randomPath(next: () => number): string {
  const r = next();
  if (r < 0.1) return '/a';
  if (r < 0.5) return `/a/${Math.floor(next() * 20)}`;
  if (r < 0.8) return `/a/${Math.floor(next() * 5)}/x${Math.floor(next() * 4)}`;
  return `/b${Math.floor(next() * 10)}`;
}

function randomBlock(next: () => number, size: number): Map<string, StateWrite> {
  const writes = new Map<string, StateWrite>();
  for (let i = 0; i < size; i++) writes.set(randomPath(next), next() < 0.3 ? null : randomValue(next));
  return writes;
}

function apply(model: Map<string, StateValue>, writes: ReadonlyMap<string, StateWrite>): Map<string, StateValue> {
  const out = new Map(model);
  for (const [p, v] of writes) {
    if (v === null) out.delete(p);
    else out.set(p, v);
  }
  return out;
}

const PROBES = ['/a', '/a/1', '/a/3/x2', '/b4', '/a/19', '/never', '/a/1/x0', '/a/0'];
const LISTS = ['/', '/a', '/a/2', '/b4', '/a/3/x1', '/zzz'];

/** Every read at `height` agrees with the model of that height. */
function expectStateAt(state: CommittedState, height: bigint, model: ReadonlyMap<string, StateValue>): void {
  const appHash = state.appHashAt(height);
  expect(toHex(appHash), `app hash at ${height}`).toBe(rootOf(model));
  for (const path of [...PROBES, ...[...model.keys()].slice(0, 5)]) {
    expect(state.getAt(path, height), `${path} at ${height}`).toBe(model.get(path));
    const proof = state.proveAt(path, height);
    expect(verifyProof(appHash, path, model.get(path), proof), `proof of ${path} at ${height}`).toBe(true);
    expect(verifyProof(appHash, path, model.has(path) ? undefined : 0, proof)).toBe(false);
  }
  const all = sorted(model);
  expect(state.listAt('/', Infinity, height)).toEqual(all);
  for (const prefix of LISTS) {
    const under = all.filter(([p]) => prefix === '/' || p === prefix || p.startsWith(`${prefix}/`));
    for (const limit of [0, 1, 3, 7, Infinity]) {
      expect(state.listAt(prefix, limit, height), `list ${prefix} ${limit} at ${height}`).toEqual(under.slice(0, limit));
    }
  }
  const view = state.stateAt(height);
  expect(view.height).toBe(height);
  expect(view.get('/a/1')).toBe(model.get('/a/1'));
  expect(view.list('/a', 4)).toEqual(state.listAt('/a', 4, height));
  expect(verifyProof(appHash, '/a/1', model.get('/a/1'), view.prove('/a/1'))).toBe(true);
}

describe('undo record encoding', () => {
  it("groups a block's records in one range, leaves first in path order, and bounds a subtree's leaves", () => {
    const a = encodePathKey('/a');
    const ab = encodePathKey('/a/b');
    const abc = encodePathKey('/a/bc');
    const node = Buffer.from('t0f', 'latin1');
    const keys = [
      undoKey(7n, NODE_UNDO, node),
      undoKey(7n, LEAF_UNDO, abc),
      undoKey(6n, NODE_UNDO, node),
      undoKey(7n, LEAF_UNDO, ab),
      undoKey(7n, LEAF_UNDO, a),
      undoKey(8n, LEAF_UNDO, a),
    ];
    const order = [...keys].sort(Buffer.compare);
    expect(order.map((k) => [undoHeight(k), k[8], toHex(undoBase(k))])).toEqual([
      [6n, NODE_UNDO, toHex(node)],
      [7n, LEAF_UNDO, toHex(a)],
      [7n, LEAF_UNDO, toHex(ab)],
      [7n, LEAF_UNDO, toHex(abc)],
      [7n, NODE_UNDO, toHex(node)],
      [8n, LEAF_UNDO, toHex(a)],
    ]);
    const inRange = (range: { start: Buffer; end: Buffer }) =>
      order.filter((k) => Buffer.compare(k, range.start) >= 0 && Buffer.compare(k, range.end) < 0);
    expect(inRange(leafUndoRange(7n, pathKeyRange('/a/b')))).toEqual([undoKey(7n, LEAF_UNDO, ab)]);
    expect(
      inRange(leafUndoRange(7n, pathKeyRange('/')))
        .map(undoBase)
        .map(toHex),
    ).toEqual([a, ab, abc].map(toHex));
    expect(undoHeight(undoKey(2n ** 64n - 1n, LEAF_UNDO, a))).toBe(2n ** 64n - 1n);
  });

  it('packs trie records in chunks by their first two nibbles, and finds each one back', () => {
    expect(['', '7', 'a3', 'a3f', 'a3f0c'].map(nodeGroup)).toEqual(['', '7', 'a3', 'a3', 'a3']);
    const rootLeaf = Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 0 : i));
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const chunk = encodeNodeChunk([
      ['a3', big],
      ['a3f', ABSENT],
      ['a3f0c', rootLeaf],
    ]);
    expect(findInNodeChunk(chunk, 'a3')).toEqual(big);
    expect(findInNodeChunk(chunk, 'a3f')).toEqual(ABSENT);
    expect(findInNodeChunk(chunk, 'a3f0c')).toEqual(rootLeaf);
    expect(findInNodeChunk(chunk, 'a3f0')).toBeUndefined();
    expect(findInNodeChunk(chunk, '')).toBeUndefined();
    expect(findInNodeChunk(encodeNodeChunk([]), 'a3')).toBeUndefined();
    expect(() => findInNodeChunk(chunk.subarray(0, 10), 'zz')).toThrow();
  });

  it("merges the leaf changes of several heights, keeping the oldest height's record per key", () => {
    const leaf = (path: string, tag: number): LeafAt => ({ key: encodePathKey(path), value: Uint8Array.of(tag) });
    const streams = [[leaf('/b', 1), leaf('/d', 1)], [leaf('/a', 2), leaf('/b', 2), leaf('/c', 2)], [], [leaf('/a', 4), leaf('/e', 4)]].map(
      (s) => s[Symbol.iterator](),
    );
    const merged = [...mergeChangedLeaves(streams)].map((l) => [toHex(l.key), l.value[0]]);
    expect(merged).toEqual([
      [toHex(encodePathKey('/a')), 2],
      [toHex(encodePathKey('/b')), 1],
      [toHex(encodePathKey('/c')), 2],
      [toHex(encodePathKey('/d')), 1],
      [toHex(encodePathKey('/e')), 4],
    ]);
    expect(ABSENT).toEqual(Uint8Array.of(0));
  });
});

describe('committed state history', () => {
  it('answers get, list, prove and the app hash at every kept height, like a model (sets, deletes, re-inserts)', () => {
    const { state } = fresh({ keepRecent: 0 });
    const next = rng(11);
    const models: Array<Map<string, StateValue>> = [new Map()];
    for (let h = 1; h <= 25; h++) {
      const writes = randomBlock(next, 1 + Math.floor(next() * 30));
      state.commit(state.prepare(writes), BigInt(h));
      models.push(apply(models[h - 1]!, writes));
    }
    expect(state.oldestHeight).toBe(0n);
    for (let h = 0; h <= 25; h++) expectStateAt(state, BigInt(h), models[h]!);
    expect(toHex(state.appHashAt(0n))).toBe(toHex(EMPTY_ROOT));
  });

  it("keeps the right old values when a block's txs read what they write first (the leaf cache), with sync and async commits", async () => {
    const { state } = fresh({ keepRecent: 0 });
    const next = rng(12);
    const models: Array<Map<string, StateValue>> = [new Map()];
    let writing: Promise<void> | undefined;
    for (let h = 1; h <= 20; h++) {
      const writes = randomBlock(next, 1 + Math.floor(next() * 30));
      // As FinalizeBlock's overlays do: read most written paths (set or absent) through the cache
      // first, while the block before may still be being written.
      for (const path of writes.keys()) if (next() < 0.8) state.getCanonical(path);
      const prepared = state.prepare(writes);
      await writing;
      if (h % 3 === 0) state.commit(prepared, BigInt(h));
      else writing = state.commitAsync(prepared, BigInt(h));
      models.push(apply(models[h - 1]!, writes));
    }
    await writing;
    for (let h = 0; h <= 20; h++) expectStateAt(state, BigInt(h), models[h]!);
  });

  it('skips undo records for writes that change nothing, and answers at heights between sparse commits', () => {
    const { state } = fresh();
    state.commit(
      state.prepare(
        new Map<string, StateWrite>([
          ['/a', 1],
          ['/b', 'x'],
        ]),
      ),
      10n,
    );
    const same = state.prepare(
      new Map<string, StateWrite>([
        ['/a', 1],
        ['/nothing', null],
      ]),
    );
    expect(same.undoCount).toBe(0);
    expect(same.appHash).toEqual(state.appHash);
    state.commit(same, 11n);
    state.commit(
      state.prepare(
        new Map<string, StateWrite>([
          ['/a', 2],
          ['/b', null],
        ]),
      ),
      20n,
    );
    expect(state.getAt('/a', 15n)).toBe(1);
    expect(state.getAt('/b', 19n)).toBe('x');
    expect(state.getAt('/b', 20n)).toBeUndefined();
    expect(state.listAt('/', 10, 12n)).toEqual([
      ['/a', 1],
      ['/b', 'x'],
    ]);
    expect(state.getAt('/a', 9n)).toBeUndefined(); // before the first block: the empty tree
  });

  it('refuses heights outside the window with an error naming the oldest retained height', () => {
    const { state } = fresh({ keepRecent: 5 });
    for (let h = 1n; h <= 12n; h++) state.commit(state.prepare(new Map([['/h', Number(h)]])), h);
    expect(state.oldestHeight).toBe(8n);
    expect(state.getAt('/h', 8n)).toBe(8);
    const below = notRetained(() => state.getAt('/h', 7n));
    expect(below.message).toContain('oldest retained height 8');
    expect(below.meta).toMatchObject({ height: '7', oldest: '8', latest: '12' });
    const above = notRetained(() => state.listAt('/', 1, 13n));
    expect(above.message).toMatch(/13 is above the latest height.*oldest retained height 8/);
    notRetained(() => state.proveAt('/h', 0n));
    notRetained(() => state.appHashAt(3n));
    notRetained(() => state.stateAt(1n));
    // A view fails once its height leaves the window.
    const view = state.stateAt(8n);
    expect(view.get('/h')).toBe(8);
    state.commit(state.prepare(new Map([['/h', 13]])), 13n);
    notRetained(() => view.get('/h'));
    expect(() => state.getAt('/h', 9 as unknown as bigint)).toThrow(TypeError);
  });

  it('prunes undo records of heights that leave the window, in bounded steps after a large block', () => {
    const { state } = fresh({ keepRecent: 3 });
    const big = new Map<string, StateWrite>();
    for (let i = 0; i < 6000; i++) big.set(`/big/${i}`, i);
    const first = state.prepare(big);
    state.commit(first, 1n);
    expect(first.undoCount).toBe(6000 + first.nodeWriteCount);
    expect(state.historyStats().oldestRecorded).toBe(1n);
    expect(state.historyStats().records).toBeGreaterThan(6000); // 6,000 leaves and the chunks of trie records
    const models: Array<Map<string, StateValue>> = [new Map(), new Map([...big].map(([p, v]) => [p, v as StateValue]))];
    const next = rng(5);
    const stats = [];
    for (let h = 2; h <= 12; h++) {
      const writes = new Map<string, StateWrite>([
        [`/big/${Math.floor(next() * 6000)}`, null],
        [`/small/${h}`, h],
      ]);
      state.commit(state.prepare(writes), BigInt(h));
      models.push(apply(models[h - 1]!, writes));
      stats.push(state.historyStats());
      // Reads inside the window stay right while old records are still being deleted.
      for (let k = Math.max(2, h - 2); k <= h; k++) {
        expect(state.getAt(`/small/${k}`, BigInt(k))).toBe(k);
        expect(state.getAt(`/small/${h}`, BigInt(k))).toBe(k === h ? h : undefined);
      }
      expectStateAt(state, BigInt(h - 2), models[h - 2]!);
    }
    // Height 1's records are not needed once 1 is the oldest height kept (at height 3); its ~6,300
    // lmdb entries went over two commits (each may delete 4,096 + twice its own), not at once.
    expect(stats[0]!.records).toBeGreaterThan(6000);
    expect(stats[0]!.oldestRecorded).toBe(1n);
    expect(stats[1]!.oldestRecorded).toBe(1n); // commit 3 deleted most of height 1 ...
    expect(stats[1]!.records).toBeLessThan(stats[0]!.records - 4096);
    expect(stats[1]!.records).toBeGreaterThan(1000);
    expect(stats[2]!.oldestRecorded).toBe(3n); // ... commit 4 the rest, and height 2
    const last = stats.at(-1)!;
    expect(last.oldestRecorded).toBe(11n); // only heights 11 and 12 have records: 10 is the oldest kept
  });

  it('keeps history across a reopen, and starts it afresh after commits without history', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const path = join(dir, 'db');
    let state = openCommittedState(path, { keepRecent: 10 });
    const next = rng(3);
    const models: Array<Map<string, StateValue>> = [new Map()];
    for (let h = 1; h <= 6; h++) {
      const writes = randomBlock(next, 20);
      state.commit(state.prepare(writes), BigInt(h));
      models.push(apply(models[h - 1]!, writes));
    }
    await state.close();
    state = openCommittedState(path, { keepRecent: 10 });
    expect(state.oldestHeight).toBe(0n);
    for (const h of [1, 3, 5]) expectStateAt(state, BigInt(h), models[h]!);
    await state.close();

    // keepRecent 1: only the latest height, no undo records written; old ones are deleted.
    state = openCommittedState(path, { keepRecent: 1 });
    expect(state.oldestHeight).toBe(6n);
    notRetained(() => state.getAt('/a', 5n));
    const block = state.prepare(new Map([['/c', 7]]));
    expect(block.undoCount).toBe(0);
    state.commit(block, 7n);
    models.push(apply(models[6]!, new Map([['/c', 7]])));
    expect(state.historyStats()).toMatchObject({ records: 0, bytes: 0, oldestRecorded: undefined });
    await state.close();

    // History starts again at 7: heights before it are gone for good.
    state = openCommittedState(path, { keepRecent: 10 });
    cleanups.push(() => state.close());
    expect(state.oldestHeight).toBe(7n);
    state.commit(state.prepare(new Map([['/c', 8]])), 8n);
    expect(state.getAt('/c', 7n)).toBe(7);
    notRetained(() => state.getAt('/c', 6n));
    expectStateAt(state, 7n, models[7]!);
  });

  it('opens a store of format 1 (no undo records) with history starting at its height', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    let state = openCommittedState(dir);
    state.commit(state.prepare(new Map([['/a', 1]])), 1n);
    state.commit(state.prepare(new Map([['/a', 2]])), 2n);
    await state.close();
    // Make it look like a store written before history existed.
    const env = open<Uint8Array, Uint8Array>({ path: dir, maxDbs: 8, keyEncoding: 'binary', encoding: 'binary' });
    const meta = env.openDB<Uint8Array, Uint8Array>('meta', { keyEncoding: 'binary', encoding: 'binary' });
    for (const name of ['undo']) await env.openDB<Uint8Array, Uint8Array>(name, { keyEncoding: 'binary', encoding: 'binary' }).drop();
    await meta.put(Buffer.from('format'), Uint8Array.of(1));
    await meta.remove(Buffer.from('historyFloor'));
    await env.close();

    state = openCommittedState(dir);
    cleanups.push(() => state.close());
    expect(state.oldestHeight).toBe(2n);
    notRetained(() => state.getAt('/a', 1n));
    state.commit(state.prepare(new Map([['/a', 3]])), 3n);
    expect(state.getAt('/a', 2n)).toBe(2);
    expect(state.getAt('/a', 3n)).toBe(3);
  });

  it('answers at old heights while commitAsync blocks are still being written', async () => {
    const { state } = fresh({ keepRecent: 6 });
    const next = rng(21);
    const models: Array<Map<string, StateValue>> = [new Map()];
    const inflight: Array<Promise<void>> = [];
    for (let h = 1; h <= 14; h++) {
      const writes = randomBlock(next, 25);
      inflight.push(state.commitAsync(state.prepare(writes), BigInt(h)));
      models.push(apply(models[h - 1]!, writes));
      for (let k = Math.max(0, h - 5); k <= h; k++) expectStateAt(state, BigInt(k), models[k]!);
      if (inflight.length >= 3) await inflight.shift();
    }
    await Promise.all(inflight);
    for (let k = 9; k <= 14; k++) expectStateAt(state, BigInt(k), models[k]!);
    expect(state.historyStats().oldestRecorded).toBeGreaterThanOrEqual(10n);
  });

  it('proves at an older height against that height app hash only (bytes form too)', () => {
    const { state } = fresh();
    state.commit(
      state.prepare(
        new Map<string, StateWrite>([
          ['/p/1', 'one'],
          ['/p/2', 'two'],
        ]),
      ),
      1n,
    );
    const h1 = state.appHash;
    state.commit(
      state.prepare(
        new Map<string, StateWrite>([
          ['/p/1', 'uno'],
          ['/p/2', null],
          ['/p/3', 'tres'],
        ]),
      ),
      2n,
    );
    const h2 = state.appHash;
    expect(toHex(state.appHashAt(1n))).toBe(toHex(h1));
    const old = encodeProof(state.proveAt('/p/1', 1n));
    expect(verifyProof(h1, '/p/1', 'one', decodeProof(old))).toBe(true);
    expect(verifyProof(h1, '/p/1', 'one', old)).toBe(true);
    expect(verifyProof(h2, '/p/1', 'one', old)).toBe(false);
    expect(verifyProof(h1, '/p/3', undefined, state.proveAt('/p/3', 1n))).toBe(true);
    expect(verifyProof(h2, '/p/2', undefined, state.proveAt('/p/2', 2n))).toBe(true);
    expect(verifyProof(h1, '/p/2', 'two', state.proveAt('/p/2', 1n))).toBe(true);
  });
});
