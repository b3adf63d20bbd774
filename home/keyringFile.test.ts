import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrConflict, ErrInvalidRequest, ErrWrongPassword } from '../core/index.ts';
import { exportArmoredKey, importArmoredKey } from './armor.ts';
import { clientKeyringBackend, setClientKeyringBackend } from './clientConfig.ts';
import { addKey, deleteKey, getKey, importPrivateKey, type Keyring, keySigner, listKeys } from './keyring.ts';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ADDRESS = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';

/** A file keyring whose passphrase is `passphrase`, recording each request. */
function fileKeyring(passphrase: string, asked: boolean[] = []): Keyring {
  return {
    backend: 'file',
    passphrase: async (request) => {
      asked.push(request.confirm);
      return passphrase;
    },
  };
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-keyring-file-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('file keyring', () => {
  it('stores the mnemonic encrypted (scrypt + xchacha20-poly1305), the public fields readable', async () => {
    const asked: boolean[] = [];
    const { key } = await addKey(home, 'alice', MNEMONIC, fileKeyring('pw one', asked));
    expect(asked).toEqual([true]); // a new keyring: asked to confirm
    const file = join(home, 'keyring-file', 'alice.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('abandon');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(text)).toMatchObject({ name: 'alice', address: ADDRESS, crypto: { kdf: 'scrypt', cipher: 'xchacha20-poly1305' } });
    expect(key.mnemonic).toBeUndefined();
    // Listing and lookups need no passphrase.
    const locked: Keyring = { backend: 'file' };
    expect(listKeys(home, locked).map((k) => k.address)).toEqual([ADDRESS]);
    expect(getKey(home, ADDRESS, locked).name).toBe('alice');
    expect((await keySigner(getKey(home, 'alice', locked), fileKeyring('pw one'))).address).toBe(ADDRESS);
    // The test backend is another folder.
    expect(listKeys(home)).toEqual([]);
    expect(() => getKey(home, 'alice')).toThrow(/--keyring-backend file/);
  });

  it('refuses a wrong passphrase without writing anything', async () => {
    await addKey(home, 'alice', MNEMONIC, fileKeyring('right'));
    const before = readdirSync(join(home, 'keyring-file')).sort();
    const bytes = readFileSync(join(home, 'keyring-file', 'alice.json'));
    await expect(keySigner(getKey(home, 'alice', fileKeyring('wrong')), fileKeyring('wrong'))).rejects.toMatchObject({
      code: ErrWrongPassword.code,
      message: expect.stringMatching(/wrong keyring passphrase/),
    });
    await expect(addKey(home, 'bob', undefined, fileKeyring('wrong'))).rejects.toMatchObject({ code: ErrWrongPassword.code });
    await expect(importPrivateKey(home, 'carl', new Uint8Array(32).fill(3), fileKeyring('wrong'))).rejects.toMatchObject({
      code: ErrWrongPassword.code,
    });
    await expect(deleteKey(home, 'alice', fileKeyring('wrong'))).rejects.toMatchObject({ code: ErrWrongPassword.code });
    expect(readdirSync(join(home, 'keyring-file')).sort()).toEqual(before);
    expect(readFileSync(join(home, 'keyring-file', 'alice.json'))).toEqual(bytes);
    // The right one adds under the same passphrase, without a confirmation, and deletes.
    const asked: boolean[] = [];
    await addKey(home, 'bob', undefined, fileKeyring('right', asked));
    expect(asked).toEqual([false]);
    await deleteKey(home, 'alice', fileKeyring('right'));
    expect(listKeys(home, fileKeyring('right')).map((k) => k.name)).toEqual(['bob']);
  });

  it('refuses an empty passphrase for a new keyring, and a file whose public fields were edited', async () => {
    await expect(addKey(home, 'alice', MNEMONIC, fileKeyring(''))).rejects.toMatchObject({ code: ErrInvalidRequest.code });
    expect(existsSync(join(home, 'keyring-file', 'alice.json'))).toBe(false);
    await addKey(home, 'alice', MNEMONIC, fileKeyring('pw'));
    const file = join(home, 'keyring-file', 'alice.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, name: 'mallory' }));
    await expect(keySigner(getKey(home, 'alice', fileKeyring('pw')), fileKeyring('pw'))).rejects.toMatchObject({
      code: ErrWrongPassword.code,
    });
  });

  it('imports a raw private key and exports it armored, in both backends', async () => {
    const privkey = new Uint8Array(32).fill(9);
    for (const keyring of [fileKeyring('pw'), { backend: 'test' } as Keyring]) {
      const key = await importPrivateKey(home, 'imp', privkey, keyring);
      const signer = await keySigner(getKey(home, 'imp', keyring), keyring);
      expect(signer.privkey).toEqual(privkey);
      expect(signer.address).toBe(key.address);
      expect(importArmoredKey(exportArmoredKey(signer.privkey, 'x'), 'x')).toEqual(privkey);
      await expect(importPrivateKey(home, 'imp2', privkey, keyring)).rejects.toMatchObject({ code: ErrConflict.code });
    }
  });
});

describe('client.toml', () => {
  it('names the keyring backend of a home', () => {
    expect(clientKeyringBackend(home)).toBeUndefined();
    setClientKeyringBackend(home, 'test');
    expect(clientKeyringBackend(home)).toBe('test');
    setClientKeyringBackend(home, 'file');
    expect(readFileSync(join(home, 'config', 'client.toml'), 'utf8')).toMatch(/^keyring-backend = "file"$/m);
    expect(clientKeyringBackend(home)).toBe('file');
  });
});
