/** The compute module's handler: MsgUpdateParams, signed by the gov authority (a passed proposal). */
import { type MsgHandler, msgHandler } from '../../core/index.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../proto/gen/ain/compute/v1/tx.ts';
import { validateUpdateParams } from './msgs.ts';
import { computeParamsFromProto, writeComputeParams } from './params.ts';

export function computeMsgHandlers(): MsgHandler<unknown>[] {
  return [
    msgHandler({
      module: 'compute',
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      validateBasic: validateUpdateParams,
      signers: (m) => [m.authority],
      handle: (ctx, m) => writeComputeParams(ctx.state, computeParamsFromProto(m.params)),
    }),
  ] as MsgHandler<unknown>[];
}
