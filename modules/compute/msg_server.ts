/**
 * The compute module's handler: MsgUpdateParams, signed by the gov authority (a passed proposal); the
 * keeper stores the params and restarts the moving average where the change calls for it, or (disable)
 * turns compute-driven supply off.
 */
import { type MsgHandler, msgHandler } from '../../core/index.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../proto/gen/ain/compute/v1/tx.ts';
import { validateUpdateParams } from './msgs.ts';
import type { ComputeKeeper } from './keeper.ts';
import { computeParamsFromProto } from './params.ts';

export function computeMsgHandlers(keeper: ComputeKeeper): MsgHandler<unknown>[] {
  return [
    msgHandler({
      module: 'compute',
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      validateBasic: validateUpdateParams,
      signers: (m) => [m.authority],
      handle: (ctx, m) => (m.disable ? keeper.turnOff(ctx) : keeper.updateParams(ctx, computeParamsFromProto(m.params))),
    }),
  ] as MsgHandler<unknown>[];
}
