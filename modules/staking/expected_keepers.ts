import type { Coin, CoinContext, Context, ReadableState } from '../../core/index.ts';
import type { Validator } from './validator.ts';

/**
 * What the staking, distribution and slashing keepers need of a context: the state, events, the
 * block's height and time. A tx's `Context` is one; the block phase after the txs builds one too.
 */
export type BlockContext = Pick<Context, 'state' | 'events' | 'height' | 'blockTimeSeconds'>;

/** What staking needs from bank: move stake between accounts and the two pools, burn slashed stake. */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  /** A delegation leaving the delegator (a vesting account may stake locked coins). */
  delegateCoins(ctx: CoinContext, delegator: string, pool: string, coins: readonly Coin[]): void;
  /** A matured undelegation paid back (a vesting account's still-vesting coins come back locked). */
  undelegateCoins(ctx: CoinContext, pool: string, delegator: string, coins: readonly Coin[]): void;
  burnCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}

/**
 * Called by the staking keeper when validators and delegations change (the SDK's StakingHooks, the
 * subset used here). Distribution pays out rewards before a delegation's shares change and starts the
 * new delegation's reward period after; slashing starts a validator's signing info when it bonds.
 */
export interface StakingHooks {
  afterValidatorBonded?(ctx: BlockContext, validator: Validator): void;
  /** The validator record is gone (unbonded, no shares left). */
  afterValidatorRemoved?(ctx: BlockContext, validator: Validator): void;
  /** An existing delegation's shares are about to change (or the delegation to be removed). */
  beforeDelegationSharesModified?(ctx: BlockContext, delegator: string, valoper: string): void;
  /** A delegation was created, changed or removed. */
  afterDelegationModified?(ctx: BlockContext, delegator: string, valoper: string): void;
}
