/**
 * The load generator's broadcast pool against a real HTTP server: answers reach their callers, a
 * connection the server closed while idle is replaced, and an answer it cannot read is an error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAlivePool } from '../bench/keepAlivePool.ts';

let server: Server | undefined;

async function serve(handler: (body: { params: { n: number } }, res: ServerResponse, req: IncomingMessage) => void): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), res, req));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function answer(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: value });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('KeepAlivePool', () => {
  it('answers each of many concurrent requests over fewer connections, reusing them', async () => {
    const peers = new Set<string>();
    const url = await serve((body, res, req) => {
      peers.add(`${req.socket.remotePort}`);
      setTimeout(() => answer(res, { n: body.params.n * 2 }), body.params.n % 3);
    });
    const pool = new KeepAlivePool(url, 4);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => pool.post(pool.request('double', { n })) as Promise<{ result: { n: number } }>),
    );
    pool.close();
    expect(results.map((r) => r.result.n)).toEqual(Array.from({ length: 50 }, (_, n) => n * 2));
    expect(peers.size).toBe(4);
  });

  it('opens a new connection when the server closed an idle one', async () => {
    const url = await serve((body, res) => answer(res, body.params.n));
    const pool = new KeepAlivePool(url, 1);
    expect(await pool.post(pool.request('echo', { n: 1 }))).toMatchObject({ result: 1 });
    server!.closeIdleConnections();
    // Until the server has no connection left, the pool could still be handed the closing one.
    while ((await new Promise<number>((resolve) => server!.getConnections((_e, n) => resolve(n)))) > 0) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 10)); // and the client has seen the close
    expect(await pool.post(pool.request('echo', { n: 2 }))).toMatchObject({ result: 2 });
    pool.close();
  });

  it('rejects an answer without a Content-Length and says so', async () => {
    const url = await serve((_body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked
      res.write('{"result":');
      res.end('1}');
    });
    const pool = new KeepAlivePool(url, 1);
    await expect(pool.post(pool.request('echo', { n: 1 }))).rejects.toThrow(/answered without a Content-Length: HTTP\/1.1 200 OK/);
    pool.close();
  });
});
