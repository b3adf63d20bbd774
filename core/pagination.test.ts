/**
 * The one pagination of every list query, against the Cosmos SDK's semantics: defaults (limit 100,
 * total counted without a limit), key and offset, both directions, key with offset refused, bounds,
 * the older start_after cursors, items grouped from a subtree's leaves, and ranges of ids.
 */
import { describe, expect, it } from 'vitest';
import { AinError } from './errors.ts';
import { comparePathKeys, pageFrom, type PageRequest, paginate, paginateList, paginateRange } from './pagination.ts';
import type { ReadableState, StateValue } from './state.ts';
import { pageRequest as page } from './pageRequest.fixture.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (key: Uint8Array) => new TextDecoder().decode(key);

/** A sorted in-memory state: `list` as the tree answers it (path order, at or after `from`, at most `limit`). */
function stateOf(leaves: Record<string, StateValue>): ReadableState {
  const sorted = Object.entries(leaves).sort(([a], [b]) => comparePathKeys(a, b));
  return {
    get: (path) => leaves[path],
    list: (path, limit, from) =>
      sorted
        .filter(([p]) => (p === path || p.startsWith(`${path}/`)) && (from === undefined || comparePathKeys(p, from) >= 0))
        .slice(0, limit),
  };
}

/** Every item, following next_key from the first page. */
function walk<T>(get: (request: PageRequest) => { items: T[]; pagination: { nextKey: Uint8Array } }, limit: bigint, reverse = false): T[] {
  const seen: T[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let i = 0; i < 1000; i++) {
    const { items, pagination } = get(page({ key, limit, reverse }));
    seen.push(...items);
    if (pagination.nextKey.length === 0) return seen;
    key = pagination.nextKey;
  }
  throw new Error('no last page');
}

describe('paginate: the SDK semantics over a sorted array', () => {
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));

  it('defaults to 100 and counts the total when no limit is given, as the SDK does', () => {
    const many = Array.from({ length: 250 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const first = paginate(many, (k) => k, undefined);
    expect(first.items).toHaveLength(100);
    expect(first.pagination.total).toBe(250n);
    expect(text(first.pagination.nextKey)).toBe('k100');
  });

  it('pages by key forwards and backwards, each item once, and by offset with count_total', () => {
    expect(walk((r) => paginate(letters, (k) => k, r), 7n)).toEqual(letters);
    expect(walk((r) => paginate(letters, (k) => k, r), 7n, true)).toEqual([...letters].reverse());
    const byOffset = paginate(letters, (k) => k, page({ offset: 24n, limit: 5n, countTotal: true }));
    expect(byOffset.items).toEqual(['y', 'z']);
    expect(byOffset.pagination).toEqual({ nextKey: new Uint8Array(), total: 26n });
    // A key request never counts.
    expect(paginate(letters, (k) => k, page({ key: bytes('c'), limit: 2n, countTotal: true })).pagination.total).toBe(0n);
  });

  it('starts at the first key at or after the given one (at or before, in reverse)', () => {
    const sparse = ['b', 'd', 'f'];
    expect(paginate(sparse, (k) => k, page({ key: bytes('c'), limit: 5n })).items).toEqual(['d', 'f']);
    expect(paginate(sparse, (k) => k, page({ key: bytes('e'), limit: 5n, reverse: true })).items).toEqual(['d', 'b']);
    expect(paginate(sparse, (k) => k, page({ key: bytes('z'), limit: 5n })).items).toEqual([]);
  });

  it('refuses key and offset together, and bounds the limit', () => {
    expect(() => paginate(letters, (k) => k, page({ key: bytes('a'), offset: 1n }))).toThrow(AinError);
    expect(() => paginate(letters, (k) => k, page({ key: bytes('a'), offset: 1n }))).toThrow(/either offset or key/);
    expect(paginate(letters, (k) => k, page({ limit: 1_000_000n }), { maxLimit: 10 }).items).toHaveLength(10);
  });

  it('pageFrom reads the older start_after cursors: the item after "c" is at "c\\u0000"', () => {
    expect(paginate(letters, (k) => k, pageFrom('c\u0000', 2)).items).toEqual(['d', 'e']);
    expect(paginate(letters, (k) => k, pageFrom('', 0)).items).toHaveLength(26);
  });
});

describe('paginateList: items of a subtree of the state tree', () => {
  const state = stateOf({
    '/accounts/ain1a/number': '0',
    '/accounts/ain1a/sequence': '3',
    '/accounts/ain1a/balance/uain': '10',
    '/accounts/ain1b/balance/uain': '5',
    '/accounts/ain1c/number': '1',
    '/accounts/ain1c/sequence': '0',
    '/accountsx/ain1z/number': '9',
  });

  it('groups the leaves of each item and keeps those accepted', () => {
    const accounts = paginateList(state, '/accounts', undefined, {
      scan: 100,
      accept: (item) => item.leaves.some(([path]) => path.endsWith('/number')),
    });
    expect(accounts.items.map((item) => item.key)).toEqual(['ain1a', 'ain1c']);
    expect(accounts.items[0]!.leaves).toHaveLength(3);
    expect(accounts.pagination.total).toBe(2n);
  });

  it('names deeper items by their labels, path order', () => {
    const pending = stateOf({ '/p/0002/7': true, '/p/0001/9': true, '/p/0001/10': true });
    const items = paginateList(pending, '/p', page({ limit: 2n }), { scan: 10, depth: 2 });
    expect(items.items.map((item) => item.key)).toEqual(['0001/10', '0001/9']);
    expect(text(items.pagination.nextKey)).toBe('0002/7');
  });
});

describe('paginateRange: sequential ids', () => {
  it('pages 250 ids both ways by key, and by offset', () => {
    const get = (r: PageRequest) => paginateRange(1n, 251n, r);
    const forwards = walk(get, 100n);
    expect(forwards).toEqual(Array.from({ length: 250 }, (_, i) => BigInt(i + 1)));
    expect(walk(get, 100n, true)).toEqual([...forwards].reverse());
    expect(paginateRange(1n, 251n, page({ offset: 240n, limit: 100n, countTotal: true })).pagination).toEqual({
      nextKey: new Uint8Array(),
      total: 250n,
    });
    expect(() => paginateRange(1n, 5n, page({ key: bytes('x') }))).toThrow(/not an id/);
  });
});
