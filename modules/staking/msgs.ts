import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import {
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  ainError,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  parseAddress,
  type Coin,
  parseAmount,
  validateDenom,
  DEC_ONE,
  decFromAtomics,
} from '../../core/index.ts';
import { ED25519_PUBKEY_BYTES, parseValoper, valoperToAccount } from './address.ts';
import {
  ErrCommissionChangeRateGTMaxRate,
  ErrCommissionGTMaxRate,
  ErrCommissionHuge,
  ErrEmptyValidatorPubKey,
  ErrSelfDelegationBelowMinimum,
  ErrValidatorPubKeyTypeNotSupported,
} from './errors.ts';
import { DO_NOT_MODIFY } from './keeper.ts';
import { type Description, ED25519_PUBKEY_TYPE_URL } from './validator.ts';

export const MSG_CREATE_VALIDATOR_TYPE_URL = '/cosmos.staking.v1beta1.MsgCreateValidator';
export const MSG_EDIT_VALIDATOR_TYPE_URL = '/cosmos.staking.v1beta1.MsgEditValidator';
export const MSG_DELEGATE_TYPE_URL = '/cosmos.staking.v1beta1.MsgDelegate';
export const MSG_UNDELEGATE_TYPE_URL = '/cosmos.staking.v1beta1.MsgUndelegate';
export const MSG_BEGIN_REDELEGATE_TYPE_URL = '/cosmos.staking.v1beta1.MsgBeginRedelegate';

/** The SDK's description limits (characters). */
export const DESCRIPTION_LIMITS = { moniker: 70, identity: 3000, website: 140, securityContact: 140, details: 280 } as const;

/** Checks a description's lengths (and a non-empty moniker when `requireMoniker`); `sdk/18` naming the field. */
export function validateDescription(description: Description, requireMoniker: boolean): void {
  if (requireMoniker && description.moniker.trim() === '') throw ainError(ErrInvalidRequest, 'description.moniker is empty');
  for (const [field, limit] of Object.entries(DESCRIPTION_LIMITS)) {
    const value = description[field as keyof Description];
    if (value !== DO_NOT_MODIFY && value.length > limit) {
      throw ainError(ErrInvalidRequest, `description.${field} is ${value.length} characters; at most ${limit}`);
    }
  }
}

/** A positive coin amount of a proto Coin; `sdk/10` naming the field. */
export function positiveCoin(coin: { denom: string; amount: string } | undefined, field: string): Coin {
  if (!coin) throw ainError(ErrInvalidRequest, `${field} is missing; expected a coin such as 1000000uain`);
  validateDenom(coin.denom, `${field}.denom`);
  const amount = parseAmount(coin.amount, `${field}.amount`);
  if (amount <= 0n) throw ainError(ErrInvalidRequest, `${field}.amount must be positive`);
  return { denom: coin.denom, amount };
}

/** The 32-byte ed25519 key of a consensus pubkey Any (`/cosmos.crypto.ed25519.PubKey`). */
export function consensusPubkey(any: Any | undefined): Uint8Array {
  if (!any || any.value.length === 0) throw ainError(ErrEmptyValidatorPubKey, 'pubkey is empty; expected an ed25519 consensus key');
  if (any.typeUrl !== ED25519_PUBKEY_TYPE_URL) {
    throw ainError(ErrValidatorPubKeyTypeNotSupported, `pubkey type ${any.typeUrl}; expected ${ED25519_PUBKEY_TYPE_URL}`);
  }
  let key: Uint8Array;
  try {
    key = Ed25519PubKey.decode(any.value).key;
  } catch (cause) {
    throw ainError(ErrInvalidPubKey, `pubkey does not decode as ${ED25519_PUBKEY_TYPE_URL}: ${(cause as Error).message}`);
  }
  if (key.length !== ED25519_PUBKEY_BYTES)
    throw ainError(ErrInvalidPubKey, `pubkey is ${key.length} bytes; expected ${ED25519_PUBKEY_BYTES}`);
  return key;
}

