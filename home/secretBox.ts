/**
 * The `file` keyring backend's encryption of one key's secret: scrypt (from @noble/hashes) turns the
 * passphrase and a random 16-byte salt into a 32-byte key, and XChaCha20-Poly1305 (from
 * @noble/ciphers) seals the secret under a random 24-byte nonce with the key's public fields as
 * associated data, so a file whose name, address or public key was edited no longer opens. The KDF
 * parameters are stored with each secret, so stronger ones later leave old files readable.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ainError, ErrInvalidRequest, ErrWrongPassword } from '../core/index.ts';

/** A sealed secret as stored in a key file (binary fields in base64). */
export interface SealedSecret {
  readonly kdf: 'scrypt';
  /** scrypt cost: N (a power of two), r, p. */
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly cipher: 'xchacha20-poly1305';
  readonly nonce: string;
  readonly ciphertext: string;
}

/** scrypt N = 2^15, r = 8, p = 1: 32 MiB and about 0.2-0.4 s per unlock on one core of this class. */
export const SCRYPT_PARAMS = { n: 2 ** 15, r: 8, p: 1 } as const;
/** Bounds on the parameters a file may ask for (a hostile file must not make unlocking take hours). */
const MAX_N = 2 ** 20;

/**
 * Seals `plaintext` under `passphrase`, bound to `associated` (the key's public fields).
 * @example const sealed = sealSecret(utf8('{"mnemonic":"..."}'), 'passphrase', utf8('alice'))
 */
export function sealSecret(plaintext: Uint8Array, passphrase: string, associated: Uint8Array): SealedSecret {
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const key = deriveKey(passphrase, salt, SCRYPT_PARAMS);
  const ciphertext = xchacha20poly1305(key, nonce, associated).encrypt(plaintext);
  return {
    kdf: 'scrypt',
    ...SCRYPT_PARAMS,
    salt: b64(salt),
    cipher: 'xchacha20-poly1305',
    nonce: b64(nonce),
    ciphertext: b64(ciphertext),
  };
}

/**
 * Opens a sealed secret. Throws `sdk/23 invalid account password` when the passphrase is wrong (or the
 * file was altered), `sdk/18` when the record is malformed.
 */
export function openSecret(sealed: SealedSecret, passphrase: string, associated: Uint8Array): Uint8Array {
  checkSealed(sealed);
  const key = deriveKey(passphrase, unb64(sealed.salt), sealed);
  try {
    return xchacha20poly1305(key, unb64(sealed.nonce), associated).decrypt(unb64(sealed.ciphertext));
  } catch {
    throw ainError(ErrWrongPassword, 'wrong keyring passphrase (or the key file was altered)');
  }
}

/** Throws `sdk/18` unless `value` is a well-formed sealed secret with bounded parameters. */
export function checkSealed(value: unknown): asserts value is SealedSecret {
  const s = value as Partial<SealedSecret> | undefined;
  const ok =
    s !== undefined &&
    s !== null &&
    s.kdf === 'scrypt' &&
    s.cipher === 'xchacha20-poly1305' &&
    Number.isInteger(s.n) &&
    s.n! >= 2 &&
    s.n! <= MAX_N &&
    (s.n! & (s.n! - 1)) === 0 &&
    Number.isInteger(s.r) &&
    s.r! >= 1 &&
    s.r! <= 32 &&
    Number.isInteger(s.p) &&
    s.p! >= 1 &&
    s.p! <= 16 &&
    typeof s.salt === 'string' &&
    typeof s.nonce === 'string' &&
    unb64(s.nonce).length === 24 &&
    typeof s.ciphertext === 'string';
  if (!ok) throw ainError(ErrInvalidRequest, 'malformed encrypted key record (expected scrypt and xchacha20-poly1305 fields)');
}

function deriveKey(passphrase: string, salt: Uint8Array, params: { n: number; r: number; p: number }): Uint8Array {
  return scrypt(new TextEncoder().encode(passphrase), salt, { N: params.n, r: params.r, p: params.p, dkLen: 32, maxmem: 2 ** 31 });
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function unb64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
