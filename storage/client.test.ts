import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { blobHash, getBlob } from './client.ts';
import { ErrStorageHashMismatch, ErrStorageTooLarge, ErrStorageUnavailable } from './errors.ts';
import { rejectionOf } from '../test/helpers/errorCode.ts';

let fake: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (fake ? fake.close(resolve) : resolve(undefined)));
  fake = undefined;
});

/** A tiny server that answers every request with `body`. */
async function serve(body: Uint8Array): Promise<string> {
  fake = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => fake?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}

describe('storage client', () => {
  it('detects a server that sends other bytes than the hash', async () => {
    const good = new TextEncoder().encode('the real code');
    const url = await serve(new TextEncoder().encode('evil code!!!!'));
    const error = await rejectionOf(getBlob(url, blobHash(good)));
    expect(error.is(ErrStorageHashMismatch)).toBe(true);
    expect(error.message).toContain(blobHash(good));
  });

  it('accepts the right bytes and bounds the size', async () => {
    const data = new Uint8Array(1000).fill(9);
    const url = await serve(data);
    expect(await getBlob(url, blobHash(data))).toEqual(data);
    expect((await rejectionOf(getBlob(url, blobHash(data), { maxBytes: 999 }))).is(ErrStorageTooLarge)).toBe(true);
  });

  it('reports an unreachable server and a malformed hash', async () => {
    expect((await rejectionOf(getBlob('http://127.0.0.1:1', blobHash(new Uint8Array())))).is(ErrStorageUnavailable)).toBe(true);
    expect((await rejectionOf(getBlob('http://127.0.0.1:1', 'xyz'))).is(ErrStorageHashMismatch)).toBe(true);
  });
});
