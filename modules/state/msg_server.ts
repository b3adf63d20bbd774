import { type MsgHandler, signerMsgHandler } from '../../core/index.ts';
import {
  MsgBatch,
  MsgBatchResponse,
  MsgCreateApp,
  MsgCreateAppResponse,
  MsgDecValue,
  MsgDecValueResponse,
  MsgDeleteValue,
  MsgDeleteValueResponse,
  MsgIncValue,
  MsgIncValueResponse,
  MsgSetFunction,
  MsgSetFunctionResponse,
  MsgSetOwner,
  MsgSetOwnerResponse,
  MsgSetRule,
  MsgSetRuleResponse,
  MsgSetValue,
  MsgSetValueResponse,
  type Op,
} from '../../proto/gen/ain/state/v1/tx.ts';
import type { StateContext, StateKeeper } from './keeper.ts';
import {
  inOp,
  validateMsgBatch,
  validateMsgCreateApp,
  validateMsgDecValue,
  validateMsgDeleteValue,
  validateMsgIncValue,
  validateMsgSetFunction,
  validateMsgSetOwner,
  validateMsgSetRule,
  validateMsgSetValue,
  validateOp,
} from './msgs.ts';

export const STATE_MODULE = 'state';

/** One thin handler per message: the signer is the message's `signer`; the keeper's answer fills the response. */
const handler = signerMsgHandler(STATE_MODULE);

const user = (addr: string) => ({ addr, fid: null });

/** Runs one op of a batch against the keeper, as the matching message would. */
export function runOp(keeper: StateKeeper, ctx: StateContext, signer: string, op: Op): void {
  const o = op.op;
  if (!o) {
    validateOp(op, signer);
    return;
  }
  switch (o.$case) {
    case 'setValue':
      keeper.setValue(ctx, user(signer), o.value.path, o.value.value);
      return;
    case 'incValue':
      keeper.addValue(ctx, user(signer), o.value.path, o.value.delta, 1);
      return;
    case 'decValue':
      keeper.addValue(ctx, user(signer), o.value.path, o.value.delta, -1);
      return;
    case 'deleteValue':
      keeper.deleteValue(ctx, user(signer), o.value.path);
      return;
    case 'setRule':
      keeper.setRule(ctx, signer, o.value.path, o.value.rule);
      return;
    case 'setOwner':
      keeper.setOwner(ctx, signer, o.value.path, o.value.owner);
      return;
    case 'setFunction':
      keeper.setFunction(ctx, signer, o.value.path, o.value.function);
      return;
  }
}

/** Every message handler of the state module, for `MsgRouter.register`. */
export function stateMsgHandlers(keeper: StateKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgSetValue, MsgSetValueResponse, validateMsgSetValue, (ctx, msg) =>
      keeper.setValue(ctx, user(msg.signer), msg.path, msg.value),
    ),
    handler(MsgIncValue, MsgIncValueResponse, validateMsgIncValue, (ctx, msg) =>
      keeper.addValue(ctx, user(msg.signer), msg.path, msg.delta, 1),
    ),
    handler(MsgDecValue, MsgDecValueResponse, validateMsgDecValue, (ctx, msg) =>
      keeper.addValue(ctx, user(msg.signer), msg.path, msg.delta, -1),
    ),
    handler(MsgDeleteValue, MsgDeleteValueResponse, validateMsgDeleteValue, (ctx, msg) =>
      keeper.deleteValue(ctx, user(msg.signer), msg.path),
    ),
    handler(MsgSetRule, MsgSetRuleResponse, validateMsgSetRule, (ctx, msg) => keeper.setRule(ctx, msg.signer, msg.path, msg.rule)),
    handler(MsgSetOwner, MsgSetOwnerResponse, validateMsgSetOwner, (ctx, msg) => keeper.setOwner(ctx, msg.signer, msg.path, msg.owner)),
    handler(MsgSetFunction, MsgSetFunctionResponse, validateMsgSetFunction, (ctx, msg) =>
      keeper.setFunction(ctx, msg.signer, msg.path, msg.function),
    ),
    // All or nothing: runTx runs each message on its own overlay and drops it when the message fails.
    handler(MsgBatch, MsgBatchResponse, validateMsgBatch, (ctx, msg) =>
      msg.ops.forEach((op, i) => {
        try {
          runOp(keeper, ctx, msg.signer, op);
        } catch (error) {
          throw inOp(error, i, op);
        }
      }),
    ),
    handler(MsgCreateApp, MsgCreateAppResponse, validateMsgCreateApp, (ctx, msg) =>
      keeper.createApp(ctx, msg.signer, msg.name, msg.admins, msg.public),
    ),
  ];
  return handlers as MsgHandler<unknown>[];
}
