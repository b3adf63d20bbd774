/**
 * The state sync snapshot format (ABCI `Snapshot.format` = {@link SNAPSHOT_FORMAT}): what a snapshot of
 * the committed state at one height holds and how a receiver checks it. Pure (no I/O).
 *
 * A snapshot is every leaf of the state tree at height H, as stored (`encodePathKey(path)` ->
 * `encodeValue(value)`), in key order, cut into chunks of at most `chunkSize` bytes (a leaf never
 * straddles two chunks; a leaf larger than `chunkSize` is a chunk of its own):
 *
 *   chunk = per leaf: key length (u32 BE) || key || value length (u32 BE) || value
 *
 * and its metadata (ABCI `Snapshot.metadata`), canonical JSON with fixed key order:
 *
 *   {"format":1,"height":"H","app_hash":"<hex>","chunk_size":N,"leaves":L,
 *    "chunks":["<sha256 hex of chunk 0>",...],"app_meta":{"<key>":"<value>",...}}
 *
 * `app_meta` is the app's metadata beside the tree (chain id, last block time, app version: what
 * `CommittedState.getMeta` reads), which the app hash does not cover. `Snapshot.hash` = sha256 of the
 * metadata bytes. The trie records are not sent: the receiver rebuilds them from the leaves, and the
 * root it gets must equal the app hash CometBFT's light client verified. A given height, chunk size
 * and state always give the same bytes.
 */
import { ainError } from '../../core/index.ts';
import { bytesEqual, decodePathKey, decodeValue, ErrInvalidSnapshot, sha256, toHex } from '../index.ts';
import { compareBytes } from './history.ts';

/** `Snapshot.format` of this encoding. */
export const SNAPSHOT_FORMAT = 1;
/** Default chunk size: 4 MiB (CometBFT's p2p messages carry up to 16 MiB). */
export const DEFAULT_SNAPSHOT_CHUNK_SIZE = 4 * 1024 * 1024;
/** Largest chunk size accepted (CometBFT's snapshot channel refuses messages above 16 MiB). */
export const MAX_SNAPSHOT_CHUNK_SIZE = 12 * 1024 * 1024;

/** A snapshot's metadata, decoded. */
export interface SnapshotMetadata {
  readonly format: number;
  readonly height: bigint;
  readonly appHash: Uint8Array;
  readonly chunkSize: number;
  readonly leaves: number;
  /** sha256 of each chunk, in order. */
  readonly chunkHashes: readonly Uint8Array[];
  /** The app's metadata beside the tree, by key. */
  readonly appMeta: ReadonlyMap<string, string>;
}

/** A snapshot ready to be written or served: its chunks, metadata and hash. */
export interface EncodedSnapshot {
  readonly metadata: SnapshotMetadata;
  readonly metadataBytes: Uint8Array;
  /** sha256 of `metadataBytes`: ABCI `Snapshot.hash`. */
  readonly hash: Uint8Array;
  readonly chunks: readonly Uint8Array[];
}

/** One stored leaf: its path key and encoded value. */
export type SnapshotLeaf = readonly [key: Uint8Array, value: Uint8Array];

/** @throws RangeError unless `chunkSize` is an integer from 1 KiB to {@link MAX_SNAPSHOT_CHUNK_SIZE} */
export function checkChunkSize(chunkSize: number): number {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1024 || chunkSize > MAX_SNAPSHOT_CHUNK_SIZE) {
    throw new RangeError(`snapshot chunk size ${String(chunkSize)} is not an integer from 1024 to ${MAX_SNAPSHOT_CHUNK_SIZE}`);
  }
  return chunkSize;
}

/**
 * Cuts the leaves (in key order) into chunks and describes them.
 * @throws AinError store/16 when the leaves are not in strictly increasing key order
 * @example const snap = encodeSnapshot(42n, appHash, leaves, new Map([['chain_id', 'ain-1']]), 4 << 20);
 */
