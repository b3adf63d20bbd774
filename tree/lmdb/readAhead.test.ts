import { afterEach, describe, expect, it } from 'vitest';
import type { StateWrite } from '../../core/index.ts';
import { randomValue, rng, tempDir, toHex } from '../index.ts';
import { type CommittedState, openCommittedState } from './committedState.ts';
import { ReadAheadRun } from './readAhead.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function open(readAheadFrom: number, keepRecent = 10): CommittedState {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const state = openCommittedState(dir, { readAheadFrom, keepRecent });
  cleanups.push(() => state.close());
  return state;
}

const pathOf = (i: number) => `/accounts/ain${(i * 7919) % 100_003}/balances/uain`;

/** Sets, overwrites and deletes among `size` paths, some new. */
function randomBlock(next: () => number, size: number, writes: number): Map<string, StateWrite> {
  const block = new Map<string, StateWrite>();
  while (block.size < writes) {
    const i = Math.floor(next() * size * 1.2);
    block.set(pathOf(i), next() < 0.15 ? null : randomValue(next));
  }
  return block;
}

/** What a prepared block would write, as hex, to compare two stores' blocks. */
function preparedShape(state: CommittedState, writes: Map<string, StateWrite>) {
  const prepared = state.prepare(writes);
  const shape = {
    appHash: toHex(prepared.appHash),
    nodes: [...prepared.nodeOps].map(([position, record]) => [position, record === null ? null : toHex(record)]),
    undo: prepared.undo.map((entry) => [entry.kind, toHex(entry.base), toHex(entry.old)]),
  };
  return { prepared, shape };
}

