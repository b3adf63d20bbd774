import { createHash, randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';

/** A chain key as the keyring and `testKey` give it: 32-byte private key, 33-byte compressed pubkey. */
export interface StorageKey {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
}

/** What an upload signature covers. */
export interface PutIntent {
  readonly hash: string;
  readonly size: number;
  readonly ttlSeconds: number;
  readonly nonce: string;
  /** `private`: only the uploader and those the chain admits read this copy; absent: public. */
  readonly access?: 'private';
}

/** What a read signature covers: the blob, a fresh nonce, and the node it is meant for. */
export interface GetIntent {
  readonly hash: string;
  readonly nonce: string;
  /** The storage node's chain address (`GET /info`), or "" for a node without one: a read signed for one node does not open another. */
  readonly audience: string;
}

/** A blob's address: lower-case hex sha256 of its bytes. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Nonce: `<unix ms, 13 digits>-<8..64 of [A-Za-z0-9_]>`; the timestamp bounds how long it is remembered. */
export const NONCE_PATTERN = /^(\d{13})-[A-Za-z0-9_]{8,64}$/;

/**
 * The sha256 address of a blob, lower-case hex.
 * @example blobHash(new TextEncoder().encode('abc')) // 'ba7816bf...'
 */
export function blobHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The canonical text an uploader signs: `ain-storage-put\n<hash>\n<size>\n<ttl>\n<nonce>` (sizes and
 * TTL in decimal without leading zeros). The signature is over sha256 of its UTF-8 bytes.
 */
export function putSignText(intent: PutIntent): string {
  const text = `ain-storage-put\n${intent.hash}\n${intent.size}\n${intent.ttlSeconds}\n${intent.nonce}`;
  return intent.access === 'private' ? `${text}\nprivate` : text;
}

/** The canonical text a reader signs: `ain-storage-get\n<hash>\n<nonce>\n<audience>`. */
export function getSignText(intent: GetIntent): string {
  return `ain-storage-get\n${intent.hash}\n${intent.nonce}\n${intent.audience}`;
}

/** Signs a read (64-byte r||s, low S). */
export function signGet(intent: GetIntent, privkey: Uint8Array): Uint8Array {
  return secp256k1.ecdsaSign(createHash('sha256').update(getSignText(intent), 'utf8').digest(), privkey).signature;
}

/** Checks a read signature; false for a malformed key or signature. */
export function verifyGet(intent: GetIntent, signature: Uint8Array, pubkey: Uint8Array): boolean {
  try {
    if (signature.length !== 64 || !secp256k1.publicKeyVerify(pubkey)) return false;
    return secp256k1.ecdsaVerify(signature, createHash('sha256').update(getSignText(intent), 'utf8').digest(), pubkey);
  } catch {
    return false;
  }
}

/** The headers of a signed read. */
export function getHeaders(intent: GetIntent, key: StorageKey): Record<string, string> {
  return {
    'x-ain-address': key.address,
    'x-ain-pubkey': Buffer.from(key.pubkey).toString('base64'),
    'x-ain-nonce': intent.nonce,
    'x-ain-signature': Buffer.from(signGet(intent, key.privkey)).toString('base64'),
  };
}

/** sha256 of the canonical text: the 32 bytes that are signed. */
export function putSignDigest(intent: PutIntent): Uint8Array {
  return createHash('sha256').update(putSignText(intent), 'utf8').digest();
}

/** A fresh nonce: the current time in Unix milliseconds and 16 random bytes. */
export function newNonce(nowMs: number = Date.now()): string {
  return `${String(Math.floor(nowMs)).padStart(13, '0')}-${randomBytes(16).toString('hex')}`;
}

/** Signs an upload: 64-byte r||s with low S (libsecp256k1 always produces low S). */
export function signPut(intent: PutIntent, privkey: Uint8Array): Uint8Array {
  return secp256k1.ecdsaSign(putSignDigest(intent), privkey).signature;
}

/** Checks an upload signature; false for a malformed key or signature, or a high-S signature. */
export function verifyPut(intent: PutIntent, signature: Uint8Array, pubkey: Uint8Array): boolean {
  try {
    if (signature.length !== 64 || !secp256k1.publicKeyVerify(pubkey)) return false;
    return secp256k1.ecdsaVerify(signature, putSignDigest(intent), pubkey);
  } catch {
    return false;
  }
}

/** The headers of a signed upload (what `putBlob` sends). */
export function putHeaders(intent: PutIntent, key: StorageKey): Record<string, string> {
  return {
    'x-ain-address': key.address,
    'x-ain-pubkey': Buffer.from(key.pubkey).toString('base64'),
    'x-ain-size': String(intent.size),
    'x-ain-ttl': String(intent.ttlSeconds),
    'x-ain-nonce': intent.nonce,
    'x-ain-signature': Buffer.from(signPut(intent, key.privkey)).toString('base64'),
    ...(intent.access === 'private' ? { 'x-ain-access': 'private' } : {}),
  };
}
