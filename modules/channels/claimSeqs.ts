/**
 * A contract's claimed seqs in numeric order, either way, for queries, by walking the claim labels:
 * how a contract with claims from before its seq index (`claimIndex.ts`, which pages every other
 * contract with one seek a page) is paged; also the request window both share. A claim sits at
 * `/channels/claims/<contract>/<seq>` under its seq in decimal, and the state tree lists labels in
 * text order ("10" before "2"); seqs are the client's own (any from 1, in any order, with gaps), so
 * they are no id range to count through. Among labels of one length text order is numeric order, so
 * a walk goes length by length (shortest first forwards, longest first backwards) and seeks (`list`
 * from a path, backwards for a reverse walk) to the next label of the length it is at, jumping over
 * the longer and shorter labels it meets: a walk over seqs 1..n reads about one seek per seq, and
 * one per label of other lengths it passes where its length has none left.
 */
import { ainError, DEFAULT_PAGE_LIMIT, ErrInvalidRequest } from '../../core/index.ts';
import type { Page, PageRequest, ReadableState } from '../../core/index.ts';

/** The largest seq (uint64). */
export const MAX_SEQ = 2n ** 64n - 1n;
/** Most seeks a walk makes for one page: a page cut there names where it stopped in `next_key`. */
export const SEQ_READS = 10_000;
/**
 * Most seeks an offset page makes to walk to its first claim (past it the offset is refused): a
 * million leaves, two a seek, as core's offset walks read at most `MAX_WALK_LEAVES`.
 */
export const SEQ_WALK_READS = 500_000;

/** The highest cursor of a reverse walk: the top of the longest length (any seq found is at most {@link MAX_SEQ}). */
const TOP = 10n ** 20n - 1n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array();
/**
 * Whether `label` is a seq label as the keeper writes one: a decimal from 1 to {@link MAX_SEQ} without
 * leading zeros (the walk below finds only those; `genesisLeaves.ts` refuses any other claim label).
 * @example isSeqLabel('7') // true; isSeqLabel('007'), isSeqLabel('0'), isSeqLabel('1e3') // false
 */
export const isSeqLabel = (label: string): boolean => /^[1-9][0-9]{0,19}$/.test(label) && BigInt(label) <= MAX_SEQ;

const first = (length: number) => 10n ** BigInt(length - 1);

/** A walk under way: it finds one seq at a time and knows where it would look next. */
interface SeqCursor {
  /** Seeks made so far. */
  readonly reads: number;
  /** The seq the walk would look at next (at or after it forwards, at or before it backwards); undefined: the walk is over. */
  readonly next: bigint | undefined;
  /** The next seq, seeking while fewer than `limit` seeks were made; undefined when the walk ended or the seeks ran out first. */
  take(limit: number): bigint | undefined;
}

/**
 * Forwards from `from`. A length walked from its first value (10^(L-1)) with no longer label met or
 * passed over ends the walk: every longer label starts with an L-digit head the walk went through.
 */
class ForwardWalk implements SeqCursor {
  reads = 0;
  #at: bigint | undefined;
  #length = 0;
  #whole = false;
  #longer = false;

  constructor(
    private readonly state: ReadableState,
    private readonly root: string,
    from: bigint,
  ) {
    this.#at = from < 1n ? 1n : from;
    this.#settle();
  }

  get next(): bigint | undefined {
    return this.#at;
  }

