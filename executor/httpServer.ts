/**
 * The HTTP server of the executor's gateway (`aind executor --http PORT`) with its flood limits: headers
 * within 10 s and a request within 30 s (else 408 and the connection closed), idle keep-alive
 * connections closed after 5 s, at most 100 headers and 256 open connections (one past the cap is
 * closed as soon as it is accepted), and a JSON body of at most 1 MiB, refused with 413 as soon as its
 * Content-Length or its bytes pass that, never read whole.
 */
import { createServer, type IncomingMessage, maxHeaderSize, type RequestListener, type Server } from 'node:http';
import { ainError, answerRefusedClient, clientRefusalOf } from '../core/index.ts';
import { ErrBadHttpBody, ErrBadHttpRequest } from './errors.ts';

/** Body size, header and request time, keep-alive, header count and connection cap of an HTTP server. */
export interface GatewayLimits {
  readonly maxBodyBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeadersCount: number;
  readonly maxConnections: number;
}

/** The gateway's limits. */
export const GATEWAY_LIMITS: GatewayLimits = {
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
  maxConnections: 256,
};

/** Creates the gateway's server with `GATEWAY_LIMITS` (the deadlines are checked every second). */
export function createGatewayServer(listener: RequestListener, limits: GatewayLimits = GATEWAY_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    listener,
  );
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  // Node's refusals before a handler (headers too large, too slow, not HTTP) in the gateway's error JSON.
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    const refusal = clientRefusalOf(error, maxHeaderSize);
    const { codespace, code } = ErrBadHttpRequest;
    answerRefusedClient(socket, refusal, { error: { codespace, code, message: refusal.message } });
  });
  return server;
}

/** Whether a refusal is a body over the limit (answered 413). */
export function isBodyTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { meta?: { limit?: unknown } }).meta?.limit !== undefined;
}

/**
 * Reads a JSON body of at most `maxBytes` (empty: null). A larger one, by its Content-Length or by its
 * bytes, is refused (`ErrBadHttpBody` with `meta.limit`) without being read further; the answer should
 * close the connection.
 * @example const input = await readJsonBody(request); // { "prompt": "hi" }
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number = GATEWAY_LIMITS.maxBodyBytes): Promise<unknown> {
  const tooLarge = () => ainError(ErrBadHttpBody, `the body is over ${maxBytes} bytes`, { field: 'body', limit: maxBytes });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw ainError(ErrBadHttpBody, 'the body must be JSON', { field: 'body' });
  }
}
