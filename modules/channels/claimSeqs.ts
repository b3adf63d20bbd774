/**
 * A contract's claimed seqs in numeric order, for queries. A claim sits at
 * `/channels/claims/<contract>/<seq>` under its seq in decimal, and the state tree lists labels in
 * text order ("10" before "2"); seqs are the client's own (any from 1, in any order, with gaps), so
 * they are no id range to count through. Among labels of one length text order is numeric order, so
 * the walk goes length by length and seeks (`list` from a path) to the next label of the length it
 * is at, jumping over the longer and shorter labels it meets: a walk over seqs 1..n reads about one
 * seek per seq, and at its last length one per shorter label after the last seq in text order.
 */
import { ainError, DEFAULT_PAGE_LIMIT, ErrInvalidRequest, paginate } from '../../core/index.ts';
import type { Page, PageRequest, ReadableState } from '../../core/index.ts';

/** The largest seq (uint64). */
export const MAX_SEQ = 2n ** 64n - 1n;
/** Most seeks a walk makes for one query: a page cut there names where it stopped in `next_key`. */
export const SEQ_READS = 10_000;
/** Reverse and offset pages page the lowest this many seqs in memory (as core's lists page their first `scan` leaves). */
export const SEQS_IN_MEMORY = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array();
/**
 * Whether `label` is a seq label as the keeper writes one: a decimal from 1 to {@link MAX_SEQ} without
 * leading zeros (the walk below finds only those; `genesisLeaves.ts` refuses any other claim label).
 * @example isSeqLabel('7') // true; isSeqLabel('007'), isSeqLabel('0'), isSeqLabel('1e3') // false
 */
export const isSeqLabel = (label: string): boolean => /^[1-9][0-9]{0,19}$/.test(label) && BigInt(label) <= MAX_SEQ;

const bySeq = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Where a walk stopped: the seqs found, and the seq it would look at next (undefined: past the last). */
export interface SeqWalk {
  readonly seqs: bigint[];
  readonly next: bigint | undefined;
}

/**
 * The seqs labelled under `root` from `from` on in numeric order, at most `want` of them, in at most
 * `reads` reads (of two leaves). Labels are canonical decimals ({@link isSeqLabel}: the keeper writes
 * no other, and the genesis check refuses others). A length walked from its first value (10^(L-1)) with no longer label met or
 * passed over ends the walk: every longer label starts with an L-digit head the walk went through.
 * @example walkSeqs(state, '/channels/claims/1', 1n, 3, SEQ_READS) // { seqs: [1n, 2n, 10n], next: 11n } over labels 1, 10, 2, 200
 */
export function walkSeqs(state: ReadableState, root: string, from: bigint, want: number, reads: number): SeqWalk {
  const seqs: bigint[] = [];
  let at: bigint | undefined = from < 1n ? 1n : from > MAX_SEQ ? undefined : from;
  let length = 0;
  let whole = false;
  let longer = false;
  for (let read = 0; at !== undefined && seqs.length < want && read < reads; read++) {
    const text = at.toString();
    if (text.length !== length) {
      if (whole && !longer) {
        at = undefined;
        break;
      }
      length = text.length;
      whole = at === 10n ** BigInt(length - 1);
      longer = false;
    }
    // The leaf at or after `text`, and the one after it: a label longer than `text` right after a
    // label of its length starts with that label, which the next seek (its seq + 1) passes over.
    const leaves = state.list(root, 2, `${root}/${text}`);
    const labels = leaves.map(([path]) => path.slice(root.length + 1));
    if (labels.some((label) => label.length > length)) longer = true;
    const label = labels[0];
    if (label === undefined) {
      // No label at or after `text` in text order: none of its length is left; on to the next length.
      at = 10n ** BigInt(length);
    } else if (label.length === length) {
      seqs.push(BigInt(label));
      at = BigInt(label) + 1n;
    } else if (label.length > length) {
      // A longer label: its head (as long as `text`, at or after it) is the next candidate of this
      // length, or `text` is missing when the label starts with it.
      const head = label.slice(0, length);
      at = head === text ? at + 1n : BigInt(head);
    } else {
      // A shorter label after `text`: no label of this length lies between; the next candidate is
      // the first of this length at or after it.
      at = BigInt(label.padEnd(length, '0'));
    }
    if (at > MAX_SEQ) at = undefined;
  }
  return { seqs, next: at };
}

/**
 * One page of the seqs under `root` in numeric order, as core's pagination pages a list (`key` the
 * seq in decimal; `total`, counted as the SDK does, is `total` given: the contract's claim count). A
 * forward page without `offset` walks from its key (at or after it) and names the next seq in
 * `next_key`, or where the walk stopped when it read {@link SEQ_READS} leaves first, so walking by
 * `next_key` reaches every seq. A `reverse` or `offset` page pages the lowest {@link SEQS_IN_MEMORY}
 * seqs in memory.
 * @throws AinError sdk/18 when `key` is not a seq in decimal, or `key` and `offset` are both set
 */
export function seqsPage(state: ReadableState, root: string, page: PageRequest | undefined, total: bigint, maxLimit: number): Page<bigint> {
  const key = page && page.key.length > 0 ? decoder.decode(page.key) : undefined;
  if (key !== undefined && !/^[0-9]{1,20}$/.test(key)) throw ainError(ErrInvalidRequest, `pagination key "${key}" is not a seq`);
  const requested = Number(page?.limit ?? 0n);
  // As the SDK: a request without a limit counts the total.
  const counted = key === undefined && (requested === 0 || page?.countTotal === true) ? total : 0n;
  if (page?.reverse || (page?.offset ?? 0n) > 0n) {
    const lowest = walkSeqs(state, root, 1n, SEQS_IN_MEMORY, 2 * SEQS_IN_MEMORY + 64).seqs;
    const paged = paginate(lowest, (seq) => seq.toString(), page, { compare: bySeq, maxLimit });
    return { items: paged.items, pagination: { nextKey: paged.pagination.nextKey, total: counted } };
  }
  const limit = Math.min(requested === 0 ? DEFAULT_PAGE_LIMIT : requested, maxLimit);
  const walk = walkSeqs(state, root, key === undefined ? 1n : BigInt(key), limit + 1, SEQ_READS);
  const next = walk.seqs.length > limit ? walk.seqs[limit] : walk.next;
  return {
    items: walk.seqs.slice(0, limit),
    pagination: { nextKey: next === undefined ? EMPTY : encoder.encode(next.toString()), total: counted },
  };
}
