import {
  MsgBeginRedelegateResponse,
  MsgCreateValidatorResponse,
  MsgDelegateResponse,
  MsgEditValidatorResponse,
  MsgUndelegateResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { ainError, ErrInvalidRequest, type MsgHandler, msgHandler, requireGovAuthority } from '../../core/index.ts';
import { valoperToAccount } from './address.ts';
import { decFromAtomics } from '../../core/index.ts';
import { STAKING_MODULE, type StakingKeeper } from './keeper.ts';
import { stakingParamsFromProto, writeStakingParams } from './params.ts';
import {
  consensusPubkey,
  MSG_BEGIN_REDELEGATE_TYPE_URL,
  MSG_CREATE_VALIDATOR_TYPE_URL,
  MSG_DELEGATE_TYPE_URL,
  MSG_EDIT_VALIDATOR_TYPE_URL,
  MSG_UNDELEGATE_TYPE_URL,
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
  parseCommissionRates,
  positiveCoin,
  validateMsgBeginRedelegate,
  validateMsgCreateValidator,
  validateMsgDelegate,
  validateMsgEditValidator,
} from './msgs.ts';

const timestamp = (seconds: bigint) => ({ seconds, nanos: 0 });

/** Every message handler of the staking module (standard `cosmos.staking.v1beta1` type URLs), for `MsgRouter.register`. */
export function stakingMsgHandlers(keeper: StakingKeeper): MsgHandler<unknown>[] {
  const createValidator: MsgHandler<MsgCreateValidator> = {
    typeUrl: MSG_CREATE_VALIDATOR_TYPE_URL,
    module: STAKING_MODULE,
    decode: (bytes) => MsgCreateValidator.decode(bytes),
    validateBasic: validateMsgCreateValidator,
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],
    handle(ctx, msg) {
      const value = positiveCoin(msg.value, 'value');
      keeper.createValidator(ctx, {
        operator: msg.validatorAddress,
        pubkey: consensusPubkey(msg.pubkey),
        amount: value.amount,
        denom: value.denom,
        description: msg.description,
        commission: parseCommissionRates(msg.commission),
        minSelfDelegation: BigInt(msg.minSelfDelegation),
      });
      return { typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidatorResponse', value: MsgCreateValidatorResponse.encode({}).finish() };
    },
  };
  const editValidator: MsgHandler<MsgEditValidator> = {
    typeUrl: MSG_EDIT_VALIDATOR_TYPE_URL,
    module: STAKING_MODULE,
    decode: (bytes) => MsgEditValidator.decode(bytes),
    validateBasic: validateMsgEditValidator,
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],
    handle(ctx, msg) {
      keeper.editValidator(ctx, {
        operator: msg.validatorAddress,
        description: msg.description,
        commissionRate: msg.commissionRate === '' ? undefined : decFromAtomics(msg.commissionRate, 'commission_rate'),
        minSelfDelegation: msg.minSelfDelegation === '' ? undefined : BigInt(msg.minSelfDelegation),
      });
      return { typeUrl: '/cosmos.staking.v1beta1.MsgEditValidatorResponse', value: MsgEditValidatorResponse.encode({}).finish() };
    },
  };
  const delegate: MsgHandler<MsgDelegate> = {
    typeUrl: MSG_DELEGATE_TYPE_URL,
    module: STAKING_MODULE,
    decode: (bytes) => MsgDelegate.decode(bytes),
    validateBasic: validateMsgDelegate,
    signers: (msg) => [msg.delegatorAddress],
    handle(ctx, msg) {
      const amount = positiveCoin(msg.amount, 'amount');
      keeper.delegate(ctx, msg.delegatorAddress, msg.validatorAddress, amount.denom, amount.amount);
      return { typeUrl: '/cosmos.staking.v1beta1.MsgDelegateResponse', value: MsgDelegateResponse.encode({}).finish() };
    },
  };
  const undelegate: MsgHandler<MsgUndelegate> = {
    typeUrl: MSG_UNDELEGATE_TYPE_URL,
    module: STAKING_MODULE,
    decode: (bytes) => MsgUndelegate.decode(bytes),
    validateBasic: validateMsgDelegate,
    signers: (msg) => [msg.delegatorAddress],
    handle(ctx, msg) {
      const amount = positiveCoin(msg.amount, 'amount');
      const result = keeper.undelegate(ctx, msg.delegatorAddress, msg.validatorAddress, amount.denom, amount.amount);
      return {
        typeUrl: '/cosmos.staking.v1beta1.MsgUndelegateResponse',
        value: MsgUndelegateResponse.encode({
          completionTime: timestamp(result.completionTime),
          amount: { denom: amount.denom, amount: result.amount.toString() },
        }).finish(),
      };
    },
  };
  const redelegate: MsgHandler<MsgBeginRedelegate> = {
    typeUrl: MSG_BEGIN_REDELEGATE_TYPE_URL,
    module: STAKING_MODULE,
    decode: (bytes) => MsgBeginRedelegate.decode(bytes),
    validateBasic: validateMsgBeginRedelegate,
    signers: (msg) => [msg.delegatorAddress],
    handle(ctx, msg) {
      const amount = positiveCoin(msg.amount, 'amount');
      const completionTime = keeper.redelegate(
        ctx,
        msg.delegatorAddress,
        msg.validatorSrcAddress,
        msg.validatorDstAddress,
        amount.denom,
        amount.amount,
      );
      return {
        typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegateResponse',
        value: MsgBeginRedelegateResponse.encode({ completionTime: timestamp(completionTime) }).finish(),
      };
    },
  };
  // Only governance changes the params: the authority is the gov module account.
  const updateParams = msgHandler({
    module: STAKING_MODULE,
    msg: MsgUpdateParams,
    response: MsgUpdateParamsResponse,
    validateBasic: (msg) => requireGovAuthority(msg.authority),
    signers: (msg) => [msg.authority],
    handle: (ctx, msg) => {
      if (!msg.params) throw ainError(ErrInvalidRequest, 'params is missing', { field: 'params' });
      writeStakingParams(ctx.state, stakingParamsFromProto(msg.params, keeper.params(ctx.state)));
    },
  });
  return [createValidator, editValidator, delegate, undelegate, redelegate, updateParams] as MsgHandler<unknown>[];
}
