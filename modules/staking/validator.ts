import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import {
  BondStatus,
  bondStatusFromJSON,
  bondStatusToJSON,
  type Validator as ValidatorProto,
} from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { DEC_SCALE, decToAtomics } from '../../core/index.ts';
import { POWER_REDUCTION } from './params.ts';

export { BondStatus };

/** A validator's description, as in `cosmos.staking.v1beta1.Description`. */
export interface Description {
  readonly moniker: string;
  readonly identity: string;
  readonly website: string;
  readonly securityContact: string;
  readonly details: string;
}

/** Commission rates (LegacyDec atomics) and when the rate last changed (block-time seconds). */
export interface Commission {
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
  readonly updateTime: bigint;
}

/** A validator as the keeper holds it; stored as canonical JSON at `/staking/validators/<valoper>`. */
export interface Validator {
  readonly operatorAddress: string;
  /** ed25519 consensus public key, 32 bytes, base64. */
  readonly consensusPubkey: string;
  /** Consensus address (first 20 bytes of sha256 of the key), hex. */
  readonly consAddress: string;
  readonly jailed: boolean;
  readonly status: BondStatus;
  readonly tokens: bigint;
  /** LegacyDec atomics. */
  readonly delegatorShares: bigint;
  readonly description: Description;
  readonly unbondingHeight: bigint;
  /** Block-time seconds when unbonding completes (0 when never unbonded). */
  readonly unbondingTime: bigint;
  readonly commission: Commission;
  readonly minSelfDelegation: bigint;
}

/** Consensus power: bonded tokens / 10^6, truncated. */
export const consensusPower = (tokens: bigint): bigint => tokens / POWER_REDUCTION;

/** Tokens worth `shares` at the validator's exchange rate, truncated (all tokens for all shares). */
export function tokensFromShares(validator: Pick<Validator, 'tokens' | 'delegatorShares'>, shares: bigint): bigint {
  if (validator.delegatorShares === 0n) return 0n;
  if (shares === validator.delegatorShares) return validator.tokens;
  return (shares * validator.tokens) / validator.delegatorShares;
}

/** Shares that `tokens` buy: 1 token = 1 share (10^18 atomics) for a validator without shares, else pro rata, truncated. */
export function sharesFromTokens(validator: Pick<Validator, 'tokens' | 'delegatorShares'>, tokens: bigint): bigint {
  if (validator.delegatorShares === 0n) return tokens * DEC_SCALE;
  return (tokens * validator.delegatorShares) / validator.tokens;
}

/** Shares that must be removed to take out `tokens`, rounded up (so the tokens returned are never short). */
export function sharesForUnbond(validator: Pick<Validator, 'tokens' | 'delegatorShares'>, tokens: bigint): bigint {
  return (tokens * validator.delegatorShares + validator.tokens - 1n) / validator.tokens;
}

interface ValidatorJson {
  operator_address: string;
  consensus_pubkey: string;
  cons_address: string;
  jailed: boolean;
  status: string;
  tokens: string;
  delegator_shares: string;
  description: { moniker: string; identity: string; website: string; security_contact: string; details: string };
  unbonding_height: string;
  unbonding_time: string;
  commission: { rate: string; max_rate: string; max_change_rate: string; update_time: string };
  min_self_delegation: string;
}

export function validatorToJson(v: Validator): ValidatorJson {
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: v.consensusPubkey,
    cons_address: v.consAddress,
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens.toString(),
    delegator_shares: v.delegatorShares.toString(),
    description: {
      moniker: v.description.moniker,
      identity: v.description.identity,
      website: v.description.website,
      security_contact: v.description.securityContact,
      details: v.description.details,
    },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: v.unbondingTime.toString(),
    commission: {
      rate: v.commission.rate.toString(),
      max_rate: v.commission.maxRate.toString(),
      max_change_rate: v.commission.maxChangeRate.toString(),
      update_time: v.commission.updateTime.toString(),
    },
    min_self_delegation: v.minSelfDelegation.toString(),
  };
}

export function validatorFromJson(json: ValidatorJson): Validator {
  return {
    operatorAddress: json.operator_address,
    consensusPubkey: json.consensus_pubkey,
    consAddress: json.cons_address,
    jailed: json.jailed,
    status: bondStatusFromJSON(json.status),
    tokens: BigInt(json.tokens),
    delegatorShares: BigInt(json.delegator_shares),
    description: {
      moniker: json.description.moniker,
      identity: json.description.identity,
      website: json.description.website,
      securityContact: json.description.security_contact,
      details: json.description.details,
    },
    unbondingHeight: BigInt(json.unbonding_height),
    unbondingTime: BigInt(json.unbonding_time),
    commission: {
      rate: BigInt(json.commission.rate),
      maxRate: BigInt(json.commission.max_rate),
      maxChangeRate: BigInt(json.commission.max_change_rate),
      updateTime: BigInt(json.commission.update_time),
    },
    minSelfDelegation: BigInt(json.min_self_delegation),
  };
}

export const ED25519_PUBKEY_TYPE_URL = '/cosmos.crypto.ed25519.PubKey';

/** The `cosmos.staking.v1beta1.Validator` CosmJS and wallets read (decimals as LegacyDec atomics, as on the SDK's wire). */
export function validatorToProto(v: Validator): ValidatorProto {
  return {
    operatorAddress: v.operatorAddress,
    consensusPubkey: {
      typeUrl: ED25519_PUBKEY_TYPE_URL,
      value: Ed25519PubKey.encode({ key: Buffer.from(v.consensusPubkey, 'base64') }).finish(),
    },
    jailed: v.jailed,
    status: v.status,
    tokens: v.tokens.toString(),
    delegatorShares: decToAtomics(v.delegatorShares),
    description: { ...v.description },
    unbondingHeight: v.unbondingHeight,
    unbondingTime: { seconds: v.unbondingTime, nanos: 0 },
    commission: {
      commissionRates: {
        rate: decToAtomics(v.commission.rate),
        maxRate: decToAtomics(v.commission.maxRate),
        maxChangeRate: decToAtomics(v.commission.maxChangeRate),
      },
      updateTime: { seconds: v.commission.updateTime, nanos: 0 },
    },
    minSelfDelegation: v.minSelfDelegation.toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}
