import { RecentResults, type RoutedMsg } from '../core/index.ts';
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
 * (request buffers may be views into a socket chunk). Bounded: the entries least recently used go first.
 */
export class CheckedTxCache {
  private readonly entries: RecentResults<CheckedTx>;

  constructor(capacity = 20_000) {
    this.entries = new RecentResults<CheckedTx>(capacity);
  }

  get(hash: string): CheckedTx | undefined {
    return this.entries.get(hash);
  }

  set(hash: string, checked: CheckedTx): void {
    this.entries.remember(hash, checked);
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
