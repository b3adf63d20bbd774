/**
 * Contracts of the state store. One global tree of paths (`/accounts/ain1.../sequence`); leaves hold
 * typed values; the Merkle root over all leaves is the app hash.
 */

/** A leaf value. Objects are not values: they are the interior nodes of the tree. */
export type StateValue = string | number | boolean;

/** A write: a value, or null to delete the leaf. */
export type StateWrite = StateValue | null;

/** Read access to a state tree (committed, or an overlay on top of one). */
export interface ReadableState {
  /** The leaf at `path`, or undefined when there is none. */
  get(path: string): StateValue | undefined;
  /**
   * The leaves at and under `path` in path order (labels compared by code unit), at most `limit` of
   * them. `/a/b` lists `/a/b`, `/a/b/c`, `/a/b/d/e` but never `/a/bc`. With `from` (a path), only
   * those at or after it in path order: a read that seeks to `from` instead of reading the leaves
   * before it (queries' pages; the gas of a metered list is that of the leaves returned, as without).
   * With `reverse`, the same leaves in reverse path order, those at or before `from` (inclusive, as
   * forwards): the forward list of the whole subtree read backwards, so a query's reverse page reads
   * only what it serves.
   */
  list(path: string, limit: number, from?: string, reverse?: boolean): Array<[string, StateValue]>;
}

/** Read and write access; writes stay in memory until merged or committed. */
export interface WritableState extends ReadableState {
  set(path: string, value: StateWrite): void;
}
