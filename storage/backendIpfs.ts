/**
 * The IPFS backend: a Kubo node over its HTTP RPC API (`/api/v0/add`, `cat`, `pin/ls`, `pin/rm`,
 * `repo/gc`). A blob is added pinned (CIDv1, raw leaves) and its CID kept as the reference; a CID
 * is the hash of a UnixFS DAG, not the sha256 of the bytes, so the server hashes every read it
 * streams from IPFS and cuts the answer short when the bytes are not the address's. A delete unpins;
 * `repo/gc` then frees the blocks.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { AinError, ainError } from '../core/index.ts';
import type { BlobBackend, StoredObject } from './backend.ts';
import { ErrStorageBackend } from './errors.ts';

/**
 * A backend on the Kubo node whose RPC API listens at `apiUrl` (e.g. `http://127.0.0.1:5001`).
 * @example const backend = ipfsBackend('http://127.0.0.1:5001');
 */
export function ipfsBackend(apiUrl: string): BlobBackend {
  const base = apiUrl.replace(/\/+$/, '');
  const call = async (path: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v0/${path}`, { method: 'POST' });
    } catch (cause) {
      throw new AinError(ErrStorageBackend, `ipfs ${path.split('?')[0]} at ${base} failed (${(cause as Error).message})`, {}, cause);
    }
    if (!response.ok)
      throw ainError(ErrStorageBackend, `ipfs ${path.split('?')[0]} answered ${response.status} ${(await response.text()).slice(0, 200)}`);
    return response;
  };
  return {
    name: 'ipfs',
    verifyReads: true,
    async put(hash, tempPath) {
      try {
        return await add(base, tempPath, hash);
      } finally {
        await rm(tempPath, { force: true });
      }
    },
    async get(_hash, ref) {
      const response = await call(`cat?arg=${encodeURIComponent(ref)}`);
      return response.body as unknown as AsyncIterable<Uint8Array>;
    },
    async has(_hash, ref) {
      if (ref === '') return false;
      const response = await fetch(`${base}/api/v0/pin/ls?arg=${encodeURIComponent(ref)}&type=recursive`, { method: 'POST' }).catch(
        () => undefined,
      );
      if (!response) throw ainError(ErrStorageBackend, `ipfs pin/ls at ${base} is unreachable`);
      await response.body?.cancel();
      return response.ok;
    },
    async delete(_hash, ref) {
      if (ref === '') return;
      const response = await fetch(`${base}/api/v0/pin/rm?arg=${encodeURIComponent(ref)}`, { method: 'POST' });
      await response.body?.cancel();
      // Not pinned (already removed) is fine; gc frees the blocks of everything unpinned.
      await (await call('repo/gc?quiet=true')).arrayBuffer();
    },
    async *list(): AsyncIterable<StoredObject> {
      const answer = (await (await call('pin/ls?type=recursive')).json()) as { Keys?: Record<string, unknown> };
      for (const cid of Object.keys(answer.Keys ?? {})) yield { hash: '', ref: cid };
    },
  };
}

/** `add` with the file streamed as multipart form data; returns the root CID. */
function add(base: string, file: string, name: string): Promise<string> {
  const boundary = `ain-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${base}/api/v0/add?pin=true&cid-version=1&raw-leaves=true&quieter=true`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) return reject(ainError(ErrStorageBackend, `ipfs add answered ${res.statusCode} ${text.slice(0, 200)}`));
        const lines = text.trim().split('\n');
        const cid = (JSON.parse(lines[lines.length - 1] ?? '{}') as { Hash?: string }).Hash;
        if (!cid) return reject(ainError(ErrStorageBackend, `ipfs add answered no CID: ${text.slice(0, 200)}`));
        resolve(cid);
      });
      res.on('error', reject);
    });
    req.on('error', (cause) => reject(new AinError(ErrStorageBackend, `ipfs add at ${base} failed (${cause.message})`, {}, cause)));
    req.write(head);
    const body = createReadStream(file, { highWaterMark: 1024 * 1024 });
    body.on('error', (error) => req.destroy(error));
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
}
