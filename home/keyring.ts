import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import { ainError, ErrConflict, ErrInvalidRequest, ErrKeyNotFound, ADDRESS_PREFIX, parseAddress } from '../core/index.ts';
import { homePaths } from './paths.ts';
import { deriveKey, type DerivedKey, generateMnemonic, HD_PATH, normalizeMnemonic } from './hd.ts';

/**
 * The Cosmos "test" keyring backend: one JSON file per key in HOME/keyring-test/NAME.json (mode
 * 0600, folder 0700). The files are NOT encrypted: they hold the mnemonic in clear text, so this
 * keyring is for development and tests only. Never keep keys that guard real funds in it.
 */
export interface KeyFile {
  readonly name: string;
  readonly type: 'local';
  readonly algo: 'secp256k1';
  readonly hd_path: string;
  readonly address: string;
  /** Base64 of the 33-byte compressed secp256k1 public key. */
  readonly pubkey: string;
  readonly mnemonic: string;
}

/** What `keys show` and `keys list` print: never the mnemonic. */
export interface KeyInfo {
  readonly name: string;
  readonly type: 'local';
  readonly address: string;
  /** The public key as the SDK prints it: JSON of an Any. */
  readonly pubkey: string;
}

/** Key names become file names, so they are restricted to a safe alphabet. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function validateKeyName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw ainError(
      ErrInvalidRequest,
      `key name "${name}" is invalid; expected 1-64 of letters, digits, "_", "." and "-", starting with a letter or digit`,
    );
  }
}

/** The public view of a key file. */
export function keyInfo(key: KeyFile): KeyInfo {
  return {
    name: key.name,
    type: key.type,
    address: key.address,
    pubkey: JSON.stringify({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: key.pubkey }),
  };
}

/**
 * Adds a key: from `mnemonic` when given (`keys add --recover`), otherwise from a fresh 24-word one.
 * Refuses a name or an address that is already in the keyring.
 * @example const { key, mnemonic } = await addKey(home, 'alice')
 */
export async function addKey(home: string, name: string, mnemonic?: string): Promise<{ key: KeyFile; mnemonic: string }> {
  validateKeyName(name);
  const words = mnemonic === undefined ? generateMnemonic() : normalizeMnemonic(mnemonic);
  const derived = await deriveKey(words, HD_PATH);
  if (existsSync(keyPath(home, name))) throw ainError(ErrConflict, `key "${name}" already exists in ${homePaths(home).keyringDir}`);
  const twin = listKeys(home).find((k) => k.address === derived.address);
  if (twin) throw ainError(ErrConflict, `this mnemonic's address ${derived.address} is already in the keyring as "${twin.name}"`);
  const key: KeyFile = {
    name,
    type: 'local',
    algo: 'secp256k1',
    hd_path: HD_PATH,
    address: derived.address,
    pubkey: toBase64(derived.pubkey),
    mnemonic: words,
  };
  writeKeyFile(home, key);
  return { key, mnemonic: words };
}

/** Every key in the keyring, sorted by name. */
export function listKeys(home: string): KeyFile[] {
  const dir = homePaths(home).keyringDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readKeyFile(join(dir, f)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Finds a key by name or by `ain1...` address. Throws `sdk/22 key not found` when absent.
 */
export function getKey(home: string, nameOrAddress: string): KeyFile {
  if (NAME_PATTERN.test(nameOrAddress) && existsSync(keyPath(home, nameOrAddress))) {
    return readKeyFile(keyPath(home, nameOrAddress));
  }
  if (nameOrAddress.startsWith(`${ADDRESS_PREFIX}1`)) {
    const byAddress = listKeys(home).find((k) => k.address === nameOrAddress);
    if (byAddress) return byAddress;
  }
  throw ainError(ErrKeyNotFound, `no key "${nameOrAddress}" in ${homePaths(home).keyringDir}`);
}

/**
 * An `ain1...` address as given (checked), or the address of a keyring key by that name: how the
 * tx and query commands read an account argument (`--from`, `--admins`, a job's node). Throws
 * `sdk/7` for a malformed address, naming `what`, and `sdk/22` for an unknown key name.
 * @example resolveKeyOrAddress(home, 'alice', '--from') // 'ain1...'
 */
export function resolveKeyOrAddress(home: string, nameOrAddress: string, what = 'address'): string {
  if (/^ain1[02-9ac-hj-np-z]+$/.test(nameOrAddress)) {
    parseAddress(nameOrAddress, what);
    return nameOrAddress;
  }
  return getKey(home, nameOrAddress).address;
}

/** Deletes a key. Throws `sdk/22 key not found` when absent. */
export function deleteKey(home: string, nameOrAddress: string): KeyFile {
  const key = getKey(home, nameOrAddress);
  rmSync(keyPath(home, key.name));
  return key;
}

/** The private key of a keyring entry (derived from its mnemonic). */
export async function keySigner(key: KeyFile): Promise<DerivedKey> {
  const derived = await deriveKey(key.mnemonic, key.hd_path);
  if (derived.address !== key.address) {
    throw ainError(ErrConflict, `key "${key.name}": its mnemonic gives ${derived.address}, but the file says ${key.address}`);
  }
  return derived;
}

function keyPath(home: string, name: string): string {
  return join(homePaths(home).keyringDir, `${name}.json`);
}

function writeKeyFile(home: string, key: KeyFile): void {
  const dir = homePaths(home).keyringDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const target = keyPath(home, key.name);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temp, target);
}

function readKeyFile(path: string): KeyFile {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile>;
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `keyring file ${path} is not valid JSON (${(cause as Error).message})`);
  }
  const { name, address, pubkey, mnemonic } = parsed;
  if (typeof name !== 'string' || typeof address !== 'string' || typeof pubkey !== 'string' || typeof mnemonic !== 'string') {
    throw ainError(ErrInvalidRequest, `keyring file ${path} lacks name, address, pubkey or mnemonic`);
  }
  if (fromBase64(pubkey).length !== 33) throw ainError(ErrInvalidRequest, `keyring file ${path}: pubkey is not 33 bytes`);
  return { name, type: 'local', algo: 'secp256k1', hd_path: parsed.hd_path ?? HD_PATH, address, pubkey, mnemonic };
}
