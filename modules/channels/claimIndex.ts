/**
 * A contract's claimed seqs in numeric order from an index the keeper writes beside the claims:
 * `/channels/seq_index/<contract>/<seq>` = `true` with the seq padded with zeros to 20 digits (the
 * length of the largest, 2^64 - 1), so the tree's text order is numeric order and a page is one
 * `list` of `limit + 1` leaves from its key, either way, whatever the number, lengths and gaps of the
 * seqs. The keeper writes the entry in the transaction that writes the claim (FinalizeBlock), and
 * `/channels/seq_index_complete/<contract>` = `true` with the contract's first claim: from then on
 * the index holds every claim of the contract. A contract that had claims before the index existed
 * has no such leaf, and its claims are paged by walking their labels (`claimSeqs.ts`).
 *
 * Pages keep the labels' keys: `key` and `next_key` are the seq in decimal, so a key a label walk
 * handed out pages an indexed contract too.
 */
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { Page, PageRequest, ReadableState, WritableState } from '../../core/index.ts';
import { MAX_SEQ, seqWindow } from './claimSeqs.ts';
import { seqIndexCompletePath, seqIndexPath } from './keys.ts';

/** Digits of an index label: those of {@link MAX_SEQ}. */
const SEQ_DIGITS = 20;
/** Most index leaves an `offset` page reads to skip to its first claim: core's bound on an offset walk (`MAX_WALK_LEAVES`). */
export const SEQ_INDEX_WALK = 1_000_000;
/** Leaves one `list` reads while an offset page skips. */
const SKIP_BATCH = 10_000;
const encoder = new TextEncoder();
const EMPTY = new Uint8Array();

/** The index label of `seq`: its decimal padded with zeros to 20 digits. @example indexLabel(42n) // '00000000000000000042' */
export const indexLabel = (seq: bigint): string => seq.toString().padStart(SEQ_DIGITS, '0');

/** Whether `label` is an index label as the keeper writes one: 20 digits, a seq from 1 to {@link MAX_SEQ}. */
export const isIndexLabel = (label: string): boolean => /^[0-9]{20}$/.test(label) && BigInt(label) >= 1n && BigInt(label) <= MAX_SEQ;

export const seqIndexEntryPath = (contractId: bigint, seq: bigint): string => `${seqIndexPath(contractId)}/${indexLabel(seq)}`;

/** Whether the contract's seq index holds every claim of it (else its claims are paged by a label walk). */
export const isSeqIndexed = (state: ReadableState, contractId: bigint): boolean => state.get(seqIndexCompletePath(contractId)) === true;

/**
 * Before a claim tx of a contract that has `claims` claims writes its claims: whether to index them.
 * Yes when the index holds every claim already, or when there are none yet (the index starts here,
 * marked complete); no for a contract with claims from before the index.
 */
export function startSeqIndex(state: WritableState, contractId: bigint, claims: bigint): boolean {
  if (isSeqIndexed(state, contractId)) return true;
  if (claims > 0n) return false;
  state.set(seqIndexCompletePath(contractId), true);
  return true;
}

/** Indexes a claim just written (after {@link startSeqIndex} said yes). */
export function indexSeq(state: WritableState, contractId: bigint, seq: bigint): void {
  state.set(seqIndexEntryPath(contractId, seq), true);
}

const seqsOf = (root: string, leaves: ReadonlyArray<readonly [string, unknown]>) =>
  leaves.map(([path]) => BigInt(path.slice(root.length + 1)));

/** The lowest `limit` seqs of an indexed contract, in order: one `list`. */
export function lowestIndexedSeqs(state: ReadableState, contractId: bigint, limit: number): bigint[] {
  const root = seqIndexPath(contractId);
  return seqsOf(root, state.list(root, limit));
}

/**
 * One page of an indexed contract's seqs, as `seqsPage` pages the labels (same window, keys and
 * `total`): a page lists `limit + 1` index leaves from its key (at or after it; at or before it in
 * `reverse`), and `next_key` is the seq after its last, so a page is empty only when no claim lies
 * past its key. An `offset` page first skips `offset` leaves from the first (the last in reverse),
 * in lists of 10,000; with `total` (the contract's claim count, which the index holds) at or below
 * the offset it reads nothing.
 * @throws AinError sdk/18 as `seqWindow` says, or when the offset is over `walk` (field
 *   `pagination.offset`, with the bound)
 */
export function indexedSeqsPage(
  state: ReadableState,
  contractId: bigint,
  page: PageRequest | undefined,
  total: bigint,
  maxLimit: number,
  walk = SEQ_INDEX_WALK,
): Page<bigint> {
  const { key, offset, limit, counted, reverse } = seqWindow(page, total, maxLimit);
  const root = seqIndexPath(contractId);
  const empty: Page<bigint> = { items: [], pagination: { nextKey: EMPTY, total: counted } };
  if (offset > 0 && BigInt(offset) >= total) return empty;
  if (offset > walk)
    throw ainError(
      ErrInvalidRequest,
      `pagination.offset ${offset} lies past the ${walk} claims one request may skip; page with next_key instead`,
      { field: 'pagination.offset', bound: walk },
    );
  // Key 0 sorts before every label; a key past 2^64 - 1 (up to 20 digits) after every one.
  let from = key === undefined ? undefined : `${root}/${indexLabel(key)}`;
  // Once skipping started, `from` is the last leaf skipped: each list reads it again first.
  let again = 0;
  for (let left = offset; left > 0; ) {
    const size = Math.min(left, SKIP_BATCH);
    const leaves = state.list(root, size + again, from, reverse).slice(again);
    if (leaves.length < size) return empty;
    left -= size;
    from = leaves[leaves.length - 1]![0];
    again = 1;
  }
  const seqs = seqsOf(root, state.list(root, limit + 1 + again, from, reverse).slice(again));
  const next = seqs[limit];
  return {
    items: seqs.slice(0, limit),
    pagination: { nextKey: next === undefined ? EMPTY : encoder.encode(next.toString()), total: counted },
  };
}