describe('read-ahead on a worker thread', () => {
  it('gives every block the same app hash, records and undo records as the thread reading for itself', async () => {
    const withWorker = open(1);
    const without = open(Number.POSITIVE_INFINITY);
    const next = rng(11);
    const size = 3_000;
    const genesis = new Map<string, StateWrite>();
    for (let i = 0; i < size; i++) genesis.set(pathOf(i), i);
    for (const state of [withWorker, without]) state.commit(state.prepare(genesis), 1n);
    let height = 1n;
    // The worker starts on the first block big enough and answers once it has opened the store.
    for (let b = 0; b < 30; b++) {
      const writes = randomBlock(next, size, 40 + b * 25);
      const ahead = preparedShape(withWorker, writes);
      const alone = preparedShape(without, writes);
      expect(ahead.shape).toEqual(alone.shape);
      height++;
      withWorker.commit(ahead.prepared, height);
      without.commit(alone.prepared, height);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const stats = withWorker.readAheadStats;
    expect(stats.blocks).toBeGreaterThan(20);
    // Each of those blocks read at least its root and one record below it, and its old leaves, from the worker.
    expect(stats.records).toBeGreaterThan(stats.blocks * 2);
    expect(stats.leaves).toBeGreaterThan(stats.blocks * 10);
    expect(without.readAheadStats.blocks).toBe(0);
    // Reads at past heights come from the undo records the worker's reads fed.
    for (let i = 0; i < 200; i++) {
      const path = pathOf(Math.floor(next() * size));
      expect(withWorker.getAt(path, height - 5n)).toEqual(without.getAt(path, height - 5n));
    }
    expect(toHex(withWorker.appHashAt(height - 9n))).toBe(toHex(without.appHashAt(height - 9n)));
  });

  it('is not used while a block is still being written, and the block comes out the same', async () => {
    const withWorker = open(1);
    const without = open(Number.POSITIVE_INFINITY);
    const next = rng(5);
    let height = 0n;
    while (withWorker.readAheadStats.blocks === 0) {
      const writes = randomBlock(next, 500, 300);
      height++;
      for (const state of [withWorker, without]) state.commit(state.prepare(writes), height);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const used = withWorker.readAheadStats.blocks;
    const second = randomBlock(next, 500, 300);
    const third = randomBlock(next, 500, 300);
    const pending = withWorker.commitAsync(withWorker.prepare(second), height + 1n);
    const during = preparedShape(withWorker, third);
    without.commit(without.prepare(second), height + 1n);
    expect(during.shape).toEqual(preparedShape(without, third).shape);
    expect(withWorker.readAheadStats.blocks).toBe(used + 1); // the second block's, not the third's
    await pending;
  });
});

describe('ReadAheadRun', () => {
  /** A finished stream of `entries` (position, record or undefined), as the worker writes it. */
  function stream(entries: ReadonlyArray<readonly [string, Uint8Array | undefined]>, state = 1, stalled?: () => void): ReadAheadRun {
    const records = new Uint8Array(1024);
    const view = Buffer.from(records.buffer);
    let end = 0;
    for (const [position, record] of entries) {
      records[end] = position.length;
      view.write(position, end + 1, 'latin1');
      view.writeUInt32LE(record === undefined ? 0xffffffff : record.length, end + 1 + position.length);
      end += 5 + position.length;
      if (record !== undefined) {
        records.set(record, end);
        end += record.length;
      }
    }
    const control = new Int32Array(new SharedArrayBuffer(16));
    control[0] = end;
    control[1] = state;
    control[2] = 2;
    return new ReadAheadRun(control, records, new Uint8Array(16), [], { blocks: 1, records: 0, leaves: 0 }, stalled);
  }
  const alloc = (size: number) => new Uint8Array(size);

  it('hands out records in order, and null where the worker found none', () => {
    const run = stream([
      ['', Uint8Array.of(1, 2, 3)],
      ['a', undefined],
      ['a0', Uint8Array.of(9)],
    ]);
    expect(run.record('', alloc)).toEqual(Uint8Array.of(1, 2, 3));
    expect(run.record('a', alloc)).toBeNull();
    expect(run.record('a0', alloc)).toEqual(Uint8Array.of(9));
    expect(run.record('a1', alloc)).toBeUndefined(); // past the end of a finished stream
  });

  it('stops at the first position that is not the next one, for good', () => {
    const run = stream([
      ['', Uint8Array.of(1)],
      ['b', Uint8Array.of(2)],
    ]);
    expect(run.record('a', alloc)).toBeUndefined();
    expect(run.record('', alloc)).toBeUndefined();
    expect(run.record('b', alloc)).toBeUndefined();
  });

  it('stops where a stream that ran out of room ends', () => {
    const run = stream([['', Uint8Array.of(1)]], 2);
    expect(run.record('', alloc)).toEqual(Uint8Array.of(1));
    expect(run.record('0', alloc)).toBeUndefined();
  });

  it('gives up on a worker silent for a second, and says so', () => {
    let stalls = 0;
    const run = stream([['', Uint8Array.of(1)]], 0, () => stalls++); // still running, no more bytes
    expect(run.record('', alloc)).toEqual(Uint8Array.of(1));
    expect(run.record('0', alloc)).toBeUndefined();
    expect(stalls).toBe(1);
    expect(run.record('0', alloc)).toBeUndefined();
    expect(stalls).toBe(1);
  });

  /** A run whose worker read `values` for `keys` (undefined: no leaf), or stopped before (`state` 2). */
  function leavesRun(keys: Uint8Array[], values: Array<Uint8Array | undefined>, state = 1): ReadAheadRun {
    const leafValues = new Uint8Array(256);
    const view = Buffer.from(leafValues.buffer);
    let at = 0;
    for (const value of values) {
      view.writeUInt32LE(value === undefined ? 0xffffffff : value.length, at);
      if (value !== undefined) leafValues.set(value, at + 4);
      at += 4 + (value?.length ?? 0);
    }
    const control = new Int32Array(new SharedArrayBuffer(24));
    control[1] = 1;
    control[2] = state;
    return new ReadAheadRun(control, new Uint8Array(16), leafValues, keys, { blocks: 1, records: 0, leaves: 0 });
  }

  it('hands out old leaf values in the order asked for, null for none, and stops at a key out of order', () => {
    const keys = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    const run = leavesRun(keys, [Uint8Array.of(7, 7), undefined, Uint8Array.of(9)]);
    expect(run.leaf(Uint8Array.of(1))).toEqual(Uint8Array.of(7, 7));
    expect(run.leaf(Uint8Array.of(2))).toBeNull();
    expect(run.leaf(Uint8Array.of(4))).toBeUndefined();
    expect(run.leaf(Uint8Array.of(3))).toBeUndefined();
  });

  it('hands out no leaf when the worker stopped before the leaves', () => {
    const run = leavesRun([Uint8Array.of(1)], [], 2);
    expect(run.leaf(Uint8Array.of(1))).toBeUndefined();
  });
});
