/**
 * The committed state: leaves, trie records, metadata and undo records in one lmdb environment, four
 * named databases. This is the store adapter (it does I/O); everything it computes is delegated to
 * the pure `path`, `valueCodec`, `merkleTrie` and `history` modules.
 *
 *   leaves : encodePathKey(path) -> encodeValue(value)       (list = one range scan)
 *   nodes  : 't' + position for the top levels (depth <= 3), 'n' + position below
 *            (position = hex nibbles; see merkleTrie.ts)      -> trie record
 *   meta   : 'height' (u64 BE), 'appHash' (32 bytes), 'format' (u8), 'historyFloor' (u64 BE),
 *            'app/<key>' (UTF-8 string for the app)
 *   undo   : height (u64 BE) || 0x00 || path key -> the leaf's bytes before that block;
 *            height (u64 BE) || 0x01 || trie group -> the group's records before it (a chunk);
 *            for the last `keepRecent` heights (see history.ts)
 *
 * The top 4,369 records sit together (every block rewrites many of them); below, a record is followed
 * by its own subtree, so one write usually dirties one page of the deep levels.
 *
 * A block is `prepare(writes)` (pure: the new app hash and record changes) then `commit` (one
 * synchronous lmdb transaction with leaves, records, height, app hash, metadata and the block's undo
 * records; atomic, so a kill -9 leaves the previous block or the new one) or `commitAsync` (the same
 * transaction on lmdb's writer thread). Reads at the last `keepRecent` heights: history.ts (records),
 * historicalReads.ts (reads), retention.ts (window and pruning).
 */
import { type Database, type RootDatabase, TransactionFlags, open } from 'lmdb';
import { ainError } from '../../core/index.ts';
import {
  ErrCommitHeight,
  ErrCorruptStore,
  ErrDuplicatePath,
  ErrStalePrepared,
  ErrStoreClosed,
  ErrWriteToRoot,
  EMPTY_ROOT,
  bytesEqual,
  sha256,
  toHex,
  arenaAllocator,
  reusableArena,
  proveKey,
  trieRoot,
  updateTrie,
  type CanonicalReader,
  Overlay,
  checkListLimit,
  encodePathKey,
  normalizePath,
  ROOT_PATH,
  encodeValue,
} from '../index.ts';
import { type PendingUndo, blockUndo, compareBytes, pendingUndo, recordingReader, undoKey } from './history.ts';
import { type HistoryView, type StateAtHeight, leafAt, leavesAt, trieAt, undoStats, viewAt } from './historicalReads.ts';
import type { RecordAllocator, TrieNodeReader, TrieUpdate, StateProof } from '../index.ts';
import { PreparedBlock } from './preparedBlock.ts';
import { DiskLeaves } from './diskLeaves.ts';
import { type CommittedStateOptions, DEFAULT_KEEP_RECENT, DEFAULT_READ_AHEAD_FROM } from './options.ts';
import { ReadAhead, type ReadAheadRun, type ReadAheadStats, trieRecordReader } from './readAhead.ts';
import { HistoryWindow, type PrunePlan, checkKeepRecent } from './retention.ts';
import { type ExportedState, type RestoredState, readExport, writeRestore } from './snapshotState.ts';
import type { ReadableState, StateValue, StateWrite } from '../../core/index.ts';
import {
  APP_META_PREFIX,
  encodeHeight,
  FORMAT_VERSION,
  MAX_HEIGHT,
  META_APP_HASH,
  META_FORMAT,
  META_HEIGHT,
  META_HISTORY_FLOOR,
  nodeKey,
  sortedMeta,
} from './keys.ts';

export { type CommittedStateOptions, DEFAULT_KEEP_RECENT, DEFAULT_READ_AHEAD_FROM } from './options.ts';

export type { StateAtHeight } from './historicalReads.ts';
export { PreparedBlock } from './preparedBlock.ts';

/** Blocks committed with commitAsync whose lmdb transaction has not finished yet. */
interface PendingWrites {
  readonly leaves: Overlay;
  readonly nodes: Map<string, Uint8Array | null>;
  readonly meta: Map<string, string | null>;
  /** Height -> that block's undo records. */
  readonly undo: Map<bigint, PendingUndo>;
}

