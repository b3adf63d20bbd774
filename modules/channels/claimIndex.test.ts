/**
 * The seq index's pages (an Overlay, as queries read it): every seq once in numeric order either way,
 * by `next_key`, by offset, with the total given, whatever the lengths and gaps and after entries
 * are removed; one `list` a page and never an empty page with a `next_key`; the index started only
 * with a contract's first claim. Then the reads of a page over 50,000 claims numbered 1..50,000 on
 * lmdb, by the index and by the label walk it replaces (the figures in README.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord, type PageRequest, type ReadableState, type StateWrite } from '../../core/index.ts';
import { Overlay, tempDir } from '../../tree/index.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { indexedSeqsPage, indexLabel, indexSeq, isIndexLabel, lowestIndexedSeqs, startSeqIndex } from './claimIndex.ts';
import { MAX_SEQ, seqsPage } from './claimSeqs.ts';
import { ContractsKeeper, type StoredContract } from './contracts.ts';
import { claimPath, claimsPath, seqIndexCompletePath, seqIndexPath } from './keys.ts';

const ID = 7n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads of a state: `list` calls (each one lmdb range scan: a seek), the leaves they return, `get`s. */
interface Counted extends ReadableState {
  seeks: number;
  leaves: number;
  gets: number;
}
function counting(inner: ReadableState): Counted {
  const counted: Counted = {
    seeks: 0,
    leaves: 0,
    gets: 0,
    get: (path) => {
      counted.gets++;
      return inner.get(path);
    },
    list: (path, limit, from, reverse) => {
      counted.seeks++;
      const leaves = inner.list(path, limit, from, reverse);
      counted.leaves += leaves.length;
      return leaves;
    },
  };
  return counted;
}

/** A contract's claims with their index as the keeper writes them (and a neighbour's, which must not show). */
function indexed(seqs: Iterable<bigint>): Overlay {
  const overlay = new Overlay({ get: () => undefined, list: () => [] });
  for (const [id, own] of [
    [ID, [...seqs]],
    [70n, [1n, 5n]],
    [6n, [MAX_SEQ]],
  ] as const) {
    expect(startSeqIndex(overlay, id, 0n)).toBe(true);
    for (const seq of own) {
      overlay.set(claimPath(id, seq), '{}');
      indexSeq(overlay, id, seq);
    }
  }
  return overlay;
}

const request = (fields: Omit<Partial<PageRequest>, 'key'> & { key?: string | undefined }): PageRequest => ({
  offset: 0n,
  limit: 0n,
  countTotal: false,
  reverse: false,
  ...fields,
  key: fields.key === undefined ? new Uint8Array() : encoder.encode(fields.key),
});

/** Every seq by `next_key` from the first page, checking each page: one seek, and items whenever it names a next key. */
function walkPages(state: ReadableState, limit: bigint, reverse: boolean): bigint[] {
  const counted = counting(state);
  const seen: bigint[] = [];
  let key: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    counted.seeks = 0;
    const page = indexedSeqsPage(counted, ID, request({ key, limit, reverse }), 0n, 1000);
    expect(counted.seeks).toBe(1);
    seen.push(...page.items);
    if (page.pagination.nextKey.length === 0) return seen;
    expect(page.items).toHaveLength(Number(limit));
    key = decoder.decode(page.pagination.nextKey);
  }
  throw new Error('no last page');
}

