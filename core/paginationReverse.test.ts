/**
 * paginateList's reverse and offset pages and its total reach the whole subtree: a reverse page seeks
 * back from its key (or the end) and reads about `limit + 1` items, so walking by next_key reaches
 * every item of a subtree far larger than `scan` backwards, once; an offset page walks in batches of
 * `scan` leaves to its item (refused past the walk bound); `total` counts every item. Each page
 * (items, next_key, total) is the one the SDK's pagination gives over every item.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError } from './errors.ts';
import { CountingState, pad, subtree } from './listState.fixture.ts';
import { pageRequest as request } from './pageRequest.fixture.ts';
import { type ListedItem, type ListOptions, MAX_WALK_LEAVES, MAX_WALK_SCANS, paginate, paginateList } from './pagination.ts';
import type { ReadableState, StateValue } from './state.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keys = (n: number) => Array.from({ length: n }, (_, i) => pad(i));

/** Walks every reverse page from `first`, returning the keys seen and the most leaves one page read. */
function walkBack(
  state: CountingState,
  options: ListOptions,
  limit: bigint,
  first = new Uint8Array(),
): { keys: string[]; mostRead: number } {
  const seen: string[] = [];
  let key: Uint8Array = first;
  let mostRead = 0;
  for (let pages = 0; pages < 10_000; pages++) {
    state.leavesRead = 0;
    const { items, pagination } = paginateList(state, '/r', request({ key, limit, reverse: true }), options);
    mostRead = Math.max(mostRead, state.leavesRead);
    for (const item of items) {
      // Each item's leaves in path order, as forwards.
      expect(item.leaves.map(([p]) => p)).toEqual(item.leaves.map(([p]) => p).sort());
      seen.push(item.key);
    }
    if (pagination.nextKey.length === 0) return { keys: seen, mostRead };
    key = pagination.nextKey;
  }
  throw new Error('no last page');
}

/** Every item of `/r` (depth labels), grouped as a page would group them: the reference pages run over these. */
function allItems(state: CountingState, depth: number): ListedItem[] {
  const all: ListedItem[] = [];
  for (const leaf of state.list('/r', Infinity)) {
    const itemKey = leaf[0].slice('/r/'.length).split('/').slice(0, depth).join('/');
    const last = all[all.length - 1];
    if (last?.key === itemKey) last.leaves.push(leaf);
    else all.push({ key: itemKey, leaves: [leaf] });
  }
  return all;
}

describe('paginateList: reverse pages seek back from their key', () => {
  it('reaches all 500 items of a subtree with scan 50 backwards, once, each page reading limit + 2 leaves', () => {
    const state = subtree(500, 1);
    const { keys: seen, mostRead } = walkBack(state, { scan: 50 }, 10n);
    expect(seen).toEqual(keys(500).reverse());
    expect(mostRead).toBe(12);
  });

  it('with items of several leaves, items refused and a scan smaller than the page', () => {
    const accept = (item: ListedItem) => Number(item.key) % 5 !== 0;
    const wide = walkBack(subtree(500, 3), { scan: 100_000, accept }, 20n);
    expect(wide.keys).toEqual(
      keys(500)
        .filter((k) => Number(k) % 5 !== 0)
        .reverse(),
    );
    expect(wide.mostRead).toBeLessThanOrEqual(27 * 3);
    const narrow = walkBack(subtree(300, 4), { scan: 10 }, 100n);
    expect(narrow.keys).toEqual(keys(300).reverse());
    expect(narrow.mostRead).toBe(11);
  });

  it('serves an item larger than scan cut (its last leaves) and goes on to the one before it', () => {
    const leaves: Array<[string, StateValue]> = [['/r/a/x', 1]];
    for (let j = 0; j < 30; j++) leaves.push([`/r/b/${pad(j)}`, j]);
    leaves.push(['/r/c/x', 1], ['/r/d/x', 1]);
    const state = new CountingState(leaves);
    expect(walkBack(state, { scan: 10 }, 5n).keys).toEqual(['d', 'c', 'b', 'a']);
    const cut = paginateList(state, '/r', request({ key: encoder.encode('b'), limit: 5n, reverse: true }), { scan: 10 });
    // As forwards, `scan` leaves and the one more read: here the item's last 11, in path order.
    const forward = paginateList(state, '/r', request({ key: encoder.encode('b'), limit: 5n }), { scan: 10 });
    expect(cut.items.map((item) => [item.key, item.leaves.length])).toEqual([['b', forward.items[0]!.leaves.length]]);
    expect(cut.items[0]!.leaves.map(([p]) => p)).toEqual(Array.from({ length: 11 }, (_, j) => `/r/b/${pad(19 + j)}`));
    expect(decoder.decode(cut.pagination.nextKey)).toBe('a');
  });

  it('a reverse page with a key starts at that item, reading only about the page', () => {
    const state = subtree(1_000, 1);
    const page = paginateList(state, '/r', request({ key: encoder.encode('0700'), limit: 10n, reverse: true }), { scan: 50 });
    expect(page.items.map((item) => item.key)).toEqual(keys(701).slice(691).reverse());
    expect(decoder.decode(page.pagination.nextKey)).toBe('0690');
    expect(state.leavesRead).toBeLessThanOrEqual(13);
  });
});

