/** The auth module's handler: MsgUpdateParams, signed by the gov authority (a passed proposal). */
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { ainError, ErrInvalidRequest, type MsgHandler, msgHandler, requireGovAuthority } from '../../core/index.ts';
import { authParamsFromProto, readAuthParams, writeAuthParams } from './params.ts';

export function authMsgHandlers(): MsgHandler<unknown>[] {
  return [
    msgHandler({
      module: 'auth',
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      validateBasic: (msg) => requireGovAuthority(msg.authority),
      signers: (msg) => [msg.authority],
      handle: (ctx, msg) => {
        if (!msg.params) throw ainError(ErrInvalidRequest, 'params is missing', { field: 'params' });
        writeAuthParams(ctx.state, authParamsFromProto(msg.params, readAuthParams(ctx.state)));
      },
    }),
  ] as MsgHandler<unknown>[];
}
