import { MsgUnjailResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import type { MsgHandler } from '../../core/index.ts';
import { valoperToAccount } from '../staking/index.ts';
import { SLASHING_MODULE, type SlashingKeeper } from './keeper.ts';
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
  return [unjail] as MsgHandler<unknown>[];
}