describe('paginateList: offset pages and total over the whole subtree', () => {
  it('serves offset pages past scan in both directions, and counts every item', () => {
    const state = subtree(500, 2);
    const forward = paginateList(state, '/r', request({ offset: 430n, limit: 10n, countTotal: true }), { scan: 50 });
    expect(forward.items.map((item) => item.key)).toEqual(keys(440).slice(430));
    expect(forward.pagination).toEqual({ nextKey: encoder.encode('0440'), total: 500n });
    const back = paginateList(state, '/r', request({ offset: 430n, limit: 10n, reverse: true }), { scan: 50 });
    expect(back.items.map((item) => item.key)).toEqual(keys(70).slice(60).reverse());
    expect(back.pagination).toEqual({ nextKey: encoder.encode('0059'), total: 0n });
    const past = paginateList(state, '/r', request({ offset: 600n, limit: 10n, countTotal: true }), { scan: 50 });
    expect(past).toEqual({ items: [], pagination: { nextKey: new Uint8Array(), total: 500n } });
    // No limit sent: a page of the default size, with the total (as the SDK).
    expect(paginateList(state, '/r', request({ reverse: true }), { scan: 50 }).pagination.total).toBe(500n);
  });

  it('refuses an offset or a total asked for past MAX_WALK_SCANS x scan leaves, naming the field and the bound', () => {
    const scan = 3;
    const bound = MAX_WALK_SCANS * scan;
    const state = subtree(bound + 10, 1);
    expect(paginateList(state, '/r', request({ offset: BigInt(bound - 1), limit: 1n }), { scan }).items[0]!.key).toBe(pad(bound - 1));
    const refusal = (page: Parameters<typeof request>[0]) => {
      try {
        paginateList(state, '/r', request(page), { scan });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const offset = refusal({ offset: BigInt(bound + 5), limit: 1n });
    expect(offset).toBeInstanceOf(AinError);
    expect(offset).toMatchObject({ codespace: 'sdk', code: 18 });
    expect((offset as Error).message).toMatch(new RegExp(`pagination.offset ${bound + 5} .*${bound} leaves`));
    const total = refusal({ limit: 1n, countTotal: true, reverse: true });
    expect(total).toMatchObject({ codespace: 'sdk', code: 18 });
    expect((total as Error).message).toMatch(new RegExp(`pagination.count_total.*${bound} leaves`));
    // A total only implied by sending no limit is left out, and the page served.
    const implied = paginateList(state, '/r', undefined, { scan });
    expect(implied.items).toHaveLength(scan);
    expect(implied.pagination.total).toBe(0n);
  });
});

describe('a walk over a list with a large scan', () => {
  it('reads at most MAX_WALK_LEAVES leaves, however large 100 x scan is (Accounts scans 200,000 a page)', () => {
    // A subtree of endless one-leaf items /r/<12 digits>, made as they are read.
    let leavesRead = 0;
    const label = (i: number) => String(i).padStart(12, '0');
    const endless: ReadableState = {
      get: () => undefined,
      list(_path, limit, from) {
        const start = from === undefined ? 0 : Number(from.slice('/r/'.length));
        leavesRead += limit;
        return Array.from({ length: limit }, (_, i): [string, StateValue] => [`/r/${label(start + i)}`, 1]);
      },
    };
    const scan = 200_000;
    expect(MAX_WALK_SCANS * scan).toBeGreaterThan(MAX_WALK_LEAVES);
    expect(() => paginateList(endless, '/r', request({ offset: 1_500_000n, limit: 1n }), { scan })).toThrow(
      new RegExp(`pagination.offset 1500000 lies past the ${MAX_WALK_LEAVES} leaves`),
    );
    expect(leavesRead).toBeLessThanOrEqual(MAX_WALK_LEAVES + scan + 1);
  });
});

describe('paginateList agrees with the SDK pagination over every item (property)', () => {
  it('reverse and offset pages: items, next_key and total (random keys, offsets, limits, depths, scans)', () => {
    const label = fc.constantFrom('a', 'b', 'a!', 'a-b', 'b0', '~', '\u00e9');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(label, label, label), { maxLength: 40, selector: (t) => t.join('/') }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 6 }),
        fc.oneof(label, fc.constantFrom('', 'a\u0000', 'a/b', 'a!/a!/a', '\u0000', '\uffff', 'a//b', '/a', 'a/', 'b/\ud800x', 'a\u0080')),
        fc.integer({ min: 0, max: 45 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1, 4, 10_000),
        (paths, depth, limit, key, offset, reverse, acceptAll, countTotal, scan) => {
          const state = new CountingState(paths.map(([a, b, c]): [string, StateValue] => [`/r/${a}/${b}/${c}`, 1]));
          const accept = acceptAll ? undefined : (item: ListedItem) => !item.key.startsWith('b');
          const options: ListOptions = accept === undefined ? { scan: 10_000, depth } : { scan: 10_000, depth, accept };
          const all = allItems(state, depth);
          const byKey = request({ key: encoder.encode(key), limit: BigInt(limit), countTotal, reverse });
          expect(paginateList(state, '/r', byKey, options)).toEqual(paginate(accept ? all.filter(accept) : all, (item) => item.key, byKey));
          const byOffset = request({ offset: BigInt(offset), limit: BigInt(limit), countTotal, reverse });
          const expected = paginate(accept ? all.filter(accept) : all, (item) => item.key, byOffset);
          expect(paginateList(state, '/r', byOffset, options)).toEqual(expected);
          // With a small scan the walk to the offset goes by batches of `scan` leaves; the page served
          // is the one a key page from that item gives (bounded by `scan` as any page), the total the same.
          const first = expected.items[0];
          const small = paginateList(state, '/r', byOffset, { ...options, scan });
          const fromKey =
            first === undefined
              ? { items: [], pagination: { nextKey: new Uint8Array(), total: 0n } }
              : paginateList(state, '/r', request({ key: encoder.encode(first.key), limit: BigInt(limit), reverse }), { ...options, scan });
          expect(small).toEqual({ items: fromKey.items, pagination: { ...fromKey.pagination, total: expected.pagination.total } });
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });
});