/**
 * The state as of the last committed block. Reads (`get`, `list`, `prove`) see committed data only.
 * Open with {@link openCommittedState}.
 */
export class CommittedState implements CanonicalReader {
  readonly dir: string;
  #env: RootDatabase<Uint8Array, Uint8Array> | undefined;
  readonly #leaves: Database<Uint8Array, Uint8Array>;
  readonly #nodes: Database<Uint8Array, Uint8Array>;
  readonly #meta: Database<Uint8Array, Uint8Array>;
  readonly #undo: Database<Uint8Array, Uint8Array>;
  readonly #durability: 'flushed' | 'committed';
  /** Reads of the leaves on disk (cached), bypassing pending writes. */
  readonly #disk: DiskLeaves;
  #pending: PendingWrites | undefined;
  #inflight: Promise<void> = Promise.resolve();
  #inflightCount = 0;
  #failure: unknown;
  #height: bigint;
  #appHash: Uint8Array;
  #durableHeight: bigint;
  #generation = 0;
  /** The copies of the trie records `prepare` reads: dead once it returns, so each block reuses the memory. */
  readonly #readCopies = reusableArena();
  readonly #readAheadFrom: number;
  #readAhead: ReadAhead | undefined;
  /** Which heights stay readable, which undo records commits delete. */
  readonly #window: HistoryWindow;

