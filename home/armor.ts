/**
 * The Cosmos SDK's armored private key (`simd keys export` / `simd keys import`), written from the
 * format of cosmos-sdk `crypto/armor.go`: an OpenPGP-style ASCII armor (RFC 4880 section 6: base64
 * body in 64-character lines, a CRC-24 line) of type "TENDERMINT PRIVATE KEY" with headers
 *
 *   kdf: bcrypt | argon2     salt: 16 bytes, upper-case hex     type: secp256k1
 *
 * and a body that encrypts the amino encoding of the key (prefix e1b0f79b, length 0x20, 32 bytes):
 * - `bcrypt` (every SDK version reads it; what `exportArmoredKey` writes): key = sha256 of the 60-byte
 *   bcrypt string "$2a$12$..." of the passphrase with the raw 16-byte salt (the SDK's bcrypt takes the
 *   salt as bytes); body = 24-byte nonce || NaCl secretbox (xsalsa20-poly1305).
 * - `argon2` (what recent SDKs write): key = argon2id(passphrase, salt, t=1, m=64 MiB, p=4, 32 bytes);
 *   body = chacha20-poly1305 (IETF) under an all-zero 12-byte nonce (each export has its own salt).
 * bcrypt is bcryptjs, sha256 and argon2id are @noble/hashes, the AEADs are @noble/ciphers.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { argon2id } from '@noble/hashes/argon2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import bcrypt from 'bcryptjs';
import { ainError, ErrInvalidRequest, ErrWrongPassword } from '../core/index.ts';

const BLOCK_TYPE = 'TENDERMINT PRIVATE KEY';
/** The SDK's bcrypt cost (`BcryptSecurityParameter`). */
const BCRYPT_COST = 12;
const SALT_BYTES = 16;
/** Amino prefix of "tendermint/PrivKeySecp256k1" followed by the byte length 32. */
const AMINO_SECP256K1_PRIVKEY = Uint8Array.of(0xe1, 0xb0, 0xf7, 0x9b, 0x20);
const SECRETBOX_NONCE = 24;

/** A decoded armor block. */
export interface Armor {
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * Armors `body` as Go's `openpgp/armor` does: BEGIN line, `key: value` headers (sorted), a blank
 * line, base64 in 64-character lines, `=` + the CRC-24 in base64, END line.
 * @example encodeArmor('TENDERMINT PRIVATE KEY', { kdf: 'bcrypt' }, bytes)
 */
export function encodeArmor(type: string, headers: Readonly<Record<string, string>>, body: Uint8Array): string {
  const lines = [`-----BEGIN ${type}-----`];
  for (const key of Object.keys(headers).sort()) lines.push(`${key}: ${headers[key]}`);
  lines.push('');
  const b64 = Buffer.from(body).toString('base64');
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`=${crc24Base64(body)}`, `-----END ${type}-----`);
  return lines.join('\n');
}

/**
 * Parses an armor block (surrounding text, CRLF and blank lines tolerated); checks the CRC-24 when
 * there is one. Throws `sdk/18` naming what is wrong.
 */
export function decodeArmor(text: string): Armor {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const begin = lines.findIndex((line) => /^-----BEGIN (.+)-----\s*$/.test(line));
  if (begin < 0) throw ainError(ErrInvalidRequest, 'not an armored key: no "-----BEGIN ...-----" line');
  const type = /^-----BEGIN (.+)-----\s*$/.exec(lines[begin]!)![1]!;
  const headers: Record<string, string> = {};
  let i = begin + 1;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const match = /^([^:]+):\s?(.*)$/.exec(lines[i]!);
    if (!match) break; // no blank line after the headers: the body starts here
    headers[match[1]!.trim()] = match[2]!.trim();
  }
  let b64 = '';
  let crc: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === `-----END ${type}-----`) break;
    if (line.startsWith('-----')) throw ainError(ErrInvalidRequest, `armor: unexpected line "${line}"`);
    if (line.startsWith('=')) crc = line.slice(1);
    else b64 += line;
  }
  if (i === lines.length) throw ainError(ErrInvalidRequest, `armor: no "-----END ${type}-----" line`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw ainError(ErrInvalidRequest, 'armor: the body is not base64');
  const body = new Uint8Array(Buffer.from(b64, 'base64'));
  if (crc !== undefined && crc !== crc24Base64(body)) throw ainError(ErrInvalidRequest, 'armor: checksum mismatch (the text was altered)');
  return { type, headers, body };
}

/**
 * A secp256k1 private key armored and encrypted as `simd keys export` writes it (kdf bcrypt, which
 * every SDK version imports).
 * @example const text = exportArmoredKey(privkey, 'export passphrase')
 */
