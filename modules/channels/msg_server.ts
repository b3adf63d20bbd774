import { type MsgHandler, signerMsgHandler } from '../../core/index.ts';
import {
  MsgAcceptContract,
  MsgAcceptContractResponse,
  MsgClaimMisses,
  MsgClaimMissesResponse,
  MsgCloseChannel,
  MsgCloseChannelResponse,
  MsgDisputeMisses,
  MsgDisputeMissesResponse,
  MsgEndContract,
  MsgEndContractResponse,
  MsgOpenChannel,
  MsgOpenChannelResponse,
  MsgProposeContract,
  MsgProposeContractResponse,
  MsgRedeem,
  MsgRedeemResponse,
  MsgSettleContract,
  MsgSettleContractResponse,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import {
  validateMsgAcceptContract,
  validateMsgClaimMisses,
  validateMsgDisputeMisses,
  validateMsgEndContract,
  validateMsgProposeContract,
  validateMsgSettleContract,
} from './contractMsgs.ts';
import type { ContractsKeeper } from './contracts.ts';
import { CHANNELS_MODULE, type ChannelsKeeper } from './keeper.ts';
import { validateMsgCloseChannel, validateMsgOpenChannel, validateMsgRedeem } from './msgs.ts';

const handler = signerMsgHandler(CHANNELS_MODULE);

/** Every message handler of the channels module, for `MsgRouter.register`. */
export function channelsMsgHandlers(keeper: ChannelsKeeper, contracts: ContractsKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgOpenChannel, MsgOpenChannelResponse, validateMsgOpenChannel, (ctx, msg) => keeper.openChannel(ctx, msg)),
    handler(MsgRedeem, MsgRedeemResponse, validateMsgRedeem, (ctx, msg) => keeper.redeem(ctx, msg)),
    handler(MsgCloseChannel, MsgCloseChannelResponse, validateMsgCloseChannel, (ctx, msg) => keeper.closeChannel(ctx, msg)),
    handler(MsgProposeContract, MsgProposeContractResponse, validateMsgProposeContract, (ctx, msg) => contracts.propose(ctx, msg)),
    handler(MsgAcceptContract, MsgAcceptContractResponse, validateMsgAcceptContract, (ctx, msg) => contracts.accept(ctx, msg)),
    handler(MsgEndContract, MsgEndContractResponse, validateMsgEndContract, (ctx, msg) => contracts.end(ctx, msg)),
    handler(MsgClaimMisses, MsgClaimMissesResponse, validateMsgClaimMisses, (ctx, msg) => contracts.claim(ctx, msg)),
    handler(MsgDisputeMisses, MsgDisputeMissesResponse, validateMsgDisputeMisses, (ctx, msg) => contracts.dispute(ctx, msg)),
    handler(MsgSettleContract, MsgSettleContractResponse, validateMsgSettleContract, (ctx, msg) => contracts.settle(ctx, msg)),
  ];
  return handlers as MsgHandler<unknown>[];
}

/** The JSON codecs of the messages and responses, for REST. */
export const channelsJsonTypes = [
  MsgOpenChannel,
  MsgOpenChannelResponse,
  MsgRedeem,
  MsgRedeemResponse,
  MsgCloseChannel,
  MsgCloseChannelResponse,
  MsgProposeContract,
  MsgProposeContractResponse,
  MsgAcceptContract,
  MsgAcceptContractResponse,
  MsgEndContract,
  MsgEndContractResponse,
  MsgClaimMisses,
  MsgClaimMissesResponse,
  MsgDisputeMisses,
  MsgDisputeMissesResponse,
  MsgSettleContract,
  MsgSettleContractResponse,
] as const;
