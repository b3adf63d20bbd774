/**
 * Undo records: what lets the committed state answer reads at recent heights. Pure (no I/O); the lmdb
 * side is in `historicalReads.ts` (reads at a height), `retention.ts` (the window of kept heights, the
 * pruning) and `committedState.ts` (the commit).
 *
 * For every leaf and trie record a block at height h changes, the commit writes, in the same lmdb
 * transaction, the bytes the record had before the block (or {@link ABSENT}), in one database `undo`:
 *
 *   leaf:         h (u64 BE) || 0x00 || encodePathKey(path)          -> old value bytes
 *   trie records: h (u64 BE) || 0x01 || group (first 2 hex digits of the position; the root and
 *                 depth-1 records are groups of their own)          -> chunk of the group's records
 *   chunk = per record: position length (u8) || position (ASCII hex) || old length (u32 BE) || old bytes
 *
 * Trie records go in chunks (at most 273 per block instead of 2,000-5,000 records) because every lmdb
 * put and delete costs; a read finds its record's chunk with one point lookup and scans it (a few
 * KB: about 8 records per chunk at 10^4 leaves, 20 at 10^6, for 2,000 writes per block).
 *
 * The value of a record at height H (retained, below the latest) is its undo record at the first
 * height h > H that has one: nothing changed it between H and h - 1, so its value at h - 1, which the
 * undo record holds, is its value at H. With no undo record above H, it has not changed since H and
 * the current value is the answer. A read at H probes heights H + 1, H + 2, ... (one point lookup
 * each, at most `keepRecent - 1`) and stops at the first hit: a record that changes every block (the
 * trie's top) is found at once, a leaf that never changed costs one lookup per height.
 *
 * Height first, not record first: a block's undo records are one contiguous range, appended in key
 * order, and pruning a height deletes one contiguous range. Keyed record first (one range seek per
 * read) a block's records land on as many pages as it changes records, several thousand, and both the
 * inserts and the pruning deletes dirty them all; that made commits 10-20 times slower (README).
 *
 * Leaves within one height are in path order (their bases are path keys, in one kind), so the changes
 * under a path at height h are one range, and a list at H is the current range merged with the
 * k-way merge of those ranges for h in (H, latest] ({@link mergeChangedLeaves}, {@link mergeListAt}).
 */
import { ainError, bytesKey } from '../../core/index.ts';
import { ErrCorruptStore, ErrHeightNotRetained, bytesEqual, decodePathKey, decodeValue } from '../index.ts';
import type { TrieNodeReader } from '../index.ts';
import type { StateValue } from '../../core/index.ts';

/**
 * Undo value of a record that did not exist. One byte 0x00: leaf values start with a type tag
 * 0x01-0x03, and trie records are longer than one byte.
 */
export const ABSENT: Uint8Array = Uint8Array.of(0);

export const isAbsent = (value: Uint8Array): boolean => value.length === 1 && value[0] === 0;

/** Record kinds (the byte after the height). */
export const LEAF_UNDO = 0;
export const NODE_UNDO = 1;
export type UndoKind = typeof LEAF_UNDO | typeof NODE_UNDO;

const HEIGHT_BYTES = 8;
/** Bytes before the base: height and kind. */
const UNDO_PREFIX_BYTES = HEIGHT_BYTES + 1;

/** `height || kind || base`. */
export function undoKey(height: bigint, kind: UndoKind, base: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(UNDO_PREFIX_BYTES + base.length);
  out.writeBigUInt64BE(height, 0);
  out[HEIGHT_BYTES] = kind;
  out.set(base, UNDO_PREFIX_BYTES);
  return out;
}

/** `height` as an 8-byte key prefix: the start of the height's undo records (and the end of the heights below). */
export function heightKey(height: bigint): Buffer {
  const out = Buffer.allocUnsafe(HEIGHT_BYTES);
  out.writeBigUInt64BE(height, 0);
  return out;
}

/** The height of the block an undo key was written by. */
export function undoHeight(key: Uint8Array): bigint {
  if (key.length < UNDO_PREFIX_BYTES) throw ainError(ErrCorruptStore, 'undo key too short');
  return Buffer.from(key.buffer, key.byteOffset, key.length).readBigUInt64BE(0);
}

/** The record key an undo key belongs to. */
export function undoBase(key: Uint8Array): Uint8Array {
  return key.subarray(UNDO_PREFIX_BYTES);
}

/**
 * The undo keys of leaves at height `height` whose path keys lie in `range` (from `pathKeyRange`;
 * empty = every leaf).
 */
export function leafUndoRange(height: bigint, range: { start?: Uint8Array; end?: Uint8Array }): { start: Buffer; end: Buffer } {
  const kindEnd = Buffer.allocUnsafe(UNDO_PREFIX_BYTES);
  kindEnd.writeBigUInt64BE(height, 0);
  kindEnd[HEIGHT_BYTES] = LEAF_UNDO + 1;
  return {
    start: undoKey(height, LEAF_UNDO, range.start ?? new Uint8Array()),
    end: range.end === undefined ? kindEnd : undoKey(height, LEAF_UNDO, range.end),
  };
}

