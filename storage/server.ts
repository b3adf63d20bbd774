import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AinError, ainError, type ErrorDefinition, parseAddress, pubkeyToAddress } from '../core/index.ts';
import {
  ErrStorageBadRequest,
  ErrStorageHashMismatch,
  ErrStorageInternal,
  ErrStorageNonceExpired,
  ErrStorageNonceReused,
  ErrStorageNotFound,
  ErrStorageQuotaExceeded,
  ErrStorageSizeMismatch,
  ErrStorageTooLarge,
  ErrStorageUnauthorized,
  httpStatusOf,
  STORAGE,
} from './errors.ts';
import { blobExpiry, MetadataStore } from './metadata.ts';
import { HASH_PATTERN, NONCE_PATTERN, type PutIntent, verifyPut } from './signing.ts';

export const DEFAULT_STORAGE_PORT = 7070;
export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;
export const DEFAULT_QUOTA_BYTES_PER_ADDRESS = 1024 * 1024 * 1024;
export const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_MAX_TTL_SECONDS = 30 * 24 * 3600;
/** How far a nonce's timestamp may be from the server's clock (either way). */
export const DEFAULT_NONCE_WINDOW_SECONDS = 600;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** Node's own limit on the whole header block; each x-ain-* header has a tighter one below. */
const MAX_HEADER_BLOCK_BYTES = 8 * 1024;

export interface StorageServerOptions {
  /** Folder for blobs/, tmp/ and meta.json (created if missing). */
  readonly dir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly maxBlobBytes?: number;
  /** Sum of the sizes of live blobs an address may hold. */
  readonly quotaBytesPerAddress?: number;
  /** TTL used when an upload signs `ttl = 0`. */
  readonly defaultTtlSeconds?: number;
  readonly maxTtlSeconds?: number;
  readonly nonceWindowSeconds?: number;
  readonly sweepIntervalMs?: number;
  /** Clock in Unix milliseconds (injectable for tests). */
  readonly now?: () => number;
}

