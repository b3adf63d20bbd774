import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { blobHash, getBlob, headBlob, putBlob } from './client.ts';
import {
  ErrStorageBadRequest,
  ErrStorageHashMismatch,
  ErrStorageNonceReused,
  ErrStorageNotFound,
  ErrStorageQuotaExceeded,
  ErrStorageTooLarge,
  ErrStorageUnauthorized,
} from './errors.ts';
import { type BlobBackend, FolderBackend } from './backend.ts';
import { type StorageServer, type StorageServerOptions, startStorageServer } from './server.ts';
import { newNonce, putHeaders } from './signing.ts';

const alice = testKey('storage-alice');
const bob = testKey('storage-bob');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

let dir: string;
let server: StorageServer | undefined;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ain-storage-'));
  clock = Date.now();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Partial<StorageServerOptions> = {}): Promise<StorageServer> {
  server = await startStorageServer({ dir, port: 0, now: () => clock, ...options });
  return server;
}

async function refusal(promise: Promise<unknown>): Promise<AinError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AinError);
  return error as AinError;
}

/** Sends a raw signed PUT (for requests the client would never build). */
async function rawPut(url: string, hash: string, body: Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/blobs/${hash}`, { method: 'PUT', headers, body });
}

describe('storage server', () => {
  it('round-trips put, get and head; a second put answers 200 and adds a holder', async () => {
    const { url } = await start();
    const data = bytes('function main(a, b) { return a + b; }');
    const put = await putBlob(url, data, alice, { ttlSeconds: 60 });
    expect(put).toEqual({ hash: blobHash(data), size: data.length, expiresAt: new Date(clock + 60_000).toISOString() });
    expect(await getBlob(url, put.hash)).toEqual(new Uint8Array(data));
    expect(await headBlob(url, put.hash)).toEqual({ hash: put.hash, size: data.length, expiresAt: put.expiresAt });

    const response = await fetch(`${url}/blobs/${put.hash}`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('etag')).toBe(`"${put.hash}"`);
    await response.arrayBuffer();

    const again = await rawPut(
      url,
      put.hash,
      data,
      putHeaders({ hash: put.hash, size: data.length, ttlSeconds: 120, nonce: newNonce(clock) }, bob),
    );
    expect(again.status).toBe(200);
    expect(((await again.json()) as { expiresAt: string }).expiresAt).toBe(new Date(clock + 120_000).toISOString());
    expect(await headBlob(url, blobHash(bytes('missing')))).toBeUndefined();
    expect((await refusal(getBlob(url, blobHash(bytes('missing'))))).is(ErrStorageNotFound)).toBe(true);
  });

  it('cuts short a read whose bytes a backend not addressed by sha256 got wrong, even at the right length', async () => {
    // As IPFS is: the server hashes what it streams. This one serves another blob's bytes for one hash.
    const folder = new FolderBackend(join(dir, 'blobs'));
    const swap = new Map<string, string>();
    const lying: BlobBackend = {
      name: 'ipfs',
      verifyReads: true,
      put: (hash, tempPath) => folder.put(hash, tempPath),
      get: (hash) => folder.get(swap.get(hash) ?? hash),
      has: (hash) => folder.has(hash),
      delete: (hash) => folder.delete(hash),
      list: () => folder.list(),
    };
    const { url } = await start({ backend: lying });
    const [a, b] = [bytes('the bytes of blob A'.repeat(5000)), bytes('the bytes of blob B'.repeat(5000))];
    const [putA, putB] = [await putBlob(url, a, alice), await putBlob(url, b, alice)];
    expect(await getBlob(url, putA.hash)).toEqual(new Uint8Array(a));
    swap.set(putA.hash, putB.hash);
    // A plain HTTP client: the answer ends short of its content-length (here before any byte of the
    // body: its one chunk is held back), so the read fails.
    await expect(fetch(`${url}/blobs/${putA.hash}`).then((response) => response.arrayBuffer())).rejects.toThrow();
    await expect(getBlob(url, putA.hash)).rejects.toThrow();
    expect(await getBlob(url, putB.hash)).toEqual(new Uint8Array(b));
  });

  it('refuses a body whose sha256 differs from the path and leaves no file', async () => {
    const { url } = await start();
    const claimed = blobHash(bytes('claimed'));
    const body = bytes('another!'); // same length as "claimed"? no matter: size header is the body's
    const response = await rawPut(
      url,
      claimed,
      body,
      putHeaders({ hash: claimed, size: body.length, ttlSeconds: 60, nonce: newNonce(clock) }, alice),
    );
    expect(response.status).toBe(422);
    const json = (await response.json()) as { code: number; codespace: string; message: string };
    expect(json).toMatchObject({ code: ErrStorageHashMismatch.code, codespace: 'storage' });
    expect(json.message).toContain(claimed);
    expect(readdirSync(join(dir, 'blobs'))).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(await headBlob(url, claimed)).toBeUndefined();
  });

  it('refuses a bad signature and a pubkey that is not the address', async () => {
    const { url } = await start();
    const data = bytes('signed');
    const hash = blobHash(data);
    const headers = putHeaders({ hash, size: data.length, ttlSeconds: 60, nonce: newNonce(clock) }, alice);
    // Signed over ttl 60, sent as ttl 61.
    const tampered = await rawPut(url, hash, data, { ...headers, 'x-ain-ttl': '61' });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { code: number }).code).toBe(ErrStorageUnauthorized.code);

    const wrongAddress = await rawPut(url, hash, data, { ...headers, 'x-ain-address': bob.address });
    expect(wrongAddress.status).toBe(401);
    expect(((await wrongAddress.json()) as { message: string }).message).toContain(`belongs to ${alice.address}`);

    const garbage = await rawPut(url, hash, data, { ...headers, 'x-ain-pubkey': 'not base64!', 'x-ain-size': '01' });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { code: number }).code).toBe(ErrStorageBadRequest.code);
    const missing = await fetch(`${url}/blobs/${hash}`, { method: 'PUT', body: data });
    expect(((await missing.json()) as { message: string }).message).toContain('x-ain-address is missing');
    expect(await headBlob(url, hash)).toBeUndefined();
  });

  it('refuses a replayed nonce, also after a restart', async () => {
    const { url } = await start();
    const data = bytes('replay me');
    const nonce = newNonce(clock);
    await putBlob(url, data, alice, { ttlSeconds: 60, nonce });
    expect((await refusal(putBlob(url, data, alice, { ttlSeconds: 60, nonce }))).is(ErrStorageNonceReused)).toBe(true);
    await server?.close();
    const restarted = await start();
    expect((await refusal(putBlob(restarted.url, data, alice, { ttlSeconds: 60, nonce }))).is(ErrStorageNonceReused)).toBe(true);
    // Another address may use the same nonce text.
    await putBlob(restarted.url, data, bob, { ttlSeconds: 60, nonce });
  });

  it('refuses an oversized blob and a TTL past the maximum', async () => {
    const { url } = await start({ maxBlobBytes: 1024, maxTtlSeconds: 3600 });
    const error = await refusal(putBlob(url, new Uint8Array(1025), alice));
    expect(error.is(ErrStorageTooLarge)).toBe(true);
    expect(error.message).toContain('limit of 1024 bytes');
    await putBlob(url, new Uint8Array(1024), alice);
    const ttl = await refusal(putBlob(url, bytes('x'), alice, { ttlSeconds: 3601 }));
    expect(ttl.is(ErrStorageBadRequest)).toBe(true);
    expect(ttl.message).toContain('x-ain-ttl 3601');
  });

  it('enforces the per-address quota over live blobs only', async () => {
    const { url } = await start({ quotaBytesPerAddress: 100 });
    await putBlob(url, new Uint8Array(60).fill(1), alice, { ttlSeconds: 10 });
    const error = await refusal(putBlob(url, new Uint8Array(60).fill(2), alice, { ttlSeconds: 10 }));
    expect(error.is(ErrStorageQuotaExceeded)).toBe(true);
    expect(error.message).toContain('quota of 100 bytes');
    await putBlob(url, new Uint8Array(60).fill(2), bob, { ttlSeconds: 10 }); // bob has his own quota
    await putBlob(url, new Uint8Array(60).fill(1), alice, { ttlSeconds: 20 }); // re-holding is free
    clock += 21_000;
    await putBlob(url, new Uint8Array(60).fill(2), alice, { ttlSeconds: 10, nonce: newNonce(clock) });
  });

  it('expires blobs at their TTL (404 at once, file deleted by the sweep)', async () => {
    const { url, sweep } = await start({ defaultTtlSeconds: 30 });
    const data = bytes('short lived');
    const put = await putBlob(url, data, alice); // ttl 0: server default
    expect(put.expiresAt).toBe(new Date(clock + 30_000).toISOString());
    expect(existsSync(join(dir, 'blobs', put.hash))).toBe(true);
    clock += 29_000;
    expect(await getBlob(url, put.hash)).toEqual(new Uint8Array(data));
    clock += 1_000;
    expect((await refusal(getBlob(url, put.hash))).is(ErrStorageNotFound)).toBe(true);
    expect(existsSync(join(dir, 'blobs', put.hash))).toBe(true);
    await sweep();
    expect(existsSync(join(dir, 'blobs', put.hash))).toBe(false);
  });

  it('stores one copy when the same blob is put concurrently', async () => {
    const { url } = await start();
    const data = new Uint8Array(256 * 1024).map((_, i) => (i * 7) & 0xff);
    const keys = [alice, bob, testKey('storage-carol'), testKey('storage-dave')];
    const results = await Promise.all(keys.map((key) => putBlob(url, data, key, { ttlSeconds: 60 })));
    expect(new Set(results.map((r) => r.hash))).toEqual(new Set([blobHash(data)]));
    expect(results.filter((r) => r).length).toBe(4);
    expect(readdirSync(join(dir, 'blobs'))).toEqual([blobHash(data)]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(await getBlob(url, blobHash(data))).toEqual(data);
  });

  it('answers JSON errors for unknown routes and methods without crashing', async () => {
    const { url } = await start();
    const route = await fetch(`${url}/nope`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as { codespace: string }).codespace).toBe('storage');
    const method = await fetch(`${url}/blobs/${blobHash(bytes('a'))}`, { method: 'DELETE' });
    expect(method.status).toBe(400);
    const badHash = await fetch(`${url}/blobs/ABC`);
    expect(((await badHash.json()) as { message: string }).message).toContain('64 lower-case hex');
    const huge = await fetch(`${url}/blobs/${blobHash(bytes('a'))}`, { headers: { 'x-big': 'a'.repeat(20_000) } }).catch(() => undefined);
    expect(huge === undefined || huge.status === 431).toBe(true);
    expect((await fetch(`${url}/blobs/${blobHash(bytes('a'))}`)).status).toBe(404);
  });
});
