/**
 * The committed leaves as lmdb holds them, read by canonical path, with the decoded values of recent
 * reads kept in memory. Every tx reads its signer's account and its balances several times before
 * it is committed (the signature worker's pass, CheckTx, each recheck, FinalizeBlock), and each read
 * that reached lmdb cost a lookup and a decode (about 9% of the node's main thread under a load of
 * sends). Values are strings, numbers or booleans, so no reader can change a cached one.
 *
 * The cache follows lmdb's leaves as of the last commit: the store passes each block's leaf writes to
 * `written` as it commits them (with `commitAsync`, when it queues them: until they are durable, reads
 * of those paths are answered by the pending layer above this one), and `clear` when a restore
 * rewrites the leaves.
 */
import type { Database } from 'lmdb';
import { type ReadableState, RecentResults, type StateValue, type StateWrite } from '../../core/index.ts';
import { decodePathKey, decodeValue, encodePathKey, pathKeyRange } from '../index.ts';
import { compareBytes } from './history.ts';
import type { PreparedBlock } from './preparedBlock.ts';

/** Leaves cached at most: about 10 MiB of paths and values. */
export const DISK_LEAF_CACHE_ENTRIES = 50_000;

export class DiskLeaves implements ReadableState {
  readonly #leaves: Database<Uint8Array, Uint8Array>;
  /** Canonical path -> value, null where lmdb has no leaf. */
  readonly #cache: RecentResults<StateWrite>;

  constructor(leaves: Database<Uint8Array, Uint8Array>, capacity = DISK_LEAF_CACHE_ENTRIES) {
    this.#leaves = leaves;
    this.#cache = new RecentResults<StateWrite>(capacity);
  }

  /** The same leaves, every read past the cache (reads at recent heights start from these). */
  readonly uncached: ReadableState = {
    get: (path) => this.read(path),
    list: (path, limit, from, reverse) => this.list(path, limit, from, reverse),
  };

  /** The leaf at canonical `path` (not validated: callers pass what `normalizePath` returned), kept in the cache. */
  get(path: string): StateValue | undefined {
    const cached = this.#cache.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.read(path);
    this.#cache.remember(path, value ?? null);
    return value;
  }

  /** The cached value at canonical `path`: null where lmdb has no leaf, undefined when not cached. */
  cached(path: string): StateWrite | undefined {
    return this.#cache.get(path);
  }

  /**
   * The leaf at canonical `path` from lmdb, past the cache: for reads that seldom repeat (queries,
   * proofs), which would only push out what the txs read again (keeping a leaf costs a read that
   * misses about 0.4 µs, a quarter of the read).
   */
  read(path: string): StateValue | undefined {
    const bytes = this.#leaves.getBinaryFast(encodePathKey(path));
    return bytes === undefined ? undefined : decodeValue(bytes);
  }

  /** One lmdb range scan (from canonical `from` when given, backwards with `reverse`); not cached. */
  list(path: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
    const out: Array<[string, StateValue]> = [];
    if (limit === 0) return out;
    if (reverse) {
      for (const { key, value } of reverseKeys((o) => this.#leaves.getRange(o), pathKeyRange(path, from, true))) {
        out.push([decodePathKey(key), decodeValue(value)]);
        if (out.length >= limit) break;
      }
      return out;
    }
    const options: { start?: Uint8Array; end?: Uint8Array; limit?: number } = pathKeyRange(path, from);
    if (limit !== Infinity) options.limit = limit;
    for (const { key, value } of this.#leaves.getRange(options)) out.push([decodePathKey(key), decodeValue(value)]);
    return out;
  }

  /** A committed block's leaf writes. */
  written(ops: PreparedBlock['leafOps']): void {
    for (const [path, , , value] of ops) this.#cache.remember(path, value);
  }

  /** Forgets every cached leaf. */
  clear(): void {
    this.#cache.clear();
  }

  /** How many leaves are cached (tests). */
  get size(): number {
    return this.#cache.size;
  }
}

/**
 * The entries of a key range (as `pathKeyRange` gives it: `start` inclusive, `end` exclusive) from
 * its end back to its start, read lazily. lmdb reads backwards from its `start` option (the upper
 * bound, inclusive) down to its `end` (exclusive): so this starts at `range.end`, which is never a key
 * (the subtree's end ends with a byte no label holds, a key after a path with an empty label; one
 * that is a key is skipped) and stops at the first key below `range.start`.
 */
export function* reverseKeys<V>(
  entries: (options: { start?: Uint8Array; reverse: true }) => Iterable<{ key: Uint8Array; value: V }>,
  range: { start?: Uint8Array; end?: Uint8Array },
): Generator<{ key: Uint8Array; value: V }> {
  const options: { start?: Uint8Array; reverse: true } = { reverse: true };
  if (range.end !== undefined) {
    if (range.start !== undefined && compareBytes(range.end, range.start) <= 0) return;
    options.start = range.end;
  }
  for (const entry of entries(options)) {
    // lmdb includes its start: skip it should it be a key (an undo range ends where the next kind begins).
    if (range.end !== undefined && compareBytes(entry.key, range.end) >= 0) continue;
    if (range.start !== undefined && compareBytes(entry.key, range.start) < 0) return;
    yield entry;
  }
}
