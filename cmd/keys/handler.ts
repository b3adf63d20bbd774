import { readFileSync } from 'node:fs';
import {
  addKey,
  deleteKey,
  exportArmoredKey,
  getKey,
  importArmoredKey,
  importPrivateKey,
  type Keyring,
  keyInfo,
  type KeyInfo,
  keySigner,
  listKeys,
} from '../../home/index.ts';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { formatText, nextStdinLine, readSecret } from '../common/index.ts';
import { createInterface } from 'node:readline';

/** What `keys add` prints with `--output json`: the key and, for a new key, its mnemonic. */
export interface AddedKey extends KeyInfo {
  readonly mnemonic?: string;
}

/**
 * `keys add`: a new key from a fresh 24-word mnemonic, or from `mnemonic` when recovering.
 * @example await addKeyCommand('/tmp/n0', 'alice', undefined, keyring)
 */
export async function addKeyCommand(home: string, name: string, mnemonic: string | undefined, keyring: Keyring): Promise<AddedKey> {
  const { key, mnemonic: words } = await addKey(home, name, mnemonic, keyring);
  return mnemonic === undefined ? { ...keyInfo(key), mnemonic: words } : keyInfo(key);
}

export function showKeyCommand(home: string, nameOrAddress: string, keyring: Keyring): KeyInfo {
  return keyInfo(getKey(home, nameOrAddress, keyring));
}

export function listKeysCommand(home: string, keyring: Keyring): KeyInfo[] {
  return listKeys(home, keyring).map(keyInfo);
}

export async function deleteKeyCommand(home: string, nameOrAddress: string, keyring: Keyring): Promise<KeyInfo> {
  return keyInfo(await deleteKey(home, nameOrAddress, keyring));
}

/**
 * `keys export NAME`: the key's private key armored and encrypted as `simd keys export` writes it. The
 * keyring is unlocked first (a `file` keyring's passphrase), then the export passphrase is asked.
 */
export async function exportKeyCommand(home: string, name: string, keyring: Keyring): Promise<string> {
  const key = getKey(home, name, keyring);
  const { privkey } = await keySigner(key, keyring);
  const passphrase = await readSecret('Enter passphrase to encrypt the exported key: ', 'Re-enter passphrase: ');
  if (passphrase === '') throw ainError(ErrInvalidRequest, 'an empty export passphrase is refused');
  return exportArmoredKey(privkey, passphrase);
}

/**
 * `keys import NAME FILE`: a key armored by `simd keys export` / `gaiad keys export` / `aind keys
 * export`. The armor's passphrase is asked first (a wrong one is refused before anything is written),
 * then a `file` keyring's own.
 */
export async function importKeyCommand(home: string, name: string, file: string, keyring: Keyring): Promise<KeyInfo> {
  const armored = readFileSync(file, 'utf8');
  const passphrase = await readSecret('Enter passphrase to decrypt your key: ');
  const privkey = importArmoredKey(armored, passphrase);
  return keyInfo(await importPrivateKey(home, name, privkey, keyring));
}

/** Text output of `keys add` as simd prints it: the key, then the mnemonic once with a warning. */
export function formatAddedKey(key: AddedKey, keyring: Keyring): string {
  const { mnemonic, ...info } = key;
  const lines = [formatText([info])];
  if (mnemonic !== undefined) {
    lines.push(
      '',
      '**Important** write this mnemonic phrase in a safe place.',
      'It is the only way to recover your account if you ever forget your password.',
    );
    if (keyring.backend === 'test') {
      lines.push('This keyring (keyring-test) stores it UNENCRYPTED in the home folder: use it for development and tests only.');
    }
    lines.push('', mnemonic);
  }
  return lines.join('\n');
}

/**
 * Reads a mnemonic for `keys add --recover`: one line, with a prompt on stderr when stdin is a
 * terminal, else the next line of stdin (a passphrase may follow on the lines after it).
 */
export async function readMnemonic(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    const rl = createInterface({ input, output: process.stderr, terminal: true });
    try {
      return await new Promise<string>((resolve) => rl.question('> Enter your bip39 mnemonic\n', resolve));
    } finally {
      rl.close();
    }
  }
  const line = await nextStdinLine();
  if (line === undefined) throw ainError(ErrInvalidRequest, 'stdin ended before a mnemonic was read');
  return line;
}
