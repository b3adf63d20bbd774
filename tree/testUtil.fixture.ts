/** Helpers shared by the store's unit tests (not exported from index.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrieUpdate } from './merkleTrie.ts';
import { pathKeyHash } from './proof.ts';
import type { StateValue, StateWrite } from '../core/index.ts';
import { valueHash } from './valueCodec.ts';

/** A deterministic PRNG (mulberry32) so a failing case reproduces. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle with the given PRNG (returns a copy). */
export function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The trie update for writing `value` (or deleting) at canonical `path`. */
export function updateOf(path: string, value: StateWrite): TrieUpdate {
  return { keyHash: pathKeyHash(path), valueHash: value === null ? null : valueHash(value) };
}

/** A random value of a random type. */
export function randomValue(next: () => number): StateValue {
  const r = next();
  if (r < 0.4) return `v${Math.floor(next() * 1e6)}`;
  if (r < 0.8) return Math.floor(next() * 1e6);
  return next() < 0.5;
}

/** A fresh temp directory and a function that removes it. */
export function tempDir(prefix = 'ain-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
