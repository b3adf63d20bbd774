import { RecentResults } from '../core/index.ts';

/**
 * The states of a slot in a shared status array (`SignatureCache.share`), which worker threads and
 * the app's thread change with Atomics: a worker claims a pending slot before it verifies, then stores
 * the result; the app's thread claims one it verifies itself, so no worker starts on it. Only a slot
 * a worker holds when the app's thread reaches it is verified twice.
 */
export const SLOT_PENDING = 0;
export const SLOT_CLAIMED = 1;
export const SLOT_VALID = 2;
export const SLOT_INVALID = 3;

/**
 * Remembers signatures this node verified in CheckTx so FinalizeBlock and mempool rechecks do not
 * verify them again. The key binds the tx hash to the signer's key and account number, so a cached
 * entry only vouches for exactly what was verified. Bounded: the entries least recently used go first.
 */
export class SignatureCache {
  private readonly entries: RecentResults<true>;
  /** A block's signatures being verified on other threads: key -> its status array and slot. */
  readonly #shared = new Map<string, { readonly status: Int32Array; readonly slot: number }>();
  /** Signatures actually verified (not answered from the cache); read by tests and metrics. */
  verifications = 0;

  constructor(capacity = 50_000) {
    this.entries = new RecentResults<true>(capacity);
  }

  key(txHash: string, signerIndex: number, pubkey: Uint8Array, accountNumber: bigint): string {
    return `${txHash}/${signerIndex}/${Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.length).toString('hex')}/${accountNumber}`;
  }

  /** Whether `key` was verified: in CheckTx, or valid in the shared statuses. */
  has(key: string): boolean {
    if (this.entries.get(key) !== undefined) return true;
    const shared = this.#shared.get(key);
    return shared !== undefined && Atomics.load(shared.status, shared.slot) === SLOT_VALID;
  }

  /**
   * Lets `has` and `verify` read the statuses other threads store for a block's signatures (slot i
   * for `keys[i]`), until `forgetShared`. Only the result for exactly that key is read from a slot.
   */
  share(keys: readonly string[], status: Int32Array): void {
    keys.forEach((key, slot) => this.#shared.set(key, { status, slot }));
  }

  /** Drops the statuses of the last block shared. */
  forgetShared(): void {
    this.#shared.clear();
  }

  add(key: string): void {
    this.entries.remember(key, true);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Counts verifications done elsewhere (a worker thread) and remembers the true ones. */
  recordVerified(results: ReadonlyArray<{ readonly key: string; readonly valid: boolean }>): void {
    this.verifications += results.length;
    for (const { key, valid } of results) if (valid) this.add(key);
  }

  /**
   * Runs one real verification of `key` and counts it; when another thread is to verify it (shared),
   * claims it first, and when that thread found it valid meanwhile, takes that answer instead.
   */
  verify(key: string, check: () => boolean): boolean {
    const shared = this.#shared.get(key);
    if (shared !== undefined && Atomics.compareExchange(shared.status, shared.slot, SLOT_PENDING, SLOT_CLAIMED) === SLOT_VALID) return true;
    this.verifications++;
    return check();
  }

  /** Counts verifications other threads did into shared statuses. */
  countVerified(count: number): void {
    this.verifications += count;
  }

  get size(): number {
    return this.entries.size;
  }
}
