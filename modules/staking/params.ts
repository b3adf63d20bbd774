import type { Params as ParamsProto } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import {
  ainError,
  ErrInvalidRequest,
  BASE_DENOM,
  validateDenom,
  DEC_ONE,
  decFromAtomics,
  decFromText,
  decToText,
} from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { PARAMS_ROOT } from './keys.ts';

/** Tokens per unit of consensus power (the SDK's DefaultPowerReduction): 10^6 uain = 1 power. */
export const POWER_REDUCTION = 1_000_000n;
/** Most active validators a chain may configure. */
export const MAX_MAX_VALIDATORS = 1000;
/** Longest unbonding time accepted: 10 years of seconds. */
export const MAX_UNBONDING_SECONDS = 10n * 366n * 24n * 3600n;

export interface StakingParams {
  /** Seconds (block time) an undelegation, redelegation or unbonding validator waits. */
  readonly unbondingTime: bigint;
  /** Size of the active set sent to CometBFT. */
  readonly maxValidators: number;
  /** Most unbonding entries per (delegator, validator) and redelegation entries per (delegator, src, dst). */
  readonly maxEntries: number;
  readonly bondDenom: string;
  /** Lowest commission rate a validator may set (atomics). */
  readonly minCommissionRate: bigint;
}

/** `app_state.staking.params` as JSON. */
export interface StakingParamsJson {
  /** Seconds, e.g. "1814400" (21 days); a trailing "s" (the SDK's Duration JSON) is accepted. */
  unbonding_time: string;
  max_validators: number;
  max_entries: number;
  bond_denom: string;
  /** Decimal, e.g. "0" or "0.05". */
  min_commission_rate: string;
}

export function defaultStakingParams(): StakingParamsJson {
  return { unbonding_time: '1814400', max_validators: 100, max_entries: 7, bond_denom: BASE_DENOM, min_commission_rate: '0' };
}

/** Seconds from "1814400" or "1814400s", between `min` and `max`; `sdk/18` naming the field otherwise. */
export function parseSeconds(text: string, field: string, min: bigint, max: bigint): bigint {
  const match = /^([0-9]{1,12})s?$/.exec(String(text));
  if (!match || BigInt(match[1]!) < min || BigInt(match[1]!) > max) {
    throw ainError(ErrInvalidRequest, `${field} "${String(text)}" must be a number of seconds in [${min}, ${max}], e.g. "1814400"`);
  }
  return BigInt(match[1]!);
}

function parseCount(value: unknown, field: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw ainError(ErrInvalidRequest, `${field} ${JSON.stringify(value)} must be an integer in [${min}, ${max}]`);
  }
  return n;
}

/** Checks `app_state.staking.params`; every field is required. */
export function stakingParamsFromJson(json: StakingParamsJson): StakingParams {
  if (json === null || typeof json !== 'object') throw ainError(ErrInvalidRequest, 'staking.params must be an object');
  validateDenom(json.bond_denom, 'staking.params.bond_denom');
  const minCommissionRate = decFromText(String(json.min_commission_rate), 'staking.params.min_commission_rate');
  if (minCommissionRate > DEC_ONE) throw ainError(ErrInvalidRequest, 'staking.params.min_commission_rate must be at most 1');
  return {
    unbondingTime: parseSeconds(json.unbonding_time, 'staking.params.unbonding_time', 1n, MAX_UNBONDING_SECONDS),
    maxValidators: parseCount(json.max_validators, 'staking.params.max_validators', 1, MAX_MAX_VALIDATORS),
    maxEntries: parseCount(json.max_entries, 'staking.params.max_entries', 1, 100),
    bondDenom: json.bond_denom,
    minCommissionRate,
  };
}

export function stakingParamsToJson(params: StakingParams): StakingParamsJson {
  return {
    unbonding_time: params.unbondingTime.toString(),
    max_validators: params.maxValidators,
    max_entries: params.maxEntries,
    bond_denom: params.bondDenom,
    min_commission_rate: decToText(params.minCommissionRate),
  };
}

/** Params live in the tree as `/params/staking/<name>` strings, part of the app hash. */
export function writeStakingParams(state: WritableState, params: StakingParams): void {
  const json = stakingParamsToJson(params);
  state.set(`${PARAMS_ROOT}/unbonding_time`, json.unbonding_time);
  state.set(`${PARAMS_ROOT}/max_validators`, String(json.max_validators));
  state.set(`${PARAMS_ROOT}/max_entries`, String(json.max_entries));
  state.set(`${PARAMS_ROOT}/bond_denom`, json.bond_denom);
  state.set(`${PARAMS_ROOT}/min_commission_rate`, json.min_commission_rate);
}

export function readStakingParams(state: ReadableState): StakingParams {
  const read = (name: string): string => {
    const value = state.get(`${PARAMS_ROOT}/${name}`);
    if (typeof value !== 'string') throw new Error(`state invariant broken: ${PARAMS_ROOT}/${name} is missing`);
    return value;
  };
  return stakingParamsFromJson({
    unbonding_time: read('unbonding_time'),
    max_validators: Number(read('max_validators')),
    max_entries: Number(read('max_entries')),
    bond_denom: read('bond_denom'),
    min_commission_rate: read('min_commission_rate'),
  });
}

/**
 * The params of a `cosmos.staking.v1beta1.MsgUpdateParams` (governance): every field checked as in
 * genesis; the bond denom cannot change, since the stake already bonded is in it.
 * @throws AinError sdk/18 naming the field
 */
export function stakingParamsFromProto(proto: ParamsProto, current: StakingParams): StakingParams {
  const unbonding = proto.unbondingTime;
  if (unbonding === undefined || unbonding.nanos !== 0)
    throw ainError(ErrInvalidRequest, 'params.unbonding_time must be a whole number of seconds', { field: 'params.unbonding_time' });
  if (proto.bondDenom !== current.bondDenom)
    throw ainError(
      ErrInvalidRequest,
      `params.bond_denom "${proto.bondDenom}" must stay "${current.bondDenom}": bonded stake is held in it`,
      {
        field: 'params.bond_denom',
      },
    );
  const rate = decFromAtomics(proto.minCommissionRate, 'params.min_commission_rate');
  return stakingParamsFromJson({
    unbonding_time: unbonding.seconds.toString(),
    max_validators: proto.maxValidators,
    max_entries: proto.maxEntries,
    bond_denom: proto.bondDenom,
    min_commission_rate: decToText(rate),
  });
}