export function encodeSnapshot(
  height: bigint,
  appHash: Uint8Array,
  leaves: Iterable<SnapshotLeaf>,
  appMeta: ReadonlyMap<string, string>,
  chunkSize: number,
): EncodedSnapshot {
  checkChunkSize(chunkSize);
  const chunks: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let size = 0;
  let count = 0;
  let previous: Uint8Array | undefined;
  const cut = () => {
    if (parts.length === 0) return;
    chunks.push(Buffer.concat(parts, size));
    parts = [];
    size = 0;
  };
  for (const [key, value] of leaves) {
    if (previous !== undefined && compareBytes(previous, key) >= 0) throw ainError(ErrInvalidSnapshot, 'leaves out of key order');
    previous = key;
    const record = 8 + key.length + value.length;
    if (size > 0 && size + record > chunkSize) cut();
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32BE(key.length);
    const mid = Buffer.allocUnsafe(4);
    mid.writeUInt32BE(value.length);
    parts.push(head, key, mid, value);
    size += record;
    count++;
  }
  cut();
  const metadata: SnapshotMetadata = {
    format: SNAPSHOT_FORMAT,
    height,
    appHash,
    chunkSize,
    leaves: count,
    chunkHashes: chunks.map((chunk) => sha256(chunk)),
    appMeta: new Map([...appMeta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  const metadataBytes = encodeMetadata(metadata);
  return { metadata, metadataBytes, hash: sha256(metadataBytes), chunks };
}

/** The canonical JSON bytes of a snapshot's metadata (see the file comment). */
export function encodeMetadata(metadata: SnapshotMetadata): Uint8Array {
  const appMeta: Record<string, string> = {};
  for (const [key, value] of [...metadata.appMeta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) appMeta[key] = value;
  const json = JSON.stringify({
    format: metadata.format,
    height: metadata.height.toString(),
    app_hash: toHex(metadata.appHash),
    chunk_size: metadata.chunkSize,
    leaves: metadata.leaves,
    chunks: metadata.chunkHashes.map(toHex),
    app_meta: appMeta,
  });
  return Buffer.from(json, 'utf8');
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads a snapshot's metadata and checks it against the ABCI `Snapshot` fields it came with: format,
 * height, chunk count and hash (sha256 of the metadata bytes).
 * @throws AinError store/16 naming what does not match or parse
 */
export function decodeMetadata(snapshot: {
  readonly height: bigint;
  readonly format: number;
  readonly chunks: number;
  readonly hash: Uint8Array;
  readonly metadata: Uint8Array;
}): SnapshotMetadata {
  const fail = (why: string): never => {
    throw ainError(ErrInvalidSnapshot, `snapshot at height ${snapshot.height}: ${why}`, { height: String(snapshot.height) });
  };
  if (snapshot.format !== SNAPSHOT_FORMAT) fail(`format ${snapshot.format} is not ${SNAPSHOT_FORMAT}`);
  if (!bytesEqual(sha256(snapshot.metadata), snapshot.hash)) fail('hash is not the sha256 of its metadata');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(snapshot.metadata).toString('utf8')) as Record<string, unknown>;
  } catch {
    return fail('metadata is not JSON');
  }
  const chunks = raw.chunks;
  const appMeta = raw.app_meta;
  if (
    raw.format !== SNAPSHOT_FORMAT ||
    typeof raw.height !== 'string' ||
    !/^[1-9][0-9]{0,19}$/.test(raw.height) ||
    typeof raw.app_hash !== 'string' ||
    !HEX64.test(raw.app_hash) ||
    !Number.isSafeInteger(raw.chunk_size) ||
    !Number.isSafeInteger(raw.leaves) ||
    !Array.isArray(chunks) ||
    !chunks.every((h) => typeof h === 'string' && HEX64.test(h)) ||
    typeof appMeta !== 'object' ||
    appMeta === null ||
    !Object.values(appMeta).every((v) => typeof v === 'string')
  ) {
    fail('metadata lacks or mistypes a field');
  }
  const metadata: SnapshotMetadata = {
    format: SNAPSHOT_FORMAT,
    height: BigInt(raw.height as string),
    appHash: Buffer.from(raw.app_hash as string, 'hex'),
    chunkSize: raw.chunk_size as number,
    leaves: raw.leaves as number,
    chunkHashes: (chunks as string[]).map((h) => Buffer.from(h, 'hex')),
    appMeta: new Map(Object.entries(appMeta as Record<string, string>)),
  };
  if (metadata.height !== snapshot.height) fail(`metadata says height ${metadata.height}`);
  if (metadata.chunkHashes.length !== snapshot.chunks)
    fail(`metadata lists ${metadata.chunkHashes.length} chunks, the offer ${snapshot.chunks}`);
  if (!bytesEqual(encodeMetadata(metadata), snapshot.metadata)) fail('metadata is not in canonical form');
  return metadata;
}

/** True when `chunk` is chunk `index` the metadata lists (its sha256 matches). */
export function chunkMatches(metadata: SnapshotMetadata, index: number, chunk: Uint8Array): boolean {
  const expected = metadata.chunkHashes[index];
  return expected !== undefined && bytesEqual(sha256(chunk), expected);
}

/**
 * The leaves of one chunk, checked to follow `after` (the last key of the chunk before) in strictly
 * increasing key order, each key and value a canonical encoding (what `decodePathKey` and
 * `decodeValue` read back later: a peer's bad bytes are refused with their chunk, not stored to fail
 * a list or a read after the restore).
 * @throws AinError store/16 for a truncated record, keys out of order, or a key or value not canonical
 */
export function decodeChunk(chunk: Uint8Array, after: Uint8Array | undefined): SnapshotLeaf[] {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  const out: SnapshotLeaf[] = [];
  let previous = after;
  let o = 0;
  while (o < bytes.length) {
    if (o + 4 > bytes.length) throw ainError(ErrInvalidSnapshot, 'chunk ends inside a key length');
    const keyLength = bytes.readUInt32BE(o);
    const keyEnd = o + 4 + keyLength;
    if (keyEnd + 4 > bytes.length) throw ainError(ErrInvalidSnapshot, 'chunk ends inside a key');
    const valueLength = bytes.readUInt32BE(keyEnd);
    const valueEnd = keyEnd + 4 + valueLength;
    if (valueEnd > bytes.length) throw ainError(ErrInvalidSnapshot, 'chunk ends inside a value');
    const key = bytes.subarray(o + 4, keyEnd);
    if (keyLength === 0 || (previous !== undefined && compareBytes(previous, key) >= 0)) {
      throw ainError(ErrInvalidSnapshot, 'chunk leaves out of key order');
    }
    const value = bytes.subarray(keyEnd + 4, valueEnd);
    try {
      decodePathKey(key);
      decodeValue(value);
    } catch (error) {
      throw ainError(ErrInvalidSnapshot, `chunk leaf ${out.length}: ${(error as Error).message}`);
    }
    out.push([key, value]);
    previous = key;
    o = valueEnd;
  }
  return out;
}
