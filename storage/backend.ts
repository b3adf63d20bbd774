/**
 * Where a storage node keeps blob bytes: one small interface with three implementations, the local
 * folder (default, `DIR/blobs/<hash>`), an S3-compatible bucket (`backendS3.ts`) and a Kubo IPFS node
 * (`backendIpfs.ts`). The server always receives an upload into its own temp folder first, hashing
 * it, and hands the backend only a verified file; the metadata (holders, expiry, access) stays the
 * server's. A backend returns a reference for what it stored (the CID for IPFS, "" otherwise).
 */
import { createReadStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export type BackendName = 'folder' | 's3' | 'ipfs';

/** A stored object as a listing sees it: its hash where the backend names objects by it, and its reference. */
export interface StoredObject {
  readonly hash: string;
  readonly ref: string;
}

export interface BlobBackend {
  readonly name: BackendName;
  /** Stores the verified file `tempPath` (removed or moved afterwards) as `hash`; returns its reference. */
  put(hash: string, tempPath: string, size: number): Promise<string>;
  /** The blob's bytes as a stream. */
  get(hash: string, ref: string): Promise<AsyncIterable<Uint8Array>>;
  /** Whether the object is there. */
  has(hash: string, ref: string): Promise<boolean>;
  delete(hash: string, ref: string): Promise<void>;
  /** Every stored object (the sweep deletes those no record names). */
  list(): AsyncIterable<StoredObject>;
  /** True when the backend does not name objects by sha256 (IPFS): the server hashes what it streams. */
  readonly verifyReads: boolean;
}

/**
 * The local folder backend: `dir/<hash>`; a put is a rename of the verified temp file (same disk).
 * @example const backend = new FolderBackend('/var/ain/storage/blobs');
 */
export class FolderBackend implements BlobBackend {
  readonly name = 'folder' as const;
  readonly verifyReads = false;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private path(hash: string): string {
    return join(this.dir, hash);
  }

  async put(hash: string, tempPath: string): Promise<string> {
    // Same bytes whoever wins a race of two uploads: rename is atomic.
    await rename(tempPath, this.path(hash));
    return '';
  }

  async get(hash: string): Promise<AsyncIterable<Uint8Array>> {
    return createReadStream(this.path(hash), { highWaterMark: 1024 * 1024 });
  }

  async has(hash: string): Promise<boolean> {
    return existsSync(this.path(hash));
  }

  async delete(hash: string): Promise<void> {
    await rm(this.path(hash), { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    for (const name of readdirSync(this.dir)) yield { hash: name, ref: '' };
  }
}
