/**
 * The claimed-seq walks over the tree's text order (an Overlay, as queries read it): every seq once in
 * numeric order, forwards and backwards, whatever the lengths and gaps; pages by `next_key` either
 * way, resumed where a page's seeks ran out; offset pages walked to within a bound; reads bounded by
 * the seqs' leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PageRequest, type ReadableState, AinError } from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import { MAX_SEQ, SEQ_READS, type SeqBudget, seqsPage, walkSeqs, walkSeqsBack } from './claimSeqs.ts';

const ROOT = '/channels/claims/7';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A state holding a claim leaf per seq (and a neighbour contract's, which must not show), counting list calls. */
function stateWith(seqs: Iterable<bigint>): ReadableState & { reads: number } {
  const overlay = new Overlay({ get: () => undefined, list: () => [] });
  for (const seq of seqs) overlay.set(`${ROOT}/${seq}`, '{}');
  overlay.set('/channels/claims/70/1', '{}');
  overlay.set('/channels/claims/6/5', '{}');
  const counted = {
    reads: 0,
    get: (path: string) => overlay.get(path),
    list: (path: string, limit: number, from?: string, reverse?: boolean) => {
      counted.reads++;
      return overlay.list(path, limit, from, reverse);
    },
  };
  return counted;
}

const request = (fields: Omit<Partial<PageRequest>, 'key'> & { key?: Uint8Array | string }): PageRequest => ({
  offset: 0n,
  limit: 0n,
  countTotal: false,
  reverse: false,
  ...fields,
  key: typeof fields.key === 'string' ? encoder.encode(fields.key) : (fields.key ?? new Uint8Array()),
});

/** Every seq by following next_key from the first page. */
function walkPages(state: ReadableState, limit: bigint, reverse = false, budget?: SeqBudget): bigint[] {
  const seen: bigint[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let pages = 0; pages < 10_000; pages++) {
    const page = seqsPage(state, ROOT, request({ key, limit, reverse }), 0n, 1000, budget);
    seen.push(...page.items);
    if (page.pagination.nextKey.length === 0) return seen;
    key = page.pagination.nextKey;
  }
  throw new Error('no last page');
}

const ascending = (seqs: Iterable<bigint>) => [...new Set(seqs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('walkSeqs: seq labels in numeric order', () => {
  it('orders 1..25 as numbers, not as text ("10" before "2")', () => {
    const state = stateWith(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
    expect(walkSeqs(state, ROOT, 1n, 100, SEQ_READS).seqs).toEqual(ascending(Array.from({ length: 25 }, (_, i) => BigInt(i + 1))));
    expect(walkSeqs(state, ROOT, 9n, 3, SEQ_READS)).toEqual({ seqs: [9n, 10n, 11n], next: 12n });
  });

  it('seeks once per seq over 1..n, and once per shorter label after the last seq to find the end', () => {
    const state = stateWith(Array.from({ length: 1200 }, (_, i) => BigInt(i + 1)));
    expect(walkSeqs(state, ROOT, 1n, 1000, SEQ_READS).seqs).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i + 1)));
    expect(state.reads).toBeLessThanOrEqual(1000 + 5);
    state.reads = 0;
    const walk = walkSeqs(state, ROOT, 1n, 2000, SEQ_READS);
    expect(walk.seqs).toHaveLength(1200);
    expect(walk.next).toBeUndefined();
    // 1200 hits; then at length 4 the labels after "1201" in text order ("121", ..., "999"): under 1000.
    expect(state.reads).toBeLessThanOrEqual(1200 + 1000);
  });

  it('walks any set of seqs, of any length, once each in order, in a bounded number of seeks', () => {
    const seq = fc.oneof(
      fc.bigInt({ min: 1n, max: 200n }),
      fc.bigInt({ min: 1n, max: 100_000n }),
      fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      fc.constantFrom(2n ** 64n - 1n, 10n ** 19n, 1n, 9n, 10n, 99n, 100n),
    );
    fc.assert(
      fc.property(fc.array(seq, { maxLength: 120 }), fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), (seqs, from) => {
        const state = stateWith(seqs);
        const all = ascending(seqs);
        expect(walkSeqs(state, ROOT, 1n, 1000, SEQ_READS)).toEqual({ seqs: all, next: undefined });
        // Each seek passes a label or a head of one; at most every label per length, and 20 lengths.
        expect(state.reads).toBeLessThanOrEqual(2 * (all.length + 1) * 21);
        expect(walkSeqs(state, ROOT, from, 1000, SEQ_READS).seqs).toEqual(all.filter((s) => s >= from));
        expect(walkPages(state, 7n)).toEqual(all);
        expect(walkPages(state, 5n, true)).toEqual([...all].reverse());
      }),
      { numRuns: 150 },
    );
  });

  it('stops at its read budget and says where, so the next walk goes on from there', () => {
    const seqs = [1n, 5n, 10_000n, 10_001n, 123_456_789n];
    const state = stateWith(seqs);
    const seen: bigint[] = [];
    let from: bigint | undefined = 1n;
    for (let walks = 0; from !== undefined; walks++) {
      expect(walks).toBeLessThan(100);
      const walk = walkSeqs(state, ROOT, from, 1000, 3);
      seen.push(...walk.seqs);
      from = walk.next;
    }
    expect(seen).toEqual(seqs);
  });
});

