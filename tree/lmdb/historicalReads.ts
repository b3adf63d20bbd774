/**
 * The lmdb side of history's reads: the committed state as of a retained height (`getAt`, `listAt`,
 * `proveAt`, `appHashAt`, the `stateAt` view), and the statistics of the undo records. `CommittedState`
 * checks the height and hands these functions a {@link HistoryView} (its databases, its heights and
 * its pending layer); the record formats and the merges are pure, in `history.ts`; which heights are
 * kept, in `retention.ts`.
 *
 * The value of a record at H is its undo record at the first height above H that has one, or the
 * current value when no height above H has one (history.ts). The blocks `commitAsync` is still
 * writing are read from memory (they may not be in lmdb yet).
 */
import type { Database } from 'lmdb';
import {
  LEAF_UNDO,
  NODE_UNDO,
  type KeyedLeaf,
  type LeafAt,
  type PendingUndo,
  type UndoKind,
  compareBytes,
  findInNodeChunk,
  isAbsent,
  leafUndoRange,
  mergeChangedLeaves,
  mergeListAt,
  nodeGroup,
  undoBase,
  undoHeight,
  undoKey,
} from './history.ts';
import { reverseKeys } from './diskLeaves.ts';
import type { RecordAllocator, TrieNodeReader, StateProof } from '../index.ts';
import { decodePathKey, encodePathKey, pathKeyRange, ROOT_PATH, decodeValue } from '../index.ts';
import type { ReadableState, StateValue } from '../../core/index.ts';
import { bytesKey } from '../../core/index.ts';

/** The committed state as of one retained height (see `CommittedState.stateAt`). */
export interface StateAtHeight extends ReadableState {
  readonly height: bigint;
  /** The proof of the value at `path` (or its absence) against the app hash of this height. */
  prove(path: string): StateProof;
}

/** What a read at a retained height needs of the committed state, as of the read. */
export interface HistoryView {
  /** The height read (retained: checked by the caller). */
  readonly at: bigint;
  /** The latest committed height. */
  readonly latest: bigint;
  readonly leaves: Database<Uint8Array, Uint8Array>;
  readonly undo: Database<Uint8Array, Uint8Array>;
  /** The current leaves: the pending layer when there is one, else the disk. */
  readonly current: ReadableState;
  /** The blocks commitAsync is still writing: their leaves (over the disk) and undo records by height. */
  readonly pending: { readonly leaves: ReadableState; readonly undo: ReadonlyMap<bigint, PendingUndo> } | undefined;
  /** A reader of the current trie records (pending ones first), copying each record into `alloc`'s memory. */
  reader(alloc: RecordAllocator): TrieNodeReader;
}

/** The reads a {@link StateAtHeight} view makes (`CommittedState` has them). */
export interface HeightReads {
  getAt(path: string, height: bigint): StateValue | undefined;
  listAt(path: string, limit: number, height: bigint, from?: string, reverse?: boolean): Array<[string, StateValue]>;
  proveAt(path: string, height: bigint): StateProof;
}

/** A view of `reads` at `height`; each read checks the height again. */
export function viewAt(reads: HeightReads, height: bigint): StateAtHeight {
  return {
    height,
    get: (path) => reads.getAt(path, height),
    list: (path, limit, from, reverse) => reads.listAt(path, limit, height, from, reverse),
    prove: (path) => reads.proveAt(path, height),
  };
}

/**
 * The bytes of a record at `view.at` (ABSENT: none) when it changed after that height, else undefined:
 * its undo record at the first height above it that has one. `base` is the undo entry's (path key, or
 * trie record group); `find` picks the record out of a trie chunk.
 */
function firstAfter(
  view: HistoryView,
  kind: UndoKind,
  base: Uint8Array,
  find?: (entry: Uint8Array) => Uint8Array | undefined,
): Uint8Array | undefined {
  const pending = view.pending?.undo;
  const id = pending === undefined ? '' : bytesKey(base);
  const key = undoKey(0n, kind, base);
  const undo = view.undo;
  for (let h = view.at + 1n; h <= view.latest; h++) {
    // A block still being written is read from memory (it may not be in lmdb yet).
    const block = pending?.get(h);
    let entry: Uint8Array | undefined;
    if (block !== undefined) {
      entry = block.byKey[kind].get(id);
    } else {
      key.writeBigUInt64BE(h, 0);
      entry = undo.getBinaryFast(key);
    }
    if (entry === undefined) continue;
    if (find === undefined) return new Uint8Array(entry.buffer, entry.byteOffset, entry.length).slice();
    const old = find(entry);
    if (old !== undefined) return old;
  }
  return undefined;
}

