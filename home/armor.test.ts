import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AinError, type ErrorDefinition, ErrInvalidRequest, ErrWrongPassword } from '../core/index.ts';
import { decodeArmor, encodeArmor, exportArmoredKey, importArmoredKey } from './armor.ts';

/** The key and passphrase of the fixtures. */
const PRIVKEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const PASSPHRASE = 'correct horse';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function expectAinError(fn: () => unknown, definition: ErrorDefinition): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).is(definition)).toBe(true);
    return;
  }
  throw new Error('expected an AinError');
}

describe('Cosmos armored private keys', () => {
  it('imports a key exported by the Cosmos SDK v0.50.15 (kdf argon2, chacha20-poly1305)', () => {
    // Written by cosmos-sdk crypto.EncryptArmorPrivKey (see home/fixtures/README.md).
    expect(Buffer.from(importArmoredKey(fixture('sdk-v0.50.15-argon2.armor'), PASSPHRASE)).toString('hex')).toBe(PRIVKEY);
  });

  it('imports a key exported by the Cosmos SDK v0.47.17 (kdf bcrypt, xsalsa20-poly1305)', () => {
    expect(Buffer.from(importArmoredKey(fixture('sdk-v0.47.17-bcrypt.armor'), PASSPHRASE)).toString('hex')).toBe(PRIVKEY);
  });

  it('round-trips its own bcrypt export, and writes the SDK headers', () => {
    const privkey = new Uint8Array(Buffer.from(PRIVKEY, 'hex'));
    const text = exportArmoredKey(privkey, 'p4ss');
    expect(text.startsWith('-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: ')).toBe(true);
    expect(text.endsWith('-----END TENDERMINT PRIVATE KEY-----')).toBe(true);
    const armor = decodeArmor(text);
    expect(armor.headers).toMatchObject({ kdf: 'bcrypt', type: 'secp256k1' });
    expect(armor.headers.salt).toMatch(/^[0-9A-F]{32}$/);
    // nonce (24) + amino key (37) + poly1305 tag (16)
    expect(armor.body.length).toBe(77);
    expect(importArmoredKey(text, 'p4ss')).toEqual(privkey);
  });

  it('refuses a wrong passphrase, an altered body and a foreign block', () => {
    expectAinError(() => importArmoredKey(fixture('sdk-v0.50.15-argon2.armor'), 'wrong'), ErrWrongPassword);
    const text = exportArmoredKey(new Uint8Array(32).fill(7), 'p4ss');
    expectAinError(() => importArmoredKey(text, 'wrong'), ErrWrongPassword);
    const armor = decodeArmor(text);
    const body = Uint8Array.from(armor.body);
    body[40]! ^= 1;
    expectAinError(() => importArmoredKey(encodeArmor('TENDERMINT PRIVATE KEY', armor.headers, body), 'p4ss'), ErrWrongPassword);
    expectAinError(() => importArmoredKey(text.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA'), 'p4ss'), ErrInvalidRequest);
    expectAinError(() => importArmoredKey(encodeArmor('TENDERMINT PUBLIC KEY', {}, body), 'p4ss'), ErrInvalidRequest);
    expectAinError(() => importArmoredKey('hello', 'p4ss'), ErrInvalidRequest);
  });

  it('encodes the CRC-24 and line breaks as RFC 4880 armor', () => {
    const text = encodeArmor('X', { b: '2', a: '1' }, new Uint8Array(100).fill(1));
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['-----BEGIN X-----', 'a: 1', 'b: 2', '']);
    expect(lines[4]).toHaveLength(64);
    expect(lines.at(-2)).toMatch(/^=[A-Za-z0-9+/]{4}$/);
    expect(decodeArmor(text.replaceAll('\n', '\r\n')).body).toEqual(new Uint8Array(100).fill(1));
  });
});
