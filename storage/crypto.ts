/**
 * Client-side encryption of Big Storage blobs, streamed. A blob is encrypted with a fresh 32-byte data
 * key by ChaCha20-Poly1305 (`@noble/ciphers`) in chunks of 1 MiB: the stream is a 12-byte header
 * (`AINENC1\n` and the chunk size) and one sealed chunk after another, each with a nonce made of its
 * index and a last-chunk flag and the header as associated data, so chunks cannot be reordered,
 * dropped or cut short without failing (the STREAM construction, as `age` does). The data key is
 * wrapped for a reader by ECDH between a fresh ephemeral key and the reader's on-chain secp256k1
 * public key (`@noble/curves`), HKDF-SHA256 (`@noble/hashes`) and XChaCha20-Poly1305. No primitive is
 * written here: only their composition.
 */
import { randomBytes } from 'node:crypto';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AinError, ainError } from '../core/index.ts';
import { ErrStorageDecrypt } from './errors.ts';

export const DATA_KEY_BYTES = 32;
/** Plaintext bytes per sealed chunk. */
export const CHUNK_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
const MAGIC = new TextEncoder().encode('AINENC1\n');
export const HEADER_BYTES = MAGIC.length + 4;
const WRAP_INFO = new TextEncoder().encode('ain.storage.v1.wrap');
/** Ephemeral pubkey (33) + nonce (24) + sealed key (32 + 16). */
export const WRAPPED_BYTES = 33 + 24 + DATA_KEY_BYTES + TAG_BYTES;

/** A fresh random data key. */
export function newDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(DATA_KEY_BYTES));
}

/** The size of the ciphertext of `plainBytes` bytes (header, chunks, a tag each; an empty blob is one empty chunk). */
export function encryptedSize(plainBytes: number, chunkBytes = CHUNK_BYTES): number {
  const chunks = Math.max(1, Math.ceil(plainBytes / chunkBytes));
  return HEADER_BYTES + plainBytes + chunks * TAG_BYTES;
}

function header(chunkBytes: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(MAGIC.length, chunkBytes);
  return out;
}

