import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest } from '../../core/errors.ts';
import { getBlob, putBlob } from '../../storage/client.ts';
import { type PutResult, type StorageServer, startStorageServer } from '../../storage/server.ts';
import { getKey, keySigner } from '../../home/keyring.ts';

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

/** `aind storage put FILE --from KEY`: uploads a file signed by a keyring key. */
export async function putFileCommand(home: string, file: string, from: string, url: string, ttlSeconds: number): Promise<PutResult> {
  const key = await keySigner(getKey(home, from));
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read FILE ${file} (${(cause as Error).message})`);
  }
  return putBlob(url, bytes, key, { ttlSeconds });
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

/** Parses a non-negative integer flag. */
export function parseCount(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d{1,15}$/.test(value)) throw ainError(ErrInvalidRequest, `${name} "${value}" must be a non-negative integer`);
    return Number(value);
  };
}
