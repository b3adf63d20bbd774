import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey } from '../test/helpers/tx.ts';
import { blobHash, getBlob, putBlob } from './client.ts';
import { DEFAULT_STORAGE_LIMITS, storageLimits } from './limits.ts';
import { type StorageServer, startStorageServer } from './server.ts';
import { newNonce, putHeaders } from './signing.ts';

// A storage node's flood limits, on real sockets: slow headers, stalled connections and a connection
// cap, while ordinary requests and streamed uploads keep being served.

const alice = testKey('storage-limits-alice');
let dir: string;
let server: StorageServer;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-storage-limits-'));
  server = await startStorageServer({
    dir,
    port: 0,
    limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 20_000, idleTimeoutMs: 1_500, maxConnections: 6 },
  });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw connection; `reply` resolves with everything the server sent once it closed the connection. */
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

async function served(): Promise<number> {
  const response = await fetch(`${server.url}/info`);
  await response.text();
  return response.status;
}

describe('storage flood limits', () => {
  it('cuts off headers that trickle in past the header time with 408, serving others meanwhile', async () => {
    const { socket, reply } = open();
    socket.write('GET /info HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: a\r\n');
    }, 200);
    expect(await Promise.all([served(), served()])).toEqual([200, 200]);
    const text = await reply;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 1,
      codespace: 'storage',
      message: 'request took longer than the server allows',
    });
  });

  it('answers headers over the 8 KiB block and bytes that are not HTTP in the storage error JSON', async () => {
    const body = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    const big = open();
    big.socket.write(`GET /info HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9_000)}\r\n\r\n`);
    const bigText = await big.reply;
    expect(bigText).toMatch(/^HTTP\/1\.1 431 /);
    expect(body(bigText)).toEqual({ code: 1, codespace: 'storage', message: 'request headers are larger than the limit of 8192 bytes' });
    const garbage = open();
    garbage.socket.write('\0\x01 GARBAGE\r\n\r\n');
    const garbageText = await garbage.reply;
    expect(garbageText).toMatch(/^HTTP\/1\.1 400 /);
    expect(body(garbageText)).toMatchObject({
      code: 1,
      codespace: 'storage',
      message: expect.stringMatching(/^malformed HTTP request \(HPE_/),
    });
    expect(await served()).toBe(200);
  });

  it('closes a connection on which nothing moves, such as a stalled upload', async () => {
    const { socket, reply } = open();
    const hash = blobHash(new Uint8Array(1000));
    const headers = putHeaders({ hash, size: 1000, ttlSeconds: 60, nonce: newNonce() }, alice);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    // A signed upload that promises 1000 bytes, sends 10 and stops: after the idle time the
    // connection is closed with no answer, while other requests are served.
    socket.write(`PUT /blobs/${hash} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n${lines.join('')}\r\n${'\0'.repeat(10)}`);
    expect(await served()).toBe(200);
    expect(await reply).toBe('');
    expect(await served()).toBe(200);
  });

  it('closes connections past the cap and serves again once they are gone', async () => {
    const held = Array.from({ length: 6 }, () => open());
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = open();
    extra.socket.write('GET /info HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extra.reply).toBe('');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    expect(await served()).toBe(200);
  });

  it('still streams an upload far larger than any REST body', async () => {
    const blob = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    const put = await putBlob(server.url, blob, alice, { ttlSeconds: 60 });
    expect(put.size).toBe(blob.length);
    expect((await getBlob(server.url, put.hash)).length).toBe(blob.length);
  });

  it('refuses limits that are not positive integers or headers longer than the request', () => {
    expect(storageLimits()).toEqual(DEFAULT_STORAGE_LIMITS);
    expect(() => storageLimits({ maxConnections: 0 })).toThrow(/maxConnections = 0 must be a positive integer/);
    expect(() => storageLimits({ headersTimeoutMs: 700_000 })).toThrow(/must not exceed requestTimeoutMs/);
  });
});
