import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import secp256k1 from 'secp256k1';
import { ainError, ErrConflict, ErrInvalidRequest, ErrKeyNotFound, ADDRESS_PREFIX, parseAddress, pubkeyToAddress } from '../core/index.ts';
import { deriveKey, type DerivedKey, generateMnemonic, HD_PATH, normalizeMnemonic } from './hd.ts';
import { checkSealed, openSecret, type SealedSecret, sealSecret } from './secretBox.ts';

/**
 * The keyring: one JSON file per key in HOME/keyring-BACKEND/NAME.json (mode 0600, folder 0700), with
 * the Cosmos SDK's two local backends:
 * - `file`: the secret (mnemonic or private key) is encrypted with a passphrase (scrypt +
 *   XChaCha20-Poly1305, see secretBox.ts); name, address and public key stay readable, so `keys list`
 *   and address lookups need no passphrase. One passphrase per keyring: the first key sets it, and a
 *   key is added, imported, deleted or used only with it.
 * - `test`: the secret is stored in clear text, for development, tests and unattended localnets only.
 */
export type KeyringBackend = 'file' | 'test';
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ['file', 'test'];

/** What a passphrase is asked for: to set a new keyring's (`confirm`: ask twice) or to unlock one. */
export interface PassphraseRequest {
  readonly dir: string;
  readonly confirm: boolean;
}

/** A keyring: its backend and, for `file`, where its passphrase comes from (asked only when needed). */
export interface Keyring {
  readonly backend: KeyringBackend;
  readonly passphrase?: (request: PassphraseRequest) => Promise<string>;
}

/** The `test` backend (no passphrase): what localnets, `aind dev` and tests use. */
export const TEST_KEYRING: Keyring = { backend: 'test' };

export interface KeyFile {
  readonly name: string;
  readonly type: 'local';
  readonly algo: 'secp256k1';
  readonly hd_path: string;
  readonly address: string;
  /** Base64 of the 33-byte compressed secp256k1 public key. */
  readonly pubkey: string;
  /** `test` backend, a key made from a mnemonic. */
  readonly mnemonic?: string;
  /** `test` backend, an imported key (no mnemonic): base64 of the 32-byte private key. */
  readonly privkey?: string;
  /** `file` backend: the encrypted JSON `{mnemonic}` or `{privkey}`. */
  readonly crypto?: SealedSecret;
}

/** What `keys show` and `keys list` print: never the secret. */
export interface KeyInfo {
  readonly name: string;
  readonly type: 'local';
  readonly address: string;
  /** The public key as the SDK prints it: JSON of an Any. */
  readonly pubkey: string;
}

/** The secret of a key: the mnemonic it was derived from, or an imported private key. */
type KeySecret = { readonly mnemonic: string } | { readonly privkey: string };

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

/** Throws `sdk/18` unless `backend` is `file` or `test`. */
export function parseKeyringBackend(backend: string): KeyringBackend {
  if (!(KEYRING_BACKENDS as readonly string[]).includes(backend)) {
    throw ainError(
      ErrInvalidRequest,
      `--keyring-backend "${backend}" is not supported; use "file" (encrypted) or "test" (unencrypted, development only)`,
    );
  }
  return backend as KeyringBackend;
}

