/**
 * The committed state: leaves, trie records and metadata in one lmdb environment, three named
 * databases. This is the store adapter (it does I/O); everything it computes is delegated to the pure
 * `path`, `valueCodec` and `merkleTrie` modules.
 *
 *   leaves : encodePathKey(path) -> encodeValue(value)       (list = one range scan)
 *   nodes  : 'n' + position (hex nibbles) -> trie record      (see merkleTrie.ts)
 *   meta   : 'height' (u64 BE), 'appHash' (32 bytes), 'format' (u8), 'app/<key>' (UTF-8 string for the app)
 *
 * A block goes through `prepare(writes)` (pure: computes the new app hash and the record changes,
 * writes nothing) and `commit(prepared, height)` (one synchronous lmdb write transaction holding the
 * leaves, the trie records, the height, the app hash and the app's metadata). lmdb commits are
 * atomic, so a kill -9 at any moment leaves either the previous block or the new one; by default
 * `commit` returns only after the transaction is flushed to disk.
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
import { type TrieNodeReader, type TrieUpdate, proveKey, trieRoot, updateTrie } from './merkleTrie.ts';
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

/** Options of {@link openCommittedState}. */
export interface CommittedStateOptions {
  /**
   * When `commit` returns. `'flushed'` (default): after lmdb has fsynced the transaction, so the
   * block survives a power loss. `'committed'`: as soon as the transaction is committed and visible;
   * the flush finishes in the background. A process crash still loses nothing; a power loss may
   * roll the store back to an earlier, intact block, which CometBFT's handshake replays.
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
  /** @internal */
  readonly leafOps: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>;
  /** @internal */
  readonly nodeOps: ReadonlyMap<string, Uint8Array | null>;

