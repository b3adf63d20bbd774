/**
 * The shards module's messages as CosmJS `EncodeObject`s (`shardsMsg`) and their type URLs, for
 * `aind tx shards`, the relayer and dApps moving tokens between a parent and its children.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { GeneratedType } from '@cosmjs/proto-signing';
import * as shardsTx from '../proto/gen/ain/shards/v1/tx.ts';

/** Type URLs of the shards module's messages. */
export const SHARDS_TYPE_URLS = {
  branch: `/${shardsTx.MsgBranch.$type}`,
  report: `/${shardsTx.MsgReport.$type}`,
  proveValue: `/${shardsTx.MsgProveValue.$type}`,
  transfer: `/${shardsTx.MsgTransfer.$type}`,
  recvPacket: `/${shardsTx.MsgRecvPacket.$type}`,
  acknowledge: `/${shardsTx.MsgAcknowledge.$type}`,
  timeout: `/${shardsTx.MsgTimeout.$type}`,
  unfreeze: `/${shardsTx.MsgUnfreeze.$type}`,
  recoverLink: `/${shardsTx.MsgRecoverLink.$type}`,
} as const;

type Fields<T> = Omit<Partial<T>, 'signer'>;
const build =
  <T>(typeUrl: string, codec: { fromPartial(value: object): T }) =>
  (signer: string, fields: Fields<T>): EncodeObject => ({ typeUrl, value: codec.fromPartial({ ...fields, signer }) });

/**
 * One builder per shards message: `shardsMsg.<name>(signer, fields)`.
 * @example shardsMsg.transfer('ain1bob', { shard: 'chat', receiver: 'ain1carl', amount: '5000', timeoutHeight: 1000n })
 */
export const shardsMsg = {
  branch: build(SHARDS_TYPE_URLS.branch, shardsTx.MsgBranch),
  report: build(SHARDS_TYPE_URLS.report, shardsTx.MsgReport),
  proveValue: build(SHARDS_TYPE_URLS.proveValue, shardsTx.MsgProveValue),
  transfer: build(SHARDS_TYPE_URLS.transfer, shardsTx.MsgTransfer),
  recvPacket: build(SHARDS_TYPE_URLS.recvPacket, shardsTx.MsgRecvPacket),
  acknowledge: build(SHARDS_TYPE_URLS.acknowledge, shardsTx.MsgAcknowledge),
  timeout: build(SHARDS_TYPE_URLS.timeout, shardsTx.MsgTimeout),
  unfreeze: build(SHARDS_TYPE_URLS.unfreeze, shardsTx.MsgUnfreeze),
};

/** Each shards message's type URL with its codec (for the registry). */
export const ainShardsTypes: ReadonlyArray<[string, GeneratedType]> = [
  [SHARDS_TYPE_URLS.branch, shardsTx.MsgBranch],
  [SHARDS_TYPE_URLS.report, shardsTx.MsgReport],
  [SHARDS_TYPE_URLS.proveValue, shardsTx.MsgProveValue],
  [SHARDS_TYPE_URLS.transfer, shardsTx.MsgTransfer],
  [SHARDS_TYPE_URLS.recvPacket, shardsTx.MsgRecvPacket],
  [SHARDS_TYPE_URLS.acknowledge, shardsTx.MsgAcknowledge],
  [SHARDS_TYPE_URLS.timeout, shardsTx.MsgTimeout],
  [SHARDS_TYPE_URLS.unfreeze, shardsTx.MsgUnfreeze],
  // Governance's alone: a proposal carries it (`aind tx gov submit-proposal`), signed by the gov authority.
  [SHARDS_TYPE_URLS.recoverLink, shardsTx.MsgRecoverLink],
] as unknown as ReadonlyArray<[string, GeneratedType]>;
