/**
 * Delegations (the SDK's delegation.go, bonding half): reading them, adding stake for shares
 * (MsgDelegate, the self-delegation of a new validator, the destination side of a redelegation) and
 * removing shares for tokens (`unbond`, used by undelegation, redelegation and slashing). Imports
 * `validators.ts` and `common.ts` of the keeper's files.
 */
import { ainError } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { valoperToAccount } from './address.ts';
import { checkDenom, lastLabel, MAX_LISTED, MAX_VALIDATOR_RECORDS, min, moveStake, poolOf, type StakingEnv } from './common.ts';
import {
  ErrDelegatorShareExRateInvalid,
  ErrInsufficientShares,
  ErrNoDelegation,
  ErrNotEnoughDelegationShares,
  ErrPowerTooLarge,
} from './errors.ts';
import { delegateEvent } from './events.ts';
import type { BlockContext } from './expected_keepers.ts';
import { delegationPath, delegatorDelegationsPath, valDelegationPath, valDelegationsPath } from './keys.ts';
import { readStakingParams, type StakingParams } from './params.ts';
import { BondStatus, consensusPower, sharesForUnbond, sharesFromTokens, tokensFromShares, type Validator } from './validator.ts';
import { removeValidator, requireValidator, setValidator } from './validators.ts';

/** CometBFT's cap on total voting power, MaxInt64 / 8: no single validator may pass it. */
export const MAX_VALIDATOR_POWER = (2n ** 63n - 1n) / 8n;

export interface DelegationRecord {
  readonly delegator: string;
  readonly validator: string;
  /** LegacyDec atomics. */
  readonly shares: bigint;
}

export function getDelegation(state: ReadableState, delegator: string, valoper: string): bigint | undefined {
  const shares = state.get(delegationPath(delegator, valoper));
  return typeof shares === 'string' ? BigInt(shares) : undefined;
}

export function delegatorDelegations(state: ReadableState, delegator: string): DelegationRecord[] {
  return state
    .list(delegatorDelegationsPath(delegator), MAX_VALIDATOR_RECORDS)
    .map(([path, shares]) => ({ delegator, validator: lastLabel(path), shares: BigInt(shares as string) }));
}

export function validatorDelegations(state: ReadableState, valoper: string): DelegationRecord[] {
  return state.list(valDelegationsPath(valoper), MAX_LISTED).map(([path]) => {
    const delegator = lastLabel(path);
    return { delegator, validator: valoper, shares: getDelegation(state, delegator, valoper) ?? 0n };
  });
}

function setDelegation(state: WritableState, delegator: string, valoper: string, shares: bigint): void {
  state.set(delegationPath(delegator, valoper), shares.toString());
  state.set(valDelegationPath(valoper, delegator), true);
}

function removeDelegation(state: WritableState, delegator: string, valoper: string): void {
  state.set(delegationPath(delegator, valoper), null);
  state.set(valDelegationPath(valoper, delegator), null);
}

export function initDelegation(state: WritableState, delegator: string, valoper: string, shares: bigint): void {
  setDelegation(state, delegator, valoper, (getDelegation(state, delegator, valoper) ?? 0n) + shares);
}

export function delegate(env: StakingEnv, ctx: BlockContext, delegator: string, valoper: string, denom: string, amount: bigint): bigint {
  const params = readStakingParams(ctx.state);
  checkDenom(params, denom, 'amount');
  const validator = requireValidator(ctx.state, valoper);
  return addDelegation(env, ctx, params, delegator, validator, amount, 'account').shares;
}