/** HOME/keyring-file or HOME/keyring-test. */
export function keyringDir(home: string, keyring: Keyring = TEST_KEYRING): string {
  return join(home, `keyring-${keyring.backend}`);
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
 * Refuses a name or an address that is already in the keyring, and (`file`) a passphrase that is not
 * the keyring's, before anything is written.
 * @example const { key, mnemonic } = await addKey(home, 'alice')
 */
export async function addKey(
  home: string,
  name: string,
  mnemonic?: string,
  keyring: Keyring = TEST_KEYRING,
): Promise<{ key: KeyFile; mnemonic: string }> {
  validateKeyName(name);
  const words = mnemonic === undefined ? generateMnemonic() : normalizeMnemonic(mnemonic);
  const derived = await deriveKey(words, HD_PATH);
  const key = await storeKey(
    home,
    keyring,
    { name, hd_path: HD_PATH, address: derived.address, pubkey: derived.pubkey },
    { mnemonic: words },
  );
  return { key, mnemonic: words };
}

/**
 * Adds a key from a raw secp256k1 private key (`keys import` of an armored export), without a mnemonic.
 * @example await importPrivateKey(home, 'bob', privkey, keyring)
 */
export async function importPrivateKey(home: string, name: string, privkey: Uint8Array, keyring: Keyring = TEST_KEYRING): Promise<KeyFile> {
  validateKeyName(name);
  if (privkey.length !== 32 || !secp256k1.privateKeyVerify(privkey)) throw ainError(ErrInvalidRequest, 'not a valid secp256k1 private key');
  const pubkey = secp256k1.publicKeyCreate(privkey, true);
  const fields = { name, hd_path: '', address: pubkeyToAddress(pubkey), pubkey };
  return storeKey(home, keyring, fields, { privkey: toBase64(privkey) });
}

/** Every key in the keyring, sorted by name. */
export function listKeys(home: string, keyring: Keyring = TEST_KEYRING): KeyFile[] {
  const dir = keyringDir(home, keyring);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readKeyFile(join(dir, f)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Finds a key by name or by `ain1...` address. Throws `sdk/22 key not found` when absent.
 */
export function getKey(home: string, nameOrAddress: string, keyring: Keyring = TEST_KEYRING): KeyFile {
  const path = NAME_PATTERN.test(nameOrAddress) ? keyPath(home, keyring, nameOrAddress) : undefined;
  if (path !== undefined && existsSync(path)) return readKeyFile(path);
  if (nameOrAddress.startsWith(`${ADDRESS_PREFIX}1`)) {
    const byAddress = listKeys(home, keyring).find((k) => k.address === nameOrAddress);
    if (byAddress) return byAddress;
  }
  throw ainError(
    ErrKeyNotFound,
    `no key "${nameOrAddress}" in ${keyringDir(home, keyring)}${otherBackendHint(home, nameOrAddress, keyring)}`,
  );
}

/**
 * An `ain1...` address as given (checked), or the address of a keyring key by that name: how the
 * tx and query commands read an account argument (`--from`, `--admins`, a job's node). Without
 * `keyring`, the name is looked up in both backends (an address is public, no passphrase is needed);
 * a name in both for different addresses is refused as ambiguous. Throws `sdk/7` for a malformed
 * address, naming `what`, `sdk/22` for an unknown key name and `sdk/36` for an ambiguous one.
 * @example resolveKeyOrAddress(home, 'alice', '--from') // 'ain1...'
 */
export function resolveKeyOrAddress(home: string, nameOrAddress: string, what = 'address', keyring?: Keyring): string {
  if (/^ain1[02-9ac-hj-np-z]+$/.test(nameOrAddress)) {
    parseAddress(nameOrAddress, what);
    return nameOrAddress;
  }
  if (keyring !== undefined) return getKey(home, nameOrAddress, keyring).address;
  if (!NAME_PATTERN.test(nameOrAddress)) throw ainError(ErrKeyNotFound, `no key "${nameOrAddress}" (not a key name or an ain1... address)`);
  const found = KEYRING_BACKENDS.filter((backend) => existsSync(keyPath(home, { backend }, nameOrAddress))).map(
    (backend) => getKey(home, nameOrAddress, { backend }).address,
  );
  if (found.length === 0) throw ainError(ErrKeyNotFound, `no key "${nameOrAddress}" in ${home}/keyring-file or ${home}/keyring-test`);
  if (found.some((address) => address !== found[0])) {
    throw ainError(ErrConflict, `key "${nameOrAddress}" names different addresses in keyring-file and keyring-test; give the address`);
  }
  return found[0]!;
}

/** Deletes a key (`file`: only with the keyring's passphrase). Throws `sdk/22 key not found` when absent. */
export async function deleteKey(home: string, nameOrAddress: string, keyring: Keyring = TEST_KEYRING): Promise<KeyFile> {
  const key = getKey(home, nameOrAddress, keyring);
  if (key.crypto !== undefined) await unseal(key, await askPassphrase(home, keyring, false));
  rmSync(keyPath(home, keyring, key.name));
  return key;
}

/**
 * The private key of a keyring entry: derived from its mnemonic, or the imported one; a `file` key is
 * decrypted first (its passphrase asked through `keyring`). Throws `sdk/23` for a wrong passphrase.
 */
export async function keySigner(key: KeyFile, keyring: Keyring = TEST_KEYRING): Promise<DerivedKey> {
  const secret: KeySecret =
    key.crypto !== undefined ? await unseal(key, await askPassphrase(key.crypto, keyring, false)) : clearSecret(key);
  const derived =
    'mnemonic' in secret
      ? await deriveKey(secret.mnemonic, key.hd_path || HD_PATH)
      : privkeyKey(new Uint8Array(fromBase64(secret.privkey)));
  if (derived.address !== key.address) {
    throw ainError(ErrConflict, `key "${key.name}": its secret gives ${derived.address}, but the file says ${key.address}`);
  }
  return derived;
}

function privkeyKey(privkey: Uint8Array): DerivedKey {
  const pubkey = secp256k1.publicKeyCreate(privkey, true);
  return { privkey, pubkey, address: pubkeyToAddress(pubkey) };
}

function clearSecret(key: KeyFile): KeySecret {
  if (key.mnemonic !== undefined) return { mnemonic: key.mnemonic };
  if (key.privkey !== undefined) return { privkey: key.privkey };
  throw ainError(ErrInvalidRequest, `key "${key.name}" has no secret`);
}

/** The public fields a sealed secret is bound to. */
function associatedData(key: Pick<KeyFile, 'name' | 'address' | 'pubkey'>): Uint8Array {
  return new TextEncoder().encode(`ain keyring v1\n${key.name}\n${key.address}\n${key.pubkey}`);
}

async function unseal(key: KeyFile, passphrase: string): Promise<KeySecret> {
  const plain = JSON.parse(new TextDecoder().decode(openSecret(key.crypto!, passphrase, associatedData(key)))) as Partial<{
    mnemonic: string;
    privkey: string;
  }>;
  if (typeof plain.mnemonic === 'string') return { mnemonic: plain.mnemonic };
  if (typeof plain.privkey === 'string') return { privkey: plain.privkey };
  throw ainError(ErrInvalidRequest, `key "${key.name}": the decrypted secret has neither a mnemonic nor a private key`);
}

/**
 * The passphrase for `keyring` (a `file` one). `context` is a home (checked against the keyring's
 * existing keys, and asked twice when it has none) or the sealed secret about to be opened.
 */
async function askPassphrase(context: string | SealedSecret, keyring: Keyring, writing: boolean): Promise<string> {
  if (keyring.passphrase === undefined) throw ainError(ErrInvalidRequest, 'the file keyring needs a passphrase, and none can be asked for');
  if (typeof context !== 'string') return keyring.passphrase({ dir: '', confirm: false });
  const dir = keyringDir(context, keyring);
  const existing = listKeys(context, keyring).find((k) => k.crypto !== undefined);
  const passphrase = await keyring.passphrase({ dir, confirm: writing && existing === undefined });
  // Every key of a keyring shares its passphrase: a typo must not lock a new key under another one.
  if (existing !== undefined) await unseal(existing, passphrase);
  else if (passphrase.length === 0) throw ainError(ErrInvalidRequest, 'an empty keyring passphrase is refused');
  return passphrase;
}

async function storeKey(
  home: string,
  keyring: Keyring,
  fields: { name: string; hd_path: string; address: string; pubkey: Uint8Array },
  secret: KeySecret,
): Promise<KeyFile> {
  const dir = keyringDir(home, keyring);
  if (existsSync(keyPath(home, keyring, fields.name))) throw ainError(ErrConflict, `key "${fields.name}" already exists in ${dir}`);
  const twin = listKeys(home, keyring).find((k) => k.address === fields.address);
  if (twin) throw ainError(ErrConflict, `this key's address ${fields.address} is already in the keyring as "${twin.name}"`);
  const base = {
    name: fields.name,
    type: 'local' as const,
    algo: 'secp256k1' as const,
    hd_path: fields.hd_path,
    address: fields.address,
    pubkey: toBase64(fields.pubkey),
  };
  let key: KeyFile;
  if (keyring.backend === 'file') {
    const passphrase = await askPassphrase(home, keyring, true);
    key = { ...base, crypto: sealSecret(new TextEncoder().encode(JSON.stringify(secret)), passphrase, associatedData(base)) };
  } else {
    key = { ...base, ...secret };
  }
  writeKeyFile(home, keyring, key);
  return key;
}

/** Says where a key is when it was looked for in the other backend's folder. */
function otherBackendHint(home: string, nameOrAddress: string, keyring: Keyring): string {
  const other: Keyring = { backend: keyring.backend === 'file' ? 'test' : 'file' };
  if (!NAME_PATTERN.test(nameOrAddress) || !existsSync(keyPath(home, other, nameOrAddress))) return '';
  return ` (it is in ${keyringDir(home, other)}: pass --keyring-backend ${other.backend})`;
}

function keyPath(home: string, keyring: Keyring, name: string): string {
  return join(keyringDir(home, keyring), `${name}.json`);
}

function writeKeyFile(home: string, keyring: Keyring, key: KeyFile): void {
  const dir = keyringDir(home, keyring);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const target = keyPath(home, keyring, key.name);
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
  const { name, address, pubkey, mnemonic, privkey, crypto } = parsed;
  if (typeof name !== 'string' || typeof address !== 'string' || typeof pubkey !== 'string') {
    throw ainError(ErrInvalidRequest, `keyring file ${path} lacks name, address or pubkey`);
  }
  if (typeof mnemonic !== 'string' && typeof privkey !== 'string' && crypto === undefined) {
    throw ainError(ErrInvalidRequest, `keyring file ${path} has no mnemonic, privkey or crypto`);
  }
  if (crypto !== undefined) checkSealed(crypto);
  if (fromBase64(pubkey).length !== 33) throw ainError(ErrInvalidRequest, `keyring file ${path}: pubkey is not 33 bytes`);
  return {
    name,
    type: 'local',
    algo: 'secp256k1',
    hd_path: parsed.hd_path ?? HD_PATH,
    address,
    pubkey,
    ...(typeof mnemonic === 'string' && { mnemonic }),
    ...(typeof privkey === 'string' && { privkey }),
    ...(crypto !== undefined && { crypto }),
  };
}
