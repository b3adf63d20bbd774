import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToPath } from '@cosmjs/crypto';
import { fromBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinError, type ErrorDefinition, ErrConflict, ErrInvalidRequest, ErrKeyNotFound, pubkeyToAddress } from '../core/index.ts';
import { deriveKey, generateMnemonic, HD_PATH } from './hd.ts';
import { addKey, deleteKey, getKey, keyInfo, listKeys, resolveKeyOrAddress } from './keyring.ts';

/** The BIP39 test mnemonic (all-zero entropy). */
const TEST_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
/** Its account at m/44'/412'/0'/0/0 with prefix ain (checked against DirectSecp256k1HdWallet below). */
const TEST_ADDRESS = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-keyring-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

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

describe('deriveKey', () => {
  it("gives the same key as CosmJS DirectSecp256k1HdWallet at m/44'/412'/0'/0/0", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: 'ain', hdPaths: [stringToPath(HD_PATH)] });
    const [account] = await wallet.getAccounts();
    const derived = await deriveKey(TEST_MNEMONIC);
    expect(derived.address).toBe(account!.address);
    expect(derived.pubkey).toEqual(account!.pubkey);
    expect(derived.address).toBe(TEST_ADDRESS);
    expect(pubkeyToAddress(account!.pubkey)).toBe(TEST_ADDRESS);
  });

  it('refuses a mnemonic with a bad checksum or unknown words', async () => {
    await expect(deriveKey(TEST_MNEMONIC.replace('about', 'abandon'))).rejects.toMatchObject({ code: ErrInvalidRequest.code });
    await expect(deriveKey('not a mnemonic at all')).rejects.toBeInstanceOf(AinError);
  });
});

describe('keyring (test backend)', () => {
  it('adds a new key with a 24-word mnemonic, stored 0600 in keyring-test/NAME.json', async () => {
    const { key, mnemonic } = await addKey(home, 'alice');
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(key.address).toMatch(/^ain1[02-9ac-hj-np-z]{38}$/);
    const pubkey = fromBase64(key.pubkey);
    expect(pubkey).toHaveLength(33);
    expect(pubkeyToAddress(pubkey)).toBe(key.address);

    const file = join(home, 'keyring-test', 'alice.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'keyring-test')).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ name: 'alice', address: key.address, pubkey: key.pubkey, mnemonic });
    expect((await deriveKey(mnemonic)).address).toBe(key.address);
  });

  it('recovers the known test mnemonic to a stable address and round-trips show/list/delete', async () => {
    const { key } = await addKey(home, 'bob', `  ${TEST_MNEMONIC.toUpperCase()}\n`);
    expect(key.address).toBe(TEST_ADDRESS);
    expect(key.mnemonic).toBe(TEST_MNEMONIC);
    await addKey(home, 'alice');

    expect(getKey(home, 'bob').address).toBe(TEST_ADDRESS);
    expect(getKey(home, TEST_ADDRESS).name).toBe('bob');
    expect(listKeys(home).map((k) => k.name)).toEqual(['alice', 'bob']);
    const info = keyInfo(getKey(home, 'bob'));
    expect(info).not.toHaveProperty('mnemonic');
    expect(JSON.parse(info.pubkey)).toEqual({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: key.pubkey });

    await deleteKey(home, 'bob');
    expect(listKeys(home).map((k) => k.name)).toEqual(['alice']);
    expectAinError(() => getKey(home, 'bob'), ErrKeyNotFound);
    await expect(deleteKey(home, 'bob')).rejects.toMatchObject({ code: ErrKeyNotFound.code });
  });

  it('refuses a duplicate name, a duplicate mnemonic and unsafe names', async () => {
    await addKey(home, 'bob', TEST_MNEMONIC);
    await expect(addKey(home, 'bob')).rejects.toMatchObject({ codespace: ErrConflict.codespace, code: ErrConflict.code });
    await expect(addKey(home, 'bob2', TEST_MNEMONIC)).rejects.toMatchObject({ code: ErrConflict.code });
    await expect(addKey(home, '../evil')).rejects.toMatchObject({ code: ErrInvalidRequest.code });
    await expect(addKey(home, '')).rejects.toMatchObject({ code: ErrInvalidRequest.code });
  });

  it('lists nothing in a home without a keyring', () => {
    expect(listKeys(home)).toEqual([]);
  });
});

describe('deriveKey against CosmJS on random mnemonics and paths', () => {
  it('agrees with DirectSecp256k1HdWallet', async () => {
    for (let n = 0; n < 5; n++) {
      const mnemonic = generateMnemonic();
      for (const path of [HD_PATH, "m/44'/118'/0'/0/7", "m/44'/412'/3'/1/2147483647"]) {
        const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'ain', hdPaths: [stringToPath(path)] });
        const [account] = await wallet.getAccounts();
        const derived = await deriveKey(mnemonic, path);
        expect(derived.address, `${mnemonic} ${path}`).toBe(account!.address);
      }
    }
  }, 30_000);
});

describe('resolveKeyOrAddress', () => {
  it('takes addresses as given and key names from the keyring', async () => {
    const { key } = await addKey(home, 'alice');
    const other = TEST_ADDRESS;
    const badChecksum = `${other.slice(0, -1)}${other.endsWith('q') ? 'p' : 'q'}`;
    expect(resolveKeyOrAddress(home, other)).toBe(other);
    expect(resolveKeyOrAddress(home, 'alice')).toBe(key.address);
    expectAinError(() => resolveKeyOrAddress(home, 'bob'), ErrKeyNotFound);
    expect(() => resolveKeyOrAddress(home, badChecksum, '--from')).toThrow(/--from .*not valid bech32/);
  });
});
