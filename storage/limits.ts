/**
 * The flood limits of a storage node. Uploads are large by design (streamed to disk up to
 * `maxBlobBytes`, checked against `x-ain-size` before a byte is read), so a whole request may take
 * long; what is capped is the rest: how long the headers may take, how long a connection may sit with
 * nothing moving, how long a request may take at most, how many headers and connections are accepted.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { answerRefusedClient, clientRefusalOf } from '../core/index.ts';
import { ErrStorageBadRequest, STORAGE } from './errors.ts';

/** The whole request header block a storage node reads (Node's `maxHeaderSize` for its server). */
export const MAX_HEADER_BLOCK_BYTES = 8 * 1024;

export interface StorageLimits {
  /** Time for a request's header block to arrive (slow headers: 408, connection closed). */
  readonly headersTimeoutMs: number;
  /** Longest a whole request may take, upload included (408, connection closed). */
  readonly requestTimeoutMs: number;
  /** A connection on which no byte moves for this long is closed (a stalled upload or download). */
  readonly idleTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Most headers read from a request; the rest are dropped. */
  readonly maxHeadersCount: number;
  /** Most open connections; one past the cap is closed as soon as it is accepted. */
  readonly maxConnections: number;
}

/** A storage node's limits unless its flags say otherwise: a 64 MiB upload has 10 minutes. */
export const DEFAULT_STORAGE_LIMITS: StorageLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 600_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 50,
  maxConnections: 256,
};

/** How often Node checks header and request deadlines (its default, 30 s, would let slow clients run long past them). */
export const DEADLINE_CHECK_MS = 1_000;

/**
 * The limits with defaults filled in; throws when one is not a positive integer or the header time
 * exceeds the request time.
 * @example storageLimits({ maxConnections: 64 }).idleTimeoutMs // 30000
 */
export function storageLimits(limits: Partial<StorageLimits> = {}): StorageLimits {
  const resolved: StorageLimits = { ...DEFAULT_STORAGE_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`storage limit ${name} = ${String(value)} must be a positive integer`);
  }
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    throw new Error(
      `storage limit headersTimeoutMs ${resolved.headersTimeoutMs} must not exceed requestTimeoutMs ${resolved.requestTimeoutMs}`,
    );
  }
  return resolved;
}

/** Sets the limits Node's server applies after creation: idle time, header count and the connection cap. */
export function applyStorageLimits(server: Server, limits: StorageLimits): void {
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => socket.destroy());
}

/**
 * A request Node refused before it reached the handler (`core`'s `clientRefusalOf`: a timeout 408,
 * headers over the size limit 431, anything else malformed 400), answered in the storage error JSON
 * (`storage/1`); then the connection is closed.
 */
export function refuseClient(error: Error & { code?: string }, socket: Socket): void {
  const refusal = clientRefusalOf(error, MAX_HEADER_BLOCK_BYTES);
  answerRefusedClient(socket, refusal, { code: ErrStorageBadRequest.code, codespace: STORAGE, message: refusal.message });
}
