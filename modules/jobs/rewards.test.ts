import { describe, expect, it } from 'vitest';
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';
import { splitReward } from './rewards.ts';

const { REWARD_FUNCTION_WINNER_TAKES_ALL: WTA, REWARD_FUNCTION_EVEN_SPLIT: EVEN, REWARD_FUNCTION_RANKED_WEIGHTS: WEIGHTS } = RewardFunction;

describe('splitReward', () => {
  it('winner takes all', () => {
    expect(splitReward(10n, WTA, [], 3)).toEqual([10n, 0n, 0n]);
    expect(splitReward(10n, WTA, [], 1)).toEqual([10n]);
  });

  it('even split: floor(pool / n) each, the remainder 1 uain each to the best ranked', () => {
    expect(splitReward(10n, EVEN, [], 3)).toEqual([4n, 3n, 3n]);
    expect(splitReward(11n, EVEN, [], 3)).toEqual([4n, 4n, 3n]);
    expect(splitReward(12n, EVEN, [], 3)).toEqual([4n, 4n, 4n]);
    expect(splitReward(2n, EVEN, [], 3)).toEqual([1n, 1n, 0n]);
  });

  it('ranked weights: floor(pool x w / W) over the paid ranks, the remainder to rank 1', () => {
    // 100 x 3/6 = 50, 100 x 2/6 = 33.3 -> 33, 100 x 1/6 = 16.6 -> 16; remainder 1 to rank 1.
    expect(splitReward(100n, WEIGHTS, [3, 2, 1], 3)).toEqual([51n, 33n, 16n]);
    // Only two ranked: W = 3 + 2 = 5: 60, 40.
    expect(splitReward(100n, WEIGHTS, [3, 2, 1], 2)).toEqual([60n, 40n]);
    // More ranked than weights: ranks past the weights get nothing.
    expect(splitReward(10n, WEIGHTS, [1], 3)).toEqual([10n, 0n, 0n]);
    // 7 x 1/3 = 2 each, remainder 1.
    expect(splitReward(7n, WEIGHTS, [1, 1, 1], 3)).toEqual([3n, 2n, 2n]);
  });

  it('pays nothing with nobody ranked, and always the whole pool otherwise', () => {
    expect(splitReward(10n, EVEN, [], 0)).toEqual([]);
    for (const fn of [WTA, EVEN, WEIGHTS]) {
      for (let n = 1; n <= 7; n++) {
        for (const pool of [1n, 7n, 1000n, 999_999_999_999n]) {
          const shares = splitReward(pool, fn, [5, 3, 3, 1], n);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(pool);
          expect(shares.every((s) => s >= 0n)).toBe(true);
        }
      }
    }
  });
});
