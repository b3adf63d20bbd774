/**
 * Property tests of a storage node on the folder backend: garbage requests and signed uploads with one
 * thing wrong are refused with a 4xx `{code, codespace: "storage", message}` (docs/STORAGE.md), never a
 * 5xx; a refusal leaves nothing behind (no object in blobs/, no temp file, no record in meta.json); and
 * the same upload done right still succeeds afterwards.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey } from '../test/helpers/tx.ts';
import { type StorageServer, startStorageServer } from './server.ts';
import { blobHash, newNonce, type PutIntent, putHeaders } from './signing.ts';

const MAX_BLOB_BYTES = 4096;
const alice = testKey('storage-fuzz-alice');
const mallory = testKey('storage-fuzz-mallory');

let dir: string;
let server: StorageServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-storage-fuzz-'));
  server = await startStorageServer({ dir, port: 0, maxBlobBytes: MAX_BLOB_BYTES, maxTtlSeconds: 3600 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** One request with exactly these headers (content-length included when given); 5 s without an answer fails. */
function send(method: string, path: string, headers: Record<string, string>, body?: Uint8Array): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request({ host: url.hostname, port: url.port, method, path, headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in 5 s: ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** What the node holds: objects in blobs/, temp files, and the blob records of meta.json. */
function holdings(): { objects: string[]; temps: string[]; records: unknown } {
  let records: unknown = {};
  try {
    records = (JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { blobs: unknown }).blobs;
  } catch {
    records = {}; // not written yet
  }
  return { objects: readdirSync(join(dir, 'blobs')).sort(), temps: readdirSync(join(dir, 'tmp')), records };
}

/** A refusal as docs/STORAGE.md documents it: 4xx and `{code, codespace: "storage", message}` (HEAD: no body). */
function expectRefusal(reply: Reply, method: string, what: string): number {
  expect(reply.status, `${what}: ${reply.status} ${reply.text}`).toBeGreaterThanOrEqual(400);
  expect(reply.status, `${what}: ${reply.status} ${reply.text}`).toBeLessThan(500);
  if (method === 'HEAD') return 0;
  expect(reply.contentType, what).toBe('application/json');
  const body = JSON.parse(reply.text) as { code: number; codespace: string; message: string };
  expect(body, what).toEqual({ code: expect.any(Number), codespace: 'storage', message: expect.any(String) });
  expect(body.message.length, what).toBeGreaterThan(0);
  return body.code;
}

/** Text a header can carry (visible ASCII and spaces inside). */
const headerText = fc
  .string({ maxLength: 120 })
  .map((text) => text.replace(/[^\x21-\x7e ]/g, 'x').trim())
  .filter((text) => text.length > 0);

const garbageHeaders = fc.dictionary(
  fc.constantFrom('x-ain-address', 'x-ain-pubkey', 'x-ain-nonce', 'x-ain-signature', 'x-ain-size', 'x-ain-ttl', 'x-ain-access', 'range'),
  fc.oneof(
    headerText,
    fc.constantFrom(alice.address, Buffer.from(alice.pubkey).toString('base64'), newNonce(), '0', '-1', '99999999999999999999'),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    fc.constantFrom('bytes=0-10', 'bytes=-5', 'bytes=999999-', 'bytes=5-1', 'lines=1-2'),
  ),
);

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'));
const garbagePath = fc.oneof(
  hex64.map((hash) => `/blobs/${hash}`),
  hex64.map((hash) => `/blobs/${hash.toUpperCase()}`),
  hex64.map((hash) => `/blobs/${hash}/x`),
  fc.string({ maxLength: 80 }).map((text) => `/blobs/${encodeURIComponent(text)}`),
  fc.constantFrom(
    '/',
    '/info/',
    '/blobs',
    '/blobs/',
    '/blobs/%',
    '/blobs/%zz',
    '/blobs/..%2f..%2fmeta.json',
    '/blobs/../meta.json',
    '//blobs/x',
  ),
  fc.string({ maxLength: 40 }).map((text) => `/${encodeURIComponent(text)}`),
);

describe('storage server under random input', () => {
  it('garbage paths, methods, headers and bodies: a 4xx storage error, nothing stored', async () => {
    const before = holdings();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'PUT', 'PUT', 'POST', 'DELETE'),
        garbagePath,
        garbageHeaders,
        fc.uint8Array({ maxLength: 300 }),
        async (method, path, headers, body) => {
          const withBody = method === 'PUT' || method === 'POST';
          const reply = await send(method, path, headers, withBody ? body : undefined);
          expectRefusal(reply, method, `${method} ${path} ${JSON.stringify(headers)}`);
          expect(holdings()).toEqual(before);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it('a signed upload with one thing wrong is refused and leaves nothing; done right it succeeds', async () => {
    // Each mutation and the storage codes it may be refused with (docs/STORAGE.md); garbage text that
    // happens to be well-formed fails the signature instead (2).
    const expectedCodes: Record<string, number[]> = {
      'path-other-hash': [2],
      'signed-other-hash': [6],
      'body-flipped': [6],
      'body-longer': [8],
      'body-shorter': [8],
      'size-unsigned': [8],
      'ttl-garbage': [1, 2],
      'ttl-too-long': [1],
      'nonce-garbage': [1, 2],
      'nonce-stale': [9],
      'signature-random': [2],
      'signature-garbage': [1, 2],
      'pubkey-other': [2],
      'pubkey-garbage': [1],
      'address-garbage': [1],
      'address-other': [2],
      'access-garbage': [1],
      'access-unsigned': [2],
      'header-missing': [1],
      'too-large': [4],
      'content-length-lie': [],
    };
    const mutation = fc.constantFrom(...Object.keys(expectedCodes));
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        mutation,
        fc.constantFrom('x-ain-address', 'x-ain-pubkey', 'x-ain-nonce', 'x-ain-signature', 'x-ain-size', 'x-ain-ttl'),
        headerText.filter((text) => text !== 'public' && text !== 'private'),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        async (content, wrong, dropped, garbage, randomSignature) => {
          const hash = blobHash(content);
          const before = holdings();
          let body: Uint8Array = content;
          let intent: PutIntent = { hash, size: content.length, ttlSeconds: 60, nonce: newNonce() };
          let path = `/blobs/${hash}`;
          const edits: Record<string, string> = {};
          if (wrong === 'path-other-hash') path = `/blobs/${blobHash(new Uint8Array([...content, 0]))}`;
          if (wrong === 'signed-other-hash') {
            intent = { ...intent, hash: blobHash(new Uint8Array([...content, 0])) };
            path = `/blobs/${intent.hash}`;
          }
          if (wrong === 'body-flipped') body = content.map((byte, i) => (i === 0 ? byte ^ 1 : byte));
          if (wrong === 'body-longer') body = new Uint8Array([...content, 7]);
          if (wrong === 'body-shorter') body = content.subarray(1);
          if (wrong === 'size-unsigned') edits['x-ain-size'] = String(content.length + 1);
          if (wrong === 'ttl-garbage') edits['x-ain-ttl'] = garbage;
          if (wrong === 'ttl-too-long') intent = { ...intent, ttlSeconds: 3601 };
          if (wrong === 'nonce-garbage') edits['x-ain-nonce'] = garbage;
          if (wrong === 'nonce-stale') intent = { ...intent, nonce: newNonce(Date.now() - 3_600_000) };
          if (wrong === 'signature-random') edits['x-ain-signature'] = Buffer.from(randomSignature).toString('base64');
          if (wrong === 'signature-garbage') edits['x-ain-signature'] = garbage;
          if (wrong === 'pubkey-other') edits['x-ain-pubkey'] = Buffer.from(mallory.pubkey).toString('base64');
          if (wrong === 'pubkey-garbage') edits['x-ain-pubkey'] = garbage;
          if (wrong === 'address-garbage') edits['x-ain-address'] = garbage;
          if (wrong === 'address-other') edits['x-ain-address'] = mallory.address;
          if (wrong === 'access-garbage') edits['x-ain-access'] = garbage;
          if (wrong === 'access-unsigned') edits['x-ain-access'] = 'private';
          if (wrong === 'too-large') intent = { ...intent, size: MAX_BLOB_BYTES + 1 };
          if (wrong === 'content-length-lie') intent = { ...intent, size: content.length + 1 };
          const headers: Record<string, string> = {
            ...putHeaders(intent, alice),
            'content-length': String(wrong === 'content-length-lie' ? intent.size : body.length),
            ...edits,
          };
          if (wrong === 'header-missing') delete headers[dropped];
          if (wrong === 'content-length-lie') {
            // Declares one byte more than it sends, then hangs up: the node must drop what it received.
            await sendAndHangUp(path, headers, body);
            await until(() => readdirSync(join(dir, 'tmp')).length === 0);
          } else {
            const code = expectRefusal(await send('PUT', path, headers, body), 'PUT', `${wrong} ${JSON.stringify(edits)}`);
            expect(expectedCodes[wrong], `${wrong}: code ${code}`).toContain(code);
          }
          expect(holdings(), wrong).toEqual(before);

          // Done right, the same upload is stored and read back.
          const good: PutIntent = { hash, size: content.length, ttlSeconds: 60, nonce: newNonce() };
          const put = await send(
            'PUT',
            `/blobs/${hash}`,
            { ...putHeaders(good, alice), 'content-length': String(content.length) },
            content,
          );
          expect([200, 201], put.text).toContain(put.status);
          const read = await fetch(`${server.url}/blobs/${hash}`);
          expect(new Uint8Array(await read.arrayBuffer())).toEqual(content);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

/** Sends headers and a body shorter than its content-length, then closes the connection after a moment. */
function sendAndHangUp(path: string, headers: Record<string, string>, body: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(server.url);
    const req = request({ host: url.hostname, port: url.port, method: 'PUT', path, headers });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.write(body);
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 100);
  });
}

/** Waits (at most 2 s) for a condition the server reaches on its own after a client hangs up. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
