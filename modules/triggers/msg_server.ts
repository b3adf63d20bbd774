import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from '../../core/context.ts';
import type { MsgHandler } from '../../core/msgRouter.ts';
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

interface Codec<T> {
  readonly $type: string;
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

function handler<T extends { signer: string }, R>(
  codec: Codec<T>,
  response: Codec<R> & { fromPartial(object: object): R },
  validateBasic: (msg: T) => void,
  handle: (ctx: Context, msg: T) => object | undefined,
): MsgHandler<T> {
  return {
    typeUrl: `/${codec.$type}`,
    module: TRIGGERS_MODULE,
    decode: (bytes) => codec.decode(bytes),
    validateBasic,
    signers: (msg) => [msg.signer],
    handle(ctx, msg): Any {
      const answer = handle(ctx, msg) ?? {};
      return { typeUrl: `/${response.$type}`, value: response.encode(response.fromPartial(answer)).finish() };
    },
  };
}

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
