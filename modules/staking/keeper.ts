/**
 * `StakingKeeper`, the one object other modules use, and the module's names. The work is split as the
 * SDK splits x/staking's keeper: `validators.ts`, `delegations.ts`, `unbonding.ts`, `slash.ts` and
 * `endBlock.ts`, over `common.ts`; each imports only files below it, and this file imports them all
 * and re-exports their public names, so callers import from here only.
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { moduleAddress } from '../../core/index.ts';
import { valoperToAccount } from './address.ts';
import { MAX_LISTED, type StakingEnv } from './common.ts';
import {
  addDelegation,
  type DelegationRecord,
  delegate,
  delegatorDelegations,
  getDelegation,
  initDelegation,
  validatorDelegations,
} from './delegations.ts';
import { applyValidatorSetUpdates, endBlock } from './endBlock.ts';
import type { BankKeeper, BlockContext, StakingHooks } from './expected_keepers.ts';
import { readStakingParams, type StakingParams } from './params.ts';
import { jail, slash, unjail } from './slash.ts';
import {
  delegatorRedelegations,
  delegatorUnbondings,
  getRedelegation,
  getUnbonding,
  type RedelegationRecord,
  redelegate,
  srcRedelegations,
  type UnbondingRecord,
  undelegate,
  validatorUnbondings,
} from './unbonding.ts';
import type { Validator } from './validator.ts';
import {
  addValidator,
  type CreateValidatorArgs,
  type EditValidatorArgs,
  editValidator,
  getValidator,
  initValidator,
  lastValidatorPowers,
  requireValidator,
  validatorByConsAddress,
  validators,
} from './validators.ts';

export { MAX_LISTED, MAX_MATURE_PER_BLOCK, MAX_VALIDATOR_RECORDS } from './common.ts';
export { type DelegationRecord, MAX_VALIDATOR_POWER } from './delegations.ts';
export type { RedelegationEntry, RedelegationRecord, UnbondingEntry, UnbondingRecord } from './unbonding.ts';
export { COMMISSION_CHANGE_INTERVAL, type CreateValidatorArgs, DO_NOT_MODIFY, type EditValidatorArgs } from './validators.ts';

export const STAKING_MODULE = 'staking';
export const BONDED_POOL_NAME = 'bonded_tokens_pool';
export const NOT_BONDED_POOL_NAME = 'not_bonded_tokens_pool';

/**
 * The only code touching `/staking`: validators, delegations, unbondings, redelegations, the power
 * index and the active set sent to CometBFT. Stake lives in two module accounts: `bonded_tokens_pool`
 * (tokens of bonded validators) and `not_bonded_tokens_pool` (tokens of unbonding and unbonded
 * validators and of unbonding delegations). See README.md for the rules.
 */
export class StakingKeeper {
  readonly bondedPool = moduleAddress(BONDED_POOL_NAME);
  readonly notBondedPool = moduleAddress(NOT_BONDED_POOL_NAME);
  private hooks: readonly StakingHooks[] = [];
  /** What the functions doing the work need of the keeper; reads `hooks` at each call, so `addHooks` applies. */
  private readonly env: StakingEnv;

  constructor(private readonly bank: BankKeeper) {
    this.env = {
      bank,
      bondedPool: this.bondedPool,
      notBondedPool: this.notBondedPool,
      callHooks: (call) => {
        for (const hooks of this.hooks) call(hooks);
      },
    };
  }

  /** Adds another module's hooks (distribution, then slashing, as the app creates them); called in the order added. */
  addHooks(hooks: StakingHooks): void {
    this.hooks = [...this.hooks, hooks];
  }

