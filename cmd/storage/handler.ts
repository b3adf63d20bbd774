import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storageMsg } from '../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { getKey, type Keyring } from '../../home/index.ts';
import {
  type BlobBackend,
  chainView,
  FolderBackend,
  getBlob,
  ipfsBackend,
  openS3Backend,
  type StorageServer,
  startStorageServer,
} from '../../storage/index.ts';
import { nodeHttpUrl, sendMessages } from '../common/index.ts';

export interface ServeFlags {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly maxBlobBytes?: number;
  readonly quotaBytes?: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
  readonly backend?: string;
  readonly s3Endpoint?: string;
  readonly s3Bucket?: string;
  readonly ipfsApi?: string;
  /** The chain's node: reservations and read checks; with `from`, the node registers as a provider. */
  readonly node?: string;
  readonly from?: string;
  readonly home?: string;
  /** The keyring of `from`; the `test` backend when absent. */
  readonly keyring?: Keyring;
  readonly publicUrl?: string;
  readonly price?: string;
  readonly capacity?: number;
  readonly sweepSeconds?: number;
  /** Flood limits: open connections, and seconds for headers, a whole request, and an idle connection. */
  readonly maxConnections?: number;
  readonly headersTimeout?: number;
  readonly requestTimeout?: number;
  readonly idleTimeout?: number;
}

async function backendOf(flags: ServeFlags): Promise<BlobBackend> {
  switch (flags.backend ?? 'folder') {
    case 'folder':
      return new FolderBackend(join(flags.dir, 'blobs'));
    case 's3':
      return openS3Backend({
        ...(flags.s3Endpoint ? { endpoint: flags.s3Endpoint } : {}),
        bucket: flags.s3Bucket ?? 'ain-storage',
        // Credentials the AWS way: the environment, never a flag (flags show in `ps`).
        accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? 'ain',
        secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'ain',
        ...(process.env['AWS_REGION'] ? { region: process.env['AWS_REGION'] } : {}),
      });
    case 'ipfs':
      return ipfsBackend(flags.ipfsApi ?? 'http://127.0.0.1:5001');
    default:
      throw ainError(ErrInvalidRequest, `--backend ${flags.backend} must be folder, s3 or ipfs`);
  }
}

/** Starts a storage node from CLI flags; with `--node` and `--from` it registers itself as a provider first. */
export async function serveStorage(flags: ServeFlags): Promise<StorageServer & { address: string }> {
  const backend = await backendOf(flags);
  let address = '';
  if (flags.from !== undefined) {
    if (flags.node === undefined || flags.home === undefined)
      throw ainError(ErrInvalidRequest, '--from needs --node (and a --home with the key)');
    address = getKey(flags.home, flags.from, flags.keyring).address;
  }
  const server = await startStorageServer({
    dir: flags.dir,
    host: flags.host,
    port: flags.port,
    backend,
    address,
    ...(flags.node === undefined ? {} : { chain: chainView(nodeHttpUrl(flags.node)) }),
    ...(flags.maxBlobBytes === undefined ? {} : { maxBlobBytes: flags.maxBlobBytes }),
    // A chain-backed node gives no free space unless told: uploads ride on reservations.
    ...(flags.quotaBytes !== undefined
      ? { quotaBytesPerAddress: flags.quotaBytes }
      : flags.node !== undefined
        ? { quotaBytesPerAddress: 0 }
        : {}),
    ...(flags.defaultTtl === undefined ? {} : { defaultTtlSeconds: flags.defaultTtl }),
    ...(flags.maxTtl === undefined ? {} : { maxTtlSeconds: flags.maxTtl }),
    ...(flags.sweepSeconds === undefined ? {} : { sweepIntervalMs: flags.sweepSeconds * 1000 }),
    limits: {
      ...(flags.maxConnections === undefined ? {} : { maxConnections: flags.maxConnections }),
      ...(flags.headersTimeout === undefined ? {} : { headersTimeoutMs: flags.headersTimeout * 1000 }),
      ...(flags.requestTimeout === undefined ? {} : { requestTimeoutMs: flags.requestTimeout * 1000 }),
      ...(flags.idleTimeout === undefined ? {} : { idleTimeoutMs: flags.idleTimeout * 1000 }),
    },
  });
  if (flags.from !== undefined && flags.node !== undefined && flags.home !== undefined) {
    const registered = await sendMessages({ home: flags.home, from: flags.from, node: flags.node, keyring: flags.keyring }, (signer) => [
      storageMsg.registerProvider(signer, {
        url: flags.publicUrl ?? server.url,
        backends: [backend.name],
        pricePerGibDay: flags.price ?? '0',
        capacityBytes: BigInt(flags.capacity ?? 1024 ** 4),
      }),
    ]);
    if (!registered.ok) {
      await server.close();
      throw ainError(ErrInvalidRequest, `registering as a storage provider failed: ${registered.response.raw_log}`);
    }
  }
  return { ...server, address };
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
