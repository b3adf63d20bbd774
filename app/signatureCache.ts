import { RecentResults } from '../core/index.ts';

/**
 * Remembers signatures this node verified in CheckTx so FinalizeBlock and mempool rechecks do not
 * verify them again. The key binds the tx hash to the signer's key and account number, so a cached
 * entry only vouches for exactly what was verified. Bounded: the entries least recently used go first.
 */
export class SignatureCache {
  private readonly entries: RecentResults<true>;
  /** Signatures actually verified (not answered from the cache); read by tests and metrics. */
  verifications = 0;

  constructor(capacity = 50_000) {
    this.entries = new RecentResults<true>(capacity);
  }

  key(txHash: string, signerIndex: number, pubkey: Uint8Array, accountNumber: bigint): string {
    return `${txHash}/${signerIndex}/${Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.length).toString('hex')}/${accountNumber}`;
  }

  has(key: string): boolean {
    return this.entries.get(key) !== undefined;
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

  /** Runs one real verification and counts it. */
  verify(check: () => boolean): boolean {
    this.verifications++;
    return check();
  }

  get size(): number {
    return this.entries.size;
  }
}
