import type { Context, ReadableState, Coin } from '../../core/index.ts';
import type { StakingParams, Validator } from '../staking/index.ts';

/** What distribution needs from bank: mint block rewards, move fees and rewards, read the fee collector. */
export interface BankKeeper {
  sendCoins(ctx: Pick<Context, 'state' | 'events'>, from: string, to: string, coins: readonly Coin[]): void;
  mintCoins(ctx: Pick<Context, 'state' | 'events'>, address: string, coins: readonly Coin[]): void;
  getAllBalances(state: ReadableState, address: string): Coin[];
  /** The supply of a denom (the mint queries' inflation figure). */
  getSupply(state: ReadableState, denom: string): bigint;
}

/** What distribution reads from staking: validators (by operator and by consensus address) and delegations. */
export interface StakingKeeper {
  params(state: ReadableState): StakingParams;
  getValidator(state: ReadableState, valoper: string): Validator | undefined;
  validatorByConsAddress(state: ReadableState, consHex: string): Validator | undefined;
  getDelegation(state: ReadableState, delegator: string, valoper: string): bigint | undefined;
  delegatorDelegations(state: ReadableState, delegator: string): ReadonlyArray<{ readonly validator: string; readonly shares: bigint }>;
}
