/**
 * Property tests of pagination: for random sorted data and random page requests, walking pages by
 * `next_key` visits every item once and in order, offset pages equal key pages, `total` is counted as
 * the SDK counts it, limits are capped, and a key with an offset is refused with sdk/18.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError } from './errors.ts';
import { comparePathKeys, DEFAULT_PAGE_LIMIT, type Page, type PageOptions, paginate, paginateList, paginateRange } from './pagination.ts';
import type { ReadableState, StateValue } from './state.ts';
import { pageRequest as request } from './pageRequest.fixture.ts';

const SEED = 42;
const decoder = new TextDecoder();

/** Labels from a small alphabet around '/', so that path order and code-unit order differ. */
const label = fc.string({
  unit: fc.constantFrom('a', 'b', '!', '-', '.', '0', 'z', '~', '\u00e9', '\u{1f600}'),
  minLength: 1,
  maxLength: 4,
});
/** Unique keys of one or two labels, sorted in path order. */
const sortedKeys = fc
  .uniqueArray(
    fc.oneof(
      label,
      fc.tuple(label, label).map(([a, b]) => `${a}/${b}`),
    ),
    { maxLength: 60 },
  )
  .map((keys) => [...keys].sort(comparePathKeys));

/** The request's effective page size: the default for 0, capped by the list's bound. */
const effectiveLimit = (limit: number, maxLimit: number) => Math.min(limit === 0 ? DEFAULT_PAGE_LIMIT : limit, maxLimit);

/** Walks every page from the first by next_key; fails past `items + 2` pages (a loop). */
function walk<T>(fetch: (key: Uint8Array) => Page<T>, bound: number): { items: T[]; pages: Page<T>[] } {
  const items: T[] = [];
  const pages: Page<T>[] = [];
  let key: Uint8Array = new Uint8Array();
  for (;;) {
    const page = fetch(key);
    pages.push(page);
    items.push(...page.items);
    if (page.pagination.nextKey.length === 0) return { items, pages };
    if (pages.length > bound) throw new Error(`more than ${bound} pages: next_key loops`);
    key = page.pagination.nextKey;
  }
}

