/**
 * A Big Storage node: content-addressed blobs over HTTP (`PUT|GET|HEAD /blobs/<sha256 hex>`,
 * `GET /info`), uploads signed by a chain key, size limits, quotas (a free allowance plus the
 * uploader's paid reservations with this node, from the chain), TTL with a sweep, and reads of
 * private copies decided by the chain (`CanRead`) on signed, replay-proof requests. Bytes live on
 * a backend (`backend.ts`: a local folder by default, S3 or IPFS); uploads and downloads stream.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { ainError } from '../core/index.ts';
import { type BlobBackend, FolderBackend } from './backend.ts';
import type { ChainView } from './chainView.ts';
import {
  ErrStorageAccessDenied,
  ErrStorageBadRequest,
  ErrStorageNonceExpired,
  ErrStorageNonceReused,
  ErrStorageNotFound,
  ErrStorageReadUnauthorized,
} from './errors.ts';
import { sendError, sendJson, signerHeaders } from './http.ts';
import {
  applyStorageLimits,
  DEADLINE_CHECK_MS,
  MAX_HEADER_BLOCK_BYTES,
  refuseClient,
  type StorageLimits,
  storageLimits,
} from './limits.ts';
import { blobExpiry, MetadataStore } from './metadata.ts';
import { HASH_PATTERN, NONCE_PATTERN, verifyGet } from './signing.ts';
import { handlePut, type UploadContext } from './upload.ts';

export type { PutResult } from './upload.ts';

export const DEFAULT_STORAGE_PORT = 7070;
export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;
export const DEFAULT_QUOTA_BYTES_PER_ADDRESS = 1024 * 1024 * 1024;
export const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_MAX_TTL_SECONDS = 30 * 24 * 3600;
/** How far a nonce's timestamp may be from the server's clock (either way). */
export const DEFAULT_NONCE_WINDOW_SECONDS = 600;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export interface StorageServerOptions {
  /** Folder for blobs/ (the folder backend), tmp/ and meta.json (created if missing). */
  readonly dir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly maxBlobBytes?: number;
  /** Free allowance: bytes of live blobs an address may hold without a reservation. */
  readonly quotaBytesPerAddress?: number;
  /** TTL used when an upload signs `ttl = 0`. */
  readonly defaultTtlSeconds?: number;
  readonly maxTtlSeconds?: number;
  readonly nonceWindowSeconds?: number;
  readonly sweepIntervalMs?: number;
  /** Clock in Unix milliseconds (injectable for tests). */
  readonly now?: () => number;
  /** Where bytes live (default: the folder `dir/blobs`). */
  readonly backend?: BlobBackend;
  /** The chain: reservations count toward quotas and it decides reads of private copies. */
  readonly chain?: ChainView;
  /** This node's chain address: reservations are made with it and reads are signed for it. */
  readonly address?: string;
  /** Header, request and idle time, keep-alive, header count and connection cap. Default `DEFAULT_STORAGE_LIMITS`. */
  readonly limits?: Partial<StorageLimits>;
}

export interface StorageServer {
  /** `http://host:port` */
  readonly url: string;
  /** Deletes expired blobs, holders and nonces now (also runs at start and on an interval). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** What `GET /info` answers: whom reads are signed for and what the node stores on. */
export interface StorageInfo {
  readonly address: string;
  readonly backend: string;
  readonly chain: boolean;
}

/**
 * Starts a Big Storage node.
 * @example const server = await startStorageServer({ dir: '/var/ain/storage', port: 7070 });
 */
export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const now = options.now ?? Date.now;
  const nonceWindowMs = (options.nonceWindowSeconds ?? DEFAULT_NONCE_WINDOW_SECONDS) * 1000;
  const tmpDir = join(options.dir, 'tmp');
  rmSync(tmpDir, { recursive: true, force: true }); // uploads cut short by a crash
  mkdirSync(tmpDir, { recursive: true });
  const meta = new MetadataStore(join(options.dir, 'meta.json'));
  const backend = options.backend ?? new FolderBackend(join(options.dir, 'blobs'));
  const address = options.address ?? '';

  function live(hash: string): { size: number; expiresAt: number } | undefined {
    const record = meta.data.blobs[hash];
    if (!record) return undefined;
    const expiresAt = blobExpiry(record);
    return expiresAt > now() ? { size: record.size, expiresAt } : undefined;
  }