/** Commission rates in protobuf form (atomics), checked: rate <= max_rate <= 1, max_change_rate <= max_rate. */
export function parseCommissionRates(rates: { rate: string; maxRate: string; maxChangeRate: string } | undefined) {
  if (!rates) throw ainError(ErrInvalidRequest, 'commission is missing');
  const rate = decFromAtomics(rates.rate, 'commission.rate');
  const maxRate = decFromAtomics(rates.maxRate, 'commission.max_rate');
  const maxChangeRate = decFromAtomics(rates.maxChangeRate, 'commission.max_change_rate');
  if (maxRate > DEC_ONE) throw ainError(ErrCommissionHuge, `commission.max_rate ${maxRate} atomics is above 1`);
  if (rate > maxRate) throw ainError(ErrCommissionGTMaxRate, `commission.rate ${rate} > commission.max_rate ${maxRate} (atomics)`);
  if (maxChangeRate > maxRate) {
    throw ainError(
      ErrCommissionChangeRateGTMaxRate,
      `commission.max_change_rate ${maxChangeRate} > commission.max_rate ${maxRate} (atomics)`,
    );
  }
  return { rate, maxRate, maxChangeRate };
}

/** MsgCreateValidator: operator, optional matching delegator, ed25519 key, description, commission, value >= min self-delegation. */
export function validateMsgCreateValidator(msg: MsgCreateValidator): void {
  parseValoper(msg.validatorAddress, 'validator_address');
  if (msg.delegatorAddress !== '') {
    parseAddress(msg.delegatorAddress, 'delegator_address');
    if (msg.delegatorAddress !== valoperToAccount(msg.validatorAddress)) {
      throw ainError(
        ErrInvalidRequest,
        `delegator_address ${msg.delegatorAddress} is not the operator's account ${valoperToAccount(msg.validatorAddress)}`,
      );
    }
  }
  consensusPubkey(msg.pubkey);
  validateDescription(msg.description, true);
  parseCommissionRates(msg.commission);
  const value = positiveCoin(msg.value, 'value');
  const minSelf = parseAmount(msg.minSelfDelegation, 'min_self_delegation');
  if (minSelf <= 0n) throw ainError(ErrInvalidRequest, 'min_self_delegation must be positive');
  if (value.amount < minSelf) throw ainError(ErrSelfDelegationBelowMinimum, `value ${value.amount} < min_self_delegation ${minSelf}`);
}

/** MsgEditValidator: operator; commission_rate ("" = keep) within [0, 1]; min_self_delegation ("" = keep) positive. */
export function validateMsgEditValidator(msg: MsgEditValidator): void {
  parseValoper(msg.validatorAddress, 'validator_address');
  validateDescription(msg.description, false);
  if (msg.commissionRate !== '' && decFromAtomics(msg.commissionRate, 'commission_rate') > DEC_ONE) {
    throw ainError(ErrCommissionHuge, `commission_rate ${msg.commissionRate} atomics is above 1`);
  }
  if (msg.minSelfDelegation !== '' && parseAmount(msg.minSelfDelegation, 'min_self_delegation') <= 0n) {
    throw ainError(ErrInvalidRequest, 'min_self_delegation must be positive');
  }
}

/** MsgDelegate and MsgUndelegate: delegator, validator, positive amount. */
export function validateMsgDelegate(msg: MsgDelegate | MsgUndelegate): void {
  parseAddress(msg.delegatorAddress, 'delegator_address');
  parseValoper(msg.validatorAddress, 'validator_address');
  positiveCoin(msg.amount, 'amount');
}

/** MsgBeginRedelegate: delegator, both validators, positive amount. */
export function validateMsgBeginRedelegate(msg: MsgBeginRedelegate): void {
  parseAddress(msg.delegatorAddress, 'delegator_address');
  parseValoper(msg.validatorSrcAddress, 'validator_src_address');
  parseValoper(msg.validatorDstAddress, 'validator_dst_address');
  positiveCoin(msg.amount, 'amount');
}

export { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate, MsgEditValidator, MsgUndelegate };
