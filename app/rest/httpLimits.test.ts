import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHttpLimits, DEFAULT_REST_LIMITS } from './httpLimits.ts';
import { type RestServer, startRestServer } from './startRestServer.ts';

// The REST server's flood limits, on real sockets: oversize bodies, slow headers and bodies, and a
// connection cap, each while ordinary requests keep being answered.

const MAX_BODY = 64 * 1024;
let rest: RestServer;
let port: number;

beforeAll(async () => {
  rest = await startRestServer({
    host: '127.0.0.1',
    port: 0,
    query: () => Promise.reject(new Error('no queries in this test')),
    // Nothing listens here: these tests never reach CometBFT.
    cometRpcUrl: 'http://127.0.0.1:9',
    routes: [],
    limits: { maxBodyBytes: MAX_BODY, headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxConnections: 8 },
  });
  port = Number(new URL(rest.url).port);
});

afterAll(() => rest.close());

/** A raw connection; resolves with everything the server sent once it closes the connection. */
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

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The memory this process still uses after a full collection (JS heap and Buffers): what the server
 * keeps, without the garbage it has read and dropped, which RSS counts until the collector runs.
 */
function liveBytes(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** An ordinary request answered in full: the server still serves. */
async function served(): Promise<number> {
  const response = await fetch(`${rest.url}/no/such/route`);
  await response.text();
  return response.status;
}

describe('REST flood limits', () => {
  it('refuses a declared oversize body with 413 before reading it', async () => {
    const { socket, reply } = open();
    socket.write(
      `POST /cosmos/tx/v1beta1/simulate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${512 * 1024 * 1024}\r\n\r\n`,
    );
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain(`larger than the limit of ${MAX_BODY} bytes`);
    expect(await served()).toBe(501);
  });

  it('stops at the limit of a body of unknown length, without the memory growing by its size', async () => {
    const { socket, reply } = open();
    socket.write('POST /cosmos/tx/v1beta1/simulate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    const before = liveBytes();
    let grown = 0;
    // 96 MiB offered in 1 MiB chunks (the same buffer each time), far past the 64 KiB limit; what the
    // process keeps is sampled every 8 MiB while the server is reading.
    for (let i = 0; i < 96 && !socket.destroyed; i++) {
      if (i % 8 === 7) grown = Math.max(grown, liveBytes() - before);
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      if (!socket.write('\r\n'))
        await new Promise<void>((resolve) => {
          // Drain or close, whichever comes first; the other listener goes too (96 waits would pile them up).
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.once('drain', done);
          socket.once('close', done);
        });
    }
    if (!socket.destroyed) socket.write('0\r\n\r\n');
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    // Measured 0.2-8.6 MiB; a server that keeps the body reaches 96 MiB.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    expect(await served()).toBe(501);
  });

  it('cuts off headers that trickle in past headersTimeoutMs with 408 and a closed connection', async () => {
    const { socket, reply } = open();
    socket.write('GET /no/such/route HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: a\r\n');
    }, 200);
    const answers = await Promise.all([served(), served()]);
    const text = await reply;
    clearInterval(trickle);
    expect(answers).toEqual([501, 501]);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe(
      JSON.stringify({ code: 4, message: 'request took longer than the server allows', details: [] }),
    );
  });

  it('cuts off a body that trickles in past requestTimeoutMs', async () => {
    const { socket, reply } = open();
    socket.write('POST /cosmos/tx/v1beta1/simulate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 200);
    const text = await reply;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(await served()).toBe(501);
  });

  it('closes connections past maxConnections and serves again once they are gone', async () => {
    const held = Array.from({ length: 8 }, () => open());
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
    // Let the server accept all eight before the ninth comes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = open();
    extra.socket.write('GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extra.reply).toBe('');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    expect(await served()).toBe(501);
  });

  it('answers a request line past the header limit with 431 in the gateway error JSON', async () => {
    const { socket, reply } = open();
    socket.write(`GET /cosmos/auth/v1beta1/accounts/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(text).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ code: 8, message: 'request headers are larger than the limit of 16384 bytes', details: [] });
    expect(await served()).toBe(501);
  });

  it('answers bytes that are not HTTP with 400 in the gateway error JSON', async () => {
    const { socket, reply } = open();
    socket.write('\u0000\u0001 GARBAGE\r\n\r\n');
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 3,
      message: expect.stringMatching(/^malformed HTTP request/),
      details: [],
    });
  });

  it('refuses limits that are not positive integers or headers longer than the request', () => {
    expect(() => checkHttpLimits({ ...DEFAULT_REST_LIMITS, maxConnections: 0 })).toThrow(/maxConnections = 0 must be a positive integer/);
    expect(() => checkHttpLimits({ ...DEFAULT_REST_LIMITS, headersTimeoutMs: 60_000 })).toThrow(/must not exceed requestTimeoutMs/);
  });
});
