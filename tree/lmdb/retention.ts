/**
 * The history window of the committed state: which heights stay readable (`keepRecent` and the history
 * floor, the height history began at) and which undo records each commit deletes. A commit asks for
 * its {@link PrunePlan}, writes it in its own lmdb transaction (with the floor, in `meta`) and then
 * records it. The record formats are in `history.ts`.
 */
import type { Database } from 'lmdb';
import { checkRetained, compareBytes, heightKey, oldestRetained } from './history.ts';

/** Undo records a commit may delete beyond twice its own number (pruning catches up after a large block). */
const PRUNE_SLACK = 4096;

/**
 * @returns `keepRecent`
 * @throws RangeError unless it is a non-negative safe integer
 */
export function checkKeepRecent(keepRecent: number): number {
  if (!Number.isSafeInteger(keepRecent) || keepRecent < 0)
    throw new RangeError(`keepRecent ${String(keepRecent)} is not a non-negative integer`);
  return keepRecent;
}

/** What committing one block does to the history: the floor after it and the undo keys it deletes. */
export interface PrunePlan {
  readonly floor: bigint;
  readonly prune: readonly Uint8Array[];
}

/** The window of readable heights of one store, and the pruning of its undo records. */
export class HistoryWindow {
  /** How many recent heights stay readable (0: all since history began; 1: the latest only). */
  readonly keepRecent: number;
  readonly #undo: Database<Uint8Array, Uint8Array>;
  /** Every block above this height has undo records. */
  #floor: bigint;
  /** The last undo key a commit has deleted or queued for deletion. */
  #pruneCursor: Uint8Array | undefined;

  constructor(undo: Database<Uint8Array, Uint8Array>, keepRecent: number, floor: bigint) {
    this.#undo = undo;
    this.keepRecent = keepRecent;
    this.#floor = floor;
  }

  /** Whether commits write undo records (not with `keepRecent` 1). */
  get writesUndo(): boolean {
    return this.keepRecent !== 1;
  }

  /** The oldest readable height while `latest` is the latest: `latest - keepRecent + 1`, never below the floor. */
  oldest(latest: bigint): bigint {
    return oldestRetained(latest, this.#floor, this.keepRecent);
  }

  /** @throws AinError ErrHeightNotRetained unless oldest(latest) <= height <= latest */
  check(height: bigint, latest: bigint): void {
    checkRetained(height, this.oldest(latest), latest);
  }

  /**
   * The plan of committing, at `height`, a block of `ownEntries` undo entries: the floor stays with
   * history and becomes `height` without; the undo keys go as {@link prunePlan} says.
   */
  plan(height: bigint, ownEntries: number): PrunePlan {
    const floor = this.writesUndo ? this.#floor : height;
    return { floor, prune: prunePlan(this.#undo, this.#pruneCursor, oldestRetained(height, floor, this.keepRecent), ownEntries) };
  }

  /** Records a plan once its commit is done or queued. */
  committed({ floor, prune }: PrunePlan): void {
    this.#floor = floor;
    if (prune.length > 0) this.#pruneCursor = prune[prune.length - 1];
  }
}

/**
 * The undo keys a commit deletes: the oldest records, of heights that have left the window (up to
 * `oldest`, the oldest height readable after the commit: a read there needs only the records above
 * it), after `cursor` (the last key deleted or queued for deletion), at most `2 x ownEntries + 4,096`
 * of them (a large block is deleted over several commits).
 */
export function prunePlan(
  undo: Database<Uint8Array, Uint8Array>,
  cursor: Uint8Array | undefined,
  oldest: bigint,
  ownEntries: number,
): Uint8Array[] {
  const budget = 2 * ownEntries + PRUNE_SLACK;
  const keys: Uint8Array[] = [];
  const end = heightKey(oldest + 1n);
  for (const key of undo.getKeys(cursor === undefined ? { end } : { start: cursor, end })) {
    if (keys.length >= budget) break;
    if (cursor !== undefined && compareBytes(key, cursor) <= 0) continue;
    keys.push(key);
  }
  return keys;
}
