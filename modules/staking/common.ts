/**
 * What every part of the staking keeper shares: the bounds on records and lists, the keeper's
 * environment (bank, the two pools, the hooks) that the parts receive from `StakingKeeper`, and small
 * helpers for moving stake. The lowest of the keeper's files: it imports none of the others.
 */
import { ainError, ErrInvalidRequest, canonicalJson, type JsonValue } from '../../core/index.ts';
import type { BankKeeper, BlockContext, StakingHooks } from './expected_keepers.ts';
import type { StakingParams } from './params.ts';
import { BondStatus, type Validator } from './validator.ts';

/** Most validator records (any status) the chain holds; creating one more is refused (`staking/100`). */
export const MAX_VALIDATOR_RECORDS = 1000;
/** Most delegations or unbondings one query lists. */
export const MAX_LISTED = 1000;
/** Most queue entries (validators, unbondings, redelegations each) completed at the end of one block; the rest wait. */
export const MAX_MATURE_PER_BLOCK = 1000;

/** What the keeper's parts need of `StakingKeeper`: the bank, the pools' addresses and the installed hooks. */
export interface StakingEnv {
  readonly bank: BankKeeper;
  readonly bondedPool: string;
  readonly notBondedPool: string;
  /** Calls each installed hooks object, in the order installed. */
  callHooks(call: (hooks: StakingHooks) => void): void;
}

export const lastLabel = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
export const asJson = (value: unknown): string => canonicalJson(value as JsonValue);
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export function checkDenom(params: StakingParams, denom: string, field: string): void {
  if (denom !== params.bondDenom) throw ainError(ErrInvalidRequest, `${field} denom is ${denom}; expected ${params.bondDenom}`);
}

/** The pool holding a validator's tokens. */
export function poolOf(env: StakingEnv, validator: Validator): string {
  return validator.status === BondStatus.BOND_STATUS_BONDED ? env.bondedPool : env.notBondedPool;
}

export function moveStake(env: StakingEnv, ctx: BlockContext, params: StakingParams, from: string, to: string, amount: bigint): void {
  if (amount > 0n && from !== to) env.bank.sendCoins(ctx, from, to, [{ denom: params.bondDenom, amount }]);
}