  /** @internal */
  constructor(
    base: { readonly state: CommittedState; readonly generation: number },
    baseAppHash: Uint8Array,
    appHash: Uint8Array,
    leafOps: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>,
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
  return Buffer.from(`n${position}`, 'latin1');
}

function encodeHeight(height: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(height);
  return out;
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
  readonly #flags: number;
  readonly #reader: TrieNodeReader;
  #height: bigint;
  #appHash: Uint8Array;
  #generation = 0;

  /** @internal use {@link openCommittedState} */
  constructor(dir: string, options: CommittedStateOptions) {
    this.dir = dir;
    const env = open<Uint8Array, Uint8Array>({
      path: dir,
      maxDbs: 4,
      keyEncoding: 'binary',
      encoding: 'binary',
      noMemInit: true,
    });
    this.#env = env;
    const dbOptions = { keyEncoding: 'binary', encoding: 'binary' } as const;
    this.#leaves = env.openDB<Uint8Array, Uint8Array>('leaves', dbOptions);
    this.#nodes = env.openDB<Uint8Array, Uint8Array>('nodes', dbOptions);
    this.#meta = env.openDB<Uint8Array, Uint8Array>('meta', dbOptions);
    this.#flags =
      options.durability === 'committed'
        ? TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT | TransactionFlags.NO_SYNC_FLUSH
        : TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;
    const nodes = this.#nodes;
    this.#reader = { getNode: (position) => nodes.getBinary(nodeKey(position)) };

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
      if (!bytesEqual(trieRoot(this.#reader), this.#appHash)) {
        throw ainError(ErrCorruptStore, 'stored app hash is not the trie root', { dir, appHash: toHex(this.#appHash) });
      }
    }
  }

  /** Height of the last committed block (0 before the first commit). */
  get height(): bigint {
    return this.#height;
  }

  /** App hash of the last committed block: the trie root (EMPTY_ROOT, 32 zero bytes, when empty). */
  get appHash(): Uint8Array {
    return this.#appHash;
  }

  #env_(): RootDatabase<Uint8Array, Uint8Array> {
    if (this.#env === undefined) throw ainError(ErrStoreClosed, undefined, { dir: this.dir });
    return this.#env;
  }

  /**
   * The committed value at `path`, or undefined.
   * @throws AinError store/1-5 for an invalid path
   */
  get(path: string): StateValue | undefined {
    this.#env_();
    const canonical = normalizePath(path);
    if (canonical === ROOT_PATH) return undefined;
    const bytes = this.#leaves.getBinaryFast(encodePathKey(canonical));
    return bytes === undefined ? undefined : decodeValue(bytes);
  }

  /**
   * The committed leaves at and under `path`, in path order, at most `limit` (one lmdb range scan).
   * @throws AinError store/1-5 for an invalid path, ErrInvalidLimit for a negative or fractional limit
   */
  list(path: string, limit: number): Array<[string, StateValue]> {
    this.#env_();
    const canonical = normalizePath(path);
    checkListLimit(limit);
    const out: Array<[string, StateValue]> = [];
    if (limit === 0) return out;
    const range = pathKeyRange(canonical);
    const options: { start?: Uint8Array; end?: Uint8Array; limit?: number } = { ...range };
    if (limit !== Infinity) options.limit = limit;
    for (const { key, value } of this.#leaves.getRange(options)) {
      out.push([decodePathKey(key), decodeValue(value)]);
    }
    return out;
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
    this.#env_();
    const leafOps: Array<readonly [Uint8Array, Uint8Array | null]> = [];
    const updates: TrieUpdate[] = [];
    const seen = new Set<string>();
    for (const [path, write] of writes) {
      const canonical = normalizePath(path);
      if (canonical === ROOT_PATH) throw ainError(ErrWriteToRoot, undefined, { path });
      if (seen.has(canonical)) throw ainError(ErrDuplicatePath, canonical, { path: canonical });
      seen.add(canonical);
      const key = encodePathKey(canonical);
      const value = write === null ? null : encodeValue(write);
      leafOps.push([key, value]);
      updates.push({ keyHash: sha256(key), valueHash: value === null ? null : sha256(value) });
    }
    const { root, nodeOps } = updateTrie(this.#reader, updates);
    return new PreparedBlock({ state: this, generation: this.#generation }, this.#appHash, root, leafOps, nodeOps);
  }

  /**
   * Persists a prepared block at `height` in one lmdb transaction: leaves, trie records, height, app
   * hash and the app's metadata (`meta`: key -> string, or null to delete). Atomic; returns once the
   * transaction is durable (see {@link CommittedStateOptions.durability}).
   * @throws AinError ErrStalePrepared when `prepared` was not prepared on the current state,
   *   ErrCommitHeight when `height` is not above the committed height
   */
  commit(prepared: PreparedBlock, height: bigint, meta?: ReadonlyMap<string, string | null>): void {
    const env = this.#env_();
    if (prepared.base.state !== this || prepared.base.generation !== this.#generation) {
      throw ainError(ErrStalePrepared, undefined, { height: String(height) });
    }
    if (typeof height !== 'bigint' || height <= this.#height || height > MAX_HEIGHT) {
      throw ainError(ErrCommitHeight, `height ${String(height)} after ${this.#height}`, {
        height: String(height),
        committed: String(this.#height),
      });
    }
    const leaves = this.#leaves;
    const nodes = this.#nodes;
    const metaDb = this.#meta;
    env.transactionSync(() => {
      for (const [key, value] of prepared.leafOps) {
        if (value === null) leaves.removeSync(key);
        else leaves.putSync(key, value);
      }
      for (const [position, record] of prepared.nodeOps) {
        if (record === null) nodes.removeSync(nodeKey(position));
        else nodes.putSync(nodeKey(position), record);
      }
      if (meta !== undefined) {
        for (const [key, value] of [...meta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          const k = Buffer.from(APP_META_PREFIX + key, 'utf8');
          if (value === null) metaDb.removeSync(k);
          else metaDb.putSync(k, Buffer.from(value, 'utf8'));
        }
      }
      metaDb.putSync(META_FORMAT, Uint8Array.of(FORMAT_VERSION));
      metaDb.putSync(META_HEIGHT, encodeHeight(height));
      metaDb.putSync(META_APP_HASH, prepared.appHash);
    }, this.#flags);
    this.#height = height;
    this.#appHash = prepared.appHash;
    this.#generation++;
  }

  /**
   * The proof of the committed value at `path`, or of its absence, against {@link appHash}.
   * @throws AinError store/1-5 for an invalid path
   * @example
   * const proof = state.prove('/accounts/ain1xyz/balances/uain');
   * verifyProof(state.appHash, '/accounts/ain1xyz/balances/uain', state.get('/accounts/ain1xyz/balances/uain'), proof); // true
   */
  prove(path: string): StateProof {
    this.#env_();
    return proveKey(this.#reader, sha256(encodePathKey(normalizePath(path))));
  }

  /**
   * The app's metadata stored under `key` by a commit (consensus params, chain id, ...), or undefined.
   * @example state.commit(block, 1n, new Map([['chain_id', 'ain-1']])); state.getMeta('chain_id') // 'ain-1'
   */
  getMeta(key: string): string | undefined {
    this.#env_();
    const value = this.#meta.getBinary(Buffer.from(APP_META_PREFIX + key, 'utf8'));
    return value === undefined ? undefined : value.toString('utf8');
  }

  /** Closes the lmdb environment (waits for pending flushes). Further calls throw ErrStoreClosed. */
  async close(): Promise<void> {
    const env = this.#env;
    if (env === undefined) return;
    this.#env = undefined;
    await env.close();
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
