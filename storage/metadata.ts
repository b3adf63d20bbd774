import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/** One stored blob: its size and, per holder address, until when that holder keeps it (Unix ms). */
export interface BlobRecord {
  size: number;
  holders: Record<string, number>;
  /** Holders whose copy is private: read only by them and those the chain admits. */
  private?: string[];
  /** Holders whose bytes count against their reservations (their expiry follows the reservations'). */
  reserved?: string[];
  /** The backend's reference (the CID on IPFS). */
  ref?: string;
}

/** The whole metadata file: blobs by hash, used nonces by address (nonce -> forget-after, Unix ms). */
export interface MetadataFile {
  version: 1;
  blobs: Record<string, BlobRecord>;
  nonces: Record<string, Record<string, number>>;
}

/** When a blob expires: when its last holder's time runs out. */
export function blobExpiry(record: BlobRecord): number {
  let max = 0;
  for (const until of Object.values(record.holders)) max = Math.max(max, until);
  return max;
}

/**
 * Metadata of a storage node, kept in memory and written whole to `path` after every change (write a
 * temp file, fsync, rename), so a crash leaves either the old or the new file, never a torn one.
 * Small by design: one entry per blob and per live nonce.
 */
export class MetadataStore {
  readonly path: string;
  data: MetadataFile;

  constructor(path: string) {
    this.path = path;
    this.data = existsSync(path) ? parse(readFileSync(path, 'utf8'), path) : { version: 1, blobs: {}, nonces: {} };
  }

  /** Bytes of live blobs `address` holds at `now` (each holder is charged the full size). */
  usage(address: string, now: number): number {
    let total = 0;
    for (const record of Object.values(this.data.blobs)) {
      const until = record.holders[address];
      if (until !== undefined && until > now) total += record.size;
    }
    return total;
  }

  /** Whether `address` holds `record` privately. */
  static isPrivate(record: BlobRecord, address: string): boolean {
    return record.private?.includes(address) ?? false;
  }

  /** True when `address` used `nonce` and it is still remembered. */
  nonceUsed(address: string, nonce: string): boolean {
    return this.data.nonces[address]?.[nonce] !== undefined;
  }

  save(): void {
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}

function parse(text: string, path: string): MetadataFile {
  const parsed = JSON.parse(text) as Partial<MetadataFile>;
  if (parsed.version !== 1 || typeof parsed.blobs !== 'object' || typeof parsed.nonces !== 'object') {
    throw new Error(`storage metadata ${path} is not a version 1 metadata file`);
  }
  return parsed as MetadataFile;
}