/** Delegation from an account (`source` 'account') or of stake already in a pool (redelegation: the source validator's status). */
export function addDelegation(
  env: StakingEnv,
  ctx: BlockContext,
  params: StakingParams,
  delegator: string,
  validator: Validator,
  amount: bigint,
  source: 'account' | BondStatus,
): { validator: Validator; shares: bigint } {
  const valoper = validator.operatorAddress;
  if (validator.tokens === 0n && validator.delegatorShares > 0n) {
    throw ainError(ErrDelegatorShareExRateInvalid, `validator ${valoper} has shares but no tokens (slashed to zero)`);
  }
  const shares = sharesFromTokens(validator, amount);
  if (shares === 0n) throw ainError(ErrInsufficientShares, `${amount}${params.bondDenom} buys no shares of ${valoper}`);
  const next = { ...validator, tokens: validator.tokens + amount, delegatorShares: validator.delegatorShares + shares };
  if (consensusPower(next.tokens) > MAX_VALIDATOR_POWER) {
    throw ainError(
      ErrPowerTooLarge,
      `validator ${valoper} would have power ${consensusPower(next.tokens)}; at most ${MAX_VALIDATOR_POWER}`,
    );
  }
  const existing = getDelegation(ctx.state, delegator, valoper);
  if (existing !== undefined) env.callHooks((h) => h.beforeDelegationSharesModified?.(ctx, delegator, valoper));
  const to = poolOf(env, validator);
  if (source === 'account') {
    // A delegation may stake a vesting account's locked coins (bank tracks delegated_vesting).
    env.bank.delegateCoins(ctx, delegator, to, [{ denom: params.bondDenom, amount }]);
  } else {
    moveStake(env, ctx, params, source === BondStatus.BOND_STATUS_BONDED ? env.bondedPool : env.notBondedPool, to, amount);
  }
  setValidator(ctx.state, validator, next);
  setDelegation(ctx.state, delegator, valoper, (existing ?? 0n) + shares);
  env.callHooks((h) => h.afterDelegationModified?.(ctx, delegator, valoper));
  ctx.events.emit(delegateEvent(valoper, delegator, `${amount}${params.bondDenom}`, shares.toString()));
  return { validator: next, shares };
}

/** The shares to remove for `amount` tokens (rounded up, at most the delegation's), after checking the delegation covers it. */
export function sharesToUnbond(
  state: ReadableState,
  params: StakingParams,
  delegator: string,
  validator: Validator,
  amount: bigint,
): bigint {
  const valoper = validator.operatorAddress;
  const shares = getDelegation(state, delegator, valoper);
  if (shares === undefined)
    throw ainError(ErrNoDelegation, `${delegator} has no delegation to ${valoper}`, { delegator, validator: valoper });
  const value = tokensFromShares(validator, shares);
  if (amount > value) {
    throw ainError(
      ErrNotEnoughDelegationShares,
      `amount ${amount}${params.bondDenom} is more than the delegation's ${value}${params.bondDenom}`,
    );
  }
  return min(sharesForUnbond(validator, amount), shares);
}

/**
 * Removes `shares` from a delegation and the validator; returns the tokens they were worth (at most
 * `cap` unless they were the validator's last shares, which take all its tokens). Jails an operator
 * whose self-delegation falls below its minimum; removes an unbonded validator left without shares.
 */
export function unbond(
  env: StakingEnv,
  ctx: BlockContext,
  delegator: string,
  valoper: string,
  shares: bigint,
  cap: bigint | undefined,
): bigint {
  const delegationShares = getDelegation(ctx.state, delegator, valoper);
  if (delegationShares === undefined) throw ainError(ErrNoDelegation, `${delegator} has no delegation to ${valoper}`);
  if (shares > delegationShares) throw ainError(ErrNotEnoughDelegationShares, `${shares} shares > the delegation's ${delegationShares}`);
  let validator = requireValidator(ctx.state, valoper);
  env.callHooks((h) => h.beforeDelegationSharesModified?.(ctx, delegator, valoper));
  const remaining = delegationShares - shares;
  if (
    delegator === valoperToAccount(valoper) &&
    !validator.jailed &&
    tokensFromShares(validator, remaining) < validator.minSelfDelegation
  ) {
    setValidator(ctx.state, validator, { ...validator, jailed: true });
    validator = { ...validator, jailed: true };
  }
  if (remaining === 0n) removeDelegation(ctx.state, delegator, valoper);
  else setDelegation(ctx.state, delegator, valoper, remaining);
  env.callHooks((h) => h.afterDelegationModified?.(ctx, delegator, valoper));
  const worth = tokensFromShares(validator, shares);
  const amount = shares === validator.delegatorShares || cap === undefined ? worth : min(worth, cap);
  const next = { ...validator, tokens: validator.tokens - amount, delegatorShares: validator.delegatorShares - shares };
  if (next.delegatorShares === 0n && next.status === BondStatus.BOND_STATUS_UNBONDED) removeValidator(env, ctx, validator, next);
  else setValidator(ctx.state, validator, next);
  return amount;
}
