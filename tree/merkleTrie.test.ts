import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { ErrCorruptStore } from './errors.ts';
import { EMPTY_ROOT, branchHash, leafHash, nibbleAt, sha256, toHex } from './hash.ts';
import { MemoryTrie, type TrieNodeReader, type TrieUpdate, reusableArena, trieRoot, updateTrie } from './merkleTrie.ts';
import type { StateValue } from '../core/index.ts';
import { randomValue, rng, shuffle, updateOf } from './testUtil.fixture.ts';

function build(entries: ReadonlyMap<string, StateValue>): MemoryTrie {
  const trie = new MemoryTrie();
  trie.apply([...entries].map(([path, value]) => updateOf(path, value)));
  return trie;
}

function nodesOf(trie: MemoryTrie): Map<string, string> {
  return new Map([...trie.nodes].map(([k, v]) => [k, toHex(v)]));
}

function randomState(n: number, seed: number): Map<string, StateValue> {
  const next = rng(seed);
  const state = new Map<string, StateValue>();
  for (let i = 0; i < n; i++) state.set(`/accounts/ain${i}/balances/uain`, randomValue(next));
  return state;
}

describe('merkle trie', () => {
  it('has 32 zero bytes as the empty root', () => {
    const trie = new MemoryTrie();
    expect(trie.root).toEqual(EMPTY_ROOT);
    expect(trie.apply([])).toEqual(EMPTY_ROOT);
    expect(trie.apply([updateOf('/a', null)])).toEqual(EMPTY_ROOT);
    expect(trie.nodes.size).toBe(0);
  });

  it('hashes a single leaf as the root, and two leaves under a branch (hash definitions)', () => {
    const k1 = new Uint8Array(32).fill(0x11);
    const k2 = new Uint8Array(32).fill(0x12); // same first nibble, differs at nibble 1
    const v1 = sha256(Uint8Array.of(1));
    const v2 = sha256(Uint8Array.of(2));
    const trie = new MemoryTrie();
    expect(trie.apply([{ keyHash: k1, valueHash: v1 }])).toEqual(leafHash(k1, v1));
    // Manual: leaf = sha256(00 || key || value); branch = sha256(01 || bitmap || child hashes).
    const manualLeaf = sha256(Uint8Array.from([0, ...k1, ...v1]));
    expect(leafHash(k1, v1)).toEqual(manualLeaf);
    const root = trie.apply([{ keyHash: k2, valueHash: v2 }]);
    // Both keys start with nibble 1: root branch has one child, a branch at nibble 1 with leaves at 1 and 2.
    const inner = branchHash((1 << 1) | (1 << 2), [leafHash(k1, v1), leafHash(k2, v2)]);
    const manualInner = sha256(Uint8Array.from([1, 0x00, 0x06, ...leafHash(k1, v1), ...leafHash(k2, v2)]));
    expect(inner).toEqual(manualInner);
    expect(root).toEqual(branchHash(1 << 1, [inner]));
    expect([...trie.nodes.keys()].sort()).toEqual(['', '1']);
  });

  it('does not depend on the order or batching of the same writes', () => {
    const state = randomState(600, 1);
    const expected = build(state);
    const next = rng(7);
    for (let round = 0; round < 5; round++) {
      const trie = new MemoryTrie();
      const entries = shuffle([...state], next);
      let i = 0;
      while (i < entries.length) {
        const size = 1 + Math.floor(next() * 150);
        trie.apply(entries.slice(i, i + size).map(([p, v]) => updateOf(p, v)));
        i += size;
      }
      expect(toHex(trie.root)).toBe(toHex(expected.root));
      expect(nodesOf(trie)).toEqual(nodesOf(expected));
    }
  });

  it('matches a one-shot build after several blocks of sets, overwrites and deletes', () => {
    const next = rng(11);
    const paths = Array.from({ length: 800 }, (_, i) => `/p/${i % 37}/${i}`);
    const model = new Map<string, StateValue>();
    const trie = new MemoryTrie();
    for (let block = 0; block < 12; block++) {
      const writes = new Map<string, StateValue | null>();
      for (let k = 0; k < 150; k++) {
        const path = paths[Math.floor(next() * paths.length)]!;
        writes.set(path, next() < 0.3 ? null : randomValue(next));
      }
      trie.apply([...writes].map(([p, v]) => updateOf(p, v)));
      for (const [p, v] of writes) {
        if (v === null) model.delete(p);
        else model.set(p, v);
      }
      const oneShot = build(model);
      expect(toHex(trie.root)).toBe(toHex(oneShot.root));
      // Same records too: nothing stale is left behind by collapses.
      expect(nodesOf(trie)).toEqual(nodesOf(oneShot));
    }
  });

  it('returns to the same root after delete then re-insert, and to empty after deleting all', () => {
    const state = randomState(300, 3);
    const trie = build(state);
    const before = toHex(trie.root);
    const nodesBefore = nodesOf(trie);
    const some = [...state].slice(0, 120);
    trie.apply(some.map(([p]) => updateOf(p, null)));
    expect(toHex(trie.root)).not.toBe(before);
    trie.apply(some.map(([p, v]) => updateOf(p, v)));
    expect(toHex(trie.root)).toBe(before);
    expect(nodesOf(trie)).toEqual(nodesBefore);
    trie.apply([...state].map(([p]) => updateOf(p, null)));
    expect(trie.root).toEqual(EMPTY_ROOT);
    expect(trie.nodes.size).toBe(0);
  });

  it('reads and rewrites only the records on the updated path', () => {
    const state = randomState(20_000, 5);
    const trie = build(state);
    const reads: string[] = [];
    const counting: TrieNodeReader = {
      getNode: (position) => {
        reads.push(position);
        return trie.getNode(position);
      },
    };
    const path = '/accounts/ain777/balances/uain';
    const { root, nodeOps } = updateTrie(counting, [updateOf(path, 'changed')]);
    // 20,000 leaves: about log16(20000) = 3.6 levels; every record read lies on the key's path.
    const key = updateOf(path, 'changed').keyHash;
    expect(reads.length).toBeLessThanOrEqual(6);
    reads.forEach((position, depth) => {
      expect(position.length).toBe(depth);
      for (let d = 0; d < depth; d++) expect(parseInt(position[d]!, 16)).toBe(nibbleAt(key, d));
    });
    expect(nodeOps.size).toBeLessThanOrEqual(reads.length);
    state.set(path, 'changed');
    expect(toHex(root)).toBe(toHex(build(state).root));
  });

  it('refuses a key hash twice in one batch and reports missing records', () => {
    const u = updateOf('/a', 1);
    expect(() => updateTrie(new MemoryTrie(), [u, u])).toThrow(AinError);
    const trie = build(randomState(50, 9));
    const broken: TrieNodeReader = { getNode: (p) => (p.length === 1 ? undefined : trie.getNode(p)) };
    try {
      updateTrie(
        broken,
        [...randomState(50, 10)].map(([p, v]) => updateOf(p, v)),
      );
      throw new Error('expected a corrupt-store error');
    } catch (error) {
      expect((error as AinError).is(ErrCorruptStore)).toBe(true);
    }
    expect(trieRoot(trie)).toEqual(trie.root);
  });

  it('handles updates in any input order within one batch', () => {
    const state = randomState(200, 12);
    const updates: TrieUpdate[] = [...state].map(([p, v]) => updateOf(p, v));
    const a = new MemoryTrie().apply(updates);
    const b = new MemoryTrie().apply([...updates].reverse());
    expect(toHex(a)).toBe(toHex(b));
  });

  it('keeps a root it read from a reused arena after that arena is reset and overwritten', () => {
    // Two leaves under one branch; deleting one leaves the other as the root, whose hash the update
    // finds in the record it read: the result must not be a view of the reader's memory.
    const k1 = new Uint8Array(32).fill(0x11);
    const k2 = new Uint8Array(32).fill(0x12);
    const v1 = sha256(Uint8Array.of(1));
    const trie = new MemoryTrie();
    trie.apply([
      { keyHash: k1, valueHash: v1 },
      { keyHash: k2, valueHash: sha256(Uint8Array.of(2)) },
    ]);
    const arena = reusableArena(4096);
    const alloc = arena.reset();
    const copying: TrieNodeReader = {
      getNode(position) {
        const record = trie.nodes.get(position);
        if (record === undefined) return undefined;
        const out = alloc(record.length);
        out.set(record);
        return out;
      },
    };
    const { root } = updateTrie(copying, [{ keyHash: k2, valueHash: null }]);
    arena.reset()(4096).fill(0xff);
    expect(root).toEqual(leafHash(k1, v1));
  });
});

