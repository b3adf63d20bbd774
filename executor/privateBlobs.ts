/**
 * Job data an executor may read only because the chain accepted it: blobs whose owner (the request's
 * client) set an access record. Reads are signed with the executor's key (the storage node asks the
 * chain); an encrypted blob's data key is the one the owner wrapped for this executor (published once
 * the chain accepted it on the request, so it is waited for) or, for test data, the key revealed on
 * chain after submission closed. The ciphertext is downloaded into a private run directory (0700)
 * and decrypted there, streamed; the directory is removed once the plaintext is read. Blobs without
 * an access record are public and come from the plain cache.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { AccessKind, queryAccess, queryKey, queryProvider } from '../client/index.ts';
import { getBlobToFile, type StorageKey, unwrapKey } from '../storage/index.ts';
import type { BlobCache } from './blobs.ts';
import { makeRunDir, PRIVATE_RUN_PREFIX } from './runDirs.ts';

/** How long a reader waits for its wrapped key before giving up on this try. */
export const KEY_WAIT_MS = 60_000;
const KEY_POLL_MS = 300;

export interface PrivateBlobsOptions {
  readonly comet: Pick<CometClient, 'abciQuery'>;
  readonly storageUrl: string;
  readonly key: StorageKey;
  readonly publicBlobs: BlobCache;
  /** Where run directories are made (default the OS temp folder). */
  readonly runRoot?: string;
  readonly keyWaitMs?: number;
}

/**
 * Fetches `hash` as the reader of `owner`'s copy: public blobs through the cache, private ones signed,
 * encrypted ones decrypted with the key the chain holds for this reader.
 * @example const input = await new PrivateBlobs({ comet, storageUrl, key, publicBlobs }).get(request.inputHash, request.client);
 */
export class PrivateBlobs {
  constructor(private readonly options: PrivateBlobsOptions) {}

  async get(hash: string, owner: string): Promise<Uint8Array> {
    const access = await queryAccess(this.options.comet, hash, owner);
    if (!access || (access.kind === AccessKind.ACCESS_KIND_PUBLIC && !access.encrypted)) return this.options.publicBlobs.get(hash);
    const url =
      access.provider !== ''
        ? ((await queryProvider(this.options.comet, access.provider))?.url ?? this.options.storageUrl)
        : this.options.storageUrl;
    const dataKey = access.encrypted ? await this.dataKey(hash, owner) : undefined;
    const dir = await makeRunDir(PRIVATE_RUN_PREFIX, this.options.runRoot);
    try {
      const out = join(dir, 'data');
      await getBlobToFile(url, hash, out, { reader: this.options.key, ...(dataKey ? { dataKey } : {}) });
      return new Uint8Array(await readFile(out));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The data key: revealed to all, or wrapped for this reader; waited for while the owner has not shared it yet. */
  private async dataKey(hash: string, owner: string): Promise<Uint8Array> {
    const deadline = Date.now() + (this.options.keyWaitMs ?? KEY_WAIT_MS);
    for (;;) {
      const { key, revealedKey } = await queryKey(this.options.comet, hash, owner, this.options.key.address);
      if (revealedKey !== '') return new Uint8Array(Buffer.from(revealedKey, 'hex'));
      if (key) return unwrapKey(key.wrapped, this.options.key.privkey);
      if (Date.now() > deadline)
        throw new Error(
          `no key of blob ${hash} was shared with ${this.options.key.address} within ${this.options.keyWaitMs ?? KEY_WAIT_MS} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, KEY_POLL_MS));
    }
  }
}
