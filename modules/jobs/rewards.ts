/**
 * Reward functions: how a request's worker reward is split over the final ranking, in integer uain.
 * Every function pays out the whole pool when at least one worker is ranked:
 * - WINNER_TAKES_ALL: rank 1 takes the pool.
 * - EVEN_SPLIT: n ranked workers get floor(pool / n) each; the remainder r = pool mod n goes 1 uain
 *   each to ranks 1..r.
 * - RANKED_WEIGHTS: the first k = min(n, weights) ranks are paid; rank i gets floor(pool * w_i / W),
 *   W = w_1 + ... + w_k; the remainder goes to rank 1.
 * With nobody ranked nothing is paid and the caller refunds the pool to the client.
 */
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';

/** Each ranked worker's share, best first (length = `ranked`). */
export function splitReward(pool: bigint, fn: RewardFunction, weights: readonly number[], ranked: number): bigint[] {
  if (ranked === 0) return [];
  const shares = new Array<bigint>(ranked).fill(0n);
  switch (fn) {
    case RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL:
      shares[0] = pool;
      break;
    case RewardFunction.REWARD_FUNCTION_EVEN_SPLIT: {
      const n = BigInt(ranked);
      const remainder = Number(pool % n);
      for (let i = 0; i < ranked; i++) shares[i] = pool / n + (i < remainder ? 1n : 0n);
      break;
    }
    case RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS: {
      const paid = Math.min(ranked, weights.length);
      const total = weights.slice(0, paid).reduce((sum, w) => sum + BigInt(w), 0n);
      let given = 0n;
      for (let i = 0; i < paid; i++) {
        shares[i] = (pool * BigInt(weights[i]!)) / total;
        given += shares[i]!;
      }
      shares[0] = shares[0]! + (pool - given);
      break;
    }
    default:
      throw new Error(`unknown reward function ${fn}`);
  }
  return shares;
}

/** The reward function's name in events and the README ("winner_takes_all", ...). */
export function rewardFunctionName(fn: RewardFunction): string {
  switch (fn) {
    case RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL:
      return 'winner_takes_all';
    case RewardFunction.REWARD_FUNCTION_EVEN_SPLIT:
      return 'even_split';
    case RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS:
      return 'ranked_weights';
    default:
      return 'unspecified';
  }
}
