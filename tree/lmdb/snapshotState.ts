/**
 * The committed state's side of state sync: reading everything a snapshot holds (`exportState`) and
 * writing a snapshot's state into an empty store (`restore`). The snapshot format is in
 * snapshotFormat.ts; `CommittedState` passes its lmdb databases in.
 */
import type { Database, RootDatabase } from 'lmdb';
import { ainError } from '../../core/index.ts';
import { arenaAllocator, bytesEqual, ErrInvalidSnapshot, ErrRestoreNotEmpty, sha256, toHex, updateTrie } from '../index.ts';
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
import type { SnapshotLeaf } from './snapshotFormat.ts';

export type { SnapshotLeaf } from './snapshotFormat.ts';

type Db = Database<Uint8Array, Uint8Array>;

/** What a snapshot holds: the committed height and app hash, the app's metadata and every leaf. */
export interface ExportedState {
  readonly height: bigint;
  readonly appHash: Uint8Array;
  /** The app's metadata beside the tree (`getMeta` keys: chain id, last block time, app version). */
  readonly appMeta: Map<string, string>;
  /** Path key and encoded value of every leaf, in key order (copies). */
  readonly leaves: SnapshotLeaf[];
}

/** What a restore writes: a snapshot's leaves (in key order), height, app hash and the app's metadata. */
export interface RestoredState {
  readonly leaves: readonly SnapshotLeaf[];
  readonly height: bigint;
  readonly appHash: Uint8Array;
  readonly appMeta: ReadonlyMap<string, string>;
}

/**
 * Reads the leaves and the app's metadata. Synchronous, so within one event-loop turn: lmdb-js reads
 * it all through one read transaction, and no commit of this process can come in between.
 */
export function readExport(height: bigint, appHash: Uint8Array, leavesDb: Db, metaDb: Db): ExportedState {
  const leaves: SnapshotLeaf[] = [];
  for (const { key, value } of leavesDb.getRange({})) leaves.push([Uint8Array.from(key), Uint8Array.from(value)]);
  const appMeta = new Map<string, string>();
  const start = Buffer.from(APP_META_PREFIX, 'utf8');
  // 'app/' .. 'app0': every key with the prefix ('0' follows '/').
  const end = Buffer.from(`${APP_META_PREFIX.slice(0, -1)}0`, 'utf8');
  for (const { key, value } of metaDb.getRange({ start, end })) {
    appMeta.set(Buffer.from(key).subarray(start.length).toString('utf8'), Buffer.from(value).toString('utf8'));
  }
  return { height, appHash: Uint8Array.from(appHash), appMeta, leaves };
}

/**
 * Writes a snapshot's state into an empty store: rebuilds the trie from the leaves (the store is
 * empty, so from nothing), checks its root against `appHash` before writing anything, then writes
 * leaves, trie records, the app's metadata, format, height, app hash and history floor (= height) in
 * one lmdb transaction, so a crash leaves the empty store or the whole state.
 * @throws AinError ErrRestoreNotEmpty (store/17) when `committedHeight` > 0 or trie records exist;
 *   ErrInvalidSnapshot (store/16) for a bad height, two leaves with one key, or a root that is not `appHash`
 */
export function writeRestore(
  env: RootDatabase<Uint8Array, Uint8Array>,
  committedHeight: bigint,
  dbs: { readonly leaves: Db; readonly nodes: Db; readonly meta: Db },
  snapshot: RestoredState,
): void {
  const { leaves, height, appHash, appMeta } = snapshot;
  if (committedHeight !== 0n || dbs.nodes.getBinary(nodeKey('')) !== undefined) {
    throw ainError(ErrRestoreNotEmpty, `restore into a store at height ${committedHeight}`, { height: String(committedHeight) });
  }
  if (height <= 0n || height > MAX_HEIGHT) throw ainError(ErrInvalidSnapshot, `snapshot height ${height} is out of range`);
  const alloc = arenaAllocator();
  let trie: ReturnType<typeof updateTrie>;
  try {
    const updates = leaves.map(([key, value]) => ({ keyHash: sha256(key), valueHash: sha256(value) }));
    trie = updateTrie({ getNode: () => undefined }, updates, alloc);
  } catch (cause) {
    throw ainError(ErrInvalidSnapshot, `snapshot leaves do not form a trie: ${(cause as Error).message}`);
  }
  if (!bytesEqual(trie.root, appHash)) {
    throw ainError(ErrInvalidSnapshot, `snapshot leaves hash to ${toHex(trie.root)}, not the app hash ${toHex(appHash)}`, {
      height: String(height),
    });
  }
  env.transactionSync(() => {
    for (const [key, value] of leaves) dbs.leaves.putSync(key, value);
    for (const [position, record] of trie.nodeOps) if (record !== null) dbs.nodes.putSync(nodeKey(position), record);
    for (const [key, value] of sortedMeta(appMeta)) if (value !== null) dbs.meta.putSync(key, Buffer.from(value, 'utf8'));
    dbs.meta.putSync(META_FORMAT, Uint8Array.of(FORMAT_VERSION));
    dbs.meta.putSync(META_HEIGHT, encodeHeight(height));
    dbs.meta.putSync(META_APP_HASH, appHash);
    dbs.meta.putSync(META_HISTORY_FLOOR, encodeHeight(height));
  });
}
