import { describe, expect, it } from 'vitest';
import { RecentResults } from './recentResults.ts';

describe('RecentResults', () => {
  it('returns what was remembered until the capacity is reached, then starts empty', () => {
    const results = new RecentResults<number>(3);
    expect(results.remember('a', 1)).toBe(1);
    results.remember('b', 2);
    results.remember('c', 3);
    expect([results.get('a'), results.get('b'), results.get('c'), results.get('d')]).toEqual([1, 2, 3, undefined]);
    results.remember('d', 4);
    expect([results.get('a'), results.get('b'), results.get('c'), results.get('d')]).toEqual([undefined, undefined, undefined, 4]);
    results.remember('d', 5);
    expect(results.get('d')).toBe(5);
  });
});
