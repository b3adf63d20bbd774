/**
 * Files to and from Big Storage without holding them in memory: hashing a file by streaming it,
 * encrypting a file into a temp file (the ciphertext's hash is the address), uploading a file as a
 * streamed body, and downloading a blob to a file while hashing it, then decrypting it there. What
 * `aind storage put/get`, executors and the 1 GiB test use; peak memory is a few chunks.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AinError, ainError } from '../core/index.ts';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { base, checkHash, errorOf, errorOfText, type GetBlobOptions, type PutBlobOptions, readHeaders, request } from './client.ts';
import { decryptStream, encryptStream } from './crypto.ts';
import { ErrStorageHashMismatch, ErrStorageTooLarge, ErrStorageUnavailable } from './errors.ts';
import type { PutResult } from './server.ts';
import { newNonce, putHeaders, type StorageKey } from './signing.ts';

const CHUNK = 1024 * 1024;

/** sha256 hex and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ hash: string; size: number }> {
  const hasher = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hasher.update(chunk);
    size += chunk.length;
  }
  return { hash: hasher.digest('hex'), size };
}

/**
 * Encrypts `source` into `dest` under `dataKey` (streamed); returns the ciphertext's hash and size.
 * @example const { hash } = await encryptFile('train.json', 'train.json.enc', newDataKey());
 */
export async function encryptFile(source: string, dest: string, dataKey: Uint8Array): Promise<{ hash: string; size: number }> {
  const hasher = createHash('sha256');
  let size = 0;
  const counted = async function* () {
    for await (const part of encryptStream(createReadStream(source, { highWaterMark: CHUNK }), dataKey)) {
      hasher.update(part);
      size += part.length;
      yield part;
    }
  };
  await pipeline(Readable.from(counted()), createWriteStream(dest, { mode: 0o600 }));
  return { hash: hasher.digest('hex'), size };
}

/**
 * Uploads a file as a streamed body (hashing it first, also streamed).
 * @example await putBlobFile(url, '/data/big.bin', key, { ttlSeconds: 3600, private: true });
 */
export async function putBlobFile(url: string, path: string, key: StorageKey, options: PutBlobOptions = {}): Promise<PutResult> {
  const { hash, size } = await hashFile(path);
  const intent = {
    hash,
    size,
    ttlSeconds: options.ttlSeconds ?? 0,
    nonce: options.nonce ?? newNonce(),
    ...(options.private ? { access: 'private' as const } : {}),
  };
  // node:http with pipe(): the file is read only as fast as the socket drains (fetch with a web
  // stream body read the whole file ahead into memory).
  const target = new URL(`${base(url)}/blobs/${hash}`);
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'PUT',
        headers: { ...putHeaders(intent, key), 'content-type': 'application/octet-stream', 'content-length': String(size) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', (cause) => reject(new AinError(ErrStorageUnavailable, `PUT ${target.href} failed (${cause.message})`, { url }, cause)));
    const body = createReadStream(path, { highWaterMark: CHUNK });
    body.on('error', (error) => req.destroy(error));
    body.pipe(req);
  });
  if (answer.status !== 200 && answer.status !== 201) throw errorOfText(answer.status, answer.body, target.href);
  return JSON.parse(answer.body) as PutResult;
}

export interface GetBlobFileOptions extends GetBlobOptions {
  /** Decrypt with this data key after the download is verified. */
  readonly dataKey?: Uint8Array;
}

/**
 * Downloads a blob into `out` (temp file + rename), checking its sha256 while streaming; with
 * `dataKey`, decrypts the verified ciphertext into `out` instead. Returns the bytes written.
 * @example await getBlobToFile(url, hash, join(runDir, 'input.json'), { reader: key, dataKey });
 */
export async function getBlobToFile(url: string, hash: string, out: string, options: GetBlobFileOptions = {}): Promise<number> {
  checkHash(hash);
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const response = await request(`${base(url)}/blobs/${hash}`, { method: 'GET', headers: await readHeaders(url, hash, options) });
  if (response.status !== 200) throw await errorOf(response);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw ainError(ErrStorageTooLarge, `blob ${hash} has ${declared} bytes; maxBytes is ${maxBytes}`);
  }
  const cipher = options.dataKey ? `${out}.${process.pid}.enc` : `${out}.${process.pid}.tmp`;
  const hasher = createHash('sha256');
  let received = 0;
  const file = await open(cipher, 'w', 0o600);
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (received > maxBytes) throw ainError(ErrStorageTooLarge, `blob ${hash} is more than maxBytes ${maxBytes}`);
      hasher.update(chunk);
      await file.write(chunk);
    }
  } catch (error) {
    await file.close();
    await rm(cipher, { force: true });
    throw error;
  }
  await file.close();
  const actual = hasher.digest('hex');
  if (actual !== hash) {
    await rm(cipher, { force: true });
    throw ainError(ErrStorageHashMismatch, `server sent bytes with sha256 ${actual} for blob ${hash}`, { url });
  }
  if (!options.dataKey) {
    await rename(cipher, out);
    return received;
  }
  const temp = `${out}.${process.pid}.tmp`;
  try {
    await pipeline(
      Readable.from(decryptStream(createReadStream(cipher, { highWaterMark: CHUNK }), options.dataKey)),
      createWriteStream(temp, { mode: 0o600 }),
    );
    await rename(temp, out);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    await rm(cipher, { force: true });
  }
  return (await stat(out)).size;
}

/** A key as the storage functions take it (re-exported for callers of this file). */
export type { StorageKey };
