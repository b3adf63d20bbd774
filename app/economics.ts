/**
 * Genesis economics a wallet believes: the distribution module mints a fixed `block_reward` per block
 * and reports inflation as `block_reward x blocks_per_year / supply` (the mint queries), so both must
 * follow from the chain's block time and its genesis supply. `withBlockEconomics` sets them in an
 * `app_state`: `blocks_per_year` from the block time (one block per `timeout_commit`; the consensus
 * rounds on one machine add a few ms, so real inflation reads slightly below the figure) and the reward
 * that mints `inflation` of the genesis supply of the bond denom in a year. The dev chain and the
 * localnet use it (README "Economics" explains their figures).
 */
import { ainError, BASE_DENOM, ErrInvalidRequest } from '../core/index.ts';
import { type AppState, defaultAppState } from './genesis.ts';

/** A year of 365.25 days, in seconds (the SDK's `blocks_per_year` default is this over 5 s blocks). */
export const SECONDS_PER_YEAR = 31_557_600n;
/** The inflation the dev chain and the localnet start with: 10% a year, in basis points. */
export const GENESIS_INFLATION_BPS = 1_000n;

/** A CometBFT duration (`500ms`, `1s`, `1.5s`) in milliseconds. */
export function durationMillis(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s)$/.exec(text);
  const millis = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!Number.isFinite(millis) || millis < 1) throw ainError(ErrInvalidRequest, `"${text}" is not a duration such as 500ms or 1s`);
  return Math.round(millis);
}

/** Blocks in a year at one block every `blockMillis` ms. */
export function blocksPerYearAt(blockMillis: number): bigint {
  return (SECONDS_PER_YEAR * 1000n) / BigInt(Math.max(1, Math.round(blockMillis)));
}

/** The block reward (rounded to the nearest unit, at least 1) that mints `inflationBps` of `supply` a year. */
export function blockRewardFor(supply: bigint, inflationBps: bigint, blocksPerYear: bigint): bigint {
  const reward = (supply * inflationBps * 2n + blocksPerYear * 10_000n) / (blocksPerYear * 20_000n);
  return reward > 0n ? reward : 1n;
}

/** The genesis supply of `denom`: the sum of the genesis balances. */
export function genesisSupply(state: AppState, denom = BASE_DENOM): bigint {
  let total = 0n;
  for (const entry of state.bank.balances) for (const coin of entry.coins) if (coin.denom === denom) total += BigInt(coin.amount);
  return total;
}

/**
 * `state` with distribution's `blocks_per_year` for blocks every `blockMillis` ms and the
 * `block_reward` that inflates the genesis supply by `inflationBps` a year (other params kept).
 * @example withBlockEconomics(state, 1000) // 1 s blocks, 10%: 31,557,600 blocks a year
 */
export function withBlockEconomics(state: AppState, blockMillis: number, inflationBps = GENESIS_INFLATION_BPS): AppState {
  const blocksPerYear = blocksPerYearAt(blockMillis);
  const reward = blockRewardFor(genesisSupply(state), inflationBps, blocksPerYear);
  const params = state.distribution?.params ?? defaultAppState().distribution!.params;
  return {
    ...state,
    distribution: {
      ...state.distribution,
      params: { ...params, block_reward: reward.toString(), blocks_per_year: blocksPerYear.toString() },
    },
  };
}
