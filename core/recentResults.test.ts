import { describe, expect, it } from 'vitest';
import { RecentResults } from './recentResults.ts';

describe('RecentResults', () => {
  it('keeps at most its capacity, the entries in use surviving the turnover', () => {
    const results = new RecentResults<number>(4); // two generations of 2
    expect(results.remember('a', 1)).toBe(1);
    results.remember('b', 2);
    results.remember('c', 3); // a and b become the older generation
    expect([results.get('a'), results.get('c'), results.get('z')]).toEqual([1, 3, undefined]);
    // Reading a moved it back to the recent generation ({c, a}); b, unread, goes at the next turnover.
    results.remember('d', 4);
    expect([results.get('b'), results.get('c'), results.get('a'), results.get('d')]).toEqual([undefined, 3, 1, 4]);
    expect(results.size).toBeLessThanOrEqual(4);
    for (let i = 0; i < 100; i++) results.remember(`k${i}`, i);
    expect(results.size).toBeLessThanOrEqual(4);
    expect([results.get('k99'), results.get('k98'), results.get('k97'), results.get('k95')]).toEqual([99, 98, 97, undefined]);
  });

  it('replaces, deletes and clears across both generations', () => {
    const results = new RecentResults<string>(4);
    results.remember('a', 'old');
    results.remember('b', 'x');
    results.remember('c', 'y'); // a is in the older generation now
    results.remember('a', 'new');
    expect(results.get('a')).toBe('new');
    results.remember('d', 'z');
    results.remember('e', 'w'); // turnover: the stale 'old' is dropped, 'new' kept
    expect(results.get('a')).toBe('new');
    results.delete('a');
    expect(results.get('a')).toBeUndefined();
    results.clear();
    expect([results.size, results.get('e')]).toEqual([0, undefined]);
  });
});
