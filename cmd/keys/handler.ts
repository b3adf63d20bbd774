import { createInterface } from 'node:readline';
import { addKey, deleteKey, getKey, keyInfo, type KeyInfo, listKeys } from '../../home/index.ts';
import { formatText } from '../common/index.ts';

/** What `keys add` prints with `--output json`: the key and, for a new key, its mnemonic. */
export interface AddedKey extends KeyInfo {
  readonly mnemonic?: string;
}

/**
 * `keys add`: a new key from a fresh 24-word mnemonic, or from `mnemonic` when recovering.
 * @example await addKeyCommand('/tmp/n0', 'alice')
 */
export async function addKeyCommand(home: string, name: string, mnemonic?: string): Promise<AddedKey> {
  const { key, mnemonic: words } = await addKey(home, name, mnemonic);
  return mnemonic === undefined ? { ...keyInfo(key), mnemonic: words } : keyInfo(key);
}

export function showKeyCommand(home: string, nameOrAddress: string): KeyInfo {
  return keyInfo(getKey(home, nameOrAddress));
}

export function listKeysCommand(home: string): KeyInfo[] {
  return listKeys(home).map(keyInfo);
}

export function deleteKeyCommand(home: string, nameOrAddress: string): KeyInfo {
  return keyInfo(deleteKey(home, nameOrAddress));
}

/** Text output of `keys add` as simd prints it: the key, then the mnemonic once with a warning. */
export function formatAddedKey(key: AddedKey): string {
  const { mnemonic, ...info } = key;
  const lines = [formatText([info])];
  if (mnemonic !== undefined) {
    lines.push(
      '',
      '**Important** write this mnemonic phrase in a safe place.',
      'It is the only way to recover your account if you ever forget your password.',
      'This keyring (keyring-test) stores it UNENCRYPTED in the home folder: use it for development and tests only.',
      '',
      mnemonic,
    );
  }
  return lines.join('\n');
}

/**
 * Reads a mnemonic for `keys add --recover`: all of stdin when piped, one line when it is a terminal
 * (with a prompt on stderr).
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
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