  take(limit: number): bigint | undefined {
    while (this.#at !== undefined && this.reads < limit) {
      const at = this.#at;
      const text = at.toString();
      const length = this.#length;
      this.reads++;
      // The leaf at or after `text`, and the one after it: a label longer than `text` right after a
      // label of its length starts with that label, which the next seek (its seq + 1) passes over.
      const labels = this.state.list(this.root, 2, `${this.root}/${text}`).map(([path]) => path.slice(this.root.length + 1));
      if (labels.some((label) => label.length > length)) this.#longer = true;
      const label = labels[0];
      let found: bigint | undefined;
      if (label === undefined) {
        // No label at or after `text` in text order: none of its length is left; on to the next length.
        this.#at = 10n ** BigInt(length);
      } else if (label.length === length) {
        found = BigInt(label);
        this.#at = found + 1n;
      } else if (label.length > length) {
        // A longer label: its head (as long as `text`, at or after it) is the next candidate of this
        // length, or `text` is missing when the label starts with it.
        const head = label.slice(0, length);
        this.#at = head === text ? at + 1n : BigInt(head);
      } else {
        // A shorter label after `text`: no label of this length lies between; the next candidate is
        // the first of this length at or after it.
        this.#at = BigInt(label.padEnd(length, '0'));
      }
      this.#settle();
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** On to the next length when the cursor left the one at hand, or the end. */
  #settle(): void {
    if (this.#at === undefined) return;
    if (this.#at > MAX_SEQ) {
      this.#at = undefined;
      return;
    }
    const length = this.#at.toString().length;
    if (length === this.#length) return;
    if (this.#whole && !this.#longer) {
      this.#at = undefined;
      return;
    }
    this.#length = length;
    this.#whole = this.#at === first(length);
    this.#longer = false;
  }
}

/**
 * Backwards from `from`, longest labels first; within a length, reverse text order is reverse
 * numeric order. A length walked from its top (10^L - 1) sees a label of the longest length below L
 * (any label it passes over without seeing is a prefix of one it sees, or longer than L): the walk
 * goes on at that length, over the lengths between (none has a label), or ends when there is none. A
 * length walked from elsewhere (a page's key) goes on at the length below.
 */
class ReverseWalk implements SeqCursor {
  reads = 0;
  #at: bigint | undefined;
  #length: number;
  #whole: boolean;
  /** The longest label shorter than the length at hand seen while walking it (0: none). */
  #shorter = 0;

  constructor(
    private readonly state: ReadableState,
    private readonly root: string,
    from: bigint,
  ) {
    // At or before the largest seq is at or before the top, walked whole (every shorter label seen);
    // a cursor above it (where a walk at length 20 stopped) goes on from there.
    const at = from === MAX_SEQ || from > TOP ? TOP : from;
    this.#at = at < 1n ? undefined : at;
    this.#length = at.toString().length;
    this.#whole = at === 10n ** BigInt(this.#length) - 1n;
  }

  get next(): bigint | undefined {
    return this.#at;
  }

  take(limit: number): bigint | undefined {
    while (this.#at !== undefined && this.reads < limit) {
      const text = this.#at.toString();
      const length = this.#length;
      this.reads++;
      // The leaf at or before `text`, and the one before it: when the first is a seq of this length,
      // the second is its longest prefix with a label, which the next seek (its seq - 1) passes over.
      const labels = this.state.list(this.root, 2, `${this.root}/${text}`, true).map(([path]) => path.slice(this.root.length + 1));
      for (const label of labels) if (label.length < length && label.length > this.#shorter) this.#shorter = label.length;
      const label = labels[0];
      let found: bigint | undefined;
      if (label === undefined) {
        // No label at or before `text` in text order: none of this length is left.
        this.#at = 0n;
      } else if (label.length === length) {
        found = BigInt(label);
        this.#at = found - 1n;
      } else if (label.length < length) {
        // A shorter label before `text`: no label of this length lies between. One of this length
        // before the label has a head (as long as the label) below it: the highest is that head
        // followed by nines; none when the label is the first of its length (`1`, `10`, ...).
        const head = BigInt(label) - 1n;
        this.#at = head < first(label.length) ? 0n : BigInt(`${head}${'9'.repeat(length - label.length)}`);
      } else {
        // A longer label before `text`: its head (as long as `text`) is before `text`, and no label
        // of this length lies between them.
        this.#at = BigInt(label.slice(0, length));
      }
      this.#settle();
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** On to the next length when the cursor fell below the one at hand, or the end. */
  #settle(): void {
    if (this.#at === undefined || this.#at >= first(this.#length)) return;
    const length = this.#whole ? this.#shorter : this.#length - 1;
    if (length === 0) {
      this.#at = undefined;
      return;
    }
    this.#length = length;
    this.#at = 10n ** BigInt(length) - 1n;
    this.#whole = true;
    this.#shorter = 0;
  }
}

/** Where a walk stopped: the seqs found, and the seq it would look at next (undefined: past the last). */
export interface SeqWalk {
  readonly seqs: bigint[];
  readonly next: bigint | undefined;
}

/** Up to `want` seqs from the cursor, until it has made `limit` seeks. */
function collect(cursor: SeqCursor, want: number, limit: number): bigint[] {
  const seqs: bigint[] = [];
  while (seqs.length < want) {
    const seq = cursor.take(limit);
    if (seq === undefined) break;
    seqs.push(seq);
  }
  return seqs;
}

/**
 * The seqs labelled under `root` from `from` on in numeric order, at most `want` of them, in at most
 * `reads` reads (of two leaves). Labels are canonical decimals ({@link isSeqLabel}: the keeper writes
 * no other, and the genesis check refuses others).
 * @example walkSeqs(state, '/channels/claims/1', 1n, 3, SEQ_READS) // { seqs: [1n, 2n, 10n], next: 11n } over labels 1, 10, 2, 200
 */
export function walkSeqs(state: ReadableState, root: string, from: bigint, want: number, reads: number): SeqWalk {
  const cursor = new ForwardWalk(state, root, from);
  const seqs = collect(cursor, want, reads);
  return { seqs, next: cursor.next };
}

/**
 * The seqs labelled under `root` at or before `from` in reverse numeric order, at most `want` of
 * them, in at most `reads` reads (of two leaves); `next` is where a walk from there goes on (from the
 * top of the longest length it has not walked, above {@link MAX_SEQ}, when it stopped there).
 * @example walkSeqsBack(state, '/channels/claims/1', MAX_SEQ, 3, SEQ_READS) // { seqs: [200n, 10n, 2n], next: 1n } over labels 1, 10, 2, 200
 */
export function walkSeqsBack(state: ReadableState, root: string, from: bigint, want: number, reads: number): SeqWalk {
  const cursor = new ReverseWalk(state, root, from);
  const seqs = collect(cursor, want, reads);
  return { seqs, next: cursor.next };
}

/** Seeks one page may make: `reads` for its claims, `walkReads` more to walk to an offset. */
export interface SeqBudget {
  readonly reads: number;
  readonly walkReads: number;
}

/** A claims page request with core's defaults applied: where it starts, what it skips and takes, which way. */
export interface SeqWindow {
  /** The seq the page starts at (at or after it; at or before it in reverse); undefined: from the first (the last). */
  readonly key: bigint | undefined;
  readonly offset: number;
  readonly limit: number;
  /** `total` as the response carries it: the count given, when the request asks for it (or sends no limit). */
  readonly counted: bigint;
  readonly reverse: boolean;
}

/**
 * The window of a claims page request: `key` a seq in decimal (leading zeros allowed, as an old
 * `next_key` or a hand-made one), `offset` or `key` but not both, `limit` 0 for the default and at
 * most `maxLimit`, `total` counted as the SDK counts it (given: the contract's claim count).
 * @throws AinError sdk/18 when `key` is not a seq in decimal or `key` and `offset` are both set
 */
export function seqWindow(page: PageRequest | undefined, total: bigint, maxLimit: number): SeqWindow {
  const key = page && page.key.length > 0 ? decoder.decode(page.key) : undefined;
  if (key !== undefined && !/^[0-9]{1,20}$/.test(key)) throw ainError(ErrInvalidRequest, `pagination key "${key}" is not a seq`);
  const offsetAsked = page?.offset ?? 0n;
  if (key !== undefined && offsetAsked > 0n)
    throw ainError(ErrInvalidRequest, 'invalid request, either offset or key is expected, got both');
  const offset = offsetAsked > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offsetAsked);
  const requested = Number(page?.limit ?? 0n);
  return {
    key: key === undefined ? undefined : BigInt(key),
    offset,
    limit: Math.min(requested === 0 ? DEFAULT_PAGE_LIMIT : requested, maxLimit),
    // As the SDK: a request without a limit counts the total.
    counted: key === undefined && (requested === 0 || page?.countTotal === true) ? total : 0n,
    reverse: page?.reverse === true,
  };
}

/**
 * One page of the seqs under `root` in numeric order, as core's pagination pages a list (`key` the
 * seq in decimal; `total`, counted as the SDK does, is `total` given: the contract's claim count), by
 * walking the claim labels: what a contract without a seq index (`claimIndex.ts`) is paged with. A
 * page walks from its key (at or after it; at or before it in `reverse`, from the highest seq
 * without one) and names the next seq in `next_key`, or where the walk stopped when it made
 * `budget.reads` seeks first, so walking by `next_key` reaches every seq, either way. An `offset`
 * page walks from the first seq (the last in reverse) past `offset` seqs in at most
 * `budget.walkReads` seeks, then pages from there.
 * @throws AinError sdk/18 as {@link seqWindow} says, or when the offset lies past `budget.walkReads`
 *   seeks (field `pagination.offset`)
 */
export function seqsPage(
  state: ReadableState,
  root: string,
  page: PageRequest | undefined,
  total: bigint,
  maxLimit: number,
  budget: SeqBudget = { reads: SEQ_READS, walkReads: SEQ_WALK_READS },
): Page<bigint> {
  const { key, offset, limit, counted, reverse } = seqWindow(page, total, maxLimit);
  const from = key !== undefined ? key : reverse ? TOP : 1n;
  const cursor: SeqCursor = reverse ? new ReverseWalk(state, root, from) : new ForwardWalk(state, root, from);
  for (let skipped = 0; skipped < offset; skipped++) {
    if (cursor.take(budget.walkReads) !== undefined) continue;
    if (cursor.next === undefined) return { items: [], pagination: { nextKey: EMPTY, total: counted } };
    throw ainError(
      ErrInvalidRequest,
      `pagination.offset ${offset} lies past the ${budget.walkReads} seeks one request may walk over a contract's claims; page with next_key instead`,
      { field: 'pagination.offset', bound: budget.walkReads },
    );
  }
  const seqs = collect(cursor, limit + 1, cursor.reads + budget.reads);
  const next = seqs.length > limit ? seqs[limit] : cursor.next;
  return {
    items: seqs.slice(0, limit),
    pagination: { nextKey: next === undefined ? EMPTY : encoder.encode(next.toString()), total: counted },
  };
}