  function useNonce(signer: string, nonce: string): void {
    if (meta.nonceUsed(signer, nonce)) {
      throw ainError(
        ErrStorageNonceReused,
        `x-ain-nonce "${nonce}" was already used by ${signer}; sign with a fresh nonce (a replayed request)`,
      );
    }
    const nonceTime = Number(NONCE_PATTERN.exec(nonce)?.[1]);
    const at = now();
    if (Math.abs(nonceTime - at) > nonceWindowMs) {
      throw ainError(
        ErrStorageNonceExpired,
        `x-ain-nonce time ${nonceTime} is ${Math.round((nonceTime - at) / 1000)}s from the server clock ${at}; expected within ${nonceWindowMs / 1000}s`,
      );
    }
    const nonces = meta.data.nonces[signer] ?? {};
    nonces[nonce] = nonceTime + nonceWindowMs;
    meta.data.nonces[signer] = nonces;
    meta.save();
  }

  const upload: UploadContext = {
    meta,
    backend,
    chain: options.chain,
    address,
    tmpDir,
    maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES,
    freeQuota: options.quotaBytesPerAddress ?? DEFAULT_QUOTA_BYTES_PER_ADDRESS,
    defaultTtl: options.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS,
    maxTtl: options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
    now,
    pending: new Map(),
    inFlight: new Map(),
    useNonce,
    isLive: (hash) => live(hash) !== undefined,
  };

  /** The reader of a private copy: a valid signature for this node, a fresh nonce, and the chain's yes. */
  async function authorizeRead(req: IncomingMessage, hash: string): Promise<void> {
    const record = meta.data.blobs[hash]!;
    const at = now();
    const holders = Object.entries(record.holders)
      .filter(([, until]) => until > at)
      .map(([holder]) => holder);
    if (holders.some((holder) => !MetadataStore.isPrivate(record, holder))) return; // someone holds it publicly
    if (req.headers['x-ain-signature'] === undefined)
      throw ainError(
        ErrStorageReadUnauthorized,
        `blob ${hash} is private: sign the read (x-ain-address, x-ain-pubkey, x-ain-nonce, x-ain-signature)`,
      );
    const signer = signerHeaders(req);
    if (!verifyGet({ hash, nonce: signer.nonce, audience: address }, signer.signature, signer.pubkey))
      throw ainError(
        ErrStorageReadUnauthorized,
        `x-ain-signature does not verify: expected a signature by x-ain-pubkey over sha256("ain-storage-get\\n<hash>\\n<nonce>\\n${address}")`,
      );
    useNonce(signer.address, signer.nonce);
    if (holders.includes(signer.address)) return;
    if (!options.chain)
      throw ainError(
        ErrStorageAccessDenied,
        `blob ${hash} is private and this node has no chain to ask whether ${signer.address} may read it`,
      );
    const reasons: string[] = [];
    for (const holder of holders) {
      const verdict = await options.chain.canRead(hash, holder, signer.address, Math.floor(at / 1000));
      if (verdict.allowed) return;
      reasons.push(verdict.reason);
    }
    throw ainError(ErrStorageAccessDenied, `${signer.address} may not read blob ${hash}: ${reasons.join('; ')}`);
  }

