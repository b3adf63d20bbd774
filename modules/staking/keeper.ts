import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { ainError, ErrInvalidRequest, ErrLogic } from '../../core/errors.ts';
import type { ReadableState, WritableState } from '../../core/state.ts';
import { moduleAddress } from '../../core/address.ts';
import { canonicalJson } from '../state/json.ts';
import type { JsonValue } from '../state/rules/types.ts';
import { consAddressHex, valoperHex, valoperToAccount } from './address.ts';
import { mulDecTruncate } from '../../core/decimals.ts';
import {
  ErrBadRedelegationDst,
  ErrCommissionGTMaxChangeRate,
  ErrCommissionGTMaxRate,
  ErrCommissionLTMinRate,
  ErrCommissionUpdateTime,
  ErrDelegatorShareExRateInvalid,
  ErrInsufficientShares,
  ErrMaxRedelegationEntries,
  ErrMaxUnbondingDelegationEntries,
  ErrMinSelfDelegationDecreased,
  ErrNoDelegation,
  ErrNotEnoughDelegationShares,
  ErrNoValidatorFound,
  ErrPowerTooLarge,
  ErrSelfDelegationBelowMinimum,
  ErrSelfRedelegation,
  ErrTinyRedelegationAmount,
  ErrTooManyValidators,
  ErrTransitiveRedelegation,
  ErrValidatorOwnerExists,
  ErrValidatorPubKeyExists,
} from './errors.ts';
import {
  completeRedelegationEvent,
  completeUnbondingEvent,
  createValidatorEvent,
  delegateEvent,
  editValidatorEvent,
  redelegateEvent,
  unbondEvent,
} from './events.ts';
import type { BankKeeper, BlockContext, StakingHooks } from './expected_keepers.ts';
import {
  byConsPath,
  delegationPath,
  delegatorDelegationsPath,
  delegatorRedelegationsPath,
  delegatorUnbondingPath,
  LAST_POWER_ROOT,
  LAST_TOTAL_POWER_PATH,
  labelsAfter,
  lastPowerPath,
  NEXT_UNBONDING_ID_PATH,
  POWER_ROOT,
  powerIndexPath,
  RED_QUEUE_ROOT,
  redByDstPath,
  redBySrcPath,
  redelegationPath,
  redQueuePath,
  UBD_QUEUE_ROOT,
  ubdQueuePath,
  unbondingPath,
  VAL_QUEUE_ROOT,
  VALIDATOR_COUNT_PATH,
  VALIDATORS_ROOT,
  valDelegationPath,
  valDelegationsPath,
  validatorPath,
  valQueuePath,
  valUnbondingPath,
  valUnbondingsPath,
} from './keys.ts';
import { MAX_MAX_VALIDATORS, POWER_REDUCTION, readStakingParams, type StakingParams } from './params.ts';
import {
  BondStatus,
  type Commission,
  consensusPower,
  type Description,
  sharesForUnbond,
  sharesFromTokens,
  tokensFromShares,
  type Validator,
  validatorFromJson,
  validatorToJson,
} from './validator.ts';

export const STAKING_MODULE = 'staking';
export const BONDED_POOL_NAME = 'bonded_tokens_pool';
export const NOT_BONDED_POOL_NAME = 'not_bonded_tokens_pool';
/** Most validator records (any status) the chain holds; creating one more is refused (`staking/100`). */
export const MAX_VALIDATOR_RECORDS = 1000;
/** Most delegations or unbondings one query lists. */
export const MAX_LISTED = 1000;
/** Most queue entries (validators, unbondings, redelegations each) completed at the end of one block; the rest wait. */
export const MAX_MATURE_PER_BLOCK = 1000;
/** CometBFT's cap on total voting power, MaxInt64 / 8: no single validator may pass it. */
export const MAX_VALIDATOR_POWER = (2n ** 63n - 1n) / 8n;
/** Seconds between two commission changes (the SDK's 24 h). */
export const COMMISSION_CHANGE_INTERVAL = 86_400n;
/** The description value of MsgEditValidator that keeps a field as it is. */
export const DO_NOT_MODIFY = '[do-not-modify]';

/** One undelegation waiting for the unbonding time (tokens in the not-bonded pool). */
export interface UnbondingEntry {
  readonly creationHeight: bigint;
  readonly completionTime: bigint;
  readonly initialBalance: bigint;
  /** What will be paid: the initial balance minus slashes. */
  readonly balance: bigint;
  readonly unbondingId: bigint;
}

/** One redelegation still slashable for infractions of the source validator. */
export interface RedelegationEntry {
  readonly creationHeight: bigint;
  readonly completionTime: bigint;
  readonly initialBalance: bigint;
  /** Shares (atomics) created at the destination. */
  readonly sharesDst: bigint;
  readonly unbondingId: bigint;
}

export interface DelegationRecord {
  readonly delegator: string;
  readonly validator: string;
  /** LegacyDec atomics. */
  readonly shares: bigint;
}

export interface UnbondingRecord {
  readonly delegator: string;
  readonly validator: string;
  readonly entries: readonly UnbondingEntry[];
}

export interface RedelegationRecord {
  readonly delegator: string;
  readonly src: string;
  readonly dst: string;
  readonly entries: readonly RedelegationEntry[];
}

