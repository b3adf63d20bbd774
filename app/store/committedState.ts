/**
 * The committed state: leaves, trie records and metadata in one lmdb environment, three named
 * databases. This is the store adapter (it does I/O); everything it computes is delegated to the pure
 * `path`, `valueCodec` and `merkleTrie` modules.
 *
 *   leaves : encodePathKey(path) -> encodeValue(value)       (list = one range scan)
 *   nodes  : 't' + position for the top levels (depth <= 3), 'n' + position below
 *            (position = hex nibbles; see merkleTrie.ts)      -> trie record
 *   meta   : 'height' (u64 BE), 'appHash' (32 bytes), 'format' (u8), 'app/<key>' (UTF-8 string for the app)
 *
 * The top 4,369 records sit together (every block rewrites many of them); below, a record is followed
 * by its own subtree, so one write usually dirties one page of the deep levels.
 *
 * A block goes through `prepare(writes)` (pure: computes the new app hash and the record changes,
 * writes nothing) and then either
 *  - `commit(prepared, height)`: one synchronous lmdb write transaction holding the leaves, the trie
 *    records, the height, the app hash and the app's metadata; returns once it is durable; or
 *  - `commitAsync(prepared, height)`: the same single transaction, handed to lmdb's writer thread. The
 *    store reflects the block at once (reads, proofs and the next `prepare` see it through an
 *    in-memory layer) and the promise resolves once the block is durable. A crash before that loses
 *    the block but never tears it: the store reopens at the previous block, and CometBFT's handshake
 *    replays the rest.
 * lmdb commits are atomic, so a kill -9 at any moment leaves either the previous block or the new one.
 */
import { type Database, type RootDatabase, TransactionFlags, open } from 'lmdb';
import { ainError } from '../errors.ts';
import {
  ErrCommitHeight,
  ErrCorruptStore,
  ErrDuplicatePath,
  ErrStalePrepared,
  ErrStoreClosed,
  ErrWriteToRoot,
} from './errors.ts';
import { EMPTY_ROOT, bytesEqual, sha256, toHex } from './hash.ts';
import { type RecordAllocator, type TrieNodeReader, type TrieUpdate, arenaAllocator, proveKey, trieRoot, updateTrie } from './merkleTrie.ts';
import { Overlay } from './overlay.ts';
import { checkListLimit, decodePathKey, encodePathKey, normalizePath, pathKeyRange, ROOT_PATH } from './path.ts';
import type { StateProof } from './proof.ts';
import type { ReadableState, StateValue, StateWrite } from './types.ts';
import { decodeValue, encodeValue } from './valueCodec.ts';

const FORMAT_VERSION = 1;
const META_HEIGHT = Buffer.from('height');
const META_APP_HASH = Buffer.from('appHash');
const META_FORMAT = Buffer.from('format');
const APP_META_PREFIX = 'app/';
const MAX_HEIGHT = (1n << 64n) - 1n;
const TOP_DEPTH = 3;

/** Options of {@link openCommittedState}. */
export interface CommittedStateOptions {
  /**
   * When a commit counts as done. `'flushed'` (default): after lmdb has fsynced the transaction, so
   * the block survives a power loss. `'committed'`: as soon as the transaction is committed and
   * visible; the flush finishes in the background. A process crash still loses nothing; a power loss
   * may roll the store back to an earlier, intact block, which CometBFT's handshake replays.
   */
  readonly durability?: 'flushed' | 'committed';
}

/** A block's changes, computed by {@link CommittedState.prepare} and not yet persisted. */
export class PreparedBlock {
  /** The app hash the state will have once this block is committed. */
  readonly appHash: Uint8Array;
  /** The app hash this block was prepared on. */
  readonly baseAppHash: Uint8Array;
  /** Number of leaf writes (sets and deletes). */
  readonly writeCount: number;
  /** Number of trie records written or deleted. */
  readonly nodeWriteCount: number;
  /** @internal */
  readonly base: { readonly state: CommittedState; readonly generation: number };
  /** @internal canonical path, key, encoded value (null = delete), value; in key order */
  readonly leafOps: ReadonlyArray<readonly [string, Uint8Array, Uint8Array | null, StateWrite]>;
  /** @internal position -> record (null = delete) */
  readonly nodeOps: ReadonlyMap<string, Uint8Array | null>;

