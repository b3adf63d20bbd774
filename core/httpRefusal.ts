/**
 * Requests Node's HTTP server refuses before any handler sees them (its `clientError` event: headers
 * past `maxHeaderSize`, a deadline passed, bytes that are not HTTP). Node's own answer has no body, so
 * each server (REST, Big Storage, the executor's gateway) answers in its own error JSON through here.
 */
import type { Duplex } from 'node:stream';

/** The status Node would answer with, and a message naming the cause. */
export interface ClientRefusal {
  readonly status: 400 | 408 | 431;
  readonly message: string;
}

const STATUS_TEXT = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' } as const;

/**
 * Classifies a `clientError`; `maxHeaderBytes` is the server's header limit (node:http's `maxHeaderSize`).
 * @example server.on('clientError', (error, socket) => { const r = clientRefusalOf(error, maxHeaderSize); answerRefusedClient(socket, r, { message: r.message }); })
 */
export function clientRefusalOf(error: Error & { code?: string }, maxHeaderBytes: number): ClientRefusal {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, message: `request headers are larger than the limit of ${maxHeaderBytes} bytes` };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'request took longer than the server allows' };
  return { status: 400, message: `malformed HTTP request (${error.code ?? 'unknown'})` };
}

/**
 * Writes `status` with `body` as JSON and closes the connection; a socket already written to (a
 * response under way) or no longer writable is only destroyed.
 */
export function answerRefusedClient(
  socket: Duplex,
  refusal: ClientRefusal,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (!socket.writable || ((socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`,
    () => socket.destroy(),
  );
}
