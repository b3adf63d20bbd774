/**
 * The authenticated structure behind the app hash: a 16-ary radix trie over the 64 nibbles of each
 * leaf's key hash (sha256 of the path key), with single-leaf compaction (a subtree holding one leaf is
 * that leaf; a subtree holding none is absent). The shape is a function of the set of leaves only, so
 * the root does not depend on insertion order, batching, or history (delete then re-insert restores
 * the old root). Node hashes are defined in `hash.ts`.
 *
 * Persistence: one record per branch, keyed by its position (the nibbles from the root as lower-case
 * hex; the root is ``), overwritten in place when it changes:
 *
 *   branch record = 0x01 || bitmap (u16 BE) || childHash[32] per present child (nibble order)
 *                   || leafmap (u16 BE: which children are leaves)
 *                   || keyHash[32] || valueHash[32] per leaf child (nibble order)
 *
 * so the branch hash is sha256 of the record's prefix up to the child hashes, and a leaf child needs no
 * record of its own. A tree of exactly one leaf stores `0x00 || keyHash || valueHash` at the root.
 *
 * Cost: an update of k leaves reads and rewrites only the branches on their paths, O(k * log16 N)
 * records, each hashed once (at most 16 child hashes of input); untouched children keep their stored
 * hashes and are copied as bytes. New records may be views of a shared buffer ({@link arenaAllocator}).
 */
import { ainError } from '../core/index.ts';
import { ErrCorruptStore } from './errors.ts';
import { EMPTY_ROOT, HASH_BYTES, TAG_BRANCH, TAG_LEAF, leafHash, nibbleAt, popcount16, sha256, toHex } from './hash.ts';
import type { ProofStep, StateProof } from './proof.ts';

/**
 * Read access to persisted trie records by position (see the module comment). The bytes returned must
 * not change while an update or proof that read them is in progress.
 */
export interface TrieNodeReader {
  getNode(position: string): Uint8Array | undefined;
}

/** Allocates the bytes of a new record (lets a caller pack records into one buffer). */
export type RecordAllocator = (size: number) => Uint8Array;

const allocateEach: RecordAllocator = (size) => new Uint8Array(size);

/**
 * Hands out views of large shared buffers, so a block's thousands of records cost a few allocations
 * instead of one ArrayBuffer each.
 */
export function arenaAllocator(chunkSize = 1 << 20): RecordAllocator {
  let chunk = new Uint8Array(0);
  let offset = 0;
  return (size) => {
    if (offset + size > chunk.length) {
      chunk = new Uint8Array(Math.max(chunkSize, size));
      offset = 0;
    }
    const out = chunk.subarray(offset, offset + size);
    offset += size;
    return out;
  };
}

/**
 * An arena for bytes that die with one operation (the copies of the records an update reads): its
 * chunks are kept and handed out again after each `reset()`, so a block reuses the memory of the last
 * one instead of allocating and zeroing megabytes of fresh memory each time.
 * A huge operation (a genesis, a restore) takes more chunks; `reset` keeps `keepChunks` of them.
 */
export function reusableArena(chunkSize = 1 << 20, keepChunks = 8): { reset(): RecordAllocator } {
  const chunks: Uint8Array[] = [];
  let index = 0;
  let offset = 0;
  const alloc: RecordAllocator = (size) => {
    if (size > chunkSize) return new Uint8Array(size);
    if (index === chunks.length) chunks.push(new Uint8Array(chunkSize));
    if (offset + size > chunkSize) {
      index++;
      offset = 0;
      if (index === chunks.length) chunks.push(new Uint8Array(chunkSize));
    }
    const out = chunks[index]!.subarray(offset, offset + size);
    offset += size;
    return out;
  };
  return {
    /** Forgets every view handed out so far and returns the allocator, which starts again at the first chunk. */
    reset() {
      if (chunks.length > keepChunks) chunks.length = keepChunks;
      index = 0;
      offset = 0;
      return alloc;
    },
  };
}

/** Set (valueHash) or delete (null) the leaf with `keyHash`. */
export interface TrieUpdate {
  readonly keyHash: Uint8Array;
  readonly valueHash: Uint8Array | null;
}