/** One lmdb entry of a block's undo records, before its height is known. */
export interface UndoEntry {
  readonly kind: UndoKind;
  /** A leaf's path key, or a trie record group ({@link nodeGroup}, latin1). */
  readonly base: Uint8Array;
  /** A leaf's bytes before the block or {@link ABSENT}; a group's chunk ({@link encodeNodeChunk}). */
  readonly old: Uint8Array;
}

const GROUP_CHARS = 2;

/** The chunk a trie record's undo goes into: the first two hex digits of its position. */
export const nodeGroup = (position: string): string => (position.length <= GROUP_CHARS ? position : position.slice(0, GROUP_CHARS));

/** A chunk of trie record undo entries: [position, old bytes or ABSENT]. */
export function encodeNodeChunk(entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  let size = 0;
  for (const [position, old] of entries) size += 5 + position.length + old.length;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const [position, old] of entries) {
    out[o] = position.length;
    out.write(position, o + 1, 'latin1');
    o += 1 + position.length;
    out.writeUInt32BE(old.length, o);
    out.set(old, o + 4);
    o += 4 + old.length;
  }
  return out;
}

/**
 * The old bytes of `position` in a chunk (a copy), or undefined when the chunk does not hold it.
 * @throws AinError ErrCorruptStore for a malformed chunk
 */
