/**
 * The part of `node:crypto` the shared code (tree/hash.ts, core/address.ts) uses, for the browser
 * bundle: SHA-256 and RIPEMD-160 from @noble/hashes. scripts/buildUi.mjs aliases `node:crypto` here.
 */
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from './buffer.ts';

type Digest = (data: Uint8Array) => Uint8Array;

function digestOf(algorithm: string): Digest {
  if (algorithm === 'sha256') return sha256;
  if (algorithm === 'ripemd160') return ripemd160;
  throw new Error(`the browser build has no ${algorithm}`);
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

/** `crypto.hash(algorithm, data, encoding)`: the digest as text in `encoding` ('hex' by default). */
export function hash(algorithm: string, data: Uint8Array | string, encoding: 'hex' | 'binary' | 'latin1' | 'base64' = 'hex'): string {
  return Buffer.from(digestOf(algorithm)(bytesOf(data))).toString(encoding);
}

/** `crypto.createHash(algorithm)`: `update` collects the input, `digest` hashes it once. */
export function createHash(algorithm: string) {
  const digest = digestOf(algorithm);
  const parts: Uint8Array[] = [];
  const hasher = {
    update(data: Uint8Array | string) {
      parts.push(bytesOf(data));
      return hasher;
    },
    digest(): Buffer {
      return Buffer.from(digest(Buffer.concat(parts)));
    },
  };
  return hasher;
}
