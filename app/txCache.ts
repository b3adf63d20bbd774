import type { RoutedMsg } from '../core/index.ts';
import type { DecodedTx } from './tx/decode.ts';

/** A tx decoded, routed and validated once, with the signers its messages require. */
export interface CheckedTx {
  readonly tx: DecodedTx;
  readonly routed: readonly RoutedMsg[];
  readonly signers: readonly string[];
  /** Keys from the signer infos, already checked against the signers' addresses. */
  readonly pubkeys: ReadonlyArray<Uint8Array | undefined>;
}

/**
 * The stateless work on a tx (decoding, routing, validateBasic, signer list) done in CheckTx and
 * reused by mempool rechecks and FinalizeBlock, keyed by tx hash. Entries own copies of their bytes
 * (request buffers may be views into a socket chunk). Bounded: the oldest entries go first.
 */
export class CheckedTxCache {
  private readonly entries = new Map<string, CheckedTx>();

  constructor(private readonly capacity = 20_000) {}

  get(hash: string): CheckedTx | undefined {
    return this.entries.get(hash);
  }

  set(hash: string, checked: CheckedTx): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, checked);
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
