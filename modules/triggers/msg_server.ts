import type { Context } from '../../core/index.ts';
import { type MsgCodec, type MsgHandler, msgHandler } from '../../core/index.ts';
import {
  MsgRegisterExecutor,
  MsgRegisterExecutorResponse,
  MsgSubmitResult,
  MsgSubmitResultResponse,
  MsgSubmitResults,
  MsgSubmitResultsResponse,
} from '../../proto/gen/ain/triggers/v1/tx.ts';
import { TRIGGERS_MODULE, type TriggersKeeper } from './keeper.ts';
import { validateMsgRegisterExecutor, validateMsgSubmitResult, validateMsgSubmitResults } from './msgs.ts';

/** One thin handler per message: the signer is the message's `signer`; the keeper's answer fills the response. */
const handler = <T extends { signer: string }, R>(
  msg: MsgCodec<T>,
  response: MsgCodec<R>,
  validateBasic: (msg: T) => unknown,
  handle: (ctx: Context, msg: T) => unknown,
): MsgHandler<T> => msgHandler({ module: TRIGGERS_MODULE, msg, response, validateBasic, signers: (m) => [m.signer], handle });

/** Every message handler of the triggers module, for `MsgRouter.register`. */
export function triggersMsgHandlers(keeper: TriggersKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(
      MsgRegisterExecutor,
      MsgRegisterExecutorResponse,
      validateMsgRegisterExecutor,
      (ctx, msg) => void keeper.registerExecutor(ctx, msg),
    ),
    handler(MsgSubmitResult, MsgSubmitResultResponse, validateMsgSubmitResult, (ctx, msg) => void keeper.submitResult(ctx, msg)),
    handler(MsgSubmitResults, MsgSubmitResultsResponse, validateMsgSubmitResults, (ctx, msg) => keeper.submitResults(ctx, msg)),
  ];
  return handlers as MsgHandler<unknown>[];
}
