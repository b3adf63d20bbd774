/**
 * The channels module's messages as CosmJS `EncodeObject`s (`channelsMsg`) and their type URLs: a
 * payer opens and closes channels, an executor redeems vouchers; a client proposes, ends, claims
 * misses of and settles service contracts, an executor accepts and disputes them (`channels.ts` and
 * `contracts.ts` have the rest).
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import * as channelsTx from '../proto/gen/ain/channels/v1/tx.ts';

/** Type URLs of the channels module's messages. */
export const CHANNELS_TYPE_URLS = {
  openChannel: `/${channelsTx.MsgOpenChannel.$type}`,
  redeem: `/${channelsTx.MsgRedeem.$type}`,
  closeChannel: `/${channelsTx.MsgCloseChannel.$type}`,
  proposeContract: `/${channelsTx.MsgProposeContract.$type}`,
  acceptContract: `/${channelsTx.MsgAcceptContract.$type}`,
  endContract: `/${channelsTx.MsgEndContract.$type}`,
  claimMisses: `/${channelsTx.MsgClaimMisses.$type}`,
  disputeMisses: `/${channelsTx.MsgDisputeMisses.$type}`,
  settleContract: `/${channelsTx.MsgSettleContract.$type}`,
} as const;

type Fields<T> = Omit<Partial<T>, 'signer'>;
const build =
  <T>(typeUrl: string, codec: { fromPartial(value: object): T }) =>
  (signer: string, fields: Fields<T>): EncodeObject => ({ typeUrl, value: codec.fromPartial({ ...fields, signer }) });

/**
 * One builder per channels message: `channelsMsg.<name>(signer, fields)`.
 * @example channelsMsg.openChannel(payer, { executor, deposit: '1000', durationSeconds: 3600n, payerPubkey })
 * @example channelsMsg.proposeContract(client, { clientPubkey, executor, requestsPerSecond: 10, gpus: 0, price: '6000', deposit: '1000', penaltyPerMiss: '100', durationSeconds: 3600n, disputeSeconds: 600n })
 */
export const channelsMsg = {
  openChannel: build(CHANNELS_TYPE_URLS.openChannel, channelsTx.MsgOpenChannel),
  redeem: build(CHANNELS_TYPE_URLS.redeem, channelsTx.MsgRedeem),
  closeChannel: build(CHANNELS_TYPE_URLS.closeChannel, channelsTx.MsgCloseChannel),
  proposeContract: build(CHANNELS_TYPE_URLS.proposeContract, channelsTx.MsgProposeContract),
  acceptContract: build(CHANNELS_TYPE_URLS.acceptContract, channelsTx.MsgAcceptContract),
  endContract: build(CHANNELS_TYPE_URLS.endContract, channelsTx.MsgEndContract),
  claimMisses: build(CHANNELS_TYPE_URLS.claimMisses, channelsTx.MsgClaimMisses),
  disputeMisses: build(CHANNELS_TYPE_URLS.disputeMisses, channelsTx.MsgDisputeMisses),
  settleContract: build(CHANNELS_TYPE_URLS.settleContract, channelsTx.MsgSettleContract),
};

/** Each channels message's type URL with its codec (for the registry). */
export const ainChannelsTypes = [
  [CHANNELS_TYPE_URLS.openChannel, channelsTx.MsgOpenChannel],
  [CHANNELS_TYPE_URLS.redeem, channelsTx.MsgRedeem],
  [CHANNELS_TYPE_URLS.closeChannel, channelsTx.MsgCloseChannel],
  [CHANNELS_TYPE_URLS.proposeContract, channelsTx.MsgProposeContract],
  [CHANNELS_TYPE_URLS.acceptContract, channelsTx.MsgAcceptContract],
  [CHANNELS_TYPE_URLS.endContract, channelsTx.MsgEndContract],
  [CHANNELS_TYPE_URLS.claimMisses, channelsTx.MsgClaimMisses],
  [CHANNELS_TYPE_URLS.disputeMisses, channelsTx.MsgDisputeMisses],
  [CHANNELS_TYPE_URLS.settleContract, channelsTx.MsgSettleContract],
] as const;