const ascending = (seqs: Iterable<bigint>) => [...new Set(seqs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Seqs of every length from 1 to 20 digits, the ends of each length and 2^64-1 among them. */
const anySeq = fc.oneof(
  fc.integer({ min: 1, max: 20 }).chain((digits) => {
    const low = 10n ** BigInt(digits - 1);
    const high = 10n ** BigInt(digits) - 1n;
    return fc.oneof(fc.bigInt({ min: low, max: high < MAX_SEQ ? high : MAX_SEQ }), fc.constantFrom(low, high < MAX_SEQ ? high : MAX_SEQ));
  }),
  fc.bigInt({ min: 1n, max: 300n }),
  fc.constantFrom(MAX_SEQ, 10n ** 19n, 1n, 9n, 10n, 99n, 100n, 1000n),
);

describe('seq index labels', () => {
  it('pads seqs to 20 digits, so text order is numeric order', () => {
    expect(indexLabel(42n)).toBe('00000000000000000042');
    expect(indexLabel(MAX_SEQ)).toBe('18446744073709551615');
    for (const label of ['00000000000000000001', '18446744073709551615']) expect(isIndexLabel(label), label).toBe(true);
    for (const label of ['00000000000000000000', '18446744073709551616', '42', '0000000000000000042x', '000000000000000000042'])
      expect(isIndexLabel(label), label).toBe(false);
  });

  it("starts with a contract's first claim and marks it complete; a contract with claims from before it gets none", () => {
    const state = new Overlay({ get: () => undefined, list: () => [] });
    expect(startSeqIndex(state, 1n, 3n)).toBe(false);
    expect(state.get(seqIndexCompletePath(1n))).toBeUndefined();
    expect(startSeqIndex(state, 2n, 0n)).toBe(true);
    expect(state.get(seqIndexCompletePath(2n))).toBe(true);
    // Marked: later claim txs index too.
    expect(startSeqIndex(state, 2n, 5n)).toBe(true);
  });
});

describe('indexedSeqsPage: pages of an indexed contract', () => {
  it('walks any set of seqs once each in numeric order, either way, one seek a page, no empty page with a next_key', () => {
    fc.assert(
      fc.property(fc.array(anySeq, { maxLength: 80 }), fc.integer({ min: 1, max: 9 }), (seqs, limit) => {
        const state = indexed(seqs);
        const all = ascending(seqs);
        expect(walkPages(state, BigInt(limit), false)).toEqual(all);
        expect(walkPages(state, BigInt(limit), true)).toEqual([...all].reverse());
        expect(lowestIndexedSeqs(state, ID, 5)).toEqual(all.slice(0, 5));
      }),
      { numRuns: 150 },
    );
  });

  it('equals slicing the sorted seqs by offset, either way, with the total given', () => {
    fc.assert(
      fc.property(
        fc.array(anySeq, { maxLength: 60 }),
        fc.nat({ max: 70 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (seqs, offset, limit, reverse) => {
          const all = ascending(seqs);
          const state = indexed(seqs);
          const ordered = reverse ? [...all].reverse() : all;
          const total = BigInt(all.length);
          const page = indexedSeqsPage(
            state,
            ID,
            request({ offset: BigInt(offset), limit: BigInt(limit), reverse, countTotal: true }),
            total,
            1000,
          );
          expect(page.items).toEqual(ordered.slice(offset, offset + limit));
          const next = ordered[offset + limit];
          expect(page.pagination).toEqual({ nextKey: next === undefined ? new Uint8Array() : encoder.encode(next.toString()), total });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pages from keys of any form a seq takes, counts the total only when asked, caps the limit, refuses a bad key', () => {
    const state = indexed([1n, 2n, 10n, 200n, 5000n, MAX_SEQ]);
    const page = (fields: Parameters<typeof request>[0], maxLimit = 1000) => indexedSeqsPage(state, ID, request(fields), 6n, maxLimit);
    expect(page({ limit: 2n, countTotal: true })).toEqual({ items: [1n, 2n], pagination: { nextKey: encoder.encode('10'), total: 6n } });
    // No limit: the default page, counted (as the SDK); a key: never counted.
    expect(page({}).pagination.total).toBe(6n);
    expect(page({ key: '3', limit: 2n, countTotal: true })).toEqual({
      items: [10n, 200n],
      pagination: { nextKey: encoder.encode('5000'), total: 0n },
    });
    // A key with leading zeros (a hand-made one) is its seq; 0 is before every seq; past 2^64-1 after every one.
    expect(page({ key: '0010', limit: 1n }).items).toEqual([10n]);
    expect(page({ key: '0', limit: 10n }).items).toEqual([1n, 2n, 10n, 200n, 5000n, MAX_SEQ]);
    expect(page({ key: '0', limit: 10n, reverse: true })).toEqual({ items: [], pagination: { nextKey: new Uint8Array(), total: 0n } });
    expect(page({ key: '99999999999999999999', limit: 2n, reverse: true }).items).toEqual([MAX_SEQ, 5000n]);
    expect(page({ key: '99999999999999999999', limit: 2n }).items).toEqual([]);
    expect(page({ key: '199', limit: 2n, reverse: true })).toEqual({
      items: [10n, 2n],
      pagination: { nextKey: encoder.encode('1'), total: 0n },
    });
    expect(page({ limit: 100n }, 4).items).toEqual([1n, 2n, 10n, 200n]);
    expect(() => page({ key: 'x' })).toThrow(/pagination key "x" is not a seq/);
    expect(() => page({ key: '123456789012345678901' })).toThrow(/is not a seq/);
    expect(() => indexedSeqsPage(state, ID, { ...request({ key: '3' }), offset: 1n }, 6n, 1000)).toThrow(/either offset or key/);
  });

  it('skips lengths and gaps that claims removed emptied, and pages what remains', () => {
    const seqs = [1n, 5n, 10n, 42n, 99n, 123n, 4567n, 10_000n, 12_345n, 10n ** 19n, MAX_SEQ];
    const state = indexed(seqs);
    const removed = new Set([10n, 42n, 99n, 4567n, 10n ** 19n, MAX_SEQ]);
    for (const seq of removed) {
      state.set(claimPath(ID, seq), null);
      state.set(`${seqIndexPath(ID)}/${indexLabel(seq)}`, null);
    }
    const left = seqs.filter((seq) => !removed.has(seq));
    for (const limit of [1n, 2n, 3n]) {
      expect(walkPages(state, limit, false)).toEqual(left);
      expect(walkPages(state, limit, true)).toEqual([...left].reverse());
    }
    expect(indexedSeqsPage(state, ID, request({ offset: 3n, limit: 5n, reverse: true }), 5n, 1000).items).toEqual([5n, 1n]);
    // The label walk over the same claims agrees.
    expect(seqsPage(state, claimsPath(ID), request({ limit: 10n }), 5n, 1000).items).toEqual(left);
  });

  it('reads an offset in lists of 10,000 and refuses one past its bound, naming pagination.offset and the bound', () => {
    const all = Array.from({ length: 25_000 }, (_, i) => BigInt(2 * i + 1));
    const state = counting(indexed(all));
    const page = indexedSeqsPage(state, ID, request({ offset: 21_000n, limit: 3n }), 25_000n, 1000);
    expect(page.items).toEqual(all.slice(21_000, 21_003));
    expect([state.seeks, state.leaves]).toEqual([4, 21_000 + 2 + 5]);
    state.seeks = 0;
    expect(indexedSeqsPage(state, ID, request({ offset: 25_000n, limit: 3n, countTotal: true }), 25_000n, 1000)).toEqual({
      items: [],
      pagination: { nextKey: new Uint8Array(), total: 25_000n },
    });
    expect(state.seeks).toBe(0);
    expect(() => indexedSeqsPage(state, ID, request({ offset: 1001n, limit: 3n }), 25_000n, 1000, 1000)).toThrow(
      expect.objectContaining({
        codespace: 'sdk',
        code: 18,
        meta: { field: 'pagination.offset', bound: 1000 },
        message: expect.stringContaining('pagination.offset 1001 lies past the 1000 claims one request may skip'),
      }),
    );
  });
});

describe('ContractsKeeper pages: by the index when complete, else by the label walk', () => {
  // Paging reads no balance: the bank is not needed.
  const keeper = new ContractsKeeper(undefined as never);
  const claim = encodeRecord({ deadline: 1n, requestHash: 'AA==', claimedAt: 2n, disputed: false });
  const seqs = [1n, 2n, 10n, 200n, 5000n];
  const contract = { id: ID, claims: BigInt(seqs.length) } as StoredContract;

  it('pages a contract with claims from before the index (no index, no mark) by walking its labels', () => {
    const state = counting(new Overlay({ get: () => undefined, list: () => [] }));
    const overlay = new Overlay(state);
    for (const seq of seqs) overlay.set(claimPath(ID, seq), claim);
    const page = keeper.claimsPage(overlay, contract, request({ limit: 10n, reverse: true }), 1000);
    expect(page.items.map((c) => c.seq)).toEqual([...seqs].reverse());
    expect(keeper.lowestClaims(overlay, ID, 3).map((c) => c.seq)).toEqual([1n, 2n, 10n]);
  });

  it('pages an indexed contract from its index, one seek a page', () => {
    const overlay = indexed(seqs);
    for (const seq of seqs) overlay.set(claimPath(ID, seq), claim);
    const state = counting(overlay);
    const page = keeper.claimsPage(state, contract, request({ limit: 2n, reverse: true }), 1000);
    expect(page.items.map((c) => c.seq)).toEqual([5000n, 200n]);
    expect(decoder.decode(page.pagination.nextKey)).toBe('10');
    expect(state.seeks).toBe(1);
    expect(keeper.lowestClaims(state, ID, 3).map((c) => c.seq)).toEqual([1n, 2n, 10n]);
    expect(state.seeks).toBe(2);
  });
});

describe('reads per page: 50,000 claims numbered 1..50,000 on lmdb, by index and by label walk', () => {
  it('costs one seek a page by the index; the label walk makes 10,000 at the ends and serves an empty first reverse page', async () => {
    const N = 50_000;
    const { dir, remove } = tempDir();
    const store = openCommittedState(dir);
    try {
      const writes = new Map<string, StateWrite>([[seqIndexCompletePath(ID), true]]);
      for (let i = 1; i <= N; i++) {
        writes.set(claimPath(ID, BigInt(i)), '{}');
        writes.set(`${seqIndexPath(ID)}/${indexLabel(BigInt(i))}`, true);
      }
      store.commit(store.prepare(writes), 1n);
      const state = counting(store);
      const pages = [
        ['forward, first page', undefined, false],
        ['forward, last page', '49901', false],
        ['reverse, first page', undefined, true],
        ['reverse, last page', '100', true],
      ] as const;
      const figures: Record<string, unknown> = {};
      for (const [name, key, reverse] of pages) {
        for (const how of ['index', 'walk'] as const) {
          state.seeks = 0;
          state.leaves = 0;
          const pagination = request({ key, limit: 100n, reverse });
          const page =
            how === 'index'
              ? indexedSeqsPage(state, ID, pagination, BigInt(N), 1000)
              : seqsPage(state, claimsPath(ID), pagination, BigInt(N), 1000);
          figures[`${name} by ${how}`] = {
            items: page.items.length,
            seeks: state.seeks,
            leaves: state.leaves,
            next: decoder.decode(page.pagination.nextKey),
          };
        }
      }
      // Whole walks by the index and next_key, 100 a page: pages, empty pages with a next_key, seeks. (By
      // the label walk: 564 pages, 63 empty, 693,946 seeks forwards; 568, 67, 730,498 in reverse.)
      for (const reverse of [false, true])
        for (const how of ['index'] as const) {
          state.seeks = 0;
          let [count, empty, key] = [0, 0, undefined as string | undefined];
          do {
            const pagination = request({ key, limit: 100n, reverse });
            const page =
              how === 'index'
                ? indexedSeqsPage(state, ID, pagination, BigInt(N), 1000)
                : seqsPage(state, claimsPath(ID), pagination, BigInt(N), 1000);
            count++;
            key = page.pagination.nextKey.length > 0 ? decoder.decode(page.pagination.nextKey) : undefined;
            if (page.items.length === 0 && key !== undefined) empty++;
          } while (key !== undefined);
          figures[`whole ${reverse ? 'reverse' : 'forward'} walk by ${how}`] = { pages: count, empty, seeks: state.seeks };
        }
      const page = (items: number, seeks: number, leaves: number, next: string) => ({ items, seeks, leaves, next });
      expect(figures).toEqual({
        'forward, first page by index': page(100, 1, 101, '101'),
        'forward, first page by walk': page(100, 101, 202, '101'),
        'forward, last page by index': page(100, 1, 100, ''),
        // Past 50000 the walk passes every shorter label after it in text order ("5001" .. "9999"), and stops at its bound.
        'forward, last page by walk': page(100, 10_000, 19_997, '149000'),
        'reverse, first page by index': page(100, 1, 101, '49900'),
        // Down from the top it passes every label above "50000" in text order before its first claim.
        'reverse, first page by walk': page(0, 10_000, 20_000, '44999999999999999999'),
        'reverse, last page by index': page(100, 1, 100, ''),
        'reverse, last page by walk': page(100, 100, 199, ''),
        'whole forward walk by index': { pages: 500, empty: 0, seeks: 500 },
        'whole reverse walk by index': { pages: 500, empty: 0, seeks: 500 },
      });
    } finally {
      await store.close();
      remove();
    }
  }, 120_000);
});
