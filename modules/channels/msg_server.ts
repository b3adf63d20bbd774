/** One thin handler per channels message: the signer is the message's `signer`; the keeper's answer fills the response. */
import type { Context } from '../../core/index.ts';
import { type MsgCodec, type MsgHandler, msgHandler } from '../../core/index.ts';
import {
  MsgCloseChannel,
  MsgCloseChannelResponse,
  MsgOpenChannel,
  MsgOpenChannelResponse,
  MsgRedeem,
  MsgRedeemResponse,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { CHANNELS_MODULE, type ChannelsKeeper } from './keeper.ts';
import { validateMsgCloseChannel, validateMsgOpenChannel, validateMsgRedeem } from './msgs.ts';

const handler = <T extends { signer: string }, R>(
  msg: MsgCodec<T>,
  response: MsgCodec<R>,
  validateBasic: (msg: T) => unknown,
  handle: (ctx: Context, msg: T) => unknown,
): MsgHandler<T> => msgHandler({ module: CHANNELS_MODULE, msg, response, validateBasic, signers: (m) => [m.signer], handle });

/** Every message handler of the channels module, for `MsgRouter.register`. */
export function channelsMsgHandlers(keeper: ChannelsKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgOpenChannel, MsgOpenChannelResponse, validateMsgOpenChannel, (ctx, msg) => keeper.openChannel(ctx, msg)),
    handler(MsgRedeem, MsgRedeemResponse, validateMsgRedeem, (ctx, msg) => keeper.redeem(ctx, msg)),
    handler(MsgCloseChannel, MsgCloseChannelResponse, validateMsgCloseChannel, (ctx, msg) => keeper.closeChannel(ctx, msg)),
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
] as const;
