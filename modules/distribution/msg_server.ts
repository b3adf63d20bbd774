import {
  MsgFundCommunityPoolResponse,
  MsgSetWithdrawAddressResponse,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommissionResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { ainError, ErrInvalidRequest, type MsgHandler, msgHandler, requireGovAuthority } from '../../core/index.ts';
import { coinsFromProto, coinsToProto } from '../../core/index.ts';
import { valoperToAccount } from '../staking/index.ts';
import { DISTRIBUTION_MODULE, type DistributionKeeper } from './keeper.ts';
import { distributionParamsFromProto, readDistributionParams, writeDistributionParams } from './params.ts';
import {
  MSG_FUND_COMMUNITY_POOL_TYPE_URL,
  MSG_SET_WITHDRAW_ADDRESS_TYPE_URL,
  MSG_WITHDRAW_DELEGATOR_REWARD_TYPE_URL,
  MSG_WITHDRAW_VALIDATOR_COMMISSION_TYPE_URL,
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
  validateMsgFundCommunityPool,
  validateMsgSetWithdrawAddress,
  validateMsgWithdrawDelegatorReward,
  validateMsgWithdrawValidatorCommission,
} from './msgs.ts';

/** Every message handler of the distribution module (standard `cosmos.distribution.v1beta1` type URLs). */
export function distributionMsgHandlers(keeper: DistributionKeeper): MsgHandler<unknown>[] {
  const withdrawRewards: MsgHandler<MsgWithdrawDelegatorReward> = {
    typeUrl: MSG_WITHDRAW_DELEGATOR_REWARD_TYPE_URL,
    module: DISTRIBUTION_MODULE,
    decode: (bytes) => MsgWithdrawDelegatorReward.decode(bytes),
    validateBasic: validateMsgWithdrawDelegatorReward,
    signers: (msg) => [msg.delegatorAddress],
    handle(ctx, msg) {
      const amount = keeper.withdrawDelegationRewards(ctx, msg.delegatorAddress, msg.validatorAddress);
      return {
        typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorRewardResponse',
        value: MsgWithdrawDelegatorRewardResponse.encode({ amount: coinsToProto(amount) }).finish(),
      };
    },
  };
  const withdrawCommission: MsgHandler<MsgWithdrawValidatorCommission> = {
    typeUrl: MSG_WITHDRAW_VALIDATOR_COMMISSION_TYPE_URL,
    module: DISTRIBUTION_MODULE,
    decode: (bytes) => MsgWithdrawValidatorCommission.decode(bytes),
    validateBasic: validateMsgWithdrawValidatorCommission,
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],
    handle(ctx, msg) {
      const amount = keeper.withdrawValidatorCommission(ctx, msg.validatorAddress);
      return {
        typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommissionResponse',
        value: MsgWithdrawValidatorCommissionResponse.encode({ amount: coinsToProto(amount) }).finish(),
      };
    },
  };
  const setWithdrawAddress: MsgHandler<MsgSetWithdrawAddress> = {
    typeUrl: MSG_SET_WITHDRAW_ADDRESS_TYPE_URL,
    module: DISTRIBUTION_MODULE,
    decode: (bytes) => MsgSetWithdrawAddress.decode(bytes),
    validateBasic: validateMsgSetWithdrawAddress,
    signers: (msg) => [msg.delegatorAddress],
    handle(ctx, msg) {
      keeper.setWithdrawAddress(ctx, msg.delegatorAddress, msg.withdrawAddress);
      return {
        typeUrl: '/cosmos.distribution.v1beta1.MsgSetWithdrawAddressResponse',
        value: MsgSetWithdrawAddressResponse.encode({}).finish(),
      };
    },
  };
  const fundCommunityPool: MsgHandler<MsgFundCommunityPool> = {
    typeUrl: MSG_FUND_COMMUNITY_POOL_TYPE_URL,
    module: DISTRIBUTION_MODULE,
    decode: (bytes) => MsgFundCommunityPool.decode(bytes),
    validateBasic: validateMsgFundCommunityPool,
    signers: (msg) => [msg.depositor],
    handle(ctx, msg) {
      keeper.fundCommunityPool(ctx, msg.depositor, coinsFromProto(msg.amount));
      return {
        typeUrl: '/cosmos.distribution.v1beta1.MsgFundCommunityPoolResponse',
        value: MsgFundCommunityPoolResponse.encode({}).finish(),
      };
    },
  };
  // Only governance changes the params: the authority is the gov module account.
  const updateParams = msgHandler({
    module: DISTRIBUTION_MODULE,
    msg: MsgUpdateParams,
    response: MsgUpdateParamsResponse,
    validateBasic: (msg) => requireGovAuthority(msg.authority),
    signers: (msg) => [msg.authority],
    handle: (ctx, msg) => {
      if (!msg.params) throw ainError(ErrInvalidRequest, 'params is missing', { field: 'params' });
      writeDistributionParams(ctx.state, distributionParamsFromProto(msg.params, readDistributionParams(ctx.state)));
    },
  });
  return [withdrawRewards, withdrawCommission, setWithdrawAddress, fundCommunityPool, updateParams] as MsgHandler<unknown>[];
}
