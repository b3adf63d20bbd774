/**
 * A block prepared on the committed state (`CommittedState.prepare`): what its commit writes to lmdb.
 * Pure data; the store checks on commit that it was prepared on it, since its last commit.
 */
import type { StateWrite } from '../../core/index.ts';
import type { UndoEntry } from './history.ts';

/** A block's changes, computed by `CommittedState.prepare` and not yet persisted. */
export class PreparedBlock {
  /** The app hash the state will have once this block is committed. */
  readonly appHash: Uint8Array;
  /** The app hash this block was prepared on. */
  readonly baseAppHash: Uint8Array;
  /** Number of leaf writes (sets and deletes). */
  readonly writeCount: number;
  /** Number of trie records written or deleted. */
  readonly nodeWriteCount: number;
  /** Number of undo records the commit writes, leaves and trie records (0 when the store keeps no history). */
  readonly undoCount: number;
  /** @internal the store it was prepared on (compared by identity) and that store's generation then */
  readonly base: { readonly state: object; readonly generation: number };
  /** @internal canonical path, key, encoded value (null = delete), value; in key order */
  readonly leafOps: ReadonlyArray<readonly [string, Uint8Array, Uint8Array | null, StateWrite]>;
  /** @internal position -> record (null = delete) */
  readonly nodeOps: ReadonlyMap<string, Uint8Array | null>;
  /** @internal the previous bytes of every leaf and record the block changes, in undo key order (empty without history) */
  readonly undo: readonly UndoEntry[];

  /** @internal */
  constructor(
    base: { readonly state: object; readonly generation: number },
    baseAppHash: Uint8Array,
    appHash: Uint8Array,
    leafOps: ReadonlyArray<readonly [string, Uint8Array, Uint8Array | null, StateWrite]>,
    nodeOps: ReadonlyMap<string, Uint8Array | null>,
    undo: readonly UndoEntry[],
    undoCount: number,
  ) {
    this.base = base;
    this.baseAppHash = baseAppHash;
    this.appHash = appHash;
    this.leafOps = leafOps;
    this.nodeOps = nodeOps;
    this.undo = undo;
    this.writeCount = leafOps.length;
    this.nodeWriteCount = nodeOps.size;
    this.undoCount = undoCount;
  }
}
