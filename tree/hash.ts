/**
 * SHA-256 and the domain-separated node hashes of the state trie. Pure functions of bytes: no floating
 * point, no environment.
 *
 *   leaf   = sha256(0x00 || keyHash[32] || valueHash[32])
 *   branch = sha256(0x01 || bitmap[2, big-endian] || childHash[32] for each set bit, nibble 0 first)
 *   empty  = 32 zero bytes (the root of a tree with no leaves; never a node hash)
 *
 * where keyHash = sha256(encodePathKey(path)) and valueHash = sha256(encodeValue(value)).
 */
import { hash } from 'node:crypto';

export const HASH_BYTES = 32;
export const TAG_LEAF = 0x00;
export const TAG_BRANCH = 0x01;

/** Root hash of the empty tree: 32 zero bytes. */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(HASH_BYTES);

// Digests are copied into a shared pool (as Buffer.allocUnsafe does for small buffers): thousands of
// hashes per block would otherwise each allocate an off-heap ArrayBuffer for V8 to sweep.
const POOL_BYTES = 64 * 1024;
let pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let poolOffset = 0;

function pooledDigest(digest: string): Uint8Array {
  if (poolOffset + HASH_BYTES > POOL_BYTES) {
    pool = Buffer.allocUnsafeSlow(POOL_BYTES);
    poolOffset = 0;
  }
  pool.write(digest, poolOffset, HASH_BYTES, 'latin1');
  const out = new Uint8Array(pool.buffer, pool.byteOffset + poolOffset, HASH_BYTES);
  poolOffset += HASH_BYTES;
  return out;
}

/**
 * SHA-256 of `data`.
 * @example sha256(new Uint8Array()) // e3b0c442...
 */
// 'binary' is latin1: one char per byte, copied into the pool without another allocation.
export const sha256 = (data: Uint8Array): Uint8Array => pooledDigest(hash('sha256', data, 'binary'));

const leafInput = new Uint8Array(1 + 2 * HASH_BYTES);

/** Hash of a leaf node: sha256(0x00 || keyHash || valueHash). */
export function leafHash(keyHash: Uint8Array, valueHash: Uint8Array): Uint8Array {
  leafInput[0] = TAG_LEAF;
  leafInput.set(keyHash, 1);
  leafInput.set(valueHash, 1 + HASH_BYTES);
  return sha256(leafInput);
}

/** Hash of a branch node from its bitmap and its present children's hashes in nibble order. */
export function branchHash(bitmap: number, childHashes: readonly Uint8Array[]): Uint8Array {
  const input = new Uint8Array(3 + HASH_BYTES * childHashes.length);
  input[0] = TAG_BRANCH;
  input[1] = bitmap >>> 8;
  input[2] = bitmap & 0xff;
  let offset = 3;
  for (const child of childHashes) {
    input.set(child, offset);
    offset += HASH_BYTES;
  }
  return sha256(input);
}

/** Byte equality of two hashes (or any byte strings). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of set bits in a 16-bit bitmap. */
export function popcount16(bitmap: number): number {
  let v = bitmap - ((bitmap >>> 1) & 0x5555);
  v = (v & 0x3333) + ((v >>> 2) & 0x3333);
  v = (v + (v >>> 4)) & 0x0f0f;
  return (v + (v >>> 8)) & 0x1f;
}

/** The nibble of `key` at `depth` (0 = high nibble of byte 0). */
export function nibbleAt(key: Uint8Array, depth: number): number {
  const byte = key[depth >>> 1] ?? 0;
  return (depth & 1) === 0 ? byte >>> 4 : byte & 0x0f;
}

const HEX = '0123456789abcdef';

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b >>> 4]! + HEX[b & 0x0f]!;
  return out;
}

/** Bytes of a lower- or upper-case hex string; undefined when it is not hex of even length. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
