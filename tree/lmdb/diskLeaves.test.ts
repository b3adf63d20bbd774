import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePathKey, encodeValue, tempDir } from '../index.ts';
import { DiskLeaves } from './diskLeaves.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function leavesDb() {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const env = open<Uint8Array, Uint8Array>({ path: dir });
  cleanups.push(() => env.close());
  return env.openDB<Uint8Array, Uint8Array>('leaves', { keyEncoding: 'binary', encoding: 'binary' });
}

describe('disk leaves', () => {
  it('reads through a bounded cache that commits write through and a restore clears', () => {
    const db = leavesDb();
    for (let i = 0; i < 5; i++) db.putSync(encodePathKey(`/k/${i}`), encodeValue(i));
    const leaves = new DiskLeaves(db, 4);
    expect([0, 1, 2, 3, 4, 5].map((i) => leaves.get(`/k/${i}`))).toEqual([0, 1, 2, 3, 4, undefined]);
    expect(leaves.size).toBeLessThanOrEqual(4);
    // lmdb changed behind the cache's back (in the store only a commit changes it, and tells the cache):
    // the last path read still answers from memory.
    db.putSync(encodePathKey('/k/5'), encodeValue('behind'));
    expect(leaves.get('/k/5')).toBeUndefined();
    // A commit's writes replace what is cached.
    leaves.written([
      ['/k/4', encodePathKey('/k/4'), null, null],
      ['/k/9', encodePathKey('/k/9'), encodeValue(true), true],
    ]);
    expect([leaves.get('/k/4'), leaves.get('/k/9')]).toEqual([undefined, true]);
    expect(leaves.size).toBeLessThanOrEqual(4);
    leaves.clear();
    expect([leaves.size, leaves.get('/k/5'), leaves.get('/k/4')]).toEqual([0, 'behind', 4]);
    expect(leaves.list('/k', 2)).toEqual([
      ['/k/0', 0],
      ['/k/1', 1],
    ]);
  });
});
