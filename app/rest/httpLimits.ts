/**
 * The flood limits of the REST server: how big a body may be, how long headers and a whole request may
 * take, how long an idle keep-alive connection stays, how many headers and connections are accepted.
 * Node's `http.Server` enforces the timeouts itself (a late request is answered 408 and its connection
 * closed); `maxConnections` makes the server close any connection past the cap as soon as it is accepted.
 */
import { createServer, maxHeaderSize, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { answerRefusedClient, clientRefusalOf } from '../../core/index.ts';
import { GrpcCode } from './gatewayError.ts';

export interface HttpLimits {
  /** Largest request body, in bytes; a larger one is answered 413 without being read whole. */
  readonly maxBodyBytes: number;
  /** Time for the whole header block to arrive (slow headers: 408, connection closed). */
  readonly headersTimeoutMs: number;
  /** Time for the whole request, body included (a trickling body: 408, connection closed). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Most headers read from a request; the rest are dropped. */
  readonly maxHeadersCount: number;
  /** Most open connections; one past the cap is closed as soon as it is accepted. */
  readonly maxConnections: number;
}

/** The REST server's limits unless app.toml `[api]` says otherwise. */
export const DEFAULT_REST_LIMITS: HttpLimits = {
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
  maxConnections: 1_000,
};

/** How often Node checks header and request deadlines (its default, 30 s, would let a slow client run long past them). */
const DEADLINE_CHECK_MS = 1_000;

/**
 * Creates an HTTP server with the limits (each default filled in from `defaults`); returns it with the
 * limits it applies. Throws when a limit is not a positive integer, or the header time exceeds the
 * request time (Node would never apply it).
 * @example const { server, limits } = createLimitedServer({ maxConnections: 100 }, handler); // limits.maxBodyBytes: 1048576
 */
export function createLimitedServer(
  limits: Partial<HttpLimits>,
  listener: RequestListener,
  defaults: HttpLimits = DEFAULT_REST_LIMITS,
): { server: Server; limits: HttpLimits } {
  const resolved = checkHttpLimits({ ...defaults, ...limits });
  const server = createServer(
    {
      headersTimeout: resolved.headersTimeoutMs,
      requestTimeout: resolved.requestTimeoutMs,
      keepAliveTimeout: resolved.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(DEADLINE_CHECK_MS, resolved.headersTimeoutMs),
    },
    listener,
  );
  server.maxHeadersCount = resolved.maxHeadersCount;
  server.maxConnections = resolved.maxConnections;
  server.on('clientError', answerClientError);
  return { server, limits: resolved };
}

/** Node's refusals before a handler (`core`'s `clientRefusalOf`) in the gateway's error JSON. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const refusal = clientRefusalOf(error, maxHeaderSize);
  const code =
    refusal.status === 431 ? GrpcCode.ResourceExhausted : refusal.status === 408 ? GrpcCode.DeadlineExceeded : GrpcCode.InvalidArgument;
  answerRefusedClient(socket, refusal, { code, message: refusal.message, details: [] }, { 'Access-Control-Allow-Origin': '*' });
}

/** Returns the limits when each is a positive integer and headers fit within the request time; throws otherwise. */
export function checkHttpLimits(limits: HttpLimits): HttpLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`HTTP limit ${name} = ${String(value)} must be a positive integer`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(`HTTP limit headersTimeoutMs ${limits.headersTimeoutMs} must not exceed requestTimeoutMs ${limits.requestTimeoutMs}`);
  }
  return limits;
}