describe('seqsPage: pages of seqs as core pages a list', () => {
  const state = stateWith(Array.from({ length: 30 }, (_, i) => BigInt(i + 1)));
  const keyOf = (nextKey: Uint8Array) => decoder.decode(nextKey);

  it('names the next seq in next_key, counts the total given for a request that asks, refuses a key that is no seq', () => {
    const first = seqsPage(state, ROOT, request({ limit: 10n, countTotal: true }), 30n, 1000);
    expect(first.items).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));
    expect(first.pagination).toEqual({ nextKey: encoder.encode('11'), total: 30n });
    const last = seqsPage(state, ROOT, request({ key: '25', limit: 10n, countTotal: true }), 30n, 1000);
    expect(last.items).toEqual([25n, 26n, 27n, 28n, 29n, 30n]);
    expect(last.pagination).toEqual({ nextKey: new Uint8Array(), total: 0n });
    // No limit: the default page, counted (as the SDK).
    expect(seqsPage(state, ROOT, undefined, 30n, 1000).pagination.total).toBe(30n);
    expect(() => seqsPage(state, ROOT, request({ key: 'x' }), 30n, 1000)).toThrow(/pagination key "x" is not a seq/);
  });

  it('pages in reverse from the highest seq and by offset, and caps the limit', () => {
    const reverse = seqsPage(state, ROOT, request({ limit: 3n, reverse: true }), 30n, 1000);
    expect(reverse.items).toEqual([30n, 29n, 28n]);
    expect(keyOf(reverse.pagination.nextKey)).toBe('27');
    expect(seqsPage(state, ROOT, request({ key: '12', limit: 2n, reverse: true }), 30n, 1000).items).toEqual([12n, 11n]);
    expect(seqsPage(state, ROOT, request({ offset: 9n, limit: 2n, countTotal: true }), 30n, 1000)).toEqual({
      items: [10n, 11n],
      pagination: { nextKey: encoder.encode('12'), total: 30n },
    });
    expect(seqsPage(state, ROOT, request({ limit: 100n }), 30n, 4).items).toEqual([1n, 2n, 3n, 4n]);
    expect(() => seqsPage(state, ROOT, request({ key: '3', offset: 1n }), 30n, 1000)).toThrow(/either offset or key/);
  });
});

/** Seqs of every length from 1 to 20 digits, the ends of each length and 2^64-1 among them. */
const anySeq = fc.oneof(
  fc.integer({ min: 1, max: 20 }).chain((digits) => {
    const low = 10n ** BigInt(digits - 1);
    const high = 10n ** BigInt(digits) - 1n;
    return fc.oneof(fc.bigInt({ min: low, max: high < MAX_SEQ ? high : MAX_SEQ }), fc.constantFrom(low, high < MAX_SEQ ? high : MAX_SEQ));
  }),
  fc.bigInt({ min: 1n, max: 300n }),
  fc.constantFrom(MAX_SEQ, MAX_SEQ - 1n, 10n ** 19n, 10n ** 19n - 1n, 1n, 9n, 10n, 19n, 99n, 100n, 199n, 1000n),
);

