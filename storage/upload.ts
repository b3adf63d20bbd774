/**
 * Receiving an upload (`PUT /blobs/<hash>`): the signed headers, the quota (a free allowance plus the
 * uploader's reservations with this node, read from the chain), the body streamed to a temp file
 * while hashed, then handed to the backend. A refusal leaves nothing stored: the temp file is
 * removed and no record changes (only a nonce whose signature checked out is spent).
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ainError } from '../core/index.ts';
import type { BlobBackend } from './backend.ts';
import type { ChainView } from './chainView.ts';
import {
  ErrStorageBadRequest,
  ErrStorageHashMismatch,
  ErrStorageQuotaExceeded,
  ErrStorageSizeMismatch,
  ErrStorageTooLarge,
  ErrStorageUnauthorized,
} from './errors.ts';
import { decimal, header, sendJson, signerHeaders } from './http.ts';
import { blobExpiry, type MetadataStore } from './metadata.ts';
import { type PutIntent, verifyPut } from './signing.ts';

/** What the upload handler needs of the running node. */
export interface UploadContext {
  readonly meta: MetadataStore;
  readonly backend: BlobBackend;
  readonly chain: ChainView | undefined;
  /** The node's chain address (reservations are made with it); "" without a chain. */
  readonly address: string;
  readonly tmpDir: string;
  readonly maxBlobBytes: number;
  readonly freeQuota: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  readonly now: () => number;
  /** Bytes of uploads in flight per address (they count against the quota until they finish). */
  readonly pending: Map<string, number>;
  /** Hashes being handed to the backend (the sweep leaves their objects alone). */
  readonly inFlight: Map<string, number>;
  /** Refuses a reused or stale nonce and records it. */
  useNonce(address: string, nonce: string): void;
  /** Whether a blob is live (it has a holder whose time has not run out). */
  isLive(hash: string): boolean;
}

/** What a successful PUT answers. */
export interface PutResult {
  readonly hash: string;
  readonly size: number;
  /** RFC 3339 time after which the blob may be gone. */
  readonly expiresAt: string;
}

export async function handlePut(ctx: UploadContext, req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
  const signer = signerHeaders(req);
  const size = decimal(header(req, 'x-ain-size', 16), 'x-ain-size');
  if (size > ctx.maxBlobBytes) throw ainError(ErrStorageTooLarge, `x-ain-size ${size} is more than the limit of ${ctx.maxBlobBytes} bytes`);
  const contentLength = req.headers['content-length'];
  if (contentLength !== undefined && contentLength !== String(size)) {
    throw ainError(ErrStorageSizeMismatch, `content-length ${contentLength.slice(0, 20)} differs from x-ain-size ${size}`);
  }
  const ttlSeconds = decimal(header(req, 'x-ain-ttl', 12), 'x-ain-ttl');
  if (ttlSeconds > ctx.maxTtl) {
    throw ainError(
      ErrStorageBadRequest,
      `x-ain-ttl ${ttlSeconds} is more than the limit of ${ctx.maxTtl} seconds (0 means the server default)`,
    );
  }
  const accessHeader = req.headers['x-ain-access'];
  if (accessHeader !== undefined && accessHeader !== 'private' && accessHeader !== 'public')
    throw ainError(ErrStorageBadRequest, 'x-ain-access must be "private" or "public" (absent: public)');
  const intent: PutIntent = {
    hash,
    size,
    ttlSeconds,
    nonce: signer.nonce,
    ...(accessHeader === 'private' ? { access: 'private' as const } : {}),
  };
  if (!verifyPut(intent, signer.signature, signer.pubkey)) {
    throw ainError(
      ErrStorageUnauthorized,
      'x-ain-signature does not verify: expected a low-S secp256k1 signature by x-ain-pubkey over sha256("ain-storage-put\\n<hash>\\n<size>\\n<ttl>\\n<nonce>[\\nprivate]")',
    );
  }
  const address = signer.address;
  const now = ctx.now();
  const alreadyHeld = (ctx.meta.data.blobs[hash]?.holders[address] ?? 0) > now;
  const charge = alreadyHeld ? 0 : size;
  const used = ctx.meta.usage(address, now) + (ctx.pending.get(address) ?? 0);
  const chain = ctx.address !== '' && charge > 0 && used + charge > ctx.freeQuota ? ctx.chain : undefined;
  let reserved = chain ? await chain.reserved(address, ctx.address) : { bytes: 0, end: 0 };
  // A reservation made a moment ago may not be in the cached answer yet.
  if (chain && used + charge > ctx.freeQuota + reserved.bytes) reserved = await chain.reserved(address, ctx.address, true);
  const allowance = ctx.freeQuota + reserved.bytes;
  if (used + charge > allowance) {
    const left = Math.max(0, allowance - used);
    const source = ctx.chain ? ` (${ctx.freeQuota} free + ${reserved.bytes} reserved with ${ctx.address || 'this node'})` : '';
    throw ainError(
      ErrStorageQuotaExceeded,
      `${address} has ${left} of ${allowance} bytes left${source}; this upload needs ${charge} bytes (quota of ${allowance} bytes)`,
    );
  }
  ctx.useNonce(address, signer.nonce);
  const onReservation = charge > 0 && used + charge > ctx.freeQuota;

  ctx.pending.set(address, (ctx.pending.get(address) ?? 0) + charge);
  ctx.inFlight.set(hash, (ctx.inFlight.get(hash) ?? 0) + 1);
  const temp = join(ctx.tmpDir, `${hash}.${randomBytes(8).toString('hex')}`);
  let ref: string;
  try {
    await receiveBody(req, temp, hash, size);
    ref = await ctx.backend.put(hash, temp, size);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    const left = (ctx.pending.get(address) ?? 0) - charge;
    if (left > 0) ctx.pending.set(address, left);
    else ctx.pending.delete(address);
    const flying = (ctx.inFlight.get(hash) ?? 1) - 1;
    if (flying > 0) ctx.inFlight.set(hash, flying);
    else ctx.inFlight.delete(hash);
  }
  const commitNow = ctx.now();
  const existed = ctx.isLive(hash);
  const record = ctx.meta.data.blobs[hash] ?? { size, holders: {} };
  let until = commitNow + (ttlSeconds === 0 ? ctx.defaultTtl : ttlSeconds) * 1000;
  // Bytes beyond the free allowance live no longer than the reservations paying for them.
  if (onReservation) until = Math.min(until, reserved.end * 1000);
  record.holders[address] = Math.max(alreadyHeld ? (record.holders[address] ?? 0) : 0, until);
  record.private = (record.private ?? []).filter((a) => a !== address);
  if (intent.access === 'private') record.private.push(address);
  if (record.private.length === 0) delete record.private;
  if (onReservation) record.reserved = [...new Set([...(record.reserved ?? []), address])];
  if (ref !== '') record.ref = ref;
  ctx.meta.data.blobs[hash] = record;
  ctx.meta.save();
  const result: PutResult = { hash, size: record.size, expiresAt: new Date(blobExpiry(record)).toISOString() };
  sendJson(res, existed ? 200 : 201, result);
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
  if (received !== size) throw ainError(ErrStorageSizeMismatch, `body has ${received} bytes; x-ain-size says ${size} (a truncated upload)`);
  const actual = hasher.digest('hex');
  if (actual !== hash) throw ainError(ErrStorageHashMismatch, `body has sha256 ${actual}; the path says ${hash}`);
}
