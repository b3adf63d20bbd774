/**
 * Read-only queries of the shards module over ABCI (`/ain.shards.v1.Query/...`): shards and their
 * links, a child's parent, the trusted state relayers verify against, reported headers, proven
 * values, unsettled packets and receipts. A refusal throws `QueryError` with code and codespace.
 */
import {
  QueryClientStateRequest,
  QueryClientStateResponse,
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
  QueryPacketsRequest,
  QueryPacketsResponse,
  QueryParentRequest,
  QueryParentResponse,
  QueryReceiptRequest,
  QueryReceiptResponse,
  QueryServiceName,
  QueryShardRequest,
  QueryShardResponse,
  QueryShardsRequest,
  QueryShardsResponse,
  QueryValueRequest,
  QueryValueResponse,
} from '../proto/gen/ain/shards/v1/query.ts';
import type { ConsensusState, Link, Packet, Parent, Shard } from '../proto/gen/ain/shards/v1/types.ts';
import { abciQueryOrThrow, decodeAnswer, type StateQuerier } from './queryState.ts';

/** ABCI paths of the shards queries. */
export const SHARDS_QUERY_PATHS = {
  shard: `/${QueryServiceName}/Shard`,
  shards: `/${QueryServiceName}/Shards`,
  parent: `/${QueryServiceName}/Parent`,
  clientState: `/${QueryServiceName}/ClientState`,
  consensusState: `/${QueryServiceName}/ConsensusState`,
  value: `/${QueryServiceName}/Value`,
  packets: `/${QueryServiceName}/Packets`,
  receipt: `/${QueryServiceName}/Receipt`,
} as const;

/** A shard's registration and where its link stands. */
export async function queryShard(comet: StateQuerier, name: string): Promise<{ shard: Shard; link: Link }> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.shard, QueryShardRequest.encode({ name }).finish());
  const answer = decodeAnswer(QueryShardResponse.decode, response.value, SHARDS_QUERY_PATHS.shard);
  return { shard: answer.shard!, link: answer.link! };
}

/** Every shard of a parent with its link. */
export async function queryShards(comet: StateQuerier): Promise<Array<{ shard: Shard; link: Link }>> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.shards, QueryShardsRequest.encode({}).finish());
  const answer = decodeAnswer(QueryShardsResponse.decode, response.value, SHARDS_QUERY_PATHS.shards);
  return answer.shards.map((shard, i) => ({ shard, link: answer.links[i]! }));
}

/** A child's parent and where that link stands. */
export async function queryParent(comet: StateQuerier): Promise<{ parent: Parent; link: Link }> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.parent, QueryParentRequest.encode({}).finish());
  const answer = decodeAnswer(QueryParentResponse.decode, response.value, SHARDS_QUERY_PATHS.parent);
  return { parent: answer.parent!, link: answer.link! };
}

/** The trusted state of a link (`shard`: a child's name, or `parent`). */
export async function queryClientState(comet: StateQuerier, shard: string): Promise<QueryClientStateResponse> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.clientState, QueryClientStateRequest.encode({ shard }).finish());
  return decodeAnswer(QueryClientStateResponse.decode, response.value, SHARDS_QUERY_PATHS.clientState);
}

/** A reported header of the other chain (height 0: the latest). */
export async function queryConsensusState(comet: StateQuerier, shard: string, height: bigint): Promise<ConsensusState> {
  const request = QueryConsensusStateRequest.encode({ shard, height }).finish();
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.consensusState, request);
  return decodeAnswer(QueryConsensusStateResponse.decode, response.value, SHARDS_QUERY_PATHS.consensusState).state!;
}

/** A value of the other chain proven here: JSON text ("null" when proven absent) and its state height. */
export async function queryShardValue(comet: StateQuerier, shard: string, path: string): Promise<QueryValueResponse> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.value, QueryValueRequest.encode({ shard, path }).finish());
  return decodeAnswer(QueryValueResponse.decode, response.value, SHARDS_QUERY_PATHS.value);
}

/** Packets sent on a link and not settled yet. */
export async function queryPackets(comet: StateQuerier, shard: string): Promise<Packet[]> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.packets, QueryPacketsRequest.encode({ shard }).finish());
  return decodeAnswer(QueryPacketsResponse.decode, response.value, SHARDS_QUERY_PATHS.packets).packets;
}

/** Whether this chain received packet `sequence` of a link. */
export async function queryReceipt(comet: StateQuerier, shard: string, sequence: bigint): Promise<boolean> {
  const response = await abciQueryOrThrow(comet, SHARDS_QUERY_PATHS.receipt, QueryReceiptRequest.encode({ shard, sequence }).finish());
  return decodeAnswer(QueryReceiptResponse.decode, response.value, SHARDS_QUERY_PATHS.receipt).received;
}