/** The error `run` throws. */
function thrown(run: () => unknown): AinError {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('walkSeqsBack and reverse pages: seq labels in reverse numeric order', () => {
  it('walks back from the highest seq, longest labels first, then back from any seq', () => {
    const state = stateWith([1n, 2n, 10n, 200n, 5000n, MAX_SEQ]);
    expect(walkSeqsBack(state, ROOT, MAX_SEQ, 100, SEQ_READS)).toEqual({ seqs: [MAX_SEQ, 5000n, 200n, 10n, 2n, 1n], next: undefined });
    expect(walkSeqsBack(state, ROOT, 199n, 2, SEQ_READS)).toEqual({ seqs: [10n, 2n], next: 1n });
    expect(walkSeqsBack(state, ROOT, 0n, 10, SEQ_READS)).toEqual({ seqs: [], next: undefined });
  });

  it('equals the forward walk reversed for any set of seqs, from the top or any seq, in a bounded number of seeks', () => {
    fc.assert(
      fc.property(fc.array(anySeq, { maxLength: 120 }), anySeq, (seqs, from) => {
        const state = stateWith(seqs);
        const all = ascending(seqs);
        const down = [...all].reverse();
        expect(walkSeqsBack(state, ROOT, MAX_SEQ, 1000, SEQ_READS)).toEqual({ seqs: down, next: undefined });
        // The length 20 walked once (every label passed), then each length with labels: as forwards.
        expect(state.reads).toBeLessThanOrEqual(2 * (all.length + 1) * 21);
        expect(walkSeqsBack(state, ROOT, from, 1000, SEQ_READS).seqs).toEqual(down.filter((s) => s <= from));
        expect(walkPages(state, 3n, true)).toEqual(down);
      }),
      { numRuns: 200 },
    );
  });

  it('resumes where its seeks ran out, so walks and pages cut by a small budget still reach every seq once', () => {
    fc.assert(
      fc.property(fc.array(anySeq, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), (seqs, reads) => {
        const state = stateWith(seqs);
        const down = ascending(seqs).reverse();
        const seen: bigint[] = [];
        let from: bigint | undefined = 10n ** 20n - 1n;
        for (let walks = 0; from !== undefined; walks++) {
          expect(walks).toBeLessThan(5000);
          const walk = walkSeqsBack(state, ROOT, from, 1000, reads);
          seen.push(...walk.seqs);
          from = walk.next;
        }
        expect(seen).toEqual(down);
        expect(walkPages(state, 4n, true, { reads, walkReads: 1000 })).toEqual(down);
        expect(walkPages(state, 4n, false, { reads, walkReads: 1000 })).toEqual(ascending(seqs));
      }),
      { numRuns: 100 },
    );
  });

  it('reads about a page from a key, not the whole list', () => {
    const state = stateWith(Array.from({ length: 2000 }, (_, i) => BigInt(i + 1)));
    state.reads = 0;
    const page = seqsPage(state, ROOT, request({ key: '1500', limit: 10n, reverse: true }), 2000n, 1000);
    expect(page.items).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(1500 - i)));
    expect(decoder.decode(page.pagination.nextKey)).toBe('1490');
    expect(state.reads).toBeLessThanOrEqual(11);
  });
});

describe('seqsPage offsets: walked to, either way, within a bound', () => {
  it('equals slicing the sorted seqs, forwards and in reverse, with the total given, reading only the walk to its last item', () => {
    fc.assert(
      fc.property(
        fc.array(anySeq, { maxLength: 80 }),
        fc.nat({ max: 90 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (seqs, offset, limit, reverse) => {
          const state = stateWith(seqs);
          const ordered = reverse ? ascending(seqs).reverse() : ascending(seqs);
          const walk = reverse ? walkSeqsBack : walkSeqs;
          walk(state, ROOT, reverse ? MAX_SEQ : 1n, offset + limit + 1, SEQ_READS);
          const walked = state.reads;
          state.reads = 0;
          const page = seqsPage(
            state,
            ROOT,
            request({ offset: BigInt(offset), limit: BigInt(limit), reverse, countTotal: true }),
            77n,
            1000,
          );
          // The walk to the item after the page, not the whole list.
          expect(state.reads).toBe(walked);
          expect(page.items).toEqual(ordered.slice(offset, offset + limit));
          const next = ordered[offset + limit];
          expect(page.pagination).toEqual({ nextKey: next === undefined ? new Uint8Array() : encoder.encode(next.toString()), total: 77n });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pages past a bound far below the seqs held, and refuses an offset past it naming pagination.offset and the bound', () => {
    // 600 seqs against budgets of 40 and 1000 seeks: as 10,000+ claims against the real ones. A
    // reverse walk first passes every label once to find the longest length (about 800 seeks here).
    const all = Array.from({ length: 600 }, (_, i) => BigInt(3 * i + 1));
    const state = stateWith(all);
    const budget = { reads: 40, walkReads: 1000 };
    expect(walkPages(state, 25n, true, budget)).toEqual([...all].reverse());
    const back = seqsPage(state, ROOT, request({ offset: 150n, limit: 3n, reverse: true }), 600n, 1000, budget);
    expect(back.items).toEqual([all[449], all[448], all[447]]);
    expect(seqsPage(state, ROOT, request({ offset: 400n, limit: 3n }), 600n, 1000, budget).items).toEqual(all.slice(400, 403));
    const refusals: Array<[boolean, SeqBudget]> = [
      [true, budget],
      [false, { reads: 40, walkReads: 300 }],
    ];
    for (const [reverse, bound] of refusals) {
      const error = thrown(() => seqsPage(state, ROOT, request({ offset: 400n, limit: 3n, reverse }), 600n, 1000, bound));
      expect(error).toMatchObject({ codespace: 'sdk', code: 18, meta: { field: 'pagination.offset', bound: bound.walkReads } });
      expect(error.message).toMatch(`pagination.offset 400 lies past the ${bound.walkReads} seeks`);
    }
    // Past the last seq within the bound: an empty page, as the SDK.
    const few = stateWith([1n, 2n, 3n]);
    expect(seqsPage(few, ROOT, request({ offset: 5n, limit: 3n, reverse: true, countTotal: true }), 3n, 1000, budget)).toEqual({
      items: [],
      pagination: { nextKey: new Uint8Array(), total: 3n },
    });
  });
});
