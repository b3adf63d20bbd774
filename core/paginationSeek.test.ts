/**
 * paginateList's forward pages seek to their key: a page reads about `limit + 1` items' leaves
 * wherever it starts, so every item of a subtree far larger than `scan` is reached, once and in
 * order; and each page (items and `next_key`) is the one the SDK's pagination gives over every item.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ListedItem, type ListOptions, pageFrom, paginate, paginateList } from './pagination.ts';
import type { StateValue } from './state.ts';
import { CountingState, pad, subtree } from './listState.fixture.ts';
import { pageRequest as request } from './pageRequest.fixture.ts';

const encoder = new TextEncoder();

/** Walks every page forwards from `first`, returning the keys seen and the most leaves one page read. */
function walk(
  state: CountingState,
  options: ListOptions,
  limit: bigint,
  first: Uint8Array = new Uint8Array(),
): { keys: string[]; mostRead: number } {
  const keys: string[] = [];
  let key: Uint8Array = first;
  let mostRead = 0;
  for (let pages = 0; pages < 10_000; pages++) {
    state.leavesRead = 0;
    const { items, pagination } = paginateList(state, '/r', request({ key, limit }), options);
    mostRead = Math.max(mostRead, state.leavesRead);
    keys.push(...items.map((item) => item.key));
    if (pagination.nextKey.length === 0) return { keys, mostRead };
    key = pagination.nextKey;
  }
  throw new Error('no last page');
}

describe('paginateList: forward pages seek to their key', () => {
  it('reaches all 500 items of a subtree with scan 50, once and in order, each page reading limit + 2 leaves', () => {
    const state = subtree(500, 1);
    const { keys, mostRead } = walk(state, { scan: 50 }, 10n);
    expect(keys).toEqual(Array.from({ length: 500 }, (_, i) => pad(i)));
    // The page's 10 items, the next one (its key) and one leaf to know the next item is whole.
    expect(mostRead).toBe(12);
  });

  it('reads about the page whatever the scan, with items of several leaves and items refused', () => {
    const state = subtree(500, 3);
    const accept = (item: ListedItem) => Number(item.key) % 5 !== 0;
    const { keys, mostRead } = walk(state, { scan: 100_000, accept }, 20n);
    expect(keys).toEqual(Array.from({ length: 500 }, (_, i) => pad(i)).filter((k) => Number(k) % 5 !== 0));
    // 21 accepted items lie among at most 27 items of at most 3 leaves; the subtree has 1,000.
    expect(mostRead).toBeLessThanOrEqual(27 * 3);
  });

  it('with a scan smaller than the page, serves the items read whole and goes on from the one being read', () => {
    const state = subtree(300, 4);
    const { keys, mostRead } = walk(state, { scan: 10 }, 100n);
    expect(keys).toEqual(Array.from({ length: 300 }, (_, i) => pad(i)));
    // The scan bound and one leaf more (whether the subtree goes on).
    expect(mostRead).toBe(11);
  });

  it('counts the total over the whole subtree and still reaches every item', () => {
    const state = subtree(500, 1);
    const first = paginateList(state, '/r', undefined, { scan: 50 });
    expect(first.pagination.total).toBe(500n);
    expect(first.items.map((item) => item.key)).toEqual(Array.from({ length: 50 }, (_, i) => pad(i)));
    const { keys } = walk(state, { scan: 50 }, 100n, first.pagination.nextKey);
    expect([...first.items.map((item) => item.key), ...keys]).toEqual(Array.from({ length: 500 }, (_, i) => pad(i)));
  });

  it('serves a page of scan one-leaf items whole, as the read of the first scan leaves did (bank export reads one page)', () => {
    const exact = paginateList(subtree(50, 1), '/r', request({ limit: 50n }), { scan: 50 });
    expect(exact.items).toHaveLength(50);
    expect(exact.pagination.nextKey).toHaveLength(0);
    const more = paginateList(subtree(60, 1), '/r', request({ limit: 50n }), { scan: 50 });
    expect(more.items).toHaveLength(50);
    expect(new TextDecoder().decode(more.pagination.nextKey)).toBe('0050');
  });

  it('serves an item larger than scan cut, as before, and still goes on to the next one', () => {
    const leaves: Array<[string, StateValue]> = [['/r/a/x', 1]];
    for (let j = 0; j < 30; j++) leaves.push([`/r/b/${pad(j)}`, j]);
    leaves.push(['/r/c/x', 1], ['/r/d/x', 1]);
    const { keys } = walk(new CountingState(leaves), { scan: 10 }, 5n);
    expect(keys).toEqual(['a', 'b', 'c', 'd']);
  });

  it('seeks to an older start_after cursor (`c\\u0000`, not a path) near its item', () => {
    const state = subtree(500, 1);
    const page = paginateList(state, '/r', pageFrom('0300\u0000', 10), { scan: 100_000 });
    expect(page.items.map((item) => item.key)).toEqual(Array.from({ length: 10 }, (_, i) => pad(301 + i)));
    // The cursor's item (read, then skipped), the page, the next item, and a second short batch.
    expect(state.leavesRead).toBeLessThanOrEqual(16);
  });

  it('gives the page and next_key the SDK pagination gives over every item (random keys, limits, depths)', () => {
    const label = fc.constantFrom('a', 'b', 'a!', 'a-b', 'b0', '~', '\u00e9');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(label, label, label), { maxLength: 40, selector: (t) => t.join('/') }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 6 }),
        fc.oneof(label, fc.constantFrom('', 'a\u0000', 'a/b', 'a!/a!/a', '\u0000', '\uffff', 'a//b', '/a', 'a/', 'b/\ud800x')),
        fc.boolean(),
        fc.boolean(),
        (paths, depth, limit, key, acceptAll, countTotal) => {
          const state = new CountingState(paths.map(([a, b, c]): [string, StateValue] => [`/r/${a}/${b}/${c}`, 1]));
          const accept = acceptAll ? undefined : (item: ListedItem) => !item.key.startsWith('b');
          const options: ListOptions = accept === undefined ? { scan: 10_000, depth } : { scan: 10_000, depth, accept };
          const page = request({ key: encoder.encode(key), limit: BigInt(limit), countTotal });
          // The reference: every item of the subtree, paged in memory.
          const all: ListedItem[] = [];
          for (const leaf of state.list('/r', Infinity)) {
            const itemKey = leaf[0].slice('/r/'.length).split('/').slice(0, depth).join('/');
            const last = all[all.length - 1];
            if (last?.key === itemKey) last.leaves.push(leaf);
            else all.push({ key: itemKey, leaves: [leaf] });
          }
          const expected = paginate(accept ? all.filter(accept) : all, (item) => item.key, page);
          expect(paginateList(state, '/r', page, options)).toEqual(expected);
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });
});