  /** @internal */
  constructor(
    base: { readonly state: CommittedState; readonly generation: number },
    baseAppHash: Uint8Array,
    appHash: Uint8Array,
    leafOps: ReadonlyArray<readonly [string, Uint8Array, Uint8Array | null, StateWrite]>,
    nodeOps: ReadonlyMap<string, Uint8Array | null>,
  ) {
    this.base = base;
    this.baseAppHash = baseAppHash;
    this.appHash = appHash;
    this.leafOps = leafOps;
    this.nodeOps = nodeOps;
    this.writeCount = leafOps.length;
    this.nodeWriteCount = nodeOps.size;
  }
}

function nodeKey(position: string): Buffer {
  return Buffer.from(position.length <= TOP_DEPTH ? `t${position}` : `n${position}`, 'latin1');
}

function encodeHeight(height: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(height);
  return out;
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Blocks committed with commitAsync whose lmdb transaction has not finished yet. */
interface PendingWrites {
  readonly leaves: Overlay;
  readonly nodes: Map<string, Uint8Array | null>;
  readonly meta: Map<string, string | null>;
}

/**
 * The state as of the last committed block. Reads (`get`, `list`, `prove`) see committed data only.
 * Open with {@link openCommittedState}.
 */
export class CommittedState implements ReadableState {
  readonly dir: string;
  #env: RootDatabase<Uint8Array, Uint8Array> | undefined;
  readonly #leaves: Database<Uint8Array, Uint8Array>;
  readonly #nodes: Database<Uint8Array, Uint8Array>;
  readonly #meta: Database<Uint8Array, Uint8Array>;
  readonly #durability: 'flushed' | 'committed';
  /** Reads of the leaves on disk, bypassing pending writes. */
  readonly #disk: ReadableState;
  #pending: PendingWrites | undefined;
  #inflight: Promise<void> = Promise.resolve();
  #inflightCount = 0;
  #failure: unknown;
  #height: bigint;
  #appHash: Uint8Array;
  #durableHeight: bigint;
  #generation = 0;

  /** @internal use {@link openCommittedState} */
  constructor(dir: string, options: CommittedStateOptions) {
    this.dir = dir;
    this.#durability = options.durability ?? 'flushed';
    const env = open<Uint8Array, Uint8Array>({
      path: dir,
      noSubdir: false, // `dir` is a directory even when its name has a dot (lmdb-js would make it a file)
      maxDbs: 4,
      keyEncoding: 'binary',
      encoding: 'binary',
      noMemInit: true,
    });
    this.#env = env;
    const dbOptions = { keyEncoding: 'binary', encoding: 'binary' } as const;
    const leaves = (this.#leaves = env.openDB<Uint8Array, Uint8Array>('leaves', dbOptions));
    this.#nodes = env.openDB<Uint8Array, Uint8Array>('nodes', dbOptions);
    this.#meta = env.openDB<Uint8Array, Uint8Array>('meta', dbOptions);
    this.#disk = {
      get(path: string): StateValue | undefined {
        const bytes = leaves.getBinaryFast(encodePathKey(path));
        return bytes === undefined ? undefined : decodeValue(bytes);
      },
      list(path: string, limit: number): Array<[string, StateValue]> {
        const out: Array<[string, StateValue]> = [];
        if (limit === 0) return out;
        const options: { start?: Uint8Array; end?: Uint8Array; limit?: number } = pathKeyRange(path);
        if (limit !== Infinity) options.limit = limit;
        for (const { key, value } of leaves.getRange(options)) out.push([decodePathKey(key), decodeValue(value)]);
        return out;
      },
    };

    const format = this.#meta.getBinary(META_FORMAT);
    const height = this.#meta.getBinary(META_HEIGHT);
    const appHash = this.#meta.getBinary(META_APP_HASH);
    if (format === undefined) {
      if (height !== undefined || this.#nodes.getBinary(nodeKey('')) !== undefined) {
        throw ainError(ErrCorruptStore, 'store without a format marker', { dir });
      }
      this.#height = 0n;
      this.#appHash = EMPTY_ROOT;
    } else {
      if (format.length !== 1 || format[0] !== FORMAT_VERSION) {
        throw ainError(ErrCorruptStore, `unknown store format ${toHex(format)}`, { dir });
      }
      if (height === undefined || height.length !== 8 || appHash === undefined || appHash.length !== 32) {
        throw ainError(ErrCorruptStore, 'height or app hash missing', { dir });
      }
      this.#height = height.readBigUInt64BE(0);
      this.#appHash = new Uint8Array(appHash);
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

  #open(): RootDatabase<Uint8Array, Uint8Array> {
    if (this.#env === undefined) throw ainError(ErrStoreClosed, undefined, { dir: this.dir });
    if (this.#failure !== undefined) {
      throw new AggregateError([this.#failure], `state store ${this.dir}: an asynchronous commit failed`);
    }
    return this.#env;
  }

  /** A reader of trie records (pending ones first) copying each record into `alloc`'s memory. */
  #reader(alloc: RecordAllocator): TrieNodeReader {
    const nodes = this.#nodes;
    const pending = this.#pending?.nodes;
    return {
      getNode(position: string): Uint8Array | undefined {
        if (pending !== undefined) {
          const record = pending.get(position);
          if (record !== undefined) return record === null ? undefined : record;
        }
        const fast = nodes.getBinaryFast(nodeKey(position));
        if (fast === undefined) return undefined;
        // lmdb-js reuses one large buffer and sets its `length` own property to the value's size.
        const length = fast.length;
        const out = alloc(length);
        out.set(new Uint8Array(fast.buffer, fast.byteOffset, length));
        return out;
      },
    };
  }

  /**
   * The committed value at `path`, or undefined.
   * @throws AinError store/1-5 for an invalid path
   */
  get(path: string): StateValue | undefined {
    this.#open();
    const canonical = normalizePath(path);
    if (canonical === ROOT_PATH) return undefined;
    return (this.#pending?.leaves ?? this.#disk).get(canonical);
  }

  /**
   * The committed leaves at and under `path`, in path order, at most `limit` (one lmdb range scan).
   * @throws AinError store/1-5 for an invalid path, ErrInvalidLimit for a negative or fractional limit
   */
  list(path: string, limit: number): Array<[string, StateValue]> {
    this.#open();
    const canonical = normalizePath(path);
    checkListLimit(limit);
    return (this.#pending?.leaves ?? this.#disk).list(canonical, limit);
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
    leafOps.sort((a, b) => compareKeys(a[1], b[1]));
    const alloc = arenaAllocator();
    const { root, nodeOps } = updateTrie(this.#reader(alloc), updates, alloc);
    return new PreparedBlock({ state: this, generation: this.#generation }, this.#appHash, root, leafOps, nodeOps);
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

  #applied(prepared: PreparedBlock, height: bigint): void {
    this.#height = height;
    this.#appHash = prepared.appHash;
    this.#generation++;
  }

  /**
   * Persists a prepared block at `height` in one lmdb transaction: leaves, trie records, height, app
   * hash and the app's metadata (`meta`: key -> string, or null to delete). Atomic; returns once the
   * transaction is durable (see {@link CommittedStateOptions.durability}).
   * @throws AinError ErrStalePrepared when `prepared` was not prepared on the current state,
   *   ErrCommitHeight when `height` is not above the committed height
   * @throws Error while commitAsync writes are in flight (await `flushed()` first)
   */
  commit(prepared: PreparedBlock, height: bigint, meta?: ReadonlyMap<string, string | null>): void {
    const env = this.#open();
    this.#checkCommit(prepared, height);
    if (this.#inflightCount > 0) throw new Error('commit: asynchronous commits are in flight; await flushed() first');
    const leaves = this.#leaves;
    const nodes = this.#nodes;
    const metaDb = this.#meta;
    const flags =
      this.#durability === 'committed'
        ? TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT | TransactionFlags.NO_SYNC_FLUSH
        : TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;
    env.transactionSync(() => {
      for (const [, key, value] of prepared.leafOps) {
        if (value === null) leaves.removeSync(key);
        else leaves.putSync(key, value);
      }
      for (const [position, record] of prepared.nodeOps) {
        if (record === null) nodes.removeSync(nodeKey(position));
        else nodes.putSync(nodeKey(position), record);
      }
      for (const [key, value] of sortedMeta(meta)) {
        if (value === null) metaDb.removeSync(key);
        else metaDb.putSync(key, Buffer.from(value, 'utf8'));
      }
      metaDb.putSync(META_FORMAT, Uint8Array.of(FORMAT_VERSION));
      metaDb.putSync(META_HEIGHT, encodeHeight(height));
      metaDb.putSync(META_APP_HASH, prepared.appHash);
    }, flags);
    this.#applied(prepared, height);
    this.#durableHeight = height;
  }

  /**
   * Commits like {@link commit} but hands the lmdb transaction to lmdb's writer thread: the store
   * reflects the block when this returns (height, appHash, reads, proofs, the next prepare), and the
   * promise resolves once the block is durable. Blocks may be pipelined (commit the next one before
   * this resolves). Should a write fail, the promise rejects and every later call throws.
   * @throws AinError ErrStalePrepared, ErrCommitHeight (synchronously)
   */
  commitAsync(prepared: PreparedBlock, height: bigint, meta?: ReadonlyMap<string, string | null>): Promise<void> {
    this.#open();
    this.#checkCommit(prepared, height);
    const pending = (this.#pending ??= { leaves: new Overlay(this.#disk), nodes: new Map(), meta: new Map() });
    for (const [path, , , write] of prepared.leafOps) pending.leaves.set(path, write);
    for (const [position, record] of prepared.nodeOps) pending.nodes.set(position, record);
    if (meta !== undefined) for (const [key, value] of meta) pending.meta.set(key, value);

    // Every write below is queued in this one event turn, so lmdb-js puts them in one transaction.
    const leaves = this.#leaves;
    const nodes = this.#nodes;
    const metaDb = this.#meta;
    const writes: Array<Promise<unknown>> = [];
    try {
      for (const [, key, value] of prepared.leafOps) writes.push(value === null ? leaves.remove(key) : leaves.put(key, value));
      for (const [position, record] of prepared.nodeOps) {
        writes.push(record === null ? nodes.remove(nodeKey(position)) : nodes.put(nodeKey(position), record));
      }
      for (const [key, value] of sortedMeta(meta)) {
        writes.push(value === null ? metaDb.remove(key) : metaDb.put(key, Buffer.from(value, 'utf8')));
      }
      writes.push(metaDb.put(META_FORMAT, Uint8Array.of(FORMAT_VERSION)));
      writes.push(metaDb.put(META_HEIGHT, encodeHeight(height)));
      writes.push(metaDb.put(META_APP_HASH, prepared.appHash));
    } catch (error) {
      // Part of the block may be queued and the pending layer is ahead of it: stop using the store.
      this.#failure ??= error;
      throw error;
    }
    this.#applied(prepared, height);

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

  /** Waits for asynchronous commits, then closes the lmdb environment. Further calls throw ErrStoreClosed. */
  async close(): Promise<void> {
    const env = this.#env;
    if (env === undefined) return;
    try {
      await this.#inflight;
    } finally {
      this.#env = undefined;
      await env.close();
    }
  }
}

function sortedMeta(meta: ReadonlyMap<string, string | null> | undefined): Array<[Buffer, string | null]> {
  if (meta === undefined) return [];
  return [...meta]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => [Buffer.from(APP_META_PREFIX + key, 'utf8'), value]);
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
