/**
 * Elo ratings of workers, in integers: ratings are thousandths of a point (1500.000 = 1_500_000),
 * expected scores are millionths. No floating point: the logistic curve 1 / (1 + 10^(d/400)) is
 * the table below, computed once offline for d = 0, 25, ..., 800 points and rounded to the nearest
 * millionth, and read between its points by linear interpolation rounded down.
 */

export const INITIAL_RATING = 1_500_000n;
/** K = 32 points per game, in thousandths. */
export const K_FACTOR = 32_000n;
const SCALE = 1_000_000n;
/** Table step: 25 points, in thousandths. */
const STEP = 25_000n;
/** Expected score (millionths) of a player rated d = 0, 25, ..., 800 points below its opponent. */
export const EXPECTED_BELOW: readonly bigint[] = [
  500000n,
  464084n,
  428537n,
  393712n,
  359935n,
  327490n,
  296615n,
  267493n,
  240253n,
  214973n,
  191682n,
  170367n,
  150980n,
  133443n,
  117662n,
  103523n,
  90909n,
  79695n,
  69758n,
  60978n,
  53240n,
  46435n,
  40463n,
  35231n,
  30653n,
  26654n,
  23164n,
  20122n,
  17472n,
  15166n,
  13160n,
  11416n,
  9901n,
];

/**
 * The expected score (millionths) of a player rated `self` against one rated `opponent`
 * (thousandths of a point). Differences beyond 800 points count as 800.
 * @example expectedScore(1_500_000n, 1_500_000n) // 500000n
 */
export function expectedScore(self: bigint, opponent: bigint): bigint {
  const gap = opponent - self;
  const distance = gap < 0n ? -gap : gap;
  const index = distance / STEP;
  let below: bigint;
  if (index >= BigInt(EXPECTED_BELOW.length - 1)) below = EXPECTED_BELOW[EXPECTED_BELOW.length - 1]!;
  else {
    const from = EXPECTED_BELOW[Number(index)]!;
    const to = EXPECTED_BELOW[Number(index) + 1]!;
    below = from - ((from - to) * (distance % STEP)) / STEP;
  }
  return gap >= 0n ? below : SCALE - below;
}

/**
 * New ratings after one request. `places[i]` is player i's place (0 = best; equal places are a
 * draw); every pair of players is a game (1 for the better place, 1/2 each for a draw). Player i
 * moves by K x sum over j of (S_ij - E_ij) / (n - 1), computed from the ratings before the request
 * and rounded toward zero. With fewer than two players nothing changes.
 * @example updateRatings([1_500_000n, 1_500_000n, 1_500_000n], [0, 1, 2]) // [1_516_000n, 1_500_000n, 1_484_000n]
 */
export function updateRatings(ratings: readonly bigint[], places: readonly number[]): bigint[] {
  const n = ratings.length;
  if (n < 2) return [...ratings];
  return ratings.map((rating, i) => {
    let sum = 0n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const score = places[i]! < places[j]! ? SCALE : places[i] === places[j] ? SCALE / 2n : 0n;
      sum += K_FACTOR * (score - expectedScore(rating, ratings[j]!));
    }
    return rating + sum / (SCALE * BigInt(n - 1));
  });
}