  async function handleGet(req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
    const blob = live(hash);
    if (!blob) throw ainError(ErrStorageNotFound, `no live blob ${hash}`);
    await authorizeRead(req, hash);
    const ref = meta.data.blobs[hash]?.ref ?? '';
    const source = req.method === 'HEAD' ? undefined : await backend.get(hash, ref);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
      etag: `"${hash}"`,
      'x-ain-expires-at': new Date(blob.expiresAt).toISOString(),
      'cache-control': meta.data.blobs[hash]?.private ? 'private, no-store' : 'public, max-age=31536000, immutable',
    });
    if (!source) {
      res.end();
      return;
    }
    // Streamed with backpressure; from IPFS (not addressed by sha256) the bytes are hashed on the way
    // and the last chunk is held back until they check out: other bytes end the answer short of its
    // content-length, so no client, hash-checking or not, gets a whole body that is not the address's.
    const hasher = backend.verifyReads ? createHash('sha256') : undefined;
    let held: Uint8Array | undefined;
    let read = 0;
    try {
      for await (const chunk of source) {
        read += chunk.length;
        const out = hasher ? held : chunk;
        if (hasher) {
          hasher.update(chunk);
          held = chunk;
        }
        if (out && !res.write(out)) await once(res, 'drain');
      }
    } catch {
      res.destroy();
      return;
    }
    if (hasher && (hasher.digest('hex') !== hash || read !== blob.size)) {
      process.stderr.write(`storage: backend ${backend.name} returned other bytes for ${hash}; answer cut short\n`);
      res.destroy();
      return;
    }
    res.end(held);
  }

  async function sweep(): Promise<void> {
    const at = now();
    let changed = false;
    // Reserved bytes live no longer than the reservations paying for them (a cancel ends them early).
    if (options.chain && address !== '') {
      const reservedHolders = new Set(Object.values(meta.data.blobs).flatMap((r) => r.reserved ?? []));
      for (const holder of reservedHolders) {
        const reserved = await options.chain.reserved(holder, address).catch(() => undefined);
        if (!reserved) continue;
        for (const record of Object.values(meta.data.blobs)) {
          const until = record.holders[holder];
          if (until !== undefined && record.reserved?.includes(holder) && until > reserved.end * 1000) {
            record.holders[holder] = reserved.end * 1000;
            changed = true;
          }
        }
      }
    }
    const listed = new Set<string>();
    const objects: Array<{ hash: string; ref: string }> = [];
    for await (const object of backend.list()) {
      objects.push(object);
      listed.add(object.hash !== '' ? object.hash : object.ref);
    }
    for (const [hash, record] of Object.entries(meta.data.blobs)) {
      for (const [holder, until] of Object.entries(record.holders)) {
        if (until <= at) {
          delete record.holders[holder];
          if (record.private) record.private = record.private.filter((a) => a !== holder);
          if (record.reserved) record.reserved = record.reserved.filter((a) => a !== holder);
          changed = true;
        }
      }
      const stored = listed.has(hash) || (record.ref !== undefined && listed.has(record.ref)) || upload.inFlight.has(hash);
      if (Object.keys(record.holders).length === 0 || !stored) {
        delete meta.data.blobs[hash];
        changed = true;
      }
    }
    for (const [signer, nonces] of Object.entries(meta.data.nonces)) {
      for (const [nonce, until] of Object.entries(nonces)) {
        if (until <= at) {
          delete nonces[nonce];
          changed = true;
        }
      }
      if (Object.keys(nonces).length === 0) delete meta.data.nonces[signer];
    }
    if (changed) meta.save();
    // Metadata first, then objects: one without a record (expired above, or left by a crash) goes.
    const refs = new Set(Object.values(meta.data.blobs).map((r) => r.ref ?? ''));
    for (const object of objects) {
      const known = object.hash !== '' ? meta.data.blobs[object.hash] !== undefined : refs.has(object.ref);
      if (!known && !upload.inFlight.has(object.hash)) await backend.delete(object.hash, object.ref);
    }
  }

  const limits = storageLimits(options.limits);
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BLOCK_BYTES,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(DEADLINE_CHECK_MS, limits.headersTimeoutMs),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => sendError(req, res, error));
    },
  );
  applyStorageLimits(server, limits);
  server.on('clientError', refuseClient);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/info' && req.method === 'GET') {
      const info: StorageInfo = { address, backend: backend.name, chain: options.chain !== undefined };
      return sendJson(res, 200, info);
    }
    const match = /^\/blobs\/([^/?#]*)$/.exec(path);
    if (!match) throw ainError(ErrStorageNotFound, `no route ${req.method} ${(req.url ?? '').slice(0, 100)}; expected /blobs/<sha256 hex>`);
    const hash = match[1] ?? '';
    if (!HASH_PATTERN.test(hash)) {
      throw ainError(ErrStorageBadRequest, `blob hash "${hash.slice(0, 80)}" in the path must be 64 lower-case hex characters (sha256)`);
    }
    if (req.method === 'PUT') return handlePut(upload, req, res, hash);
    if (req.method === 'GET' || req.method === 'HEAD') return handleGet(req, res, hash);
    throw ainError(ErrStorageBadRequest, `method ${req.method} is not supported; expected PUT, GET or HEAD`);
  }

  await sweep();
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((error: unknown) => process.stderr.write(`storage sweep failed: ${String(error)}\n`))
      .finally(() => {
        sweeping = false;
      });
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_STORAGE_PORT, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    sweep,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
