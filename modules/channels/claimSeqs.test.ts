/**
 * The claimed-seq walk over the tree's text order (an Overlay, as queries read it): every seq once in
 * numeric order, whatever the lengths and gaps; pages by `next_key`, reverse and offset pages; reads
 * bounded by the seqs' leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PageRequest, ReadableState } from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import { SEQ_READS, seqsPage, walkSeqs } from './claimSeqs.ts';

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
    list: (path: string, limit: number, from?: string) => {
      counted.reads++;
      return overlay.list(path, limit, from);
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
function walkPages(state: ReadableState, limit: bigint, reverse = false): bigint[] {
  const seen: bigint[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let pages = 0; pages < 10_000; pages++) {
    const page = seqsPage(state, ROOT, request({ key, limit, reverse }), 0n, 1000);
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