describe('paginate (random sorted arrays, random requests)', () => {
  it('walking by next_key visits every item once, in order; pages are full but the last; total as the SDK counts', () => {
    fc.assert(
      fc.property(
        sortedKeys,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        fc.boolean(),
        (keys, limit, maxLimit, reverse, countTotal) => {
          const options: PageOptions = { maxLimit };
          const size = effectiveLimit(limit, maxLimit);
          const { items, pages } = walk(
            (key) => paginate(keys, (k) => k, request({ key, limit: BigInt(limit), reverse, countTotal }), options),
            keys.length + 2,
          );
          expect(items).toEqual(reverse ? [...keys].reverse() : keys);
          expect(pages.length).toBe(Math.max(1, Math.ceil(keys.length / size)));
          for (const page of pages.slice(0, -1)) expect(page.items.length).toBe(size);
          // The first page (no key) counts when asked or when no limit is sent; key pages never do.
          expect(pages[0]!.pagination.total).toBe(countTotal || limit === 0 ? BigInt(keys.length) : 0n);
          for (const page of pages.slice(1)) expect(page.pagination.total).toBe(0n);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('the page at offset n x limit equals the n-th page walked by keys, next_key included', () => {
    fc.assert(
      fc.property(sortedKeys, fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.nat(12), (keys, limit, reverse, n) => {
        const byKeys = walk((key) => paginate(keys, (k) => k, request({ key, limit: BigInt(limit), reverse })), keys.length + 2).pages;
        const byOffset = paginate(keys, (k) => k, request({ offset: BigInt(n * limit), limit: BigInt(limit), reverse, countTotal: true }));
        const expected = byKeys[n];
        expect(byOffset.items).toEqual(expected?.items ?? []);
        expect(decoder.decode(byOffset.pagination.nextKey)).toBe(decoder.decode(expected?.pagination.nextKey ?? new Uint8Array()));
        expect(byOffset.pagination.total).toBe(BigInt(keys.length));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a key that is no item starts at the next item in the direction read; a key with an offset is sdk/18', () => {
    fc.assert(
      fc.property(sortedKeys, label, fc.boolean(), fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), (keys, key, reverse, offset) => {
        const page = paginate(keys, (k) => k, request({ key: new TextEncoder().encode(key), limit: 1000n, reverse }));
        const expected = reverse
          ? [...keys].reverse().filter((k) => comparePathKeys(k, key) <= 0)
          : keys.filter((k) => comparePathKeys(k, key) >= 0);
        expect(page.items).toEqual(expected);
        let error: unknown;
        try {
          paginate(keys, (k) => k, request({ key: new TextEncoder().encode(key), offset }));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(AinError);
        expect(error).toMatchObject({ codespace: 'sdk', code: 18 });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a limit past the bound gets the bound; an offset past the end gets an empty last page', () => {
    fc.assert(
      fc.property(
        sortedKeys,
        fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (keys, limit, offset) => {
          const page = paginate(keys, (k) => k, request({ limit, offset }), { maxLimit: 7 });
          const start = offset > BigInt(keys.length) ? keys.length : Number(offset);
          const size = limit > 7n ? 7 : Number(limit);
          expect(page.items).toEqual(keys.slice(start, start + size));
          expect(page.pagination.nextKey.length > 0).toBe(start + size < keys.length);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('paginateRange (ids first .. end - 1)', () => {
  it('agrees with paginate over the same ids, by keys and by offsets, both directions', () => {
    const ids = (first: bigint, end: bigint) => Array.from({ length: Number(end > first ? end - first : 0n) }, (_, i) => first + BigInt(i));
    const numeric = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        fc.integer({ min: -3, max: 40 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.nat(10),
        fc.boolean(),
        (first, length, limit, reverse, offset, countTotal) => {
          const end = first + BigInt(length);
          const all = ids(first, end);
          const options = { maxLimit: 6 };
          const walked = walk((key) => paginateRange(first, end, request({ key, limit: BigInt(limit), reverse }), options), all.length + 2);
          expect(walked.items).toEqual(reverse ? [...all].reverse() : all);
          const reference = walk(
            (key) =>
              paginate(all, (id) => id.toString(), request({ key, limit: BigInt(limit), reverse }), { ...options, compare: numeric }),
            all.length + 2,
          );
          expect(walked.pages.map((p) => [p.items, decoder.decode(p.pagination.nextKey)])).toEqual(
            reference.pages.map((p) => [p.items, decoder.decode(p.pagination.nextKey)]),
          );
          const at = request({ offset: BigInt(offset), limit: BigInt(limit), reverse, countTotal });
          const range = paginateRange(first, end, at, options);
          const array = paginate(all, (id) => id.toString(), at, { ...options, compare: numeric });
          expect([range.items, decoder.decode(range.pagination.nextKey), range.pagination.total]).toEqual([
            array.items,
            decoder.decode(array.pagination.nextKey),
            array.pagination.total,
          ]);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a key that is not an id is refused with sdk/18 naming the key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 25 }), (key) => {
        fc.pre(!/^[0-9]{1,20}$/.test(key));
        let error: unknown;
        try {
          paginateRange(1n, 10n, request({ key: new TextEncoder().encode(key) }));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(AinError);
        expect(error).toMatchObject({ codespace: 'sdk', code: 18 });
        expect((error as Error).message).toContain('pagination key');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('paginateList (items grouped from a subtree read in path order)', () => {
  it('walking by next_key gives each item once with all its leaves, in path order', () => {
    const leafPaths = fc.uniqueArray(fc.tuple(label, label, fc.option(label, { nil: undefined })), { maxLength: 40 });
    fc.assert(
      fc.property(
        leafPaths,
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        (labels, depth, limit, reverse) => {
          const leaves: Record<string, StateValue> = {};
          for (const [a, b, c] of labels) {
            // A path that is also a prefix of another would not be a leaf: keep the longer one only.
            leaves[`/root/${a}/${b}${c === undefined ? '' : `/${c}`}`] = 1;
          }
          for (const path of Object.keys(leaves)) {
            if (Object.keys(leaves).some((other) => other.startsWith(`${path}/`))) delete leaves[path];
          }
          const sorted = Object.keys(leaves).sort(comparePathKeys);
          const state: ReadableState = {
            get: (path) => leaves[path],
            list: (path, max, from, reverse) =>
              (reverse ? [...sorted].reverse() : sorted)
                .filter((p) => p.startsWith(`${path}/`) && (from === undefined || (reverse ? -1 : 1) * comparePathKeys(p, from) >= 0))
                .slice(0, max)
                .map((p): [string, StateValue] => [p, leaves[p]!]),
          };
          const { items } = walk(
            (key) => paginateList(state, '/root', request({ key, limit: BigInt(limit), reverse }), { scan: 10_000, depth }),
            sorted.length + 2,
          );
          const expectedKeys = [...new Set(sorted.map((p) => p.slice('/root/'.length).split('/').slice(0, depth).join('/')))];
          expect(items.map((item) => item.key)).toEqual(reverse ? expectedKeys.reverse() : expectedKeys);
          expect(items.flatMap((item) => item.leaves.map(([p]) => p)).sort(comparePathKeys)).toEqual(sorted);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
