/** The options of a committed state (committedState.ts) and their defaults. */

/** Default of {@link CommittedStateOptions.keepRecent}. */
export const DEFAULT_KEEP_RECENT = 100;

/** Options of {@link openCommittedState}. */
export interface CommittedStateOptions {
  /**
   * When a commit counts as done. `'flushed'` (default): after lmdb has fsynced the transaction, so
   * the block survives a power loss. `'committed'`: as soon as the transaction is committed and
   * visible; the flush finishes in the background. A process crash still loses nothing; a power loss
   * may roll the store back to an earlier, intact block, which CometBFT's handshake replays.
   */
  readonly durability?: 'flushed' | 'committed';
  /**
   * How many recent committed heights stay readable (`getAt`, `listAt`, `proveAt`, `stateAt`):
   * the latest and the `keepRecent - 1` before it. Default {@link DEFAULT_KEEP_RECENT}; 0 keeps every
   * height since history began; 1 keeps only the latest and writes no undo records.
   */
  readonly keepRecent?: number;
  /**
   * Blocks of at least this many writes read their trie records and old leaf values on a worker
   * thread while `prepare` runs (readAhead.ts). Default {@link DEFAULT_READ_AHEAD_FROM}; Infinity: never.
   */
  readonly readAheadFrom?: number;
}

/** Default of {@link CommittedStateOptions.readAheadFrom}. */
export const DEFAULT_READ_AHEAD_FROM = 256;
