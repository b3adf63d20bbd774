import { maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { createGatewayServer, GATEWAY_LIMITS, isBodyTooLarge, readJsonBody } from './httpServer.ts';

// The gateway server's flood limits on real sockets: a body over the limit refused without being read,
// slow headers cut off with 408, connections past the cap closed, and ordinary requests served meanwhile.

const LIMITS = { ...GATEWAY_LIMITS, maxBodyBytes: 1024, headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxConnections: 4 };
let server: Server;
let port: number;

beforeAll(async () => {
  server = createGatewayServer((request, response) => {
    readJsonBody(request, LIMITS.maxBodyBytes).then(
      (body) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ body }));
      },
      (error: unknown) => {
        response.writeHead(isBodyTooLarge(error) ? 413 : 400, { connection: 'close' });
        response.end((error as Error).message);
      },
    );
  }, LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function open(): { socket: Socket; reply: Promise<string>; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, reply: closed.then(() => text), closed };
}

async function served(): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{"a":1}' });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('executor gateway flood limits', () => {
  it('refuses a body whose Content-Length is over the limit with 413, reading none of it', async () => {
    const { socket, reply } = open();
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${256 * 1024 * 1024}\r\n\r\n`);
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('the body is over 1024 bytes');
    expect(await served()).toEqual({ status: 200, body: { a: 1 } });
  });

  it('stops reading a body of unknown length once it passes the limit', async () => {
    await expect(
      (async () => {
        const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(4096) });
        return response.status;
      })(),
    ).resolves.toBe(413);
  });

  it('cuts off headers that trickle past the header time with 408', async () => {
    const { socket, reply } = open();
    socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: a\r\n');
    }, 200);
    expect(await served()).toEqual({ status: 200, body: { a: 1 } });
    const text = await reply;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { codespace: 'executor', code: 13, message: 'request took longer than the server allows' },
    });
  });

  it("answers headers over Node's limit and bytes that are not HTTP as executor/13 JSON", async () => {
    const body = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    const big = open();
    big.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const bigText = await big.reply;
    expect(bigText).toMatch(/^HTTP\/1\.1 431 /);
    expect(body(bigText)).toEqual({
      error: { codespace: 'executor', code: 13, message: `request headers are larger than the limit of ${maxHeaderSize} bytes` },
    });
    const garbage = open();
    garbage.socket.write('\0\x01 GARBAGE\r\n\r\n');
    const garbageText = await garbage.reply;
    expect(garbageText).toMatch(/^HTTP\/1\.1 400 /);
    expect(body(garbageText).error).toMatchObject({
      codespace: 'executor',
      code: 13,
      message: expect.stringMatching(/^malformed HTTP request \(HPE_/),
    });
    expect(await served()).toEqual({ status: 200, body: { a: 1 } });
  });

  it('closes connections past the cap and serves again once they are gone', async () => {
    const held = Array.from({ length: 4 }, () => open());
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = open();
    extra.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    expect(await extra.reply).toBe('');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    expect(await served()).toEqual({ status: 200, body: { a: 1 } });
  });

  it('marks only the size refusal as too large', async () => {
    const error = new AinError({ codespace: 'executor', code: 10, description: 'x' }, 'not JSON', { field: 'body' });
    expect(isBodyTooLarge(error)).toBe(false);
  });
});