export function findInNodeChunk(chunk: Uint8Array, position: string): Uint8Array | undefined {
  const length = position.length;
  let o = 0;
  while (o < chunk.length) {
    const n = chunk[o]!;
    if (o + 5 + n > chunk.length) throw ainError(ErrCorruptStore, 'trie undo chunk truncated');
    let same = n === length;
    for (let i = 0; same && i < n; i++) same = chunk[o + 1 + i] === position.charCodeAt(i);
    o += 1 + n;
    const size = ((chunk[o]! << 24) >>> 0) + (chunk[o + 1]! << 16) + (chunk[o + 2]! << 8) + chunk[o + 3]!;
    o += 4;
    if (o + size > chunk.length) throw ainError(ErrCorruptStore, 'trie undo chunk truncated');
    if (same) return new Uint8Array(chunk.subarray(o, o + size)); // a copy: lmdb-js reuses the chunk's buffer
    o += size;
  }
  return undefined;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A leaf of the current state in key order. */
export interface KeyedLeaf {
  readonly key: Uint8Array;
  readonly path: string;
  readonly value: StateValue;
}

/** A leaf changed after H: its path key and its bytes at H ({@link ABSENT} when it had none). */
export interface LeafAt {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * The leaves at height H, in key order, at most `limit`: the current leaves (`current`, key order)
 * with each leaf changed after H (`changed`, key order, one entry per key) replaced by its value at H.
 * With `reverse`, both iterators and the result are in descending key order. Both iterators are
 * consumed lazily and closed at the end.
 */
export function mergeListAt(
  current: Iterator<KeyedLeaf>,
  changed: Iterator<LeafAt>,
  limit: number,
  reverse = false,
): Array<[string, StateValue]> {
  const order = reverse ? -1 : 1;
  const out: Array<[string, StateValue]> = [];
  if (limit <= 0) return out;
  try {
    let c = current.next();
    let u = changed.next();
    while (out.length < limit) {
      const cur = c.done ? undefined : c.value;
      const old = u.done ? undefined : u.value;
      if (cur === undefined && old === undefined) break;
      const cmp = cur === undefined ? 1 : old === undefined ? -1 : order * compareBytes(cur.key, old.key);
      if (cmp < 0) {
        out.push([cur!.path, cur!.value]);
        c = current.next();
        continue;
      }
      if (!isAbsent(old!.value)) out.push([decodePathKey(old!.key), decodeValue(old!.value)]);
      if (cmp === 0) c = current.next();
      u = changed.next();
    }
    return out;
  } finally {
    // Release the lmdb cursors of iterations stopped early.
    current.return?.();
    changed.return?.();
  }
}

/**
 * Merges the leaf changes of several heights, each stream in key order and `streams` in height order
 * (oldest first), into one key-ordered stream with one entry per key: the oldest height's, which is
 * the first change after H. A binary heap keeps it O(log k) per record. With `reverse`, the streams
 * and the result are in descending key order.
 */
export function* mergeChangedLeaves(streams: ReadonlyArray<Iterator<LeafAt>>, reverse = false): Generator<LeafAt> {
  // Heap entries: [current head, stream index]; ordered by key (descending in reverse), then stream index.
  const heap: Array<[LeafAt, number]> = [];
  const order = reverse ? -1 : 1;
  const less = (a: [LeafAt, number], b: [LeafAt, number]) => {
    const c = order * compareBytes(a[0].key, b[0].key);
    return c < 0 || (c === 0 && a[1] < b[1]);
  };
  const push = (item: [LeafAt, number]) => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): [LeafAt, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const advance = (index: number) => {
    const next = streams[index]!.next();
    if (!next.done) push([next.value, index]);
  };
  try {
    for (let i = 0; i < streams.length; i++) advance(i);
    while (heap.length > 0) {
      const [first, index] = pop();
      advance(index);
      // Later heights' changes of the same key are not the first change after H: skip them.
      while (heap.length > 0 && compareBytes(heap[0]![0].key, first.key) === 0) advance(pop()[1]);
      yield first;
    }
  } finally {
    for (const stream of streams) stream.return?.();
  }
}

/**
 * A reader that remembers every record it reads in `before` (position -> bytes, undefined: none).
 * `updateTrie` reads every record it rewrites or deletes (positions it creates had none), so after an
 * update `before` holds the old bytes of each record it changed.
 */
export function recordingReader(reader: TrieNodeReader, before: Map<string, Uint8Array | undefined>): TrieNodeReader {
  return {
    getNode(position: string): Uint8Array | undefined {
      const record = reader.getNode(position);
      before.set(position, record);
      return record;
    },
  };
}

/**
 * A block's undo entries, in undo key order so the commit appends: its leaves (`leafOps`: canonical
 * path, path key, new bytes or null; in key order), then its trie records in chunks by group (hex, so
 * string order is byte order). `before` holds the old records ({@link recordingReader}), `currentLeaf`
 * gives a leaf's bytes before the block. Writes that change nothing leave no entry. `count` is the
 * number of records undone (leaves and trie records).
 */
export function blockUndo(
  leafOps: ReadonlyArray<readonly [string, Uint8Array, Uint8Array | null, unknown]>,
  nodeOps: ReadonlyMap<string, Uint8Array | null>,
  before: ReadonlyMap<string, Uint8Array | undefined>,
  currentLeaf: (canonical: string, key: Uint8Array) => Uint8Array | undefined,
): { undo: UndoEntry[]; count: number } {
  const undo: UndoEntry[] = [];
  for (const [canonical, key, value] of leafOps) {
    const old = currentLeaf(canonical, key);
    if (old === undefined ? value === null : value !== null && bytesEqual(old, value)) continue;
    undo.push({ kind: LEAF_UNDO, base: key, old: old ?? ABSENT });
  }
  let count = undo.length;
  const groups = new Map<string, Array<[string, Uint8Array]>>();
  for (const [position, record] of nodeOps) {
    const old = before.get(position);
    if (old === undefined ? record === null : record !== null && Buffer.compare(old, record) === 0) continue;
    const group = nodeGroup(position);
    const entries = groups.get(group);
    if (entries === undefined) groups.set(group, [[position, old ?? ABSENT]]);
    else entries.push([position, old ?? ABSENT]);
    count++;
  }
  for (const group of [...groups.keys()].sort()) {
    undo.push({ kind: NODE_UNDO, base: Buffer.from(group, 'latin1'), old: encodeNodeChunk(groups.get(group)!) });
  }
  return { undo, count };
}

/** The undo entries of one block still being written (commitAsync), by kind and base ({@link bytesKey}); and its leaves in key order. */
export interface PendingUndo {
  readonly byKey: readonly [Map<string, Uint8Array>, Map<string, Uint8Array>];
  readonly leaves: readonly LeafAt[];
}

/** The in-memory form of a block's undo entries, read until its lmdb transaction is done. */
export function pendingUndo(undo: readonly UndoEntry[]): PendingUndo {
  const block: PendingUndo = { byKey: [new Map(), new Map()], leaves: [] };
  for (const { kind, base, old } of undo) {
    block.byKey[kind].set(bytesKey(base), old);
    if (kind === LEAF_UNDO) (block.leaves as LeafAt[]).push({ key: base, value: old });
  }
  return block;
}

/**
 * The oldest readable height once `height` is committed: `height - keepRecent + 1`, never below the
 * history floor (every block above `floor` has undo records); `floor` itself when `keepRecent` is 0.
 */
export function oldestRetained(height: bigint, floor: bigint, keepRecent: number): bigint {
  if (keepRecent === 0) return floor;
  const window = height - BigInt(keepRecent) + 1n;
  return window > floor ? window : floor;
}

/**
 * @throws TypeError unless `height` is a bigint
 * @throws AinError ErrHeightNotRetained unless oldest <= height <= latest
 */
export function checkRetained(height: bigint, oldest: bigint, latest: bigint): void {
  if (typeof height !== 'bigint') throw new TypeError(`height ${String(height)} is not a bigint`);
  if (height >= oldest && height <= latest) return;
  const why = height > latest ? 'is above the latest height' : 'is no longer kept';
  throw ainError(
    ErrHeightNotRetained,
    `height ${height} ${why}; this store keeps heights ${oldest} to ${latest} (oldest retained height ${oldest})`,
    {
      height: String(height),
      oldest: String(oldest),
      latest: String(latest),
    },
  );
}
