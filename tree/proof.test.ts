import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { ErrInvalidProof } from './errors.ts';
import { EMPTY_ROOT } from './hash.ts';
import { MemoryTrie } from './merkleTrie.ts';
import { type StateProof, decodeProof, encodeProof, pathKeyHash, verifyProof } from './proof.ts';
import type { StateValue } from '../core/index.ts';
import { randomValue, rng, updateOf } from './testUtil.fixture.ts';

function setup(n: number, seed: number): { trie: MemoryTrie; state: Map<string, StateValue> } {
  const next = rng(seed);
  const state = new Map<string, StateValue>();
  for (let i = 0; i < n; i++) state.set(`/apps/chat/posts/${i}`, randomValue(next));
  const trie = new MemoryTrie();
  trie.apply([...state].map(([p, v]) => updateOf(p, v)));
  return { trie, state };
}

function prove(trie: MemoryTrie, path: string): StateProof {
  return trie.prove(pathKeyHash(path));
}

function flipHex(hex: string): string {
  return (hex[0] === '0' ? '1' : '0') + hex.slice(1);
}

describe('proofs', () => {
  const { trie, state } = setup(400, 1);

  it('proves membership of every leaf', () => {
    for (const [path, value] of state) {
      const proof = prove(trie, path);
      expect(verifyProof(trie.root, path, value, proof)).toBe(true);
      expect(verifyProof(trie.root, path, undefined, proof)).toBe(false);
      expect(verifyProof(trie.root, path, typeof value === 'string' ? 1 : 'x', proof)).toBe(false);
    }
  });

  it('proves absence through an empty slot and through a different leaf', () => {
    let emptySlot = 0;
    let otherLeaf = 0;
    for (let i = 0; i < 400; i++) {
      const path = `/apps/chat/missing/${i}`;
      const proof = prove(trie, path);
      if (proof.leaf === undefined) emptySlot++;
      else otherLeaf++;
      expect(verifyProof(trie.root, path, undefined, proof)).toBe(true);
      expect(verifyProof(trie.root, path, 'anything', proof)).toBe(false);
    }
    expect(emptySlot).toBeGreaterThan(0);
    expect(otherLeaf).toBeGreaterThan(0);
  });

  it('proves absence in the empty tree and in a one-leaf tree', () => {
    const empty = new MemoryTrie();
    const proof = prove(empty, '/a');
    expect(proof).toEqual({ steps: [] });
    expect(verifyProof(EMPTY_ROOT, '/a', undefined, proof)).toBe(true);
    expect(verifyProof(EMPTY_ROOT, '/a', 1, proof)).toBe(false);
    const one = new MemoryTrie();
    one.apply([updateOf('/a', 1)]);
    expect(verifyProof(one.root, '/a', 1, prove(one, '/a'))).toBe(true);
    expect(verifyProof(one.root, '/b', undefined, prove(one, '/b'))).toBe(true);
    expect(verifyProof(one.root, '/a', undefined, prove(one, '/b'))).toBe(false);
  });

  it('rejects tampered proofs, values, paths and roots', () => {
    const [path, value] = [...state][17]!;
    const proof = prove(trie, path);
    expect(verifyProof(trie.root, path, value, proof)).toBe(true);
    const root = Uint8Array.from(trie.root);
    root[0]! ^= 1;
    expect(verifyProof(root, path, value, proof)).toBe(false);
    expect(verifyProof(trie.root, '/apps/chat/posts/18', value, proof)).toBe(false);
    const withSibling = proof.steps.findIndex((s) => s.siblings.length > 0);
    const tampered: StateProof[] = [
      {
        ...proof,
        steps: proof.steps.map((s, i) => (i === withSibling ? { ...s, siblings: [flipHex(s.siblings[0]!), ...s.siblings.slice(1)] } : s)),
      },
      { ...proof, steps: proof.steps.map((s, i) => (i === 0 ? { ...s, bitmap: s.bitmap ^ 0x8000 } : s)) },
      { ...proof, steps: proof.steps.slice(1) },
      { ...proof, steps: [...proof.steps, { bitmap: 1, siblings: [] }] },
      { steps: proof.steps },
      { ...proof, leaf: { ...proof.leaf!, valueHash: flipHex(proof.leaf!.valueHash) } },
      { ...proof, leaf: { ...proof.leaf!, keyHash: flipHex(proof.leaf!.keyHash) } },
    ];
    for (const bad of tampered) expect(verifyProof(trie.root, path, value, bad)).toBe(false);
    // Another leaf's membership proof is not an absence proof for a path in a different slot.
    const other = prove(trie, '/apps/chat/posts/3');
    expect(verifyProof(trie.root, path, undefined, other)).toBe(false);
  });

  it('never throws on malformed input', () => {
    const malformed: unknown[] = [
      null,
      {},
      { steps: 'x' },
      { steps: [null] },
      { steps: [{ bitmap: 1.5, siblings: [] }] },
      { steps: [], leaf: { keyHash: 'zz', valueHash: '' } },
    ];
    for (const bad of malformed) expect(verifyProof(trie.root, '/a', undefined, bad as StateProof)).toBe(false);
    expect(verifyProof(trie.root, '/a//b', undefined, { steps: [] })).toBe(false);
    expect(verifyProof(trie.root, '/a', Number.NaN, { steps: [] })).toBe(false);
    expect(verifyProof(new Uint8Array(3), '/a', undefined, { steps: [] })).toBe(false);
    expect(verifyProof(trie.root, '/a', undefined, Uint8Array.of(9, 9))).toBe(false);
  });

  it('serialises to JSON and to bytes', () => {
    for (const path of ['/apps/chat/posts/5', '/apps/chat/missing/1', '/apps/chat/missing/2']) {
      const proof = prove(trie, path);
      const value = state.get(path);
      const json = JSON.parse(JSON.stringify(proof)) as StateProof;
      expect(verifyProof(trie.root, path, value, json)).toBe(true);
      const bytes = encodeProof(proof);
      expect(decodeProof(bytes)).toEqual(proof);
      expect(verifyProof(trie.root, path, value, bytes)).toBe(true);
      expect(verifyProof(trie.root, path, value, bytes.subarray(0, bytes.length - 1))).toBe(false);
    }
    expect(encodeProof({ steps: [] })).toEqual(Uint8Array.of(1, 0, 0));
    expect(() => decodeProof(Uint8Array.of(1, 0, 0, 0))).toThrow(AinError);
    try {
      decodeProof(Uint8Array.of(2, 0, 0));
    } catch (error) {
      expect((error as AinError).is(ErrInvalidProof)).toBe(true);
    }
  });

  it('is small: about 15 siblings per level', () => {
    const proof = prove(trie, '/apps/chat/posts/1');
    expect(encodeProof(proof).length).toBeLessThan(3 + 64 + 4 * (3 + 16 * 32));
  });
});
