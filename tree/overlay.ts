/**
 * A write buffer over any readable state: the block's pending state over the committed store, and a
 * transaction's over the block's. Pure (no I/O): writes live in a Map until they are merged into the
 * parent overlay (a successful tx) or dropped (a failed one), and the block overlay's `writes()` go to
 * `CommittedState.prepare`.
 *
 * `get` and `set` are Map operations after one scan of the path. `list` merges the overlay's own
 * writes (kept sorted lazily) with the parent's range, in path order; deletes hide parent leaves.
 */
import { ainError, unmeteredView } from '../core/index.ts';
import { ErrWriteToRoot } from './errors.ts';
import { checkListLimit, comparePaths, isAtOrUnder, normalizePath, ROOT_PATH } from './path.ts';
import type { ReadableState, StateValue, StateWrite, WritableState } from '../core/index.ts';
import { checkValue } from './valueCodec.ts';

/** A ReadableState with no leaves: the parent of an overlay that needs no store (tests, genesis checks). */
export const EMPTY_STATE: ReadableState = Object.freeze({
  get: (path: string): StateValue | undefined => {
    normalizePath(path);
    return undefined;
  },
  list: (path: string, limit: number, from?: string, _reverse?: boolean): Array<[string, StateValue]> => {
    normalizePath(path);
    if (from !== undefined) normalizePath(from);
    checkListLimit(limit);
    return [];
  },
});

/**
 * A state that reads a path `normalizePath` already returned without validating it again: the
 * overlays and the committed store pass one canonical path down their chain instead of rescanning it
 * at every layer (a tx's read that misses every overlay used to be validated three times).
 */
export interface CanonicalReader extends ReadableState {
  /** The leaf at `canonical`, a path exactly as `normalizePath` returns it. */
  getCanonical(canonical: string): StateValue | undefined;
}

function isCanonicalReader(state: ReadableState): state is CanonicalReader {
  return typeof (state as Partial<CanonicalReader>).getCanonical === 'function';
}

/**
 * Buffered writes over a parent state.
 * @example
 * const block = new Overlay(committed);
 * const tx = block.child();
 * tx.set('/accounts/ain1xyz/sequence', 1);
 * if (ok) tx.commitToParent(); // else drop `tx`
 * committed.prepare(block.writes());
 */
export class Overlay implements WritableState, CanonicalReader {
  readonly parent: ReadableState;
  /** The parent when it reads canonical paths (an overlay or the committed store), else undefined. */
  readonly #canonicalParent: CanonicalReader | undefined;
  readonly #writes = new Map<string, StateWrite>();
  /** Keys of #writes in path order, except those still in #unsorted. */
  #sorted: string[] = [];
  #unsorted: string[] = [];

  constructor(parent: ReadableState) {
    this.parent = parent;
    this.#canonicalParent = isCanonicalReader(parent) ? parent : undefined;
  }

  /**
   * The value at `path`: this overlay's write if any (a delete reads as undefined), else the parent's.
   * @throws AinError store/1-5 for an invalid path
   */
  get(path: string): StateValue | undefined {
    return this.getCanonical(normalizePath(path));
  }

  getCanonical(canonical: string): StateValue | undefined {
    const own = this.#writes.get(canonical);
    if (own !== undefined) return own === null ? undefined : own;
    const parent = this.#canonicalParent;
    return parent === undefined ? this.parent.get(canonical) : parent.getCanonical(canonical);
  }

  /**
   * Buffers a write: a value, or null to delete the leaf.
   * @throws AinError store/1-5 for an invalid path, ErrWriteToRoot, ErrInvalidValue
   */
  set(path: string, value: StateWrite): void {
    const canonical = normalizePath(path);
    if (canonical === ROOT_PATH) throw ainError(ErrWriteToRoot, undefined, { path });
    this.#put(canonical, value === null ? null : checkValue(value));
  }

  /** Buffers a delete of the leaf at `path` (same as `set(path, null)`). */
  delete(path: string): void {
    this.set(path, null);
  }

