/**
 * `ain.shards.v1.Query`: a shard's registration and where its link stands, all shards, a child's
 * parent, the trusted state relayers verify against, verified headers, proven values, the proof
 * check without a tx, unsettled packets and receipts.
 */
import { decodeQueryRequest, ainError, type QueryRegistrar } from '../../core/index.ts';
import {
  QueryClientStateRequest,
  QueryClientStateResponse,
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
  QueryPacketsRequest,
  QueryPacketsResponse,
  QueryParentResponse,
  QueryReceiptRequest,
  QueryReceiptResponse,
  QueryServiceName,
  QueryShardRequest,
  QueryShardResponse,
  QueryShardsResponse,
  QueryValueRequest,
  QueryValueResponse,
  QueryVerifyValueRequest,
  QueryVerifyValueResponse,
} from '../../proto/gen/ain/shards/v1/query.ts';
import { ErrNoConsensusState, ErrShardNotFound } from './errors.ts';
import type { ShardsKeeper } from './keeper.ts';
import { PARENT_LINK } from './keys.ts';
import { checkShardName } from './msgs.ts';

export function registerShardsQueries(router: QueryRegistrar, keeper: ShardsKeeper): void {
  const path = (method: string) => `/${QueryServiceName}/${method}`;
  router.register(path('Shard'), (state, data) => {
    const { name } = decodeQueryRequest(QueryShardRequest, data);
    checkShardName(name, 'name', false);
    const shard = keeper.shard(state, name);
    if (!shard) throw ainError(ErrShardNotFound, `no shard ${name}`);
    return QueryShardResponse.encode({ shard, link: keeper.linkStatus(state, name) }).finish();
  });
  router.register(path('Shards'), (state) => {
    const names = keeper.shardNames(state);
    return QueryShardsResponse.encode({
      shards: names.map((name) => keeper.shard(state, name)!),
      links: names.map((name) => keeper.linkStatus(state, name)),
    }).finish();
  });
  router.register(path('Parent'), (state) => {
    const parent = keeper.parent(state);
    if (!parent) throw ainError(ErrShardNotFound, 'this chain has no parent');
    return QueryParentResponse.encode({ parent, link: keeper.linkStatus(state, PARENT_LINK) }).finish();
  });
  router.register(path('ClientState'), (state, data) => {
    const { shard } = decodeQueryRequest(QueryClientStateRequest, data);
    checkShardName(shard);
    const client = keeper.clientState(state, shard);
    return QueryClientStateResponse.encode({
      chainId: client.link.chainId,
      latest: client.latest,
      nextValidators: client.nextValidators,
      trust: {
        trustingPeriodSeconds: client.link.params.trustingPeriodSeconds,
        trustNumerator: client.link.params.trustLevel.numerator,
        trustDenominator: client.link.params.trustLevel.denominator,
        maxClockDriftSeconds: client.link.params.maxClockDriftSeconds,
      },
      frozen: client.frozen,
    }).finish();
  });
  router.register(path('ConsensusState'), (state, data) => {
    const { shard, height } = decodeQueryRequest(QueryConsensusStateRequest, data);
    checkShardName(shard);
    const found = keeper.consensusState(state, shard, height);
    if (!found)
      throw ainError(
        ErrNoConsensusState,
        `no header ${height} of shard ${shard} held: not reported yet, skipped over, pruned once past the trusting period, or superseded by a recovery`,
      );
    return QueryConsensusStateResponse.encode({ state: found }).finish();
  });
  router.register(path('Value'), (state, data) => {
    const { shard, path: at } = decodeQueryRequest(QueryValueRequest, data);
    checkShardName(shard);
    const found = keeper.provenValue(state, shard, at);
    return QueryValueResponse.encode(
      found ? { found: true, value: found.value, height: found.height } : { found: false, value: 'null', height: 0n },
    ).finish();
  });
  router.register(path('VerifyValue'), (state, data) => {
    const request = decodeQueryRequest(QueryVerifyValueRequest, data);
    checkShardName(request.shard);
    return QueryVerifyValueResponse.encode(
      keeper.verifyValue(state, request.shard, request.height, request.path, request.value, request.proof),
    ).finish();
  });
  router.register(path('Packets'), (state, data) => {
    const { shard } = decodeQueryRequest(QueryPacketsRequest, data);
    checkShardName(shard);
    return QueryPacketsResponse.encode({ packets: keeper.packets(state, shard) }).finish();
  });
  router.register(path('Receipt'), (state, data) => {
    const { shard, sequence } = decodeQueryRequest(QueryReceiptRequest, data);
    checkShardName(shard);
    return QueryReceiptResponse.encode({ received: keeper.received(state, shard, sequence) }).finish();
  });
}