export function exportArmoredKey(privkey: Uint8Array, passphrase: string): string {
  if (privkey.length !== 32) throw ainError(ErrInvalidRequest, 'a secp256k1 private key is 32 bytes');
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(SECRETBOX_NONCE);
  const plaintext = new Uint8Array(AMINO_SECP256K1_PRIVKEY.length + 32);
  plaintext.set(AMINO_SECP256K1_PRIVKEY);
  plaintext.set(privkey, AMINO_SECP256K1_PRIVKEY.length);
  const sealed = xsalsa20poly1305(bcryptKey(passphrase, salt), nonce).encrypt(plaintext);
  const body = new Uint8Array(nonce.length + sealed.length);
  body.set(nonce);
  body.set(sealed, nonce.length);
  return encodeArmor(BLOCK_TYPE, { kdf: 'bcrypt', salt: Buffer.from(salt).toString('hex').toUpperCase(), type: 'secp256k1' }, body);
}

/**
 * The private key in an armored export of simd / gaiad (kdf bcrypt or argon2) or of `aind keys export`.
 * Throws `sdk/23 invalid account password` for a wrong passphrase (or an altered body) and `sdk/18` for anything
 * that is not a secp256k1 key in this format.
 * @example const privkey = importArmoredKey(readFileSync('alice.armor', 'utf8'), 'export passphrase')
 */
export function importArmoredKey(text: string, passphrase: string): Uint8Array {
  const armor = decodeArmor(text);
  if (armor.type !== BLOCK_TYPE) throw ainError(ErrInvalidRequest, `armor type "${armor.type}" is not "${BLOCK_TYPE}"`);
  const algo = armor.headers.type ?? 'secp256k1';
  if (algo !== 'secp256k1') throw ainError(ErrInvalidRequest, `key type "${algo}" is not supported; only secp256k1 keys are`);
  const saltHex = armor.headers.salt ?? '';
  if (!/^[0-9A-Fa-f]+$/.test(saltHex) || saltHex.length % 2 !== 0)
    throw ainError(ErrInvalidRequest, 'armor: missing or malformed salt header');
  const salt = new Uint8Array(Buffer.from(saltHex, 'hex'));
  let plaintext: Uint8Array;
  try {
    plaintext = decryptBody(armor.headers.kdf, salt, armor.body, passphrase);
  } catch (cause) {
    if ((cause as Error).name === 'AinError') throw cause;
    throw ainError(ErrWrongPassword, 'wrong passphrase for the armored key (or the key was altered)');
  }
  if (plaintext.length !== 37 || !AMINO_SECP256K1_PRIVKEY.every((byte, i) => plaintext[i] === byte)) {
    throw ainError(ErrInvalidRequest, 'the armored key is not an amino-encoded secp256k1 private key');
  }
  return plaintext.slice(AMINO_SECP256K1_PRIVKEY.length);
}

function decryptBody(kdf: string | undefined, salt: Uint8Array, body: Uint8Array, passphrase: string): Uint8Array {
  switch (kdf) {
    case 'bcrypt': {
      if (salt.length !== SALT_BYTES) throw ainError(ErrInvalidRequest, `armor: a bcrypt salt is ${SALT_BYTES} bytes`);
      if (body.length <= SECRETBOX_NONCE + 16) throw ainError(ErrInvalidRequest, 'armor: the body is too short');
      return xsalsa20poly1305(bcryptKey(passphrase, salt), body.subarray(0, SECRETBOX_NONCE)).decrypt(body.subarray(SECRETBOX_NONCE));
    }
    case 'argon2': {
      const key = argon2id(new TextEncoder().encode(passphrase), salt, { t: 1, m: 64 * 1024, p: 4, dkLen: 32 });
      return chacha20poly1305(key, new Uint8Array(12)).decrypt(body);
    }
    default:
      throw ainError(ErrInvalidRequest, `armor: unrecognized kdf "${kdf ?? ''}" (expected bcrypt or argon2)`);
  }
}

/** sha256 of the SDK's bcrypt string: version 2a, cost 12, the 16 salt bytes in bcrypt's base64. */
function bcryptKey(passphrase: string, salt: Uint8Array): Uint8Array {
  const hashed = bcrypt.hashSync(passphrase, `$2a$${BCRYPT_COST}$${bcrypt.encodeBase64(salt, SALT_BYTES)}`);
  return sha256(new TextEncoder().encode(hashed));
}

/** RFC 4880 section 6.1 CRC-24 of `data` (an error-detecting checksum, not cryptography), in base64. */
function crc24Base64(data: Uint8Array): string {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  crc &= 0xffffff;
  return Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
}