  #put(canonical: string, write: StateWrite): void {
    const writes = this.#writes;
    const before = writes.size;
    writes.set(canonical, write);
    if (writes.size !== before) this.#unsorted.push(canonical);
  }

  /**
   * Leaves at and under `path` in path order (at or after `from` when given), at most `limit`: this
   * overlay's writes merged over the parent's leaves from the same point, deleted leaves left out.
   * With `reverse`, in reverse path order from `from` (inclusive) or the subtree's end back.
   * @throws AinError store/1-5 for an invalid path, ErrInvalidLimit
   */
  list(path: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
    const prefix = normalizePath(path);
    const start = from === undefined ? undefined : normalizePath(from);
    checkListLimit(limit);
    if (limit === 0) return [];
    const own = this.#ownRange(prefix, start, reverse);
    const parentList = (n: number) => this.parent.list(prefix, n, start, reverse);
    if (own.length === 0) return parentList(limit);
    let deletes = 0;
    for (const [, write] of own) if (write === null) deletes++;
    const base = parentList(limit === Infinity ? Infinity : limit + deletes);
    const order = reverse ? -1 : 1;
    const out: Array<[string, StateValue]> = [];
    let i = 0;
    let j = 0;
    while (out.length < limit && (i < own.length || j < base.length)) {
      const o = own[i];
      const b = base[j];
      const c = o === undefined ? 1 : b === undefined ? -1 : order * comparePaths(o[0], b[0]);
      if (c <= 0) {
        if (o![1] !== null) out.push([o![0], o![1]]);
        i++;
        if (c === 0) j++;
      } else {
        out.push(b!);
        j++;
      }
    }
    return out;
  }

  /**
   * Own writes at or under canonical `prefix` (at or after canonical `from` when given), in path
   * order; in reverse, those at or before `from`, in reverse path order.
   */
  #ownRange(prefix: string, from: string | undefined, reverse: boolean): Array<[string, StateWrite]> {
    const out: Array<[string, StateWrite]> = [];
    if (this.#writes.size === 0) return out;
    const sorted = this.#sortedKeys();
    if (reverse) {
      // Back from the last key of the subtree (at or before `from`) to the first one.
      let end = partitionPoint(sorted, (key) => comparePaths(key, prefix) < 0 || isAtOrUnder(key, prefix));
      if (from !== undefined)
        end = Math.min(
          end,
          partitionPoint(sorted, (key) => comparePaths(key, from) <= 0),
        );
      for (let k = end - 1; k >= 0 && isAtOrUnder(sorted[k]!, prefix); k--) out.push([sorted[k]!, this.#writes.get(sorted[k]!)!]);
      return out;
    }
    const first = from !== undefined && comparePaths(from, prefix) > 0 ? from : prefix;
    const lo = first === ROOT_PATH ? 0 : partitionPoint(sorted, (key) => comparePaths(key, first) < 0);
    for (let k = lo; k < sorted.length; k++) {
      const key = sorted[k]!;
      if (!isAtOrUnder(key, prefix)) break;
      out.push([key, this.#writes.get(key)!]);
    }
    return out;
  }

  #sortedKeys(): string[] {
    if (this.#unsorted.length === 0) return this.#sorted;
    const fresh = this.#unsorted.sort(comparePaths);
    const old = this.#sorted;
    const merged: string[] = new Array<string>(old.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < fresh.length) merged[k++] = comparePaths(old[i]!, fresh[j]!) <= 0 ? old[i++]! : fresh[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < fresh.length) merged[k++] = fresh[j++]!;
    this.#sorted = merged;
    this.#unsorted = [];
    return merged;
  }

  /** This overlay's own writes (path -> value, or null for a delete), canonical paths as keys. */
  writes(): ReadonlyMap<string, StateWrite> {
    return this.#writes;
  }

  /** Number of buffered writes. */
  get size(): number {
    return this.#writes.size;
  }

  /**
   * This overlay read over its parent's state without gas (core's `unmeteredView`): itself when
   * nothing below meters, else a copy of its writes over the unmetered parent.
   */
  get unmetered(): ReadableState {
    const base = unmeteredView(this.parent);
    if (base === this.parent) return this;
    const view = new Overlay(base);
    this.mergeInto(view);
    return view;
  }

  /** A nested overlay (e.g. for one transaction) reading through this one. */
  child(): Overlay {
    return new Overlay(this);
  }

  /** Copies this overlay's writes into `target` (a later write there wins over an earlier one). */
  mergeInto(target: Overlay): void {
    for (const [path, write] of this.#writes) target.#put(path, write);
  }

  /**
   * Merges this overlay's writes into its parent overlay and clears them here.
   * @throws Error when the parent is not an Overlay (a committed store is written by `commit`)
   */
  commitToParent(): void {
    if (!(this.parent instanceof Overlay)) throw new Error('commitToParent: the parent is not an Overlay');
    this.mergeInto(this.parent);
    this.discard();
  }

  /** Drops every buffered write. */
  discard(): void {
    this.#writes.clear();
    this.#sorted = [];
    this.#unsorted = [];
  }
}

/** The first index of `sorted` whose key `before` refuses (`before` holds for a prefix of `sorted`). */
function partitionPoint(sorted: readonly string[], before: (key: string) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(sorted[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