describe('reusableArena', () => {
  it('hands out views that do not overlap, and the same memory again after reset', () => {
    const arena = reusableArena(100);
    const alloc = arena.reset();
    const a = alloc(60);
    const b = alloc(60); // does not fit after a: the next chunk
    const c = alloc(40);
    a.fill(1);
    b.fill(2);
    c.fill(3);
    expect([a.every((x) => x === 1), b.every((x) => x === 2), c.every((x) => x === 3)]).toEqual([true, true, true]);
    expect(b.buffer).not.toBe(a.buffer);
    expect(c.buffer).toBe(b.buffer);
    const again = arena.reset();
    const a2 = again(10);
    expect(a2.buffer).toBe(a.buffer);
    expect(a2.byteOffset).toBe(a.byteOffset);
    expect(again(95).buffer).toBe(b.buffer);
  });

  it('gives a request larger than a chunk its own buffer, kept nowhere', () => {
    const arena = reusableArena(16);
    const alloc = arena.reset();
    const big = alloc(64);
    expect(big.length).toBe(64);
    const small = alloc(8);
    expect(small.buffer).not.toBe(big.buffer);
    expect(arena.reset()(64).buffer).not.toBe(big.buffer);
  });

  it('keeps only keepChunks chunks across a reset after a huge operation', () => {
    const arena = reusableArena(16, 2);
    let alloc = arena.reset();
    const views = [alloc(16), alloc(16), alloc(16), alloc(16)];
    expect(new Set(views.map((v) => v.buffer)).size).toBe(4);
    alloc = arena.reset();
    expect(alloc(16).buffer).toBe(views[0]!.buffer);
    expect(alloc(16).buffer).toBe(views[1]!.buffer);
    expect(alloc(16).buffer).not.toBe(views[2]!.buffer);
  });
});