  params(state: ReadableState): StakingParams {
    return readStakingParams(state);
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  getValidator(state: ReadableState, valoper: string): Validator | undefined {
    return getValidator(state, valoper);
  }

  /** The validator, or `staking/3` naming it. */
  requireValidator(state: ReadableState, valoper: string): Validator {
    return requireValidator(state, valoper);
  }

  /**
   * The validator whose consensus address (hex, as in votes and evidence) this is; undefined once it
   * is removed (the key stays bound to that operator: it can never sign for another validator).
   */
  validatorByConsAddress(state: ReadableState, consHex: string): Validator | undefined {
    return validatorByConsAddress(state, consHex);
  }

  /** Every validator (any status), in operator address order. */
  validators(state: ReadableState): Validator[] {
    return validators(state);
  }

  /** The active set last sent to CometBFT: operator -> power. */
  lastValidatorPowers(state: ReadableState): Map<string, bigint> {
    return lastValidatorPowers(state);
  }

  /** Shares (atomics) of a delegation, undefined when there is none. */
  getDelegation(state: ReadableState, delegator: string, valoper: string): bigint | undefined {
    return getDelegation(state, delegator, valoper);
  }

  /** A delegator's delegations in validator order (at most one per validator, so bounded by the validator count). */
  delegatorDelegations(state: ReadableState, delegator: string): DelegationRecord[] {
    return delegatorDelegations(state, delegator);
  }

  /** A validator's delegations in delegator order, at most {@link MAX_LISTED}. */
  validatorDelegations(state: ReadableState, valoper: string): DelegationRecord[] {
    return validatorDelegations(state, valoper);
  }

  getUnbonding(state: ReadableState, delegator: string, valoper: string): UnbondingRecord | undefined {
    return getUnbonding(state, delegator, valoper);
  }

  /** A delegator's unbonding delegations in validator order. */
  delegatorUnbondings(state: ReadableState, delegator: string): UnbondingRecord[] {
    return delegatorUnbondings(state, delegator);
  }

  /** A validator's unbonding delegations in delegator order, at most `limit`. */
  validatorUnbondings(state: ReadableState, valoper: string, limit: number = MAX_LISTED): UnbondingRecord[] {
    return validatorUnbondings(state, valoper, limit);
  }

  getRedelegation(state: ReadableState, delegator: string, src: string, dst: string): RedelegationRecord | undefined {
    return getRedelegation(state, delegator, src, dst);
  }

  /** A delegator's redelegations in (src, dst) order, at most {@link MAX_LISTED}. */
  delegatorRedelegations(state: ReadableState, delegator: string): RedelegationRecord[] {
    return delegatorRedelegations(state, delegator);
  }

  /** Redelegations out of a validator, at most {@link MAX_LISTED}. */
  srcRedelegations(state: ReadableState, src: string): RedelegationRecord[] {
    return srcRedelegations(state, src);
  }

  /** Balances of the two pools. */
  pool(state: ReadableState): { bonded: bigint; notBonded: bigint } {
    const denom = this.params(state).bondDenom;
    return {
      bonded: this.bank.getBalance(state, this.bondedPool, denom),
      notBonded: this.bank.getBalance(state, this.notBondedPool, denom),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /**
   * MsgCreateValidator: a new unbonded validator with the operator's self-delegation; it joins the
   * active set at the end of the block if its power ranks in the top `max_validators`.
   * @throws AinError staking/4 operator taken, staking/5 key taken, staking/40 rate below the minimum,
   *   staking/100 too many validators, sdk/18 wrong denom, sdk/5 insufficient funds
   */
  createValidator(ctx: BlockContext, args: CreateValidatorArgs): Validator {
    const params = this.params(ctx.state);
    const validator = addValidator(ctx, params, args);
    return addDelegation(this.env, ctx, params, valoperToAccount(args.operator), validator, args.amount, 'account').validator;
  }

  /**
   * MsgEditValidator: description fields (except {@link DO_NOT_MODIFY}), commission rate (at most once
   * per 24 h, within max rate and max change rate, not below the chain's minimum), min self-delegation
   * (may only rise, up to the validator's tokens).
   */
  editValidator(ctx: BlockContext, args: EditValidatorArgs): Validator {
    return editValidator(ctx, args);
  }

  /**
   * MsgDelegate: `amount` of the bond denom from the delegator's account into the validator's pool,
   * for shares at the validator's exchange rate. Returns the new shares.
   * @throws AinError staking/3 no validator, staking/34 validator has shares but no tokens, sdk/18 wrong denom, sdk/5
   */
  delegate(ctx: BlockContext, delegator: string, valoper: string, denom: string, amount: bigint): bigint {
    return delegate(this.env, ctx, delegator, valoper, denom, amount);
  }

  /**
   * MsgUndelegate: removes the shares worth `amount` from the delegation; the tokens wait
   * `unbonding_time` in the not-bonded pool (an unbonding entry), then go to the delegator.
   * @throws AinError staking/3, staking/19 no delegation, staking/24 amount above the delegation, staking/27 too many entries
   */
  undelegate(
    ctx: BlockContext,
    delegator: string,
    valoper: string,
    denom: string,
    amount: bigint,
  ): { completionTime: bigint; amount: bigint } {
    return undelegate(this.env, ctx, delegator, valoper, denom, amount);
  }

  /**
   * MsgBeginRedelegate: moves the shares worth `amount` from `src` to `dst` at once; the moved stake
   * stays slashable for `src`'s infractions until `unbonding_time` passes (a redelegation entry),
   * and may not be redelegated onwards before (`staking/32`). Returns the completion time.
   */
  redelegate(ctx: BlockContext, delegator: string, src: string, dst: string, denom: string, amount: bigint): bigint {
    return redelegate(this.env, ctx, delegator, src, dst, denom, amount);
  }

  // ------------------------------------------------------------------------------------------
  // Slashing's side

  /**
   * Burns `fraction` of the stake the validator had at `infractionHeight` (`power` x 10^6): first from
   * unbonding and redelegation entries created at or after that height (each loses `fraction` of its
   * initial balance, as far as it goes), the rest from the validator's tokens. Returns what the
   * validator's tokens lost. An unknown or unbonded validator is not slashed.
   */
  slash(ctx: BlockContext, consHex: string, infractionHeight: bigint, power: bigint, fraction: bigint): bigint {
    return slash(this.env, ctx, consHex, infractionHeight, power, fraction);
  }

  /** Takes the validator out of the power index; the end of the block drops it from the active set. */
  jail(ctx: BlockContext, valoper: string): void {
    jail(ctx, valoper);
  }

  /** Puts a jailed validator back into the power index (slashing checks when it may). */
  unjail(ctx: BlockContext, valoper: string): void {
    unjail(ctx, valoper);
  }

  // ------------------------------------------------------------------------------------------
  // End of block

  /**
   * After the block's txs (and slashing): the new active set and its updates for CometBFT, then the
   * matured unbonding validators, unbonding delegations and redelegations.
   */
  endBlock(ctx: BlockContext): ValidatorUpdate[] {
    return endBlock(this.env, ctx);
  }

  /**
   * The active set: non-jailed validators with power >= 1, highest power first, ties by operator
   * address bytes (lowest first), at most `max_validators`. Validators entering it are bonded (their
   * tokens move to the bonded pool), those leaving it start unbonding; an update goes to CometBFT for
   * each whose power differs from the last one sent (0 removes it).
   */
  applyValidatorSetUpdates(ctx: BlockContext, params: StakingParams): ValidatorUpdate[] {
    return applyValidatorSetUpdates(this.env, ctx, params);
  }

  // ------------------------------------------------------------------------------------------
  // Genesis

  /** Genesis: a validator record as given (status unbonded, tokens in the not-bonded pool), before `applyValidatorSetUpdates`. */
  initValidator(state: WritableState, validator: Validator): void {
    initValidator(state, validator);
  }

  /** Genesis: a delegation's shares as given (the validator's totals are checked by the caller). */
  initDelegation(state: WritableState, delegator: string, valoper: string, shares: bigint): void {
    initDelegation(state, delegator, valoper, shares);
  }
}
