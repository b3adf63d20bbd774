/**
 * The shards module's REST routes, answered through the app's in-process ABCI query and printed as
 * proto3 JSON: the shards with their links, one shard, a child's parent, a verified header, a
 * proven value.
 */
import { abciQuery, param, type RestHandler, type RestRoute, search } from '../../core/index.ts';
import {
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
  QueryParentRequest,
  QueryParentResponse,
  QueryServiceName,
  QueryShardRequest,
  QueryShardResponse,
  QueryShardsRequest,
  QueryShardsResponse,
  QueryValueRequest,
  QueryValueResponse,
} from '../../proto/gen/ain/shards/v1/query.ts';

const path = (method: string) => `/${QueryServiceName}/${method}`;

/** `GET /ain/shards/v1/shards` */
const getShards: RestHandler = (context, request) =>
  abciQuery(context, request, path('Shards'), QueryShardsRequest.encode({}).finish(), QueryShardsResponse);

/** `GET /ain/shards/v1/shards/{name}` */
const getShard: RestHandler = (context, request) =>
  abciQuery(context, request, path('Shard'), QueryShardRequest.encode({ name: param(request, 0) }).finish(), QueryShardResponse);

/** `GET /ain/shards/v1/parent` */
const getParent: RestHandler = (context, request) =>
  abciQuery(context, request, path('Parent'), QueryParentRequest.encode({}).finish(), QueryParentResponse);

/** `GET /ain/shards/v1/shards/{name}/headers/{height}` (0: the latest) */
const getHeader: RestHandler = (context, request) => {
  const height = /^[0-9]{1,19}$/.test(param(request, 1)) ? BigInt(param(request, 1)) : 0n;
  return abciQuery(
    context,
    request,
    path('ConsensusState'),
    QueryConsensusStateRequest.encode({ shard: param(request, 0), height }).finish(),
    QueryConsensusStateResponse,
  );
};

/** `GET /ain/shards/v1/shards/{name}/value?path=/apps/...` */
const getValue: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Value'),
    QueryValueRequest.encode({ shard: param(request, 0), path: search(request, 'path') }).finish(),
    QueryValueResponse,
  );

/** The routes, in matching order (fixed segments before `{param}` ones). */
export const shardsRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/ain/shards/v1/shards', handler: getShards },
  { method: 'GET', path: '/ain/shards/v1/parent', handler: getParent },
  { method: 'GET', path: '/ain/shards/v1/shards/{name}', handler: getShard },
  { method: 'GET', path: '/ain/shards/v1/shards/{name}/headers/{height}', handler: getHeader },
  { method: 'GET', path: '/ain/shards/v1/shards/{name}/value', handler: getValue },
];
