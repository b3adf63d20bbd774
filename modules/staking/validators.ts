/**
 * Validator records (the SDK's validator.go): reading them, writing them with their power index entry
 * kept in step, the new record of MsgCreateValidator, MsgEditValidator's checks, removal of an empty
 * unbonded validator, and genesis validators. Imports only `common.ts` of the keeper's files.
 */
import { ainError, ErrInvalidRequest, ErrLogic } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { consAddressHex, valoperHex } from './address.ts';
import { asJson, lastLabel, MAX_VALIDATOR_RECORDS, type StakingEnv } from './common.ts';
import {
  ErrCommissionGTMaxChangeRate,
  ErrCommissionGTMaxRate,
  ErrCommissionLTMinRate,
  ErrCommissionUpdateTime,
  ErrMinSelfDelegationDecreased,
  ErrNoValidatorFound,
  ErrSelfDelegationBelowMinimum,
  ErrTooManyValidators,
  ErrValidatorOwnerExists,
  ErrValidatorPubKeyExists,
} from './errors.ts';
import { createValidatorEvent, editValidatorEvent } from './events.ts';
import type { BlockContext } from './expected_keepers.ts';
import { byConsPath, LAST_POWER_ROOT, powerIndexPath, VALIDATOR_COUNT_PATH, VALIDATORS_ROOT, validatorPath } from './keys.ts';
import { MAX_MAX_VALIDATORS, readStakingParams, type StakingParams } from './params.ts';
import {
  BondStatus,
  type Commission,
  consensusPower,
  type Description,
  type Validator,
  validatorFromJson,
  validatorToJson,
} from './validator.ts';

/** Seconds between two commission changes (the SDK's 24 h). */
export const COMMISSION_CHANGE_INTERVAL = 86_400n;
/** The description value of MsgEditValidator that keeps a field as it is. */
export const DO_NOT_MODIFY = '[do-not-modify]';

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

export function getValidator(state: ReadableState, valoper: string): Validator | undefined {
  const text = state.get(validatorPath(valoper));
  return typeof text === 'string' ? validatorFromJson(JSON.parse(text)) : undefined;
}

export function requireValidator(state: ReadableState, valoper: string): Validator {
  const validator = getValidator(state, valoper);
  if (!validator) throw ainError(ErrNoValidatorFound, `validator ${valoper} does not exist`, { validator: valoper });
  return validator;
}

export function validatorByConsAddress(state: ReadableState, consHex: string): Validator | undefined {
  const valoper = state.get(byConsPath(consHex));
  const validator = typeof valoper === 'string' ? getValidator(state, valoper) : undefined;
  return validator?.consAddress === consHex ? validator : undefined;
}

export function validators(state: ReadableState): Validator[] {
  return state.list(VALIDATORS_ROOT, MAX_VALIDATOR_RECORDS).map(([, text]) => validatorFromJson(JSON.parse(text as string)));
}

export function lastValidatorPowers(state: ReadableState): Map<string, bigint> {
  return new Map(state.list(LAST_POWER_ROOT, MAX_MAX_VALIDATORS * 2).map(([path, power]) => [lastLabel(path), BigInt(power as string)]));
}

/** Writes a validator and keeps its power index entry (non-jailed validators only) in step. */
export function setValidator(state: WritableState, previous: Validator | undefined, next: Validator): void {
  const hex = valoperHex(next.operatorAddress);
  const before = previous && !previous.jailed ? powerIndexPath(consensusPower(previous.tokens), hex) : undefined;
  const after = next.jailed ? undefined : powerIndexPath(consensusPower(next.tokens), hex);
  if (before !== after) {
    if (before) state.set(before, null);
    if (after) state.set(after, next.operatorAddress);
  }
  state.set(validatorPath(next.operatorAddress), asJson(validatorToJson(next)));
}

export function removeValidator(env: StakingEnv, ctx: BlockContext, previous: Validator, validator: Validator): void {
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
  env.callHooks((h) => h.afterValidatorRemoved?.(ctx, validator));
}

/**
 * MsgCreateValidator's checks and its new record (unbonded, no tokens yet), with the event; the
 * caller then adds the operator's self-delegation.
 */
export function addValidator(ctx: BlockContext, params: StakingParams, args: CreateValidatorArgs): Validator {
  if (args.denom !== params.bondDenom) {
    throw ainError(ErrInvalidRequest, `value denom is ${args.denom}; expected ${params.bondDenom}`);
  }
  if (getValidator(ctx.state, args.operator)) {
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
  setValidator(ctx.state, undefined, validator);
  ctx.state.set(byConsPath(consAddress), args.operator);
  ctx.state.set(VALIDATOR_COUNT_PATH, String(count + 1));
  ctx.events.emit(createValidatorEvent(args.operator, `${args.amount}${args.denom}`));
  return validator;
}

export function editValidator(ctx: BlockContext, args: EditValidatorArgs): Validator {
  const params = readStakingParams(ctx.state);
  const validator = requireValidator(ctx.state, args.operator);
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
  setValidator(ctx.state, validator, next);
  ctx.events.emit(editValidatorEvent(args.operator, commission.rate.toString(), minSelfDelegation.toString()));
  return next;
}

export function initValidator(state: WritableState, validator: Validator): void {
  if (getValidator(state, validator.operatorAddress)) {
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
  setValidator(state, undefined, validator);
  state.set(byConsPath(validator.consAddress), validator.operatorAddress);
  state.set(VALIDATOR_COUNT_PATH, String(count + 1));
}
