/**
 * `aind storage`'s chain side: a node that registers itself as a provider at start, reads of private
 * copies signed with a keyring key (decrypted with the key the chain holds for it), encrypted uploads
 * (their data keys kept in `HOME/storage-keys.json`, 0600, to share later), and the storage module's
 * transactions: access records, grants, revokes, shared keys, reservations.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { AccessKind, keyCommitment, queryKey, queryPubkey, storageMsg } from '../../client/index.ts';
import { getKey, type Keyring, keySigner, TEST_KEYRING } from '../../home/index.ts';
import {
  encryptFile,
  getBlobToFile,
  newDataKey,
  type PutResult,
  putBlobFile,
  type StorageKey,
  unwrapKey,
  wrapKey,
} from '../../storage/index.ts';
import { nodeHttpUrl, type SendOptions, sendMessages } from '../common/index.ts';

const keysFile = (home: string) => join(home, 'storage-keys.json');

function readKeys(home: string): Record<string, string> {
  return existsSync(keysFile(home)) ? (JSON.parse(readFileSync(keysFile(home), 'utf8')) as Record<string, string>) : {};
}

function saveKey(home: string, hash: string, key: Uint8Array): void {
  const keys = { ...readKeys(home), [hash]: Buffer.from(key).toString('hex') };
  mkdirSync(dirname(keysFile(home)), { recursive: true });
  writeFileSync(`${keysFile(home)}.tmp`, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${keysFile(home)}.tmp`, keysFile(home));
}

/** The data key of a blob this home encrypted. */
export function ownKey(home: string, hash: string): Uint8Array {
  const hex = readKeys(home)[hash];
  if (!hex) throw ainError(ErrInvalidRequest, `no data key for ${hash} in ${keysFile(home)}: only the uploader that encrypted it has one`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export interface PutFlags {
  readonly keyring?: Keyring;
  readonly encrypt?: boolean;
  readonly private?: boolean;
  readonly ttl: number;
}

/** `aind storage put FILE [--encrypt] [--private]`: streams the file up (encrypted into a temp file first). */
export async function putFile(
  home: string,
  from: string,
  url: string,
  file: string,
  flags: PutFlags,
): Promise<PutResult & { encrypted: boolean }> {
  const keyring = flags.keyring ?? TEST_KEYRING;
  const key = await keySigner(getKey(home, from, keyring), keyring);
  if (!existsSync(file)) throw ainError(ErrInvalidRequest, `cannot read FILE ${file}`);
  const options = { ttlSeconds: flags.ttl, private: flags.private === true || flags.encrypt === true };
  if (!flags.encrypt) return { ...(await putBlobFile(url, file, key, options)), encrypted: false };
  const dir = await mkdtemp(join(tmpdir(), 'ain-put-'));
  try {
    const dataKey = newDataKey();
    await encryptFile(file, join(dir, 'sealed'), dataKey);
    const result = await putBlobFile(url, join(dir, 'sealed'), key, options);
    saveKey(home, result.hash, dataKey);
    return { ...result, encrypted: true };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `aind storage get HASH --from KEY [--owner ADDR]`: a signed read, decrypted with the key the chain holds for it. */
export async function getFile(
  home: string,
  from: string,
  url: string,
  hash: string,
  out: string,
  owner: string | undefined,
  node: string,
  keyring: Keyring = TEST_KEYRING,
): Promise<number> {
  const key: StorageKey = await keySigner(getKey(home, from, keyring), keyring);
  let dataKey: Uint8Array | undefined;
  if (owner !== undefined) {
    if (owner === key.address) dataKey = ownKey(home, hash);
    else {
      const comet = await connectComet(nodeHttpUrl(node));
      const { key: wrapped, revealedKey } = await queryKey(comet, hash, owner, key.address);
      comet.disconnect();
      if (revealedKey !== '') dataKey = new Uint8Array(Buffer.from(revealedKey, 'hex'));
      else if (wrapped) dataKey = unwrapKey(wrapped.wrapped, key.privkey);
      else throw ainError(ErrInvalidRequest, `${owner} shared no key of ${hash} with ${key.address}`);
    }
  }
  return getBlobToFile(url, hash, out, { reader: key, ...(dataKey ? { dataKey } : {}) });
}

/** `--grant ADDR[@UNIX_SECONDS]` entries as grants. */
export function parseGrants(list: readonly string[]): Array<{ address: string; expiresAt: bigint }> {
  return list.map((entry) => {
    const [address, expires] = entry.split('@');
    if (!address || (expires !== undefined && !/^\d{1,12}$/.test(expires)))
      throw ainError(ErrInvalidRequest, `grant "${entry}" must be ADDRESS or ADDRESS@UNIX_SECONDS`);
    return { address, expiresAt: BigInt(expires ?? '0') };
  });
}

/** Access for a blob: public, a list of grants, or the nodes accepted on a request; encrypted ones carry the key's commitment. */
export function accessMessage(
  home: string,
  signer: string,
  hash: string,
  flags: { request?: string; grant: string[]; public?: boolean; testData?: boolean; provider?: string },
): EncodeObject {
  const encrypted = readKeys(home)[hash] !== undefined;
  const kind = flags.public ? AccessKind.ACCESS_KIND_PUBLIC : flags.request ? AccessKind.ACCESS_KIND_REQUEST : AccessKind.ACCESS_KIND_LIST;
  return storageMsg.setAccess(signer, {
    hash,
    kind,
    requestId: BigInt(flags.request ?? '0'),
    grants: parseGrants(flags.grant),
    encrypted,
    keyCommitment: encrypted ? keyCommitment(ownKey(home, hash)) : '',
    testData: flags.testData === true,
    provider: flags.provider ?? '',
  });
}

/** `aind storage share-key HASH READER...`: the key wrapped for each reader's on-chain public key. */
export async function shareKeysMessage(
  options: SendOptions,
  signer: string,
  hash: string,
  readers: readonly string[],
): Promise<EncodeObject> {
  const dataKey = ownKey(options.home, hash);
  const comet = await connectComet(nodeHttpUrl(options.node));
  try {
    const keys = [];
    for (const reader of readers) {
      const pubkey = await queryPubkey(comet, reader);
      if (!pubkey) throw ainError(ErrInvalidRequest, `${reader} has no public key on chain yet (it has sent no tx)`);
      keys.push({ reader, wrapped: wrapKey(dataKey, pubkey), sharedAt: 0n });
    }
    return storageMsg.shareKeys(signer, { hash, keys });
  } finally {
    comet.disconnect();
  }
}

/** Sends storage messages built for the signer (the tx JSON is printed by the caller). */
export async function sendStorage(options: SendOptions, build: (signer: string) => Promise<EncodeObject[]> | EncodeObject[]) {
  const key = getKey(options.home, options.from, options.keyring);
  const messages = await build(key.address);
  return sendMessages(options, () => messages);
}
