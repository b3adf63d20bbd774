/**
 * The channels module's messages as CosmJS `EncodeObject`s (`channelsMsg`) and their type URLs: a
 * payer opens and closes channels, an executor redeems vouchers (`channels.ts` has the rest).
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import * as channelsTx from '../proto/gen/ain/channels/v1/tx.ts';

/** Type URLs of the channels module's messages. */
export const CHANNELS_TYPE_URLS = {
  openChannel: `/${channelsTx.MsgOpenChannel.$type}`,
  redeem: `/${channelsTx.MsgRedeem.$type}`,
  closeChannel: `/${channelsTx.MsgCloseChannel.$type}`,
} as const;

type Fields<T> = Omit<Partial<T>, 'signer'>;
const build =
  <T>(typeUrl: string, codec: { fromPartial(value: object): T }) =>
  (signer: string, fields: Fields<T>): EncodeObject => ({ typeUrl, value: codec.fromPartial({ ...fields, signer }) });

/**
 * One builder per channels message: `channelsMsg.<name>(signer, fields)`.
 * @example channelsMsg.openChannel(payer, { executor, deposit: '1000', durationSeconds: 3600n, payerPubkey })
 */
export const channelsMsg = {
  openChannel: build(CHANNELS_TYPE_URLS.openChannel, channelsTx.MsgOpenChannel),
  redeem: build(CHANNELS_TYPE_URLS.redeem, channelsTx.MsgRedeem),
  closeChannel: build(CHANNELS_TYPE_URLS.closeChannel, channelsTx.MsgCloseChannel),
};

/** Each channels message's type URL with its codec (for the registry). */
export const ainChannelsTypes = [
  [CHANNELS_TYPE_URLS.openChannel, channelsTx.MsgOpenChannel],
  [CHANNELS_TYPE_URLS.redeem, channelsTx.MsgRedeem],
  [CHANNELS_TYPE_URLS.closeChannel, channelsTx.MsgCloseChannel],
] as const;
