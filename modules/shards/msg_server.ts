/**
 * One thin handler per shards message: the signer is the message's `signer` (MsgRecoverLink's: its
 * `authority`, governance's alone); the keeper's answer fills the response.
 */
import { type MsgHandler, msgHandler, signerMsgHandler } from '../../core/index.ts';
import {
  MsgAcknowledge,
  MsgAcknowledgeResponse,
  MsgBranch,
  MsgBranchResponse,
  MsgProveValue,
  MsgProveValueResponse,
  MsgRecoverLink,
  MsgRecoverLinkResponse,
  MsgRecvPacket,
  MsgRecvPacketResponse,
  MsgReport,
  MsgReportResponse,
  MsgTimeout,
  MsgTimeoutResponse,
  MsgTransfer,
  MsgTransferResponse,
  MsgUnfreeze,
  MsgUnfreezeResponse,
} from '../../proto/gen/ain/shards/v1/tx.ts';
import type { ShardsKeeper } from './keeper.ts';
import {
  validateMsgBranch,
  validateMsgProveValue,
  validateMsgRecoverLink,
  validateMsgRecvPacket,
  validateMsgReport,
  validateMsgSettle,
  validateMsgTransfer,
  validateMsgUnfreeze,
} from './msgs.ts';
import { SHARDS_MODULE } from './records.ts';

const handler = signerMsgHandler(SHARDS_MODULE);

/** Every message handler of the shards module, for `MsgRouter.register`. */
export function shardsMsgHandlers(keeper: ShardsKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgBranch, MsgBranchResponse, validateMsgBranch, (ctx, msg) => ({ account: keeper.branch(ctx, msg) })),
    handler(MsgReport, MsgReportResponse, validateMsgReport, (ctx, msg) => {
      const outcome = keeper.report(ctx, msg);
      return { height: outcome.height, fee: outcome.fee.toString(), frozen: outcome.frozen };
    }),
    handler(MsgProveValue, MsgProveValueResponse, validateMsgProveValue, (ctx, msg) => keeper.proveValue(ctx, msg)),
    handler(MsgTransfer, MsgTransferResponse, validateMsgTransfer, (ctx, msg) => ({ sequence: keeper.transfer(ctx, msg) })),
    handler(MsgRecvPacket, MsgRecvPacketResponse, validateMsgRecvPacket, (ctx, msg) => keeper.recvPacket(ctx, msg)),
    handler(MsgAcknowledge, MsgAcknowledgeResponse, validateMsgSettle, (ctx, msg) => keeper.acknowledge(ctx, msg)),
    handler(MsgTimeout, MsgTimeoutResponse, validateMsgSettle, (ctx, msg) => keeper.timeout(ctx, msg)),
    handler(MsgUnfreeze, MsgUnfreezeResponse, validateMsgUnfreeze, (ctx, msg) => keeper.unfreeze(ctx, msg)),
    msgHandler({
      module: SHARDS_MODULE,
      msg: MsgRecoverLink,
      response: MsgRecoverLinkResponse,
      validateBasic: validateMsgRecoverLink,
      signers: (msg) => [msg.authority],
      handle: (ctx, msg) => ({ height: keeper.recoverLink(ctx, msg) }),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}

/** The JSON codecs of the messages and responses, for REST. */
export const shardsJsonTypes = [
  MsgBranch,
  MsgBranchResponse,
  MsgReport,
  MsgReportResponse,
  MsgProveValue,
  MsgProveValueResponse,
  MsgTransfer,
  MsgTransferResponse,
  MsgRecvPacket,
  MsgRecvPacketResponse,
  MsgAcknowledge,
  MsgAcknowledgeResponse,
  MsgTimeout,
  MsgTimeoutResponse,
  MsgUnfreeze,
  MsgUnfreezeResponse,
  MsgRecoverLink,
  MsgRecoverLinkResponse,
] as const;
