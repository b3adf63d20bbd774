/**
 * Blobs by hash from Big Storage for the executor: code, and the jobs' inputs, outputs and test data.
 * `getBlob` checks each blob against its sha256 address; being content addressed, a blob fetched once
 * serves every later use, so the last few are kept in memory.
 */
import { RecentResults } from '../core/index.ts';
import { getBlob } from '../storage/index.ts';

/** How long one fetch may take before it counts as failed. */
export const FETCH_TIMEOUT_MS = 30_000;

export interface BlobCacheOptions {
  readonly storageUrl: string;
  /** Blobs kept in memory (default 16). */
  readonly maxEntries?: number;
  /** Bound on one blob (default 16 MiB). */
  readonly maxBytes?: number;
}

/**
 * Fetches blobs by hash (checked), keeping the latest `maxEntries` in memory.
 * @example const code = await new BlobCache({ storageUrl }).get(hash); // throws storage/* when missing or mismatched
 */
export class BlobCache {
  readonly #entries: RecentResults<Uint8Array>;

  constructor(private readonly options: BlobCacheOptions) {
    this.#entries = new RecentResults<Uint8Array>(options.maxEntries ?? 16);
  }

  /** The blob with this sha256; throws an `AinError` of codespace `storage` when it is missing, too large or does not match. */
  async get(hash: string): Promise<Uint8Array> {
    const cached = this.#entries.get(hash);
    if (cached) return cached;
    const bytes = await withTimeout(
      getBlob(this.options.storageUrl, hash, { maxBytes: this.options.maxBytes ?? 16 * 1024 * 1024 }),
      FETCH_TIMEOUT_MS,
    );
    this.#entries.remember(hash, bytes);
    return bytes;
  }
}

/** `promise`, or a rejection after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