  /** @internal use {@link openCommittedState} */
  constructor(dir: string, options: CommittedStateOptions) {
    this.dir = dir;
    this.#durability = options.durability ?? 'flushed';
    this.#readAheadFrom = options.readAheadFrom ?? DEFAULT_READ_AHEAD_FROM;
    const keepRecent = checkKeepRecent(options.keepRecent ?? DEFAULT_KEEP_RECENT);
    const env = open<Uint8Array, Uint8Array>({
      path: dir,
      noSubdir: false, // `dir` is a directory even when its name has a dot (lmdb-js would make it a file)
      maxDbs: 8,
      keyEncoding: 'binary',
      encoding: 'binary',
      noMemInit: true,
    });
    this.#env = env;
    const dbOptions = { keyEncoding: 'binary', encoding: 'binary' } as const;
    const leaves = (this.#leaves = env.openDB<Uint8Array, Uint8Array>('leaves', dbOptions));
    this.#nodes = env.openDB<Uint8Array, Uint8Array>('nodes', dbOptions);
    this.#meta = env.openDB<Uint8Array, Uint8Array>('meta', dbOptions);
    this.#undo = env.openDB<Uint8Array, Uint8Array>('undo', dbOptions);
    this.#disk = new DiskLeaves(leaves);

    const format = this.#meta.getBinary(META_FORMAT);
    const height = this.#meta.getBinary(META_HEIGHT);
    const appHash = this.#meta.getBinary(META_APP_HASH);
    if (format === undefined) {
      if (height !== undefined || this.#nodes.getBinary(nodeKey('')) !== undefined) {
        throw ainError(ErrCorruptStore, 'store without a format marker', { dir });
      }
      this.#height = 0n;
      this.#appHash = EMPTY_ROOT;
      this.#window = new HistoryWindow(this.#undo, keepRecent, 0n);
    } else {
      if (format.length !== 1 || (format[0] !== FORMAT_VERSION && format[0] !== 1)) {
        throw ainError(ErrCorruptStore, `unknown store format ${toHex(format)}`, { dir });
      }
      if (height === undefined || height.length !== 8 || appHash === undefined || appHash.length !== 32) {
        throw ainError(ErrCorruptStore, 'height or app hash missing', { dir });
      }
      this.#height = height.readBigUInt64BE(0);
      this.#appHash = new Uint8Array(appHash);
      const floor = this.#meta.getBinary(META_HISTORY_FLOOR);
      if (format[0] === FORMAT_VERSION && (floor === undefined || floor.length !== 8)) {
        throw ainError(ErrCorruptStore, 'history floor missing', { dir });
      }
      // A format 1 store has no undo records: its history starts at its current height.
      const historyFloor = floor === undefined ? this.#height : floor.readBigUInt64BE(0);
      if (historyFloor > this.#height) throw ainError(ErrCorruptStore, 'history floor above the height', { dir });
      this.#window = new HistoryWindow(this.#undo, keepRecent, historyFloor);
      if (!bytesEqual(trieRoot(this.#reader(arenaAllocator(4096))), this.#appHash)) {
        throw ainError(ErrCorruptStore, 'stored app hash is not the trie root', { dir, appHash: toHex(this.#appHash) });
      }
    }
    this.#durableHeight = this.#height;
  }

  /** Height of the last committed block (0 before the first commit). */
  get height(): bigint {
    return this.#height;
  }

  /** App hash of the last committed block: the trie root (EMPTY_ROOT, 32 zero bytes, when empty). */
  get appHash(): Uint8Array {
    return this.#appHash;
  }

  /** Height of the last block known to be on disk (below `height` while commitAsync writes are in flight). */
  get durableHeight(): bigint {
    return this.#durableHeight;
  }

  /** Blocks whose reads a worker thread did ahead of `prepare`, and what they served ({@link CommittedStateOptions.readAheadFrom}). */
  get readAheadStats(): Readonly<ReadAheadStats> {
    return this.#readAhead?.stats ?? { blocks: 0, records: 0, leaves: 0 };
  }

  /** How many recent heights stay readable (0: all since history began; 1: the latest only). */
  get keepRecent(): number {
    return this.#window.keepRecent;
  }

  /**
   * The oldest height `getAt`, `listAt`, `proveAt` and `stateAt` answer at: `height - keepRecent + 1`,
   * but never below the height history began at (the store's creation, an upgrade from format 1, or
   * the last commit made with `keepRecent` 1). Equal to `height` when no history is kept.
   */
  get oldestHeight(): bigint {
    return this.#window.oldest(this.#height);
  }

  #open(): RootDatabase<Uint8Array, Uint8Array> {
    if (this.#env === undefined) throw ainError(ErrStoreClosed, undefined, { dir: this.dir });
    if (this.#failure !== undefined) {
      throw new AggregateError([this.#failure], `state store ${this.dir}: an asynchronous commit failed`);
    }
    return this.#env;
  }

  /** A reader of trie records (pending ones first) copying each record into `alloc`'s memory. */
  #reader(alloc: RecordAllocator, run?: ReadAheadRun): TrieNodeReader {
    return trieRecordReader(this.#nodes, this.#pending?.nodes, alloc, run);
  }

  /**
   * The committed value at `path`, or undefined; read past the leaf cache (queries, proofs), which
   * keeps what the txs' overlays read. @throws AinError store/1-5 for an invalid path
   */
  get(path: string): StateValue | undefined {
    return this.#leaf(normalizePath(path), this.#disk.uncached);
  }

  /** {@link get} of a path exactly as `normalizePath` returns it (an overlay's read), not validated again; cached. */
  getCanonical(canonical: string): StateValue | undefined {
    return this.#leaf(canonical, this.#disk);
  }

  /** The leaf at `canonical`: pending writes first, then `disk`. */
  #leaf(canonical: string, disk: ReadableState): StateValue | undefined {
    this.#open();
    if (canonical === ROOT_PATH) return undefined;
    return this.#pending === undefined ? disk.get(canonical) : this.#pending.leaves.getCanonical(canonical);
  }

  /**
   * The committed leaves at and under `path`, in path order (at or after `from` when given; in reverse,
   * at or before it), at most `limit` (one lmdb range scan; blocks commitAsync is writing merged over it).
   * @throws AinError store/1-5 for an invalid path or `from`, ErrInvalidLimit for a negative or fractional limit
   */
  list(path: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
    this.#open();
    const canonical = normalizePath(path);
    checkListLimit(limit);
    const start = from === undefined ? undefined : normalizePath(from);
    return (this.#pending?.leaves ?? this.#disk).list(canonical, limit, start, reverse);
  }

  /**
   * Computes the block that applies `writes` (path -> value, or null to delete) to the committed
   * state: its app hash and the records to write. Writes nothing; the result is valid until the next
   * commit. Paths are normalised; two keys naming one path are refused.
   * @throws AinError store/1-7 for invalid paths or values, ErrDuplicatePath
   * @example
   * const block = state.prepare(overlay.writes());
   * state.commit(block, 5n); // state.appHash equals block.appHash
   */
  prepare(writes: ReadonlyMap<string, StateWrite>): PreparedBlock {
    this.#open();
    const leafOps: Array<readonly [string, Uint8Array, Uint8Array | null, StateWrite]> = [];
    const updates: TrieUpdate[] = [];
    const seen = new Set<string>();
    for (const [path, write] of writes) {
      const canonical = normalizePath(path);
      if (canonical === ROOT_PATH) throw ainError(ErrWriteToRoot, undefined, { path });
      if (seen.has(canonical)) throw ainError(ErrDuplicatePath, canonical, { path: canonical });
      seen.add(canonical);
      const key = encodePathKey(canonical);
      const value = write === null ? null : encodeValue(write);
      leafOps.push([canonical, key, value, write]);
      updates.push({ keyHash: sha256(key), valueHash: value === null ? null : sha256(value) });
    }
    leafOps.sort((a, b) => compareBytes(a[1], b[1]));
    const run = this.#readAheadRun(updates, leafOps);
    const alloc = arenaAllocator();
    const reader = this.#reader(this.#readCopies.reset(), run);
    if (!this.#window.writesUndo) {
      const { root, nodeOps } = updateTrie(reader, updates, alloc);
      return new PreparedBlock({ state: this, generation: this.#generation }, this.#appHash, root, leafOps, nodeOps, [], 0);
    }
    // The update reads every record it rewrites or deletes: keep their old bytes for the undo records.
    const before = new Map<string, Uint8Array | undefined>();
    const { root, nodeOps } = updateTrie(recordingReader(reader, before), updates, alloc);
    const { undo, count } = blockUndo(leafOps, nodeOps, before, (canonical, key) => this.#currentLeafBytes(canonical, key, run));
    return new PreparedBlock({ state: this, generation: this.#generation }, this.#appHash, root, leafOps, nodeOps, undo, count);
  }

  /**
   * The current encoded value at a canonical path (pending writes first, then the leaf cache: the
   * block's txs read most of what they write), a copy, or undefined.
   */
  #currentLeafBytes(canonical: string, key: Uint8Array, run?: ReadAheadRun): Uint8Array | undefined {
    // undefined: not known there; null: known to be absent (a delete in flight must not fall through).
    let known = this.#pending?.leaves.writes().get(canonical);
    if (known === undefined) known = this.#disk.cached(canonical);
    if (known !== undefined) return known === null ? undefined : encodeValue(known);
    const ahead = run?.leaf(key);
    if (ahead !== undefined) return ahead ?? undefined;
    const fast = this.#leaves.getBinaryFast(key);
    return fast === undefined ? undefined : new Uint8Array(fast.buffer, fast.byteOffset, fast.length).slice();
  }

  /**
   * Hands a big block's reads to the worker (readAhead.ts), sorting `updates` by key hash as the
   * update will: only with no commit in flight, since the worker reads the latest committed state.
   */
  #readAheadRun(updates: TrieUpdate[], leafOps: ReadonlyArray<readonly [string, Uint8Array, ...unknown[]]>): ReadAheadRun | undefined {
    if (updates.length < this.#readAheadFrom || this.#pending !== undefined) return undefined;
    this.#readAhead ??= new ReadAhead(this.dir);
    updates.sort((a, b) => compareBytes(a.keyHash, b.keyHash));
    const uncached = this.#window.writesUndo ? leafOps.filter(([canonical]) => this.#disk.cached(canonical) === undefined) : [];
    return this.#readAhead.start(
      updates.map((u) => u.keyHash),
      uncached.map((op) => op[1]),
    );
  }

  #checkCommit(prepared: PreparedBlock, height: bigint): void {
    if (prepared.base.state !== this || prepared.base.generation !== this.#generation) {
      throw ainError(ErrStalePrepared, undefined, { height: String(height) });
    }
    if (typeof height !== 'bigint' || height <= this.#height || height > MAX_HEIGHT) {
      throw ainError(ErrCommitHeight, `height ${String(height)} after ${this.#height}`, {
        height: String(height),
        committed: String(this.#height),
      });
    }
  }

  /** The store now stands at `height`: a block's leaf writes reach the leaf cache; a restore (no block) empties it. */
  #applied(prepared: Pick<PreparedBlock, 'appHash'> & Partial<PreparedBlock>, height: bigint, plan: PrunePlan): void {
    if (prepared.leafOps === undefined) this.#disk.clear();
    else this.#disk.written(prepared.leafOps);
    this.#height = height;
    this.#appHash = prepared.appHash;
    this.#window.committed(plan);
    this.#generation++;
  }

  /**
   * The lmdb writes of committing `prepared` at `height`, in order, each through `write` (a put, or a
   * remove when the value is null): leaves, trie records, the app's metadata, the undo records pruned
   * and the block's own, then format, height, app hash and history floor.
   */
  #writeBlock(
    prepared: PreparedBlock,
    height: bigint,
    { floor, prune }: PrunePlan,
    meta: ReadonlyMap<string, string | null> | undefined,
    write: (db: Database<Uint8Array, Uint8Array>, key: Uint8Array, value: Uint8Array | null) => void,
  ): void {
    const metaDb = this.#meta;
    for (const [, key, value] of prepared.leafOps) write(this.#leaves, key, value);
    for (const [position, record] of prepared.nodeOps) write(this.#nodes, nodeKey(position), record);
    for (const [key, value] of sortedMeta(meta)) write(metaDb, key, value === null ? null : Buffer.from(value, 'utf8'));
    for (const key of prune) write(this.#undo, key, null);
    for (const { kind, base, old } of prepared.undo) write(this.#undo, undoKey(height, kind, base), old);
    write(metaDb, META_FORMAT, Uint8Array.of(FORMAT_VERSION));
    write(metaDb, META_HEIGHT, encodeHeight(height));
    write(metaDb, META_APP_HASH, prepared.appHash);
    write(metaDb, META_HISTORY_FLOOR, encodeHeight(floor));
  }

  /**
   * Persists a prepared block at `height` in one lmdb transaction: leaves, trie records, height, app
   * hash, the app's metadata (`meta`: key -> string, or null to delete), the block's undo records and
   * the deletion of undo records that left the window. Atomic; returns once the transaction is durable
   * (see {@link CommittedStateOptions.durability}).
   * @throws AinError ErrStalePrepared when `prepared` was not prepared on the current state,
   *   ErrCommitHeight when `height` is not above the committed height
   * @throws Error while commitAsync writes are in flight (await `flushed()` first)
   */
  commit(prepared: PreparedBlock, height: bigint, meta?: ReadonlyMap<string, string | null>): void {
    const env = this.#open();
    this.#checkCommit(prepared, height);
    if (this.#inflightCount > 0) throw new Error('commit: asynchronous commits are in flight; await flushed() first');
    const plan = this.#window.plan(height, prepared.undo.length);
    const flags =
      this.#durability === 'committed'
        ? TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT | TransactionFlags.NO_SYNC_FLUSH
        : TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;
    env.transactionSync(() => {
      this.#writeBlock(prepared, height, plan, meta, (db, key, value) => {
        if (value === null) db.removeSync(key);
        else db.putSync(key, value);
      });
    }, flags);
    this.#applied(prepared, height, plan);
    this.#durableHeight = height;
  }

  /**
   * Commits like {@link commit} but hands the lmdb transaction to lmdb's writer thread: the store
   * reflects the block when this returns (height, appHash, reads, proofs, the next prepare), and the
   * promise resolves once it is durable. Pipelined blocks stay in memory until none is in flight (the
   * node waits for the previous block first). A failed write rejects it and makes every later call throw.
   * @throws AinError ErrStalePrepared, ErrCommitHeight (synchronously)
   */
  commitAsync(prepared: PreparedBlock, height: bigint, meta?: ReadonlyMap<string, string | null>): Promise<void> {
    this.#open();
    this.#checkCommit(prepared, height);
    const plan = this.#window.plan(height, prepared.undo.length);
    const pending = (this.#pending ??= { leaves: new Overlay(this.#disk), nodes: new Map(), meta: new Map(), undo: new Map() });
    for (const [path, , , write] of prepared.leafOps) pending.leaves.set(path, write);
    for (const [position, record] of prepared.nodeOps) pending.nodes.set(position, record);
    if (meta !== undefined) for (const [key, value] of meta) pending.meta.set(key, value);
    if (prepared.undo.length > 0) pending.undo.set(height, pendingUndo(prepared.undo));

    // Every write below is queued in this one event turn, so lmdb-js puts them in one transaction.
    const writes: Array<Promise<unknown>> = [];
    try {
      this.#writeBlock(prepared, height, plan, meta, (db, key, value) => {
        writes.push(value === null ? db.remove(key) : db.put(key, value));
      });
    } catch (error) {
      // Part of the block may be queued and the pending layer is ahead of it: stop using the store.
      this.#failure ??= error;
      throw error;
    }
    this.#applied(prepared, height, plan);

    const env = this.#env!;
    this.#inflightCount++;
    const previous = this.#inflight;
    // Resolves in commit order: a block is durable only once the blocks before it are.
    const done = Promise.all(writes)
      .then(() => previous)
      .then(() => (this.#durability === 'flushed' ? env.flushed : undefined))
      .then(
        () => {
          this.#durableHeight = height;
          if (--this.#inflightCount === 0) {
            // Everything pending is now in lmdb: read it from there again.
            env.resetReadTxn();
            this.#pending = undefined;
          }
        },
        (error: unknown) => {
          this.#inflightCount--;
          this.#failure ??= error;
          throw error;
        },
      );
    this.#inflight = done;
    done.catch(() => undefined); // reported through the returned promise, flushed() and every later call
    return done;
  }

  /** Resolves once every commitAsync so far is durable (rejects if one failed). */
  flushed(): Promise<void> {
    return this.#inflight;
  }

  /**
   * The proof of the committed value at `path`, or of its absence, against {@link appHash}.
   * @throws AinError store/1-5 for an invalid path
   * @example
   * const proof = state.prove('/accounts/ain1xyz/balances/uain');
   * verifyProof(state.appHash, '/accounts/ain1xyz/balances/uain', state.get('/accounts/ain1xyz/balances/uain'), proof); // true
   */
  prove(path: string): StateProof {
    this.#open();
    return proveKey(this.#reader(arenaAllocator(16_384)), sha256(encodePathKey(normalizePath(path))));
  }

  /**
   * What the reads at `height` need (see historicalReads.ts).
   * @throws AinError ErrHeightNotRetained unless oldestHeight <= height <= this.height
   */
  #at(height: bigint): HistoryView {
    this.#window.check(height, this.#height);
    const pending = this.#pending;
    return {
      at: height,
      latest: this.#height,
      leaves: this.#leaves,
      undo: this.#undo,
      current: pending?.leaves ?? this.#disk.uncached,
      pending,
      reader: (alloc) => this.#reader(alloc),
    };
  }

  /**
   * The value at `path` as committed at `height` (any retained height; see {@link oldestHeight}).
   * @throws AinError store/1-5 for an invalid path, ErrHeightNotRetained (store/15) for a height outside the window
   * @example state.getAt('/accounts/ain1xyz/balance/uain', state.height - 1n) // the balance one block ago
   */
  getAt(path: string, height: bigint): StateValue | undefined {
    this.#open();
    const canonical = normalizePath(path);
    return leafAt(this.#at(height), canonical);
  }

  /**
   * The leaves at and under `path` as committed at `height`, in path order, at most `limit`: the
   * current range merged with the leaf undo records in that range of each height above `height`.
   * @throws AinError store/1-5, ErrInvalidLimit, ErrHeightNotRetained (store/15)
   */
  listAt(path: string, limit: number, height: bigint, from?: string, reverse = false): Array<[string, StateValue]> {
    this.#open();
    const canonical = normalizePath(path);
    checkListLimit(limit);
    return leavesAt(this.#at(height), canonical, limit, from === undefined ? undefined : normalizePath(from), reverse);
  }

  /**
   * The proof of the value at `path` (or its absence) as committed at `height`, against that
   * height's app hash ({@link appHashAt}; in CometBFT, the `app_hash` of the header of block height + 1).
   * @throws AinError store/1-5, ErrHeightNotRetained (store/15)
   */
  proveAt(path: string, height: bigint): StateProof {
    this.#open();
    const keyHash = sha256(encodePathKey(normalizePath(path)));
    return proveKey(trieAt(this.#at(height), arenaAllocator(16_384)), keyHash);
  }

  /**
   * The app hash (trie root) of the state committed at `height`.
   * @throws AinError ErrHeightNotRetained (store/15)
   */
  appHashAt(height: bigint): Uint8Array {
    this.#open();
    const view = this.#at(height);
    if (height === this.#height) return this.#appHash;
    return trieRoot(trieAt(view, arenaAllocator(4096)));
  }

  /**
   * A read-only view of the state committed at `height`, for module query handlers. Each read checks
   * the height again (a view outlives commits and fails once its height leaves the window).
   * @throws AinError ErrHeightNotRetained (store/15)
   * @example bankQueries.balance(state.stateAt(41n), request)
   */
  stateAt(height: bigint): StateAtHeight {
    this.#open();
    this.#window.check(height, this.#height);
    return viewAt(this, height);
  }

  /**
   * How much history is stored on disk (for tests and benchmarks): the number of lmdb entries of
   * undo records (leaves, and chunks of trie records), the bytes of their pages, and the oldest height
   * that has some (undefined when none).
   */
  historyStats(): { records: number; bytes: number; oldestRecorded: bigint | undefined } {
    this.#open();
    return undoStats(this.#undo);
  }

  /**
   * The app's metadata stored under `key` by a commit (consensus params, chain id, ...), or undefined.
   * @example state.commit(block, 1n, new Map([['chain_id', 'ain-1']])); state.getMeta('chain_id') // 'ain-1'
   */
  getMeta(key: string): string | undefined {
    this.#open();
    const pending = this.#pending?.meta.get(key);
    if (pending !== undefined) return pending ?? undefined;
    const value = this.#meta.getBinary(Buffer.from(APP_META_PREFIX + key, 'utf8'));
    return value === undefined ? undefined : value.toString('utf8');
  }
  /** The committed state as a snapshot holds it, in one lmdb range scan (snapshotState.ts). Not while commitAsync writes are in flight. */
  exportState(): ExportedState {
    if (this.#open() && this.#pending !== undefined) throw new Error('exportState: asynchronous commits are in flight');
    return readExport(this.#height, this.#appHash, this.#leaves, this.#meta);
  }
  /** Makes an empty store hold a snapshot's state at its height (snapshotState.ts: store/17 unless empty, store/16 unless the root is its app hash). */
  restore(snapshot: RestoredState): void {
    writeRestore(this.#open(), this.#height, { leaves: this.#leaves, nodes: this.#nodes, meta: this.#meta }, snapshot);
    this.#applied({ appHash: Uint8Array.from(snapshot.appHash) }, snapshot.height, { floor: snapshot.height, prune: [] }); // history starts here
    this.#durableHeight = snapshot.height;
  }

  /** Waits for asynchronous commits, then closes the lmdb environment. Further calls throw ErrStoreClosed. */
  async close(): Promise<void> {
    const env = this.#env;
    if (env === undefined) return;
    try {
      await this.#inflight;
    } finally {
      this.#env = undefined;
      await this.#readAhead?.close();
      await env.close();
    }
  }
}

/**
 * Opens (or creates) the committed state in directory `dir`.
 * @example
 * const state = openCommittedState('/var/lib/aind/state');
 * state.height; // 0n for a new store
 */
export function openCommittedState(dir: string, options: CommittedStateOptions = {}): CommittedState {
  return new CommittedState(dir, options);
}
