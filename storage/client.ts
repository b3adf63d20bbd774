import { createHash } from 'node:crypto';
import { AinError, ainError } from '../core/index.ts';
import { ErrStorageHashMismatch, ErrStorageTooLarge, ErrStorageUnavailable, STORAGE, STORAGE_ERRORS } from './errors.ts';
import type { PutResult, StorageInfo } from './server.ts';
import { blobHash, getHeaders, HASH_PATTERN, newNonce, putHeaders, type StorageKey } from './signing.ts';

export { blobHash } from './signing.ts';
export type { StorageKey } from './signing.ts';

/** Default URL of a local storage node (`aind storage` listens on 7070). */
export const DEFAULT_STORAGE_URL = 'http://127.0.0.1:7070';
/** Default bound on what `getBlob` reads. */
export const DEFAULT_GET_MAX_BYTES = 64 * 1024 * 1024;

export interface PutBlobOptions {
  /** Seconds to keep the blob; 0 or absent means the server's default. */
  readonly ttlSeconds?: number;
  /** Override the nonce (tests); by default a fresh `<unix ms>-<random>`. */
  readonly nonce?: string;
  /** Keep this copy private: only the uploader and readers the chain admits may read it. */
  readonly private?: boolean;
}

/**
 * Uploads a blob signed by `key`; returns its sha256 address and expiry. Throws an `AinError` of
 * codespace `storage` with the server's message when refused.
 * @example const { hash } = await putBlob('http://127.0.0.1:7070', bytes, key, { ttlSeconds: 3600 });
 */
export async function putBlob(url: string, bytes: Uint8Array, key: StorageKey, options: PutBlobOptions = {}): Promise<PutResult> {
  const hash = blobHash(bytes);
  const intent = {
    hash,
    size: bytes.length,
    ttlSeconds: options.ttlSeconds ?? 0,
    nonce: options.nonce ?? newNonce(),
    ...(options.private ? { access: 'private' as const } : {}),
  };
  const response = await request(`${base(url)}/blobs/${hash}`, {
    method: 'PUT',
    headers: { ...putHeaders(intent, key), 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (response.status !== 200 && response.status !== 201) throw await errorOf(response);
  return (await response.json()) as PutResult;
}

export interface GetBlobOptions {
  /** Refuse blobs larger than this (default 64 MiB). */
  readonly maxBytes?: number;
  /** Sign the read with this key (needed for private copies: the node asks the chain about this reader). */
  readonly reader?: StorageKey;
  /** Override the nonce of a signed read (tests). */
  readonly nonce?: string;
}

const infos = new Map<string, Promise<StorageInfo>>();

/**
 * What `GET /info` tells of a node (its chain address, for whom reads are signed); cached per URL.
 * @example (await storageInfo(url)).address // 'ain1...' or '' for a node without a chain
 */
export function storageInfo(url: string): Promise<StorageInfo> {
  const key = base(url);
  let info = infos.get(key);
  if (!info) {
    info = request(`${key}/info`, { method: 'GET' }).then(async (response) => {
      if (response.status !== 200) throw await errorOf(response);
      return (await response.json()) as StorageInfo;
    });
    info.catch(() => infos.delete(key));
    infos.set(key, info);
  }
  return info;
}

/** The headers of a read: signed for the node when a reader key is given. */
export async function readHeaders(
  url: string,
  hash: string,
  options: Pick<GetBlobOptions, 'reader' | 'nonce'>,
): Promise<Record<string, string>> {
  if (!options.reader) return {};
  const { address } = await storageInfo(url);
  return getHeaders({ hash, nonce: options.nonce ?? newNonce(), audience: address }, options.reader);
}

/**
 * Downloads a blob and checks that its sha256 is `hash` (throws `storage/6` otherwise, so a lying or
 * corrupted server is caught). Throws `storage/7` when the server has no live copy.
 * @example const code = await getBlob(url, hash, { maxBytes: 1 << 20 });
 */
export async function getBlob(url: string, hash: string, options: GetBlobOptions = {}): Promise<Uint8Array> {
  checkHash(hash);
  const maxBytes = options.maxBytes ?? DEFAULT_GET_MAX_BYTES;
  const response = await request(`${base(url)}/blobs/${hash}`, { method: 'GET', headers: await readHeaders(url, hash, options) });
  if (response.status !== 200) throw await errorOf(response);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw ainError(ErrStorageTooLarge, `blob ${hash} has ${declared} bytes; maxBytes is ${maxBytes}`);
  }
  const hasher = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (received > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw ainError(ErrStorageTooLarge, `blob ${hash} is more than maxBytes ${maxBytes}`);
      }
      hasher.update(chunk);
      chunks.push(chunk);
    }
  }
  const actual = hasher.digest('hex');
  if (actual !== hash) throw ainError(ErrStorageHashMismatch, `server sent bytes with sha256 ${actual} for blob ${hash}`, { url });
  const result = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}

/** What HEAD tells about a blob. */
export interface BlobInfo {
  readonly hash: string;
  readonly size: number;
  readonly expiresAt: string | undefined;
}

/**
 * Whether a live blob exists: its size and expiry, or `undefined` when the server has none.
 * @example if (!(await headBlob(url, hash))) await putBlob(url, bytes, key);
 */
export async function headBlob(url: string, hash: string, options: Pick<GetBlobOptions, 'reader'> = {}): Promise<BlobInfo | undefined> {
  checkHash(hash);
  const response = await request(`${base(url)}/blobs/${hash}`, { method: 'HEAD', headers: await readHeaders(url, hash, options) });
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw await errorOf(response);
  return {
    hash,
    size: Number(response.headers.get('content-length') ?? 0),
    expiresAt: response.headers.get('x-ain-expires-at') ?? undefined,
  };
}

export function checkHash(hash: string): void {
  if (!HASH_PATTERN.test(hash))
    throw ainError(ErrStorageHashMismatch, `"${hash.slice(0, 80)}" is not a sha256 address (64 lower-case hex characters)`);
}

export function base(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    throw new AinError(ErrStorageUnavailable, `${init.method} ${url} failed (${(cause as Error).message})`, { url }, cause);
  }
}

/** Maps a server's JSON error back to the registered storage error. */
export async function errorOf(response: Response): Promise<AinError> {
  return errorOfText(response.status, await response.text().catch(() => ''), response.url);
}

/** Maps a server's JSON error text (with its HTTP status) back to the registered storage error. */
export function errorOfText(status: number, text: string, url: string): AinError {
  let parsed: { code?: unknown; codespace?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: reported below as unavailable
  }
  const definition = parsed.codespace === STORAGE && typeof parsed.code === 'number' ? STORAGE_ERRORS.get(parsed.code) : undefined;
  if (!definition) {
    return ainError(ErrStorageUnavailable, `${url} answered HTTP ${status} ${text.slice(0, 200)}`, { status });
  }
  const message = typeof parsed.message === 'string' ? parsed.message : '';
  const suffix = `: ${definition.description}`;
  const detail = message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
  return ainError(definition, detail || undefined, { status });
}