/** A reader of the trie records as they were at `view.at`. */
export function trieAt(view: HistoryView, alloc: RecordAllocator): TrieNodeReader {
  const current = view.reader(alloc);
  if (view.at === view.latest) return current;
  return {
    getNode: (position: string): Uint8Array | undefined => {
      const old = firstAfter(view, NODE_UNDO, Buffer.from(nodeGroup(position), 'latin1'), (chunk) => findInNodeChunk(chunk, position));
      if (old === undefined) return current.getNode(position);
      return isAbsent(old) ? undefined : old;
    },
  };
}

/** The value at a canonical path as committed at `view.at`. */
export function leafAt(view: HistoryView, canonical: string): StateValue | undefined {
  if (canonical === ROOT_PATH) return undefined;
  if (view.at === view.latest) return view.current.get(canonical);
  const old = firstAfter(view, LEAF_UNDO, encodePathKey(canonical));
  if (old === undefined) return view.current.get(canonical);
  return isAbsent(old) ? undefined : decodeValue(old);
}

/**
 * The leaves at and under a canonical path as committed at `view.at`, in path order (at or after
 * canonical `from` when given), at most `limit`: the current range merged with the leaf undo records
 * in that range of each height above. With `reverse`, in reverse path order, at or before `from`:
 * every range read backwards and merged in descending key order.
 */
export function leavesAt(view: HistoryView, canonical: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
  if (view.at === view.latest) return view.current.list(canonical, limit, from, reverse);
  const range = pathKeyRange(canonical, from, reverse);
  const streams: Array<Iterator<LeafAt>> = [];
  for (let h = view.at + 1n; h <= view.latest; h++) streams.push(leafChangesAt(view, h, range, reverse));
  return mergeListAt(currentLeaves(view, canonical, limit, from, reverse), mergeChangedLeaves(streams, reverse), limit, reverse);
}

/** The current leaves at and under a canonical path (at or after `from`; before it, backwards, in reverse), read lazily. */
function* currentLeaves(
  view: HistoryView,
  canonical: string,
  limit: number,
  from: string | undefined,
  reverse: boolean,
): Generator<KeyedLeaf> {
  const pending = view.pending;
  if (pending === undefined) {
    const range = pathKeyRange(canonical, from, reverse);
    const entries = reverse ? reverseKeys((o) => view.leaves.getRange(o), range) : view.leaves.getRange(range);
    for (const { key, value } of entries) yield { key, path: decodePathKey(key), value: decodeValue(value) };
    return;
  }
  // The pending overlay lists with a limit: fetch more (doubling) until the merge stops asking.
  let want = Math.min(limit, Number.MAX_SAFE_INTEGER) + 16;
  let consumed = 0;
  for (;;) {
    const batch = pending.leaves.list(canonical, want, from, reverse);
    for (let i = consumed; i < batch.length; i++) {
      const [path, value] = batch[i]!;
      consumed++;
      yield { key: encodePathKey(path), path, value };
    }
    if (batch.length < want) return;
    want *= 2;
  }
}

/**
 * The leaf undo records of block `h` at or under `range`, in key order (descending in reverse; from
 * memory while the block is being written).
 */
function* leafChangesAt(
  view: HistoryView,
  h: bigint,
  range: { start?: Uint8Array; end?: Uint8Array },
  reverse: boolean,
): Generator<LeafAt> {
  const block = view.pending?.undo.get(h);
  if (block !== undefined) {
    const leaves = reverse ? [...block.leaves].reverse() : block.leaves;
    for (const leaf of leaves) {
      if (range.start !== undefined && compareBytes(leaf.key, range.start) < 0) {
        if (reverse) break;
        continue;
      }
      if (range.end !== undefined && compareBytes(leaf.key, range.end) >= 0) {
        if (reverse) continue;
        break;
      }
      yield leaf;
    }
    return;
  }
  const keys = leafUndoRange(h, range);
  const entries = reverse ? reverseKeys((o) => view.undo.getRange(o), keys) : view.undo.getRange(keys);
  for (const { key, value } of entries) yield { key: undoBase(key), value };
}

/**
 * How much history is stored on disk: the number of lmdb entries of undo records (leaves, and chunks
 * of trie records), the bytes of their pages, and the oldest height that has some (undefined when none).
 */
export function undoStats(undo: Database<Uint8Array, Uint8Array>): { records: number; bytes: number; oldestRecorded: bigint | undefined } {
  let oldestRecorded: bigint | undefined;
  for (const key of undo.getKeys({ limit: 1 })) oldestRecorded = undoHeight(key);
  const stats = undo.getStats() as {
    pageSize: number;
    treeBranchPageCount: number;
    treeLeafPageCount: number;
    overflowPages: number;
  };
  const bytes = stats.pageSize * (stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages);
  return { records: undo.getCount(), bytes, oldestRecorded };
}
