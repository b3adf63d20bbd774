import { describe, expect, it } from 'vitest';
import { EXPECTED_BELOW, expectedScore, updateRatings } from './elo.ts';

describe('expectedScore', () => {
  it('is 1/2 between equals and reads the table at its points', () => {
    expect(expectedScore(1_500_000n, 1_500_000n)).toBe(500_000n);
    expect(expectedScore(1_500_000n, 1_600_000n)).toBe(359_935n); // 100 points below: table[4]
    expect(expectedScore(1_600_000n, 1_500_000n)).toBe(1_000_000n - 359_935n);
    expect(expectedScore(0n, 800_000n)).toBe(9_901n);
    expect(expectedScore(0n, 5_000_000n)).toBe(9_901n); // beyond 800 points: clamped
  });

  it('interpolates linearly, rounding down', () => {
    // 16 points below: 500000 - (500000 - 464084) x 16000 / 25000 = 500000 - 22986.24 -> 500000 - 22986 = 477014.
    expect(expectedScore(1_500_000n, 1_516_000n)).toBe(477_014n);
    expect(expectedScore(1_516_000n, 1_500_000n)).toBe(522_986n);
  });

  it('decreases with the gap', () => {
    for (let i = 1; i < EXPECTED_BELOW.length; i++) expect(EXPECTED_BELOW[i]! < EXPECTED_BELOW[i - 1]!).toBe(true);
  });
});

describe('updateRatings', () => {
  it('moves three equal players by +16, 0, -16 points (K = 32, pairs averaged over n - 1)', () => {
    expect(updateRatings([1_500_000n, 1_500_000n, 1_500_000n], [0, 1, 2])).toEqual([1_516_000n, 1_500_000n, 1_484_000n]);
  });

  it('counts equal places as draws', () => {
    expect(updateRatings([1_500_000n, 1_500_000n, 1_500_000n], [0, 1, 1])).toEqual([1_516_000n, 1_492_000n, 1_492_000n]);
  });

  it('hand-computed: an upset between unequal players, rounded toward zero', () => {
    // B (1500) beats A (1516) and C (1484); A beats C.
    // E(B vs A) = 477014, E(B vs C) = 522986 (16 points above), E(A vs C) = 1e6 - E(32 below):
    //   E(32 below) = 464084 - (464084 - 428537) x 7000 / 25000 = 464084 - 9953.16 -> 454131; so E(A vs C) = 545869.
    // B: 32000 x ((1e6 - 477014) + (1e6 - 522986)) / (1e6 x 2) = 32000 x 1000000 / 2e6 = +16000
    // A: 32000 x ((0 - 522986) + (1e6 - 545869)) / 2e6 = 32000 x -68855 / 2e6 = -1101.68 -> -1101
    // C: 32000 x ((0 - 477014) + (0 - 454131)) / 2e6 = -14898.32 -> -14898
    expect(updateRatings([1_516_000n, 1_500_000n, 1_484_000n], [1, 0, 2])).toEqual([1_514_899n, 1_516_000n, 1_469_102n]);
  });

  it('leaves a lone player unchanged', () => {
    expect(updateRatings([1_500_000n], [0])).toEqual([1_500_000n]);
  });
});