function nonce(index: number, last: boolean): Uint8Array {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setBigUint64(0, BigInt(index));
  out[11] = last ? 1 : 0;
  return out;
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last may be shorter), keeping one in hand. */
async function* pieces(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(size - filled, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/**
 * Encrypts a stream under `key`; yields the header, then each sealed chunk. Memory: two chunks.
 * @example for await (const part of encryptStream(createReadStream(file), key)) out.write(part);
 */
export async function* encryptStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  key: Uint8Array,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Uint8Array> {
  const head = header(chunkBytes);
  yield head;
  let index = 0;
  let held: Uint8Array | undefined;
  for await (const piece of pieces(source, chunkBytes)) {
    if (held) yield chacha20poly1305(key, nonce(index++, false), head).encrypt(held);
    held = piece;
  }
  yield chacha20poly1305(key, nonce(index, true), head).encrypt(held ?? new Uint8Array());
}

/**
 * Decrypts what `encryptStream` wrote; throws `storage/14` on a wrong key, a changed, reordered or
 * truncated stream. Yields plaintext chunk by chunk (authenticated before it is yielded).
 */
export async function* decryptStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  key: Uint8Array,
): AsyncGenerator<Uint8Array> {
  // The header first, then the same stream on from where it ended (no re-cutting of the rest).
  const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as
    | AsyncIterator<Uint8Array>
    | Iterator<Uint8Array>;
  let start = new Uint8Array();
  while (start.length < HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    start = new Uint8Array(Buffer.concat([start, next.value]));
  }
  const head = start.subarray(0, HEADER_BYTES);
  if (head.length < HEADER_BYTES || MAGIC.some((b, i) => head[i] !== b))
    throw ainError(ErrStorageDecrypt, 'not an ain encrypted blob (the header AINENC1 is missing)');
  const chunkBytes = new DataView(head.buffer, head.byteOffset).getUint32(MAGIC.length);
  if (chunkBytes === 0 || chunkBytes > 64 * CHUNK_BYTES)
    throw ainError(ErrStorageDecrypt, `chunk size ${chunkBytes} in the header is out of range`);
  const rest = async function* () {
    if (start.length > HEADER_BYTES) yield start.subarray(HEADER_BYTES);
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  };
  let index = 0;
  let held: Uint8Array | undefined;
  const open = (frame: Uint8Array, last: boolean): Uint8Array => {
    try {
      return chacha20poly1305(key, nonce(index++, last), head).decrypt(frame);
    } catch (cause) {
      throw new AinError(
        ErrStorageDecrypt,
        `chunk ${index - 1} does not authenticate: wrong key, or the blob was changed or cut short`,
        {},
        cause,
      );
    }
  };
  for await (const frame of pieces(rest(), chunkBytes + TAG_BYTES)) {
    if (held) yield open(held, false);
    held = new Uint8Array(frame);
  }
  if (!held) throw ainError(ErrStorageDecrypt, 'the blob ends after its header: the last chunk is missing');
  yield open(held, true);
}

/** Encrypts bytes in memory (small blobs, tests). */
export async function encryptBytes(bytes: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
  return concat(encryptStream([bytes], key));
}

/** Decrypts bytes in memory. */
export async function decryptBytes(bytes: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
  return concat(decryptStream([bytes], key));
}

async function concat(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const list: Uint8Array[] = [];
  for await (const part of parts) list.push(part);
  return new Uint8Array(Buffer.concat(list));
}

function kek(shared: Uint8Array, ephemeral: Uint8Array, reader: Uint8Array): Uint8Array {
  const salt = new Uint8Array(ephemeral.length + reader.length);
  salt.set(ephemeral);
  salt.set(reader, ephemeral.length);
  return hkdf(sha256, shared.subarray(1), salt, WRAP_INFO, 32);
}

/**
 * Wraps a data key for the holder of `readerPubkey` (33-byte compressed secp256k1): base64 of the
 * ephemeral pubkey, the nonce and the sealed key ({@link WRAPPED_BYTES} bytes).
 * @example const wrapped = wrapKey(dataKey, readerPubkey); // MsgShareKeys{keys: [{reader, wrapped}]}
 */
export function wrapKey(dataKey: Uint8Array, readerPubkey: Uint8Array): string {
  const secret = secp256k1.utils.randomSecretKey();
  const ephemeral = secp256k1.getPublicKey(secret, true);
  const wrapNonce = new Uint8Array(randomBytes(24));
  const sealed = xchacha20poly1305(kek(secp256k1.getSharedSecret(secret, readerPubkey, true), ephemeral, readerPubkey), wrapNonce).encrypt(
    dataKey,
  );
  return Buffer.concat([ephemeral, wrapNonce, sealed]).toString('base64');
}

/**
 * Unwraps a data key with the reader's private key; throws `storage/14` when it was wrapped for someone else.
 * @example const dataKey = unwrapKey(wrapped, key.privkey);
 */
export function unwrapKey(wrapped: string, privkey: Uint8Array): Uint8Array {
  const bytes = Buffer.from(wrapped, 'base64');
  if (bytes.length !== WRAPPED_BYTES) throw ainError(ErrStorageDecrypt, `a wrapped key has ${WRAPPED_BYTES} bytes; got ${bytes.length}`);
  const ephemeral = new Uint8Array(bytes.subarray(0, 33));
  const reader = secp256k1.getPublicKey(privkey, true);
  try {
    const shared = secp256k1.getSharedSecret(privkey, ephemeral, true);
    return xchacha20poly1305(kek(shared, ephemeral, reader), new Uint8Array(bytes.subarray(33, 57))).decrypt(
      new Uint8Array(bytes.subarray(57)),
    );
  } catch (cause) {
    throw new AinError(ErrStorageDecrypt, 'the wrapped key does not open with this key: it was wrapped for another reader', {}, cause);
  }
}
