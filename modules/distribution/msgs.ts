import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { ainError, ErrInvalidRequest, parseAddress, coinsFromProto } from '../../core/index.ts';
import { parseValoper } from '../staking/index.ts';

export const MSG_WITHDRAW_DELEGATOR_REWARD_TYPE_URL = '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward';
export const MSG_WITHDRAW_VALIDATOR_COMMISSION_TYPE_URL = '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission';
export const MSG_SET_WITHDRAW_ADDRESS_TYPE_URL = '/cosmos.distribution.v1beta1.MsgSetWithdrawAddress';
export const MSG_FUND_COMMUNITY_POOL_TYPE_URL = '/cosmos.distribution.v1beta1.MsgFundCommunityPool';

export function validateMsgWithdrawDelegatorReward(msg: MsgWithdrawDelegatorReward): void {
  parseAddress(msg.delegatorAddress, 'delegator_address');
  parseValoper(msg.validatorAddress, 'validator_address');
}

export function validateMsgWithdrawValidatorCommission(msg: MsgWithdrawValidatorCommission): void {
  parseValoper(msg.validatorAddress, 'validator_address');
}

export function validateMsgSetWithdrawAddress(msg: MsgSetWithdrawAddress): void {
  parseAddress(msg.delegatorAddress, 'delegator_address');
  parseAddress(msg.withdrawAddress, 'withdraw_address');
}

export function validateMsgFundCommunityPool(msg: MsgFundCommunityPool): void {
  parseAddress(msg.depositor, 'depositor');
  if (msg.amount.length === 0) throw ainError(ErrInvalidRequest, 'amount is empty; expected at least one coin');
  coinsFromProto(msg.amount, 'amount');
}

export { MsgFundCommunityPool, MsgSetWithdrawAddress, MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission };
