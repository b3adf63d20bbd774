import { renameSync, writeFileSync } from 'node:fs';
import { getBlob, type StorageServer, startStorageServer } from '../../storage/index.ts';

export interface ServeFlags {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly maxBlobBytes?: number;
  readonly quotaBytes?: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
}

/** Starts a storage node from CLI flags. */
export async function serveStorage(flags: ServeFlags): Promise<StorageServer> {
  return startStorageServer({
    dir: flags.dir,
    host: flags.host,
    port: flags.port,
    ...(flags.maxBlobBytes === undefined ? {} : { maxBlobBytes: flags.maxBlobBytes }),
    ...(flags.quotaBytes === undefined ? {} : { quotaBytesPerAddress: flags.quotaBytes }),
    ...(flags.defaultTtl === undefined ? {} : { defaultTtlSeconds: flags.defaultTtl }),
    ...(flags.maxTtl === undefined ? {} : { maxTtlSeconds: flags.maxTtl }),
  });
}

/** `aind storage get HASH`: downloads and checks a blob; writes it to `out` (temp + rename) or returns it. */
export async function getBlobCommand(url: string, hash: string, maxBytes: number, out?: string): Promise<Uint8Array> {
  const bytes = await getBlob(url, hash, { maxBytes });
  if (out !== undefined) {
    const temp = `${out}.${process.pid}.tmp`;
    writeFileSync(temp, bytes);
    renameSync(temp, out);
  }
  return bytes;
}
