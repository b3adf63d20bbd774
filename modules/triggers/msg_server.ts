import { type MsgHandler, signerMsgHandler } from '../../core/index.ts';
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
const handler = signerMsgHandler(TRIGGERS_MODULE);

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