/** What MsgCreateValidator asks for, checked statelessly already (`msgs.ts`). */
export interface CreateValidatorArgs {
  readonly operator: string;
  readonly pubkey: Uint8Array;
  readonly amount: bigint;
  readonly denom: string;
  readonly description: Description;
  readonly commission: Omit<Commission, 'updateTime'>;
  readonly minSelfDelegation: bigint;
}

/** What MsgEditValidator asks for: undefined keeps a value. */
export interface EditValidatorArgs {
  readonly operator: string;
  readonly description: Description;
  readonly commissionRate: bigint | undefined;
  readonly minSelfDelegation: bigint | undefined;
}

const lastLabel = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const asJson = (value: unknown): string => canonicalJson(value as JsonValue);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

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

  constructor(private readonly bank: BankKeeper) {}

  /** Installs the other modules' hooks (distribution, slashing), called in the order given. */
  setHooks(hooks: readonly StakingHooks[]): void {
    this.hooks = hooks;
  }

  params(state: ReadableState): StakingParams {
    return readStakingParams(state);
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  getValidator(state: ReadableState, valoper: string): Validator | undefined {
    const text = state.get(validatorPath(valoper));
    return typeof text === 'string' ? validatorFromJson(JSON.parse(text)) : undefined;
  }

  /** The validator, or `staking/3` naming it. */
  requireValidator(state: ReadableState, valoper: string): Validator {
    const validator = this.getValidator(state, valoper);
    if (!validator) throw ainError(ErrNoValidatorFound, `validator ${valoper} does not exist`, { validator: valoper });
    return validator;
  }

  /**
   * The validator whose consensus address (hex, as in votes and evidence) this is; undefined once it
   * is removed (the key stays bound to that operator: it can never sign for another validator).
   */
  validatorByConsAddress(state: ReadableState, consHex: string): Validator | undefined {
    const valoper = state.get(byConsPath(consHex));
    const validator = typeof valoper === 'string' ? this.getValidator(state, valoper) : undefined;
    return validator?.consAddress === consHex ? validator : undefined;
  }

  /** Every validator (any status), in operator address order. */
  validators(state: ReadableState): Validator[] {
    return state.list(VALIDATORS_ROOT, MAX_VALIDATOR_RECORDS).map(([, text]) => validatorFromJson(JSON.parse(text as string)));
  }

  /** The active set last sent to CometBFT: operator -> power. */
  lastValidatorPowers(state: ReadableState): Map<string, bigint> {
    return new Map(state.list(LAST_POWER_ROOT, MAX_MAX_VALIDATORS * 2).map(([path, power]) => [lastLabel(path), BigInt(power as string)]));
  }

  /** Shares (atomics) of a delegation, undefined when there is none. */
  getDelegation(state: ReadableState, delegator: string, valoper: string): bigint | undefined {
    const shares = state.get(delegationPath(delegator, valoper));
    return typeof shares === 'string' ? BigInt(shares) : undefined;
  }

  /** A delegator's delegations in validator order (at most one per validator, so bounded by the validator count). */
  delegatorDelegations(state: ReadableState, delegator: string): DelegationRecord[] {
    return state
      .list(delegatorDelegationsPath(delegator), MAX_VALIDATOR_RECORDS)
      .map(([path, shares]) => ({ delegator, validator: lastLabel(path), shares: BigInt(shares as string) }));
  }

  /** A validator's delegations in delegator order, at most {@link MAX_LISTED}. */
  validatorDelegations(state: ReadableState, valoper: string): DelegationRecord[] {
    return state.list(valDelegationsPath(valoper), MAX_LISTED).map(([path]) => {
      const delegator = lastLabel(path);
      return { delegator, validator: valoper, shares: this.getDelegation(state, delegator, valoper) ?? 0n };
    });
  }

  getUnbonding(state: ReadableState, delegator: string, valoper: string): UnbondingRecord | undefined {
    const text = state.get(unbondingPath(delegator, valoper));
    if (typeof text !== 'string') return undefined;
    const entries = (JSON.parse(text) as { entries: Record<string, string>[] }).entries.map((e) => ({
      creationHeight: BigInt(e['creation_height']!),
      completionTime: BigInt(e['completion_time']!),
      initialBalance: BigInt(e['initial_balance']!),
      balance: BigInt(e['balance']!),
      unbondingId: BigInt(e['unbonding_id']!),
    }));
    return { delegator, validator: valoper, entries };
  }

  /** A delegator's unbonding delegations in validator order. */
  delegatorUnbondings(state: ReadableState, delegator: string): UnbondingRecord[] {
    return state
      .list(delegatorUnbondingPath(delegator), MAX_VALIDATOR_RECORDS)
      .map(([path]) => this.getUnbonding(state, delegator, lastLabel(path))!);
  }

  /** A validator's unbonding delegations in delegator order, at most `limit`. */
  validatorUnbondings(state: ReadableState, valoper: string, limit: number = MAX_LISTED): UnbondingRecord[] {
    return state.list(valUnbondingsPath(valoper), limit).map(([path]) => this.getUnbonding(state, lastLabel(path), valoper)!);
  }

  getRedelegation(state: ReadableState, delegator: string, src: string, dst: string): RedelegationRecord | undefined {
    const text = state.get(redelegationPath(delegator, src, dst));
    if (typeof text !== 'string') return undefined;
    const entries = (JSON.parse(text) as { entries: Record<string, string>[] }).entries.map((e) => ({
      creationHeight: BigInt(e['creation_height']!),
      completionTime: BigInt(e['completion_time']!),
      initialBalance: BigInt(e['initial_balance']!),
      sharesDst: BigInt(e['shares_dst']!),
      unbondingId: BigInt(e['unbonding_id']!),
    }));
    return { delegator, src, dst, entries };
  }

  /** A delegator's redelegations in (src, dst) order, at most {@link MAX_LISTED}. */
  delegatorRedelegations(state: ReadableState, delegator: string): RedelegationRecord[] {
    const root = delegatorRedelegationsPath(delegator);
    return state.list(root, MAX_LISTED).map(([path]) => {
      const [src, dst] = labelsAfter(root, path);
      return this.getRedelegation(state, delegator, src!, dst!)!;
    });
  }

  /** Redelegations out of a validator, at most {@link MAX_LISTED}. */
  srcRedelegations(state: ReadableState, src: string): RedelegationRecord[] {
    const root = redBySrcPath(src);
    return state.list(root, MAX_LISTED).map(([path]) => {
      const [delegator, dst] = labelsAfter(root, path);
      return this.getRedelegation(state, delegator!, src, dst!)!;
    });
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
    if (args.denom !== params.bondDenom) {
      throw ainError(ErrInvalidRequest, `value denom is ${args.denom}; expected ${params.bondDenom}`);
    }
    if (this.getValidator(ctx.state, args.operator)) {
      throw ainError(ErrValidatorOwnerExists, `validator ${args.operator} exists`, { validator: args.operator });
    }
    const consAddress = consAddressHex(args.pubkey);
    if (ctx.state.get(byConsPath(consAddress)) !== undefined) {
      throw ainError(
        ErrValidatorPubKeyExists,
        `consensus key ${Buffer.from(args.pubkey).toString('base64')} belongs to a validator, now or before`,
      );
    }
    if (args.commission.rate < params.minCommissionRate) {
      throw ainError(
        ErrCommissionLTMinRate,
        `commission rate ${args.commission.rate} atomics is below the minimum ${params.minCommissionRate}`,
      );
    }
    const count = Number(ctx.state.get(VALIDATOR_COUNT_PATH) ?? 0);
    if (count >= MAX_VALIDATOR_RECORDS)
      throw ainError(ErrTooManyValidators, `the chain holds ${count} validators; at most ${MAX_VALIDATOR_RECORDS}`);
    const validator: Validator = {
      operatorAddress: args.operator,
      consensusPubkey: Buffer.from(args.pubkey).toString('base64'),
      consAddress,
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens: 0n,
      delegatorShares: 0n,
      description: args.description,
      unbondingHeight: 0n,
      unbondingTime: 0n,
      commission: { ...args.commission, updateTime: ctx.blockTimeSeconds },
      minSelfDelegation: args.minSelfDelegation,
    };
    this.setValidator(ctx.state, undefined, validator);
    ctx.state.set(byConsPath(consAddress), args.operator);
    ctx.state.set(VALIDATOR_COUNT_PATH, String(count + 1));
    ctx.events.emit(createValidatorEvent(args.operator, `${args.amount}${args.denom}`));
    return this.addDelegation(ctx, params, valoperToAccount(args.operator), validator, args.amount, 'account').validator;
  }

  /**
   * MsgEditValidator: description fields (except {@link DO_NOT_MODIFY}), commission rate (at most once
   * per 24 h, within max rate and max change rate, not below the chain's minimum), min self-delegation
   * (may only rise, up to the validator's tokens).
   */
  editValidator(ctx: BlockContext, args: EditValidatorArgs): Validator {
    const params = this.params(ctx.state);
    const validator = this.requireValidator(ctx.state, args.operator);
    const keep = (next: string, current: string) => (next === DO_NOT_MODIFY ? current : next);
    const d = validator.description;
    const description: Description = {
      moniker: keep(args.description.moniker, d.moniker),
      identity: keep(args.description.identity, d.identity),
      website: keep(args.description.website, d.website),
      securityContact: keep(args.description.securityContact, d.securityContact),
      details: keep(args.description.details, d.details),
    };
    let commission = validator.commission;
    if (args.commissionRate !== undefined) {
      const rate = args.commissionRate;
      const since = ctx.blockTimeSeconds - commission.updateTime;
      if (since < COMMISSION_CHANGE_INTERVAL) {
        throw ainError(ErrCommissionUpdateTime, `the rate changed ${since} s ago; wait ${COMMISSION_CHANGE_INTERVAL - since} s more`);
      }
      if (rate > commission.maxRate)
        throw ainError(ErrCommissionGTMaxRate, `commission_rate ${rate} atomics > max rate ${commission.maxRate}`);
      const change = rate > commission.rate ? rate - commission.rate : commission.rate - rate;
      if (change > commission.maxChangeRate) {
        throw ainError(ErrCommissionGTMaxChangeRate, `commission_rate changes by ${change} atomics; at most ${commission.maxChangeRate}`);
      }
      if (rate < params.minCommissionRate) {
        throw ainError(ErrCommissionLTMinRate, `commission_rate ${rate} atomics is below the minimum ${params.minCommissionRate}`);
      }
      commission = { ...commission, rate, updateTime: ctx.blockTimeSeconds };
    }
    let minSelfDelegation = validator.minSelfDelegation;
    if (args.minSelfDelegation !== undefined) {
      if (args.minSelfDelegation <= minSelfDelegation) {
        throw ainError(
          ErrMinSelfDelegationDecreased,
          `min_self_delegation ${args.minSelfDelegation} must exceed the current ${minSelfDelegation}`,
        );
      }
      if (args.minSelfDelegation > validator.tokens) {
        throw ainError(
          ErrSelfDelegationBelowMinimum,
          `min_self_delegation ${args.minSelfDelegation} exceeds the validator's tokens ${validator.tokens}`,
        );
      }
      minSelfDelegation = args.minSelfDelegation;
    }
    const next = { ...validator, description, commission, minSelfDelegation };
    this.setValidator(ctx.state, validator, next);
    ctx.events.emit(editValidatorEvent(args.operator, commission.rate.toString(), minSelfDelegation.toString()));
    return next;
  }

  /**
   * MsgDelegate: `amount` of the bond denom from the delegator's account into the validator's pool,
   * for shares at the validator's exchange rate. Returns the new shares.
   * @throws AinError staking/3 no validator, staking/34 validator has shares but no tokens, sdk/18 wrong denom, sdk/5
   */
  delegate(ctx: BlockContext, delegator: string, valoper: string, denom: string, amount: bigint): bigint {
    const params = this.params(ctx.state);
    this.checkDenom(params, denom, 'amount');
    const validator = this.requireValidator(ctx.state, valoper);
    return this.addDelegation(ctx, params, delegator, validator, amount, 'account').shares;
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
    const params = this.params(ctx.state);
    this.checkDenom(params, denom, 'amount');
    const validator = this.requireValidator(ctx.state, valoper);
    const shares = this.sharesToUnbond(ctx.state, params, delegator, validator, amount);
    const record = this.getUnbonding(ctx.state, delegator, valoper);
    if ((record?.entries.length ?? 0) >= params.maxEntries) {
      throw ainError(ErrMaxUnbondingDelegationEntries, `${delegator} has ${params.maxEntries} unbonding entries from ${valoper} already`);
    }
    const returned = this.unbond(ctx, delegator, valoper, shares, amount);
    if (validator.status === BondStatus.BOND_STATUS_BONDED) this.moveStake(ctx, params, this.bondedPool, this.notBondedPool, returned);
    const completionTime = ctx.blockTimeSeconds + params.unbondingTime;
    const entry: UnbondingEntry = {
      creationHeight: ctx.height,
      completionTime,
      initialBalance: returned,
      balance: returned,
      unbondingId: this.nextUnbondingId(ctx.state),
    };
    this.putUnbonding(ctx.state, delegator, valoper, [...(record?.entries ?? []), entry]);
    ctx.state.set(ubdQueuePath(completionTime, delegator, valoper), true);
    ctx.events.emit(unbondEvent(valoper, delegator, `${returned}${params.bondDenom}`, completionTime));
    return { completionTime, amount: returned };
  }

  /**
   * MsgBeginRedelegate: moves the shares worth `amount` from `src` to `dst` at once; the moved stake
   * stays slashable for `src`'s infractions until `unbonding_time` passes (a redelegation entry),
   * and may not be redelegated onwards before (`staking/32`). Returns the completion time.
   */
  redelegate(ctx: BlockContext, delegator: string, src: string, dst: string, denom: string, amount: bigint): bigint {
    if (src === dst) throw ainError(ErrSelfRedelegation, `validator_src_address and validator_dst_address are both ${src}`);
    const params = this.params(ctx.state);
    this.checkDenom(params, denom, 'amount');
    const srcValidator = this.requireValidator(ctx.state, src);
    if (!this.getValidator(ctx.state, dst)) throw ainError(ErrBadRedelegationDst, `validator ${dst} does not exist`, { validator: dst });
    if (ctx.state.list(redByDstPath(src, delegator), 1).length > 0) {
      throw ainError(ErrTransitiveRedelegation, `${delegator} has a redelegation into ${src} that has not completed`);
    }
    const record = this.getRedelegation(ctx.state, delegator, src, dst);
    if ((record?.entries.length ?? 0) >= params.maxEntries) {
      throw ainError(ErrMaxRedelegationEntries, `${delegator} has ${params.maxEntries} redelegation entries from ${src} to ${dst} already`);
    }
    const shares = this.sharesToUnbond(ctx.state, params, delegator, srcValidator, amount);
    const returned = this.unbond(ctx, delegator, src, shares, amount);
    if (returned === 0n) throw ainError(ErrTinyRedelegationAmount, `${amount}${denom} is worth no tokens of ${src}`);
    const dstValidator = this.requireValidator(ctx.state, dst);
    const { shares: sharesDst } = this.addDelegation(ctx, params, delegator, dstValidator, returned, srcValidator.status);
    let completionTime = ctx.blockTimeSeconds;
    if (srcValidator.status === BondStatus.BOND_STATUS_BONDED) completionTime += params.unbondingTime;
    else if (srcValidator.status === BondStatus.BOND_STATUS_UNBONDING) completionTime = srcValidator.unbondingTime;
    // Stake leaving an unbonded validator is not slashable for it: no entry, complete at once.
    if (srcValidator.status !== BondStatus.BOND_STATUS_UNBONDED) {
      const entry: RedelegationEntry = {
        creationHeight: ctx.height,
        completionTime,
        initialBalance: returned,
        sharesDst,
        unbondingId: this.nextUnbondingId(ctx.state),
      };
      this.putRedelegation(ctx.state, delegator, src, dst, [...(record?.entries ?? []), entry]);
      ctx.state.set(redQueuePath(completionTime, delegator, src, dst), true);
    }
    ctx.events.emit(redelegateEvent(src, dst, delegator, `${returned}${params.bondDenom}`, completionTime));
    return completionTime;
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
    const validator = this.validatorByConsAddress(ctx.state, consHex);
    if (!validator || validator.status === BondStatus.BOND_STATUS_UNBONDED) return 0n;
    const params = this.params(ctx.state);
    const slashAmount = mulDecTruncate(power * POWER_REDUCTION, fraction);
    let remaining = slashAmount;
    if (infractionHeight < ctx.height) {
      remaining -= this.slashUnbondings(ctx, params, validator.operatorAddress, infractionHeight, fraction);
      remaining -= this.slashRedelegations(ctx, params, validator.operatorAddress, infractionHeight, fraction);
    }
    const current = this.requireValidator(ctx.state, validator.operatorAddress);
    const burn = remaining <= 0n ? 0n : min(remaining, current.tokens);
    if (burn === 0n) return 0n;
    this.setValidator(ctx.state, current, { ...current, tokens: current.tokens - burn });
    this.bank.burnCoins(ctx, this.poolOf(current), [{ denom: params.bondDenom, amount: burn }]);
    return burn;
  }

  /** Takes the validator out of the power index; the end of the block drops it from the active set. */
  jail(ctx: BlockContext, valoper: string): void {
    const validator = this.requireValidator(ctx.state, valoper);
    if (!validator.jailed) this.setValidator(ctx.state, validator, { ...validator, jailed: true });
  }

  /** Puts a jailed validator back into the power index (slashing checks when it may). */
  unjail(ctx: BlockContext, valoper: string): void {
    const validator = this.requireValidator(ctx.state, valoper);
    if (validator.jailed) this.setValidator(ctx.state, validator, { ...validator, jailed: false });
  }

  // ------------------------------------------------------------------------------------------
  // End of block

  /**
   * After the block's txs (and slashing): the new active set and its updates for CometBFT, then the
   * matured unbonding validators, unbonding delegations and redelegations.
   */
  endBlock(ctx: BlockContext): ValidatorUpdate[] {
    const params = this.params(ctx.state);
    const updates = this.applyValidatorSetUpdates(ctx, params);
    this.completeUnbondingValidators(ctx);
    this.completeUnbondings(ctx, params);
    this.completeRedelegations(ctx);
    return updates;
  }

  /**
   * The active set: non-jailed validators with power >= 1, highest power first, ties by operator
   * address bytes (lowest first), at most `max_validators`. Validators entering it are bonded (their
   * tokens move to the bonded pool), those leaving it start unbonding; an update goes to CometBFT for
   * each whose power differs from the last one sent (0 removes it).
   */
  applyValidatorSetUpdates(ctx: BlockContext, params: StakingParams): ValidatorUpdate[] {
    const last = this.lastValidatorPowers(ctx.state);
    const updates: ValidatorUpdate[] = [];
    const active = new Set<string>();
    let total = 0n;
    for (const [, valoper] of ctx.state.list(POWER_ROOT, params.maxValidators)) {
      let validator = this.requireValidator(ctx.state, valoper as string);
      const power = consensusPower(validator.tokens);
      if (power === 0n) break;
      if (validator.status !== BondStatus.BOND_STATUS_BONDED) validator = this.bondValidator(ctx, params, validator);
      active.add(validator.operatorAddress);
      total += power;
      if (last.get(validator.operatorAddress) !== power) {
        updates.push(validatorUpdate(validator, power));
        ctx.state.set(lastPowerPath(validator.operatorAddress), power.toString());
      }
    }
    for (const valoper of last.keys()) {
      if (active.has(valoper)) continue;
      const validator = this.requireValidator(ctx.state, valoper);
      this.beginUnbondingValidator(ctx, params, validator);
      updates.push(validatorUpdate(validator, 0n));
      ctx.state.set(lastPowerPath(valoper), null);
    }
    if (ctx.state.get(LAST_TOTAL_POWER_PATH) !== total.toString()) ctx.state.set(LAST_TOTAL_POWER_PATH, total.toString());
    return updates;
  }

  // ------------------------------------------------------------------------------------------
  // Genesis

  /** Genesis: a validator record as given (status unbonded, tokens in the not-bonded pool), before `applyValidatorSetUpdates`. */
  initValidator(state: WritableState, validator: Validator): void {
    if (this.getValidator(state, validator.operatorAddress)) {
      throw ainError(ErrValidatorOwnerExists, `genesis lists validator ${validator.operatorAddress} twice`);
    }
    if (state.get(byConsPath(validator.consAddress)) !== undefined) {
      throw ainError(
        ErrValidatorPubKeyExists,
        `genesis validator ${validator.operatorAddress} reuses consensus key ${validator.consensusPubkey}`,
      );
    }
    const count = Number(state.get(VALIDATOR_COUNT_PATH) ?? 0);
    if (count >= MAX_VALIDATOR_RECORDS) throw ainError(ErrTooManyValidators, `genesis has more than ${MAX_VALIDATOR_RECORDS} validators`);
    this.setValidator(state, undefined, validator);
    state.set(byConsPath(validator.consAddress), validator.operatorAddress);
    state.set(VALIDATOR_COUNT_PATH, String(count + 1));
  }

  /** Genesis: a delegation's shares as given (the validator's totals are checked by the caller). */
  initDelegation(state: WritableState, delegator: string, valoper: string, shares: bigint): void {
    this.setDelegation(state, delegator, valoper, (this.getDelegation(state, delegator, valoper) ?? 0n) + shares);
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private checkDenom(params: StakingParams, denom: string, field: string): void {
    if (denom !== params.bondDenom) throw ainError(ErrInvalidRequest, `${field} denom is ${denom}; expected ${params.bondDenom}`);
  }

  private poolOf(validator: Validator): string {
    return validator.status === BondStatus.BOND_STATUS_BONDED ? this.bondedPool : this.notBondedPool;
  }

  private moveStake(ctx: BlockContext, params: StakingParams, from: string, to: string, amount: bigint): void {
    if (amount > 0n && from !== to) this.bank.sendCoins(ctx, from, to, [{ denom: params.bondDenom, amount }]);
  }

  private callHooks(call: (hooks: StakingHooks) => void): void {
    for (const hooks of this.hooks) call(hooks);
  }

  /** Writes a validator and keeps its power index entry (non-jailed validators only) in step. */
  private setValidator(state: WritableState, previous: Validator | undefined, next: Validator): void {
    const hex = valoperHex(next.operatorAddress);
    const before = previous && !previous.jailed ? powerIndexPath(consensusPower(previous.tokens), hex) : undefined;
    const after = next.jailed ? undefined : powerIndexPath(consensusPower(next.tokens), hex);
    if (before !== after) {
      if (before) state.set(before, null);
      if (after) state.set(after, next.operatorAddress);
    }
    state.set(validatorPath(next.operatorAddress), asJson(validatorToJson(next)));
  }

  private setDelegation(state: WritableState, delegator: string, valoper: string, shares: bigint): void {
    state.set(delegationPath(delegator, valoper), shares.toString());
    state.set(valDelegationPath(valoper, delegator), true);
  }

  private removeDelegation(state: WritableState, delegator: string, valoper: string): void {
    state.set(delegationPath(delegator, valoper), null);
    state.set(valDelegationPath(valoper, delegator), null);
  }

  /** Delegation from an account (`source` 'account') or of stake already in a pool (redelegation: the source validator's status). */
  private addDelegation(
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
    const existing = this.getDelegation(ctx.state, delegator, valoper);
    if (existing !== undefined) this.callHooks((h) => h.beforeDelegationSharesModified?.(ctx, delegator, valoper));
    const to = this.poolOf(validator);
    if (source === 'account') {
      this.bank.sendCoins(ctx, delegator, to, [{ denom: params.bondDenom, amount }]);
    } else {
      this.moveStake(ctx, params, source === BondStatus.BOND_STATUS_BONDED ? this.bondedPool : this.notBondedPool, to, amount);
    }
    this.setValidator(ctx.state, validator, next);
    this.setDelegation(ctx.state, delegator, valoper, (existing ?? 0n) + shares);
    this.callHooks((h) => h.afterDelegationModified?.(ctx, delegator, valoper));
    ctx.events.emit(delegateEvent(valoper, delegator, `${amount}${params.bondDenom}`, shares.toString()));
    return { validator: next, shares };
  }

  /** The shares to remove for `amount` tokens (rounded up, at most the delegation's), after checking the delegation covers it. */
  private sharesToUnbond(state: ReadableState, params: StakingParams, delegator: string, validator: Validator, amount: bigint): bigint {
    const valoper = validator.operatorAddress;
    const shares = this.getDelegation(state, delegator, valoper);
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
  private unbond(ctx: BlockContext, delegator: string, valoper: string, shares: bigint, cap: bigint | undefined): bigint {
    const delegationShares = this.getDelegation(ctx.state, delegator, valoper);
    if (delegationShares === undefined) throw ainError(ErrNoDelegation, `${delegator} has no delegation to ${valoper}`);
    if (shares > delegationShares) throw ainError(ErrNotEnoughDelegationShares, `${shares} shares > the delegation's ${delegationShares}`);
    let validator = this.requireValidator(ctx.state, valoper);
    this.callHooks((h) => h.beforeDelegationSharesModified?.(ctx, delegator, valoper));
    const remaining = delegationShares - shares;
    if (
      delegator === valoperToAccount(valoper) &&
      !validator.jailed &&
      tokensFromShares(validator, remaining) < validator.minSelfDelegation
    ) {
      this.setValidator(ctx.state, validator, { ...validator, jailed: true });
      validator = { ...validator, jailed: true };
    }
    if (remaining === 0n) this.removeDelegation(ctx.state, delegator, valoper);
    else this.setDelegation(ctx.state, delegator, valoper, remaining);
    this.callHooks((h) => h.afterDelegationModified?.(ctx, delegator, valoper));
    const worth = tokensFromShares(validator, shares);
    const amount = shares === validator.delegatorShares || cap === undefined ? worth : min(worth, cap);
    const next = { ...validator, tokens: validator.tokens - amount, delegatorShares: validator.delegatorShares - shares };
    if (next.delegatorShares === 0n && next.status === BondStatus.BOND_STATUS_UNBONDED) this.removeValidator(ctx, validator, next);
    else this.setValidator(ctx.state, validator, next);
    return amount;
  }

  private removeValidator(ctx: BlockContext, previous: Validator, validator: Validator): void {
    if (validator.tokens !== 0n || validator.delegatorShares !== 0n) {
      throw ainError(
        ErrLogic,
        `removing validator ${validator.operatorAddress} with ${validator.tokens} tokens and ${validator.delegatorShares} shares`,
      );
    }
    if (!previous.jailed) ctx.state.set(powerIndexPath(consensusPower(previous.tokens), valoperHex(previous.operatorAddress)), null);
    // The consensus key's entry stays: a key that signed (or double-signed) for a validator is never reused.
    ctx.state.set(validatorPath(validator.operatorAddress), null);
    ctx.state.set(VALIDATOR_COUNT_PATH, String(Number(ctx.state.get(VALIDATOR_COUNT_PATH) ?? 1) - 1));
    this.callHooks((h) => h.afterValidatorRemoved?.(ctx, validator));
  }

  private bondValidator(ctx: BlockContext, params: StakingParams, validator: Validator): Validator {
    if (validator.status === BondStatus.BOND_STATUS_UNBONDING) {
      ctx.state.set(valQueuePath(validator.unbondingTime, validator.operatorAddress), null);
    }
    const next = { ...validator, status: BondStatus.BOND_STATUS_BONDED };
    this.setValidator(ctx.state, validator, next);
    this.moveStake(ctx, params, this.notBondedPool, this.bondedPool, validator.tokens);
    this.callHooks((h) => h.afterValidatorBonded?.(ctx, next));
    return next;
  }

  private beginUnbondingValidator(ctx: BlockContext, params: StakingParams, validator: Validator): void {
    const unbondingTime = ctx.blockTimeSeconds + params.unbondingTime;
    const next = { ...validator, status: BondStatus.BOND_STATUS_UNBONDING, unbondingTime, unbondingHeight: ctx.height };
    this.setValidator(ctx.state, validator, next);
    ctx.state.set(valQueuePath(unbondingTime, validator.operatorAddress), true);
    this.moveStake(ctx, params, this.bondedPool, this.notBondedPool, validator.tokens);
  }

  /** Unbonding validators whose time has come become unbonded (and are removed when no shares are left). */
  private completeUnbondingValidators(ctx: BlockContext): void {
    for (const [path] of ctx.state.list(VAL_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
      const [time, valoper] = labelsAfter(VAL_QUEUE_ROOT, path);
      if (BigInt(time!) > ctx.blockTimeSeconds) break;
      ctx.state.set(path, null);
      const validator = this.getValidator(ctx.state, valoper!);
      if (validator?.status !== BondStatus.BOND_STATUS_UNBONDING) continue;
      const next = { ...validator, status: BondStatus.BOND_STATUS_UNBONDED };
      if (next.delegatorShares === 0n) this.removeValidator(ctx, validator, next);
      else this.setValidator(ctx.state, validator, next);
    }
  }

  /** Matured unbonding entries pay their balance from the not-bonded pool to the delegator. */
  private completeUnbondings(ctx: BlockContext, params: StakingParams): void {
    for (const [path] of ctx.state.list(UBD_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
      const [time, delegator, valoper] = labelsAfter(UBD_QUEUE_ROOT, path) as [string, string, string];
      if (BigInt(time) > ctx.blockTimeSeconds) break;
      ctx.state.set(path, null);
      const record = this.getUnbonding(ctx.state, delegator, valoper);
      if (!record) continue;
      let paid = 0n;
      const remaining = record.entries.filter((entry) => {
        if (entry.completionTime > ctx.blockTimeSeconds) return true;
        paid += entry.balance;
        return false;
      });
      this.putUnbonding(ctx.state, delegator, valoper, remaining);
      this.moveStake(ctx, params, this.notBondedPool, delegator, paid);
      ctx.events.emit(completeUnbondingEvent(valoper, delegator, `${paid}${params.bondDenom}`));
    }
  }

  /** Matured redelegation entries are dropped: the stake is no longer slashable for the source. */
  private completeRedelegations(ctx: BlockContext): void {
    for (const [path] of ctx.state.list(RED_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
      const [time, delegator, src, dst] = labelsAfter(RED_QUEUE_ROOT, path) as [string, string, string, string];
      if (BigInt(time) > ctx.blockTimeSeconds) break;
      ctx.state.set(path, null);
      const record = this.getRedelegation(ctx.state, delegator, src, dst);
      if (!record) continue;
      let moved = 0n;
      const remaining = record.entries.filter((entry) => {
        if (entry.completionTime > ctx.blockTimeSeconds) return true;
        moved += entry.initialBalance;
        return false;
      });
      this.putRedelegation(ctx.state, delegator, src, dst, remaining);
      ctx.events.emit(completeRedelegationEvent(src, dst, delegator, moved.toString()));
    }
  }

  /** Unbonding entries created at or after the infraction lose `fraction` of their initial balance (burned). */
  private slashUnbondings(ctx: BlockContext, params: StakingParams, valoper: string, infractionHeight: bigint, fraction: bigint): bigint {
    let total = 0n;
    let burned = 0n;
    // Every entry must be seen: no limit (cost linear in the validator's unbonding delegators).
    for (const [path] of ctx.state.list(valUnbondingsPath(valoper), Number.POSITIVE_INFINITY)) {
      const delegator = lastLabel(path);
      const record = this.getUnbonding(ctx.state, delegator, valoper)!;
      let changed = false;
      const entries = record.entries.map((entry) => {
        if (entry.creationHeight < infractionHeight || entry.completionTime <= ctx.blockTimeSeconds) return entry;
        const amount = mulDecTruncate(entry.initialBalance, fraction);
        total += amount;
        const cut = min(amount, entry.balance);
        if (cut === 0n) return entry;
        burned += cut;
        changed = true;
        return { ...entry, balance: entry.balance - cut };
      });
      if (changed) this.putUnbonding(ctx.state, delegator, valoper, entries);
    }
    if (burned > 0n) this.bank.burnCoins(ctx, this.notBondedPool, [{ denom: params.bondDenom, amount: burned }]);
    return total;
  }

  /** Redelegations out of the validator created at or after the infraction: `fraction` of the destination shares is unbonded and burned. */
  private slashRedelegations(ctx: BlockContext, params: StakingParams, src: string, infractionHeight: bigint, fraction: bigint): bigint {
    let total = 0n;
    const root = redBySrcPath(src);
    for (const [path] of ctx.state.list(root, Number.POSITIVE_INFINITY)) {
      const [delegator, dst] = labelsAfter(root, path) as [string, string];
      const record = this.getRedelegation(ctx.state, delegator, src, dst)!;
      for (const entry of record.entries) {
        if (entry.creationHeight < infractionHeight || entry.completionTime <= ctx.blockTimeSeconds) continue;
        total += mulDecTruncate(entry.initialBalance, fraction);
        const delegated = this.getDelegation(ctx.state, delegator, dst);
        const dstValidator = this.getValidator(ctx.state, dst);
        const shares = min(mulDecTruncate(entry.sharesDst, fraction), delegated ?? 0n);
        if (shares === 0n || !dstValidator) continue;
        const tokens = this.unbond(ctx, delegator, dst, shares, undefined);
        if (tokens > 0n) this.bank.burnCoins(ctx, this.poolOf(dstValidator), [{ denom: params.bondDenom, amount: tokens }]);
      }
    }
    return total;
  }

  private nextUnbondingId(state: WritableState): bigint {
    const next = state.get(NEXT_UNBONDING_ID_PATH);
    const id = typeof next === 'string' ? BigInt(next) : 1n;
    state.set(NEXT_UNBONDING_ID_PATH, (id + 1n).toString());
    return id;
  }

  private putUnbonding(state: WritableState, delegator: string, valoper: string, entries: readonly UnbondingEntry[]): void {
    if (entries.length === 0) {
      state.set(unbondingPath(delegator, valoper), null);
      state.set(valUnbondingPath(valoper, delegator), null);
      return;
    }
    const json = entries.map((e) => ({
      creation_height: e.creationHeight.toString(),
      completion_time: e.completionTime.toString(),
      initial_balance: e.initialBalance.toString(),
      balance: e.balance.toString(),
      unbonding_id: e.unbondingId.toString(),
    }));
    state.set(unbondingPath(delegator, valoper), asJson({ entries: json }));
    state.set(valUnbondingPath(valoper, delegator), true);
  }

  private putRedelegation(state: WritableState, delegator: string, src: string, dst: string, entries: readonly RedelegationEntry[]): void {
    const exists = entries.length > 0;
    if (exists) {
      const json = entries.map((e) => ({
        creation_height: e.creationHeight.toString(),
        completion_time: e.completionTime.toString(),
        initial_balance: e.initialBalance.toString(),
        shares_dst: e.sharesDst.toString(),
        unbonding_id: e.unbondingId.toString(),
      }));
      state.set(redelegationPath(delegator, src, dst), asJson({ entries: json }));
    } else {
      state.set(redelegationPath(delegator, src, dst), null);
    }
    state.set(redBySrcPath(src, delegator, dst), exists ? true : null);
    state.set(redByDstPath(dst, delegator, src), exists ? true : null);
  }
}

/** CometBFT's ValidatorUpdate for a validator at `power` (0 removes it). */
function validatorUpdate(validator: Validator, power: bigint): ValidatorUpdate {
  return { pubKey: { ed25519: Buffer.from(validator.consensusPubkey, 'base64') }, power };
}