/** The new root and the record writes (null = delete) that take the trie there. */
export interface TrieUpdateResult {
  readonly root: Uint8Array;
  readonly nodeOps: ReadonlyMap<string, Uint8Array | null>;
}

const HEX = '0123456789abcdef';
const MAX_DEPTH = 2 * HASH_BYTES;
const LEAF = 0;
const BRANCH = 1;

interface LeafRef {
  readonly kind: typeof LEAF;
  readonly keyHash: Uint8Array;
  readonly valueHash: Uint8Array;
  hash: Uint8Array | undefined;
}

interface BranchRef {
  readonly kind: typeof BRANCH;
  readonly hash: Uint8Array;
}

type Ref = LeafRef | BranchRef | null;

function corrupt(detail: string, position: string): Error {
  return ainError(ErrCorruptStore, detail, { position });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function hashOf(ref: LeafRef | BranchRef): Uint8Array {
  if (ref.kind === BRANCH) return ref.hash;
  return (ref.hash ??= leafHash(ref.keyHash, ref.valueHash));
}

/** The header of a stored branch record, validated; children are decoded on demand. */
interface BranchView {
  readonly record: Uint8Array;
  readonly bitmap: number;
  readonly leafmap: number;
  /** Offset of the first leaf child's keyHash. */
  readonly leavesAt: number;
}

function viewBranch(record: Uint8Array, position: string): BranchView {
  if (record.length < 5 || record[0] !== TAG_BRANCH) throw corrupt('bad branch record', position);
  const bitmap = (record[1]! << 8) | record[2]!;
  const leafmapAt = 3 + HASH_BYTES * popcount16(bitmap);
  const leafmap = (record[leafmapAt]! << 8) | record[leafmapAt + 1]!;
  if (bitmap === 0 || (leafmap & ~bitmap) !== 0 || record.length !== leafmapAt + 2 + 2 * HASH_BYTES * popcount16(leafmap)) {
    throw corrupt('bad branch record', position);
  }
  return { record, bitmap, leafmap, leavesAt: leafmapAt + 2 };
}

/** Child `n` of a stored branch (views of the record's bytes), or null when absent. */
function childOf(view: BranchView, n: number): Ref {
  const bit = 1 << n;
  if ((view.bitmap & bit) === 0) return null;
  const below = bit - 1;
  const h = 3 + HASH_BYTES * popcount16(view.bitmap & below);
  const hash = view.record.subarray(h, h + HASH_BYTES);
  if ((view.leafmap & bit) === 0) return { kind: BRANCH, hash };
  const l = view.leavesAt + 2 * HASH_BYTES * popcount16(view.leafmap & below);
  return {
    kind: LEAF,
    keyHash: view.record.subarray(l, l + HASH_BYTES),
    valueHash: view.record.subarray(l + HASH_BYTES, l + 2 * HASH_BYTES),
    hash,
  };
}

function parseRoot(record: Uint8Array | undefined): Ref {
  if (record === undefined) return null;
  if (record[0] === TAG_LEAF) {
    if (record.length !== 1 + 2 * HASH_BYTES) throw corrupt('bad root leaf record', '');
    return { kind: LEAF, keyHash: record.subarray(1, 33), valueHash: record.subarray(33, 65), hash: undefined };
  }
  if (record[0] !== TAG_BRANCH || record.length < 3) throw corrupt('bad root record', '');
  const count = popcount16((record[1]! << 8) | record[2]!);
  return { kind: BRANCH, hash: sha256(record.subarray(0, 3 + HASH_BYTES * count)) };
}

function leafRecord(leaf: LeafRef, alloc: RecordAllocator): Uint8Array {
  const out = alloc(1 + 2 * HASH_BYTES);
  out[0] = TAG_LEAF;
  out.set(leaf.keyHash, 1);
  out.set(leaf.valueHash, 1 + HASH_BYTES);
  return out;
}

class Updater {
  readonly ops = new Map<string, Uint8Array | null>();

  constructor(
    private readonly reader: TrieNodeReader,
    private readonly updates: readonly TrieUpdate[],
    private readonly rootRecord: Uint8Array | undefined,
    private readonly alloc: RecordAllocator,
  ) {}

  /** The subtree at `position` after applying updates[lo, hi) to `ref`. */
  apply(position: string, depth: number, ref: Ref, lo: number, hi: number): Ref {
    if (lo === hi) return ref;
    if (ref === null || ref.kind === LEAF) return this.rebuild(position, depth, ref, lo, hi);
    const record = position === '' ? this.rootRecord : this.reader.getNode(position);
    if (record === undefined) throw corrupt('missing branch record', position);
    const view = viewBranch(record, position);
    // Only the children that receive updates are decoded; the others are copied as bytes.
    const touched: Array<Ref | undefined> = new Array<Ref | undefined>(16).fill(undefined);
    const updates = this.updates;
    let i = lo;
    while (i < hi) {
      const nibble = nibbleAt(updates[i]!.keyHash, depth);
      let j = i + 1;
      while (j < hi && nibbleAt(updates[j]!.keyHash, depth) === nibble) j++;
      touched[nibble] = this.apply(position + HEX[nibble]!, depth + 1, childOf(view, nibble), i, j);
      i = j;
    }
    return this.finishUpdated(position, view, touched);
  }

  /** {@link finish} for a stored branch of which only the `touched` children changed. */
  private finishUpdated(position: string, view: BranchView, touched: ReadonlyArray<Ref | undefined>): Ref {
    let bitmap = 0;
    let leafmap = 0;
    let count = 0;
    let leaves = 0;
    let only = -1;
    for (let n = 0; n < 16; n++) {
      const bit = 1 << n;
      const t = touched[n];
      if (t === undefined) {
        if ((view.bitmap & bit) === 0) continue;
        if ((view.leafmap & bit) !== 0) {
          leafmap |= bit;
          leaves++;
        }
      } else {
        if (t === null) continue;
        if (t.kind === LEAF) {
          leafmap |= bit;
          leaves++;
        }
      }
      bitmap |= bit;
      count++;
      only = n;
    }
    if (count === 0) {
      this.ops.set(position, null);
      return null;
    }
    if (count === 1 && leafmap !== 0) {
      this.ops.set(position, null);
      return touched[only] ?? childOf(view, only);
    }
    const old = view.record;
    const hashesEnd = 3 + HASH_BYTES * count;
    const record = this.alloc(hashesEnd + 2 + 2 * HASH_BYTES * leaves);
    record[0] = TAG_BRANCH;
    record[1] = bitmap >>> 8;
    record[2] = bitmap & 0xff;
    record[hashesEnd] = leafmap >>> 8;
    record[hashesEnd + 1] = leafmap & 0xff;
    // Untouched children between two touched ones are contiguous in both records (hashes, and leaf
    // pairs): copy each such run in one go (a deep record holds ~15 leaves, of which one changes).
    let h = 3;
    let l = hashesEnd + 2;
    let oh = 3;
    let ol = view.leavesAt;
    let runOh = oh;
    let runH = h;
    let runOl = ol;
    let runL = l;
    for (let n = 0; n < 16; n++) {
      const bit = 1 << n;
      const wasPresent = (view.bitmap & bit) !== 0;
      const wasLeaf = (view.leafmap & bit) !== 0;
      if (wasPresent) oh += HASH_BYTES;
      if (wasLeaf) ol += 2 * HASH_BYTES;
      const t = touched[n];
      if (t === undefined) {
        if (wasPresent) h += HASH_BYTES;
        if (wasLeaf) l += 2 * HASH_BYTES;
        continue;
      }
      const slotOh = wasPresent ? oh - HASH_BYTES : oh;
      const slotOl = wasLeaf ? ol - 2 * HASH_BYTES : ol;
      if (slotOh > runOh) record.set(old.subarray(runOh, slotOh), runH);
      if (slotOl > runOl) record.set(old.subarray(runOl, slotOl), runL);
      if (t !== null) {
        record.set(hashOf(t), h);
        h += HASH_BYTES;
        if (t.kind === LEAF) {
          record.set(t.keyHash, l);
          record.set(t.valueHash, l + HASH_BYTES);
          l += 2 * HASH_BYTES;
        }
      }
      runOh = oh;
      runH = h;
      runOl = ol;
      runL = l;
    }
    if (oh > runOh) record.set(old.subarray(runOh, oh), runH);
    if (ol > runOl) record.set(old.subarray(runOl, ol), runL);
    this.ops.set(position, record);
    return { kind: BRANCH, hash: sha256(record.subarray(0, hashesEnd)) };
  }

  /** A subtree that was empty or one leaf: merge that leaf with the updates and build afresh. */
  private rebuild(position: string, depth: number, existing: LeafRef | null, lo: number, hi: number): Ref {
    const entries: LeafRef[] = [];
    let pending = existing;
    for (let i = lo; i < hi; i++) {
      const u = this.updates[i]!;
      if (pending !== null) {
        const c = compareBytes(pending.keyHash, u.keyHash);
        if (c < 0) entries.push(pending);
        if (c <= 0) pending = null;
      }
      if (u.valueHash !== null) entries.push({ kind: LEAF, keyHash: u.keyHash, valueHash: u.valueHash, hash: undefined });
    }
    if (pending !== null) entries.push(pending);
    return this.build(position, depth, entries, 0, entries.length);
  }

  private build(position: string, depth: number, entries: readonly LeafRef[], lo: number, hi: number): Ref {
    if (hi === lo) return null;
    if (hi - lo === 1) return entries[lo]!;
    if (depth >= MAX_DEPTH) throw corrupt('two leaves with one key hash', position);
    const children: Ref[] = new Array<Ref>(16).fill(null);
    let i = lo;
    while (i < hi) {
      const nibble = nibbleAt(entries[i]!.keyHash, depth);
      let j = i + 1;
      while (j < hi && nibbleAt(entries[j]!.keyHash, depth) === nibble) j++;
      children[nibble] = this.build(position + HEX[nibble]!, depth + 1, entries, i, j);
      i = j;
    }
    return this.finish(position, children);
  }

  /** Canonicalise a branch: no child -> gone, one leaf child -> that leaf, else write the record. */
  private finish(position: string, children: readonly Ref[]): Ref {
    let bitmap = 0;
    let leafmap = 0;
    let count = 0;
    let leaves = 0;
    let only: Ref = null;
    for (let n = 0; n < 16; n++) {
      const child = children[n];
      if (child === null || child === undefined) continue;
      bitmap |= 1 << n;
      count++;
      only = child;
      if (child.kind === LEAF) {
        leafmap |= 1 << n;
        leaves++;
      }
    }
    if (count === 0 || (count === 1 && only!.kind === LEAF)) {
      this.ops.set(position, null);
      return only;
    }
    const hashesEnd = 3 + HASH_BYTES * count;
    const record = this.alloc(hashesEnd + 2 + 2 * HASH_BYTES * leaves);
    record[0] = TAG_BRANCH;
    record[1] = bitmap >>> 8;
    record[2] = bitmap & 0xff;
    record[hashesEnd] = leafmap >>> 8;
    record[hashesEnd + 1] = leafmap & 0xff;
    let h = 3;
    let l = hashesEnd + 2;
    for (let n = 0; n < 16; n++) {
      const child = children[n];
      if (child === null || child === undefined) continue;
      record.set(hashOf(child), h);
      h += HASH_BYTES;
      if (child.kind === LEAF) {
        record.set(child.keyHash, l);
        record.set(child.valueHash, l + HASH_BYTES);
        l += 2 * HASH_BYTES;
      }
    }
    this.ops.set(position, record);
    return { kind: BRANCH, hash: sha256(record.subarray(0, hashesEnd)) };
  }
}

/**
 * Applies `updates` to the trie readable through `reader`, without writing anything: returns the new
 * root and the record puts/deletes to persist. Updates may come in any order; each key hash at most once.
 * @throws AinError ErrCorruptStore when a record is missing or malformed, or a key hash repeats
 */
export function updateTrie(
  reader: TrieNodeReader,
  updates: readonly TrieUpdate[],
  alloc: RecordAllocator = allocateEach,
): TrieUpdateResult {
  const sorted = [...updates].sort((a, b) => compareBytes(a.keyHash, b.keyHash));
  for (let i = 1; i < sorted.length; i++) {
    if (compareBytes(sorted[i - 1]!.keyHash, sorted[i]!.keyHash) === 0) {
      throw ainError(ErrCorruptStore, 'key hash updated twice in one batch', { keyHash: toHex(sorted[i]!.keyHash) });
    }
    if (sorted[i]!.keyHash.length !== HASH_BYTES) throw ainError(ErrCorruptStore, 'key hash is not 32 bytes');
  }
  const rootRecord = reader.getNode('');
  const updater = new Updater(reader, sorted, rootRecord, alloc);
  const root = updater.apply('', 0, parseRoot(rootRecord), 0, sorted.length);
  const ops = updater.ops;
  if (root === null) {
    if (rootRecord !== undefined) ops.set('', null);
    return { root: EMPTY_ROOT, nodeOps: ops };
  }
  if (root.kind === LEAF) {
    ops.set('', leafRecord(root, alloc));
    // A leaf's hash may be a view of a record the reader handed out: the result must own its bytes.
    return { root: hashOf(root).slice(), nodeOps: ops };
  }
  return { root: root.hash, nodeOps: ops };
}

/** The root hash of the persisted trie (EMPTY_ROOT when it has no leaves). */
export function trieRoot(reader: TrieNodeReader): Uint8Array {
  const root = parseRoot(reader.getNode(''));
  return root === null ? EMPTY_ROOT : hashOf(root);
}

/**
 * The proof for `keyHash` (membership or absence) in the persisted trie; see `proof.ts`.
 * @throws AinError ErrCorruptStore when a record on the way is missing or malformed
 */
export function proveKey(reader: TrieNodeReader, keyHash: Uint8Array): StateProof {
  const rootRecord = reader.getNode('');
  const root = parseRoot(rootRecord);
  if (root === null) return { steps: [] };
  const leafOf = (leaf: LeafRef) => ({ keyHash: toHex(leaf.keyHash), valueHash: toHex(leaf.valueHash) });
  if (root.kind === LEAF) return { steps: [], leaf: leafOf(root) };
  const steps: ProofStep[] = [];
  let position = '';
  let record: Uint8Array = rootRecord!;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const view = viewBranch(record, position);
    const nibble = nibbleAt(keyHash, depth);
    const siblings: string[] = [];
    for (let n = 0; n < 16; n++) {
      const child = n === nibble ? null : childOf(view, n);
      if (child !== null) siblings.push(toHex(hashOf(child)));
    }
    steps.push({ bitmap: view.bitmap, siblings });
    const next = childOf(view, nibble);
    if (next === null) return { steps };
    if (next.kind === LEAF) return { steps, leaf: leafOf(next) };
    position += HEX[nibble]!;
    const child = reader.getNode(position);
    if (child === undefined) throw corrupt('missing branch record', position);
    record = child;
  }
  throw corrupt('trie deeper than a key hash', position);
}

/**
 * A trie kept in a Map: the reference implementation for tests, and a one-shot builder.
 * @example
 * const trie = new MemoryTrie();
 * trie.apply([{ keyHash, valueHash }]); // returns the new root
 */
export class MemoryTrie implements TrieNodeReader {
  readonly nodes = new Map<string, Uint8Array>();
  root: Uint8Array = EMPTY_ROOT;

  getNode(position: string): Uint8Array | undefined {
    return this.nodes.get(position);
  }

  apply(updates: readonly TrieUpdate[]): Uint8Array {
    const { root, nodeOps } = updateTrie(this, updates);
    for (const [position, record] of nodeOps) {
      if (record === null) this.nodes.delete(position);
      else this.nodes.set(position, record);
    }
    this.root = root;
    return root;
  }

  prove(keyHash: Uint8Array): StateProof {
    return proveKey(this, keyHash);
  }
}
