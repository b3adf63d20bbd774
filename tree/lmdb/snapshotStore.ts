/**
 * Snapshots on disk (`HOME/data/snapshots`): one folder per height, `<height>/metadata.json` (the
 * snapshot's metadata bytes, see snapshotFormat.ts) and `<height>/chunk-<i>`, written into
 * `<height>.tmp` and renamed so a listed snapshot is always whole. The node serves ABCI
 * ListSnapshots and LoadSnapshotChunk from here and keeps the newest `keepRecent`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeMetadata, type EncodedSnapshot, SNAPSHOT_FORMAT, type SnapshotMetadata } from './snapshotFormat.ts';
import { sha256 } from '../index.ts';

/** A stored snapshot as ABCI `Snapshot` describes it, with its decoded metadata. */
export interface StoredSnapshot {
  readonly height: bigint;
  readonly format: number;
  readonly chunks: number;
  readonly hash: Uint8Array;
  readonly metadata: Uint8Array;
  readonly decoded: SnapshotMetadata;
}

const METADATA_FILE = 'metadata.json';
const chunkFile = (index: number) => `chunk-${index}`;

/**
 * The snapshots of one node, in a folder.
 * @example
 * const store = new SnapshotStore(join(home, 'data', 'snapshots'), 2);
 * await store.save(encodeSnapshot(h, appHash, leaves, meta, 4 << 20));
 * store.list(); // newest first
 */
export class SnapshotStore {
  #snapshots: StoredSnapshot[];

  constructor(
    readonly dir: string,
    /** How many snapshots to keep (the newest); at least 1. */
    readonly keepRecent: number,
  ) {
    if (!Number.isSafeInteger(keepRecent) || keepRecent < 1) throw new RangeError(`snapshot keep-recent ${keepRecent} must be at least 1`);
    mkdirSync(dir, { recursive: true });
    this.#snapshots = readStored(dir);
  }

  /** The stored snapshots, newest first. */
  list(): readonly StoredSnapshot[] {
    return this.#snapshots;
  }

  /** Writes a snapshot (replacing one at the same height), then deletes the oldest beyond `keepRecent`. */
  async save(snapshot: EncodedSnapshot): Promise<StoredSnapshot> {
    const height = snapshot.metadata.height;
    const final = join(this.dir, height.toString());
    const temp = `${final}.tmp`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    for (const [i, chunk] of snapshot.chunks.entries()) await writeFile(join(temp, chunkFile(i)), chunk);
    await writeFile(join(temp, METADATA_FILE), snapshot.metadataBytes);
    await rm(final, { recursive: true, force: true });
    await rename(temp, final);
    const stored: StoredSnapshot = {
      height,
      format: SNAPSHOT_FORMAT,
      chunks: snapshot.chunks.length,
      hash: snapshot.hash,
      metadata: snapshot.metadataBytes,
      decoded: snapshot.metadata,
    };
    const kept = [stored, ...this.#snapshots.filter((s) => s.height !== height)].sort((a, b) => (a.height > b.height ? -1 : 1));
    this.#snapshots = kept.slice(0, this.keepRecent);
    for (const old of kept.slice(this.keepRecent)) await rm(join(this.dir, old.height.toString()), { recursive: true, force: true });
    return stored;
  }

  /**
   * Chunk `index` of the snapshot at `height` in `format`, read from disk as it is (a receiver checks
   * it against the metadata); undefined when there is no such snapshot or chunk.
   */
  async loadChunk(height: bigint, format: number, index: number): Promise<Uint8Array | undefined> {
    const snapshot = this.#snapshots.find((s) => s.height === height && s.format === format);
    if (snapshot === undefined || !Number.isSafeInteger(index) || index < 0 || index >= snapshot.chunks) return undefined;
    try {
      return await readFile(join(this.dir, height.toString(), chunkFile(index)));
    } catch {
      return undefined;
    }
  }
}

/** The whole snapshots in `dir` (leftover `.tmp` folders and unreadable ones are deleted), newest first. */
function readStored(dir: string): StoredSnapshot[] {
  const out: StoredSnapshot[] = [];
  for (const name of readdirSync(dir)) {
    const folder = join(dir, name);
    if (!/^[1-9][0-9]*$/.test(name) || !existsSync(join(folder, METADATA_FILE))) {
      rmSync(folder, { recursive: true, force: true });
      continue;
    }
    const metadata = readFileSync(join(folder, METADATA_FILE));
    try {
      const chunks = (JSON.parse(metadata.toString('utf8')) as { chunks?: unknown[] }).chunks?.length ?? 0;
      const snapshot = { height: BigInt(name), format: SNAPSHOT_FORMAT, chunks, hash: sha256(metadata), metadata };
      out.push({ ...snapshot, decoded: decodeMetadata(snapshot) });
    } catch {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  return out.sort((a, b) => (a.height > b.height ? -1 : 1));
}