export interface StorageServer {
  /** `http://host:port` */
  readonly url: string;
  /** Deletes expired blobs, holders and nonces now (also runs at start and on an interval). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** What a successful PUT answers. */
export interface PutResult {
  readonly hash: string;
  readonly size: number;
  /** RFC 3339 time after which the blob may be gone. */
  readonly expiresAt: string;
}

/**
 * Starts a Big Storage node: content-addressed blobs over HTTP (`PUT|GET|HEAD /blobs/<sha256hex>`),
 * uploads signed by a chain key, size and per-address quota limits, TTL with a sweep.
 * @example const server = await startStorageServer({ dir: '/var/ain/storage', port: 7070 });
 */
export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const config = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_STORAGE_PORT,
    maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES,
    quota: options.quotaBytesPerAddress ?? DEFAULT_QUOTA_BYTES_PER_ADDRESS,
    defaultTtl: options.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS,
    maxTtl: options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
    nonceWindowMs: (options.nonceWindowSeconds ?? DEFAULT_NONCE_WINDOW_SECONDS) * 1000,
    now: options.now ?? Date.now,
  };
  const blobsDir = join(options.dir, 'blobs');
  const tmpDir = join(options.dir, 'tmp');
  mkdirSync(blobsDir, { recursive: true });
  rmSync(tmpDir, { recursive: true, force: true }); // uploads cut short by a crash
  mkdirSync(tmpDir, { recursive: true });
  const meta = new MetadataStore(join(options.dir, 'meta.json'));
  /** Bytes of uploads in flight per address, counted against the quota until they finish. */
  const pending = new Map<string, number>();

  const blobPath = (hash: string): string => join(blobsDir, hash);

  function live(hash: string): { size: number; expiresAt: number } | undefined {
    const record = meta.data.blobs[hash];
    if (!record) return undefined;
    const expiresAt = blobExpiry(record);
    return expiresAt > config.now() ? { size: record.size, expiresAt } : undefined;
  }

  async function sweep(): Promise<void> {
    const now = config.now();
    let changed = false;
    for (const [hash, record] of Object.entries(meta.data.blobs)) {
      for (const [address, until] of Object.entries(record.holders)) {
        if (until <= now) {
          delete record.holders[address];
          changed = true;
        }
      }
      if (Object.keys(record.holders).length === 0 || !existsSync(blobPath(hash))) {
        delete meta.data.blobs[hash];
        changed = true;
      }
    }
    for (const [address, nonces] of Object.entries(meta.data.nonces)) {
      for (const [nonce, until] of Object.entries(nonces)) {
        if (until <= now) {
          delete nonces[nonce];
          changed = true;
        }
      }
      if (Object.keys(nonces).length === 0) delete meta.data.nonces[address];
    }
    if (changed) meta.save();
    // Metadata first, then files: a file without a record (deleted above, or left by a crash) goes.
    for (const name of readdirSync(blobsDir)) {
      if (meta.data.blobs[name] === undefined) rmSync(blobPath(name), { force: true });
    }
  }

  async function handlePut(req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
    const upload = checkPutHeaders(req, hash, config);
    const now = config.now();
    if (meta.nonceUsed(upload.address, upload.intent.nonce)) {
      throw ainError(
        ErrStorageNonceReused,
        `x-ain-nonce "${upload.intent.nonce}" was already used by ${upload.address}; sign with a fresh nonce`,
      );
    }
    const nonceTime = Number(NONCE_PATTERN.exec(upload.intent.nonce)?.[1]);
    if (Math.abs(nonceTime - now) > config.nonceWindowMs) {
      throw ainError(
        ErrStorageNonceExpired,
        `x-ain-nonce time ${nonceTime} is ${Math.round((nonceTime - now) / 1000)}s from the server clock ${now}; expected within ${config.nonceWindowMs / 1000}s`,
      );
    }
    const ttlSeconds = upload.intent.ttlSeconds === 0 ? config.defaultTtl : upload.intent.ttlSeconds;
    const alreadyHeld = (meta.data.blobs[hash]?.holders[upload.address] ?? 0) > now;
    const charge = alreadyHeld ? 0 : upload.intent.size;
    const used = meta.usage(upload.address, now) + (pending.get(upload.address) ?? 0);
    if (used + charge > config.quota) {
      throw ainError(
        ErrStorageQuotaExceeded,
        `${upload.address} holds ${used} bytes; adding ${charge} would pass the quota of ${config.quota} bytes`,
      );
    }
    // The nonce is spent once the signature checked out, even if the body turns out wrong.
    const nonces = meta.data.nonces[upload.address] ?? {};
    nonces[upload.intent.nonce] = nonceTime + config.nonceWindowMs;
    meta.data.nonces[upload.address] = nonces;
    meta.save();

    pending.set(upload.address, (pending.get(upload.address) ?? 0) + charge);
    const temp = join(tmpDir, `${hash}.${randomBytes(8).toString('hex')}`);
    try {
      await receiveBody(req, temp, hash, upload.intent.size);
      // Synchronous from here to the metadata commit, so a sweep never sees the file without its record.
      // Same bytes whoever wins a race of two uploads: rename is atomic.
      renameSync(temp, blobPath(hash));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    } finally {
      const left = (pending.get(upload.address) ?? 0) - charge;
      if (left > 0) pending.set(upload.address, left);
      else pending.delete(upload.address);
    }
    const commitNow = config.now();
    const existed = live(hash) !== undefined;
    const record = meta.data.blobs[hash] ?? { size: upload.intent.size, holders: {} };
    const until = commitNow + ttlSeconds * 1000;
    record.holders[upload.address] = Math.max(record.holders[upload.address] ?? 0, until);
    meta.data.blobs[hash] = record;
    meta.save();
    const result: PutResult = { hash, size: record.size, expiresAt: new Date(blobExpiry(record)).toISOString() };
    sendJson(res, existed ? 200 : 201, result);
  }

  function handleGet(req: IncomingMessage, res: ServerResponse, hash: string): void {
    const blob = live(hash);
    if (!blob || !existsSync(blobPath(hash))) throw ainError(ErrStorageNotFound, `no live blob ${hash}`);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
      etag: `"${hash}"`,
      'x-ain-expires-at': new Date(blob.expiresAt).toISOString(),
      'cache-control': 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(blobPath(hash));
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BLOCK_BYTES }, (req, res) => {
    handle(req, res).catch((error: unknown) => sendError(req, res, error));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/blobs\/([^/?#]*)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) throw ainError(ErrStorageNotFound, `no route ${req.method} ${(req.url ?? '').slice(0, 100)}; expected /blobs/<sha256 hex>`);
    const hash = match[1] ?? '';
    if (!HASH_PATTERN.test(hash)) {
      throw ainError(ErrStorageBadRequest, `blob hash "${hash.slice(0, 80)}" in the path must be 64 lower-case hex characters (sha256)`);
    }
    if (req.method === 'PUT') return handlePut(req, res, hash);
    if (req.method === 'GET' || req.method === 'HEAD') return handleGet(req, res, hash);
    throw ainError(ErrStorageBadRequest, `method ${req.method} is not supported; expected PUT, GET or HEAD`);
  }

  await sweep();
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => process.stderr.write(`storage sweep failed: ${String(error)}\n`));
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    sweep,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface CheckedPut {
  readonly address: string;
  readonly intent: PutIntent;
}

/** Reads and checks the x-ain-* headers of an upload (stateless checks only). */
function checkPutHeaders(req: IncomingMessage, hash: string, config: { maxBlobBytes: number; maxTtl: number }): CheckedPut {
  const address = header(req, 'x-ain-address', 90);
  try {
    parseAddress(address, 'x-ain-address');
  } catch (error) {
    throw ainError(ErrStorageBadRequest, (error as Error).message);
  }
  const pubkeyText = header(req, 'x-ain-pubkey', 64);
  const pubkey = Buffer.from(pubkeyText, 'base64');
  if (pubkey.length !== 33 || pubkey.toString('base64') !== pubkeyText) {
    throw ainError(ErrStorageBadRequest, 'x-ain-pubkey must be the base64 of a 33-byte compressed secp256k1 public key');
  }
  const derived = pubkeyToAddress(pubkey);
  if (derived !== address) {
    throw ainError(ErrStorageUnauthorized, `x-ain-pubkey belongs to ${derived}, not to x-ain-address ${address}`);
  }
  const size = decimal(header(req, 'x-ain-size', 16), 'x-ain-size');
  if (size > config.maxBlobBytes) {
    throw ainError(ErrStorageTooLarge, `x-ain-size ${size} is more than the limit of ${config.maxBlobBytes} bytes`);
  }
  const contentLength = req.headers['content-length'];
  if (contentLength !== undefined && contentLength !== String(size)) {
    throw ainError(ErrStorageSizeMismatch, `content-length ${contentLength.slice(0, 20)} differs from x-ain-size ${size}`);
  }
  const ttlSeconds = decimal(header(req, 'x-ain-ttl', 12), 'x-ain-ttl');
  if (ttlSeconds > config.maxTtl) {
    throw ainError(
      ErrStorageBadRequest,
      `x-ain-ttl ${ttlSeconds} is more than the limit of ${config.maxTtl} seconds (0 means the server default)`,
    );
  }
  const nonce = header(req, 'x-ain-nonce', 80);
  if (!NONCE_PATTERN.test(nonce)) {
    throw ainError(ErrStorageBadRequest, 'x-ain-nonce must be <unix ms, 13 digits>-<8 to 64 characters of [A-Za-z0-9_]>');
  }
  const signatureText = header(req, 'x-ain-signature', 100);
  const signature = Buffer.from(signatureText, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== signatureText) {
    throw ainError(ErrStorageBadRequest, 'x-ain-signature must be the base64 of a 64-byte r||s secp256k1 signature');
  }
  const intent: PutIntent = { hash, size, ttlSeconds, nonce };
  if (!verifyPut(intent, signature, pubkey)) {
    throw ainError(
      ErrStorageUnauthorized,
      'x-ain-signature does not verify: expected a low-S secp256k1 signature by x-ain-pubkey over sha256("ain-storage-put\\n<hash>\\n<size>\\n<ttl>\\n<nonce>")',
    );
  }
  return { address, intent };
}

function header(req: IncomingMessage, name: string, maxChars: number): string {
  const value = req.headers[name];
  if (typeof value !== 'string' || value.length === 0) throw ainError(ErrStorageBadRequest, `header ${name} is missing`);
  if (value.length > maxChars)
    throw ainError(ErrStorageBadRequest, `header ${name} is ${value.length} characters; expected at most ${maxChars}`);
  return value;
}

function decimal(text: string, name: string): number {
  if (!/^(0|[1-9]\d{0,14})$/.test(text))
    throw ainError(ErrStorageBadRequest, `header ${name} "${text}" must be a decimal integer without leading zeros`);
  return Number(text);
}

/** Streams the body to `temp` while hashing; refuses a body longer or shorter than `size`, or of another hash. */
async function receiveBody(req: IncomingMessage, temp: string, hash: string, size: number): Promise<void> {
  const file = await open(temp, 'wx', 0o600);
  const hasher = createHash('sha256');
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > size) throw ainError(ErrStorageSizeMismatch, `body is longer than x-ain-size ${size}`);
      hasher.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  if (received !== size) throw ainError(ErrStorageSizeMismatch, `body has ${received} bytes; x-ain-size says ${size}`);
  const actual = hasher.digest('hex');
  if (actual !== hash) throw ainError(ErrStorageHashMismatch, `body has sha256 ${actual}; the path says ${hash}`);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const known = error instanceof AinError && error.codespace === STORAGE;
  const definition: Pick<ErrorDefinition, 'code'> = known ? error : ErrStorageInternal;
  const message = known ? error.message : `${ErrStorageInternal.description}: ${String((error as Error)?.message ?? error)}`;
  if (!known) process.stderr.write(`storage: ${req.method} ${req.url}: ${String((error as Error)?.stack ?? error)}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A refused upload may leave body bytes unread: close the connection rather than read them.
  if (!req.complete) res.setHeader('connection', 'close');
  const status = httpStatusOf(definition.code);
  sendJson(res, status, { code: definition.code, codespace: STORAGE, message });
  if (!req.complete) res.on('finish', () => req.destroy());
}
