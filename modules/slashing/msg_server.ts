import { MsgUnjailResponse, MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { ainError, ErrInvalidRequest, type MsgHandler, msgHandler, requireGovAuthority } from '../../core/index.ts';
import { valoperToAccount } from '../staking/index.ts';
import { SLASHING_MODULE, type SlashingKeeper } from './keeper.ts';
import { slashingParamsFromProto, writeSlashingParams } from './params.ts';
import { MSG_UNJAIL_TYPE_URL, MsgUnjail, validateMsgUnjail } from './msgs.ts';

/** The slashing module's one message, MsgUnjail (standard type URL), signed by the operator's account. */
export function slashingMsgHandlers(keeper: SlashingKeeper): MsgHandler<unknown>[] {
  const unjail: MsgHandler<MsgUnjail> = {
    typeUrl: MSG_UNJAIL_TYPE_URL,
    module: SLASHING_MODULE,
    decode: (bytes) => MsgUnjail.decode(bytes),
    validateBasic: validateMsgUnjail,
    signers: (msg) => [valoperToAccount(msg.validatorAddr)],
    handle(ctx, msg) {
      keeper.unjail(ctx, msg.validatorAddr);
      return { typeUrl: '/cosmos.slashing.v1beta1.MsgUnjailResponse', value: MsgUnjailResponse.encode({}).finish() };
    },
  };
  // Only governance changes the params: the authority is the gov module account.
  const updateParams = msgHandler({
    module: SLASHING_MODULE,
    msg: MsgUpdateParams,
    response: MsgUpdateParamsResponse,
    validateBasic: (msg) => requireGovAuthority(msg.authority),
    signers: (msg) => [msg.authority],
    handle: (ctx, msg) => {
      if (!msg.params) throw ainError(ErrInvalidRequest, 'params is missing', { field: 'params' });
      writeSlashingParams(ctx.state, slashingParamsFromProto(msg.params));
    },
  });
  return [unjail, updateParams] as MsgHandler<unknown>[];
}
