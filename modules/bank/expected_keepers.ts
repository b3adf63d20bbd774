import type { Coin, ReadableState, WritableState } from '../../core/index.ts';

/** A vesting account's locked amount of a denom at a block time (`modules/auth/vesting.ts`). */
export interface VestingLock {
  lockedAmount(denom: string, time: bigint): bigint;
}

/** What bank needs from auth: to know and create accounts, and what of a vesting account is locked. */
export interface AccountKeeper {
  hasAccount(state: ReadableState, address: string): boolean;
  createAccount(state: WritableState, address: string): unknown;
  /** Undefined for an account that is not a vesting account, at no gas. */
  vestingLock(state: ReadableState, address: string): VestingLock | undefined;
  trackDelegation(state: WritableState, address: string, coins: readonly Coin[], time: bigint): void;
  trackUndelegation(state: WritableState, address: string, coins: readonly Coin[]): void;
}
