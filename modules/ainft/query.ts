/**
 * `ain.ainft.v1.Query`: a token with everything the chain knows of it, collections, listings by
 * class and owner, operators, the composition walked down (Children) and up (Parents), the
 * provenance chain, re-runs, how a payment would split, params. The Cosmos NFT service is nftQuery.ts.
 */
import { decodeQueryRequest, ainError, pageFrom, parseAddress, parseAmount } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryApprovedForAllRequest,
  QueryApprovedForAllResponse,
  QueryChildrenRequest,
  QueryChildrenResponse,
  QueryClassesRequest,
  QueryClassesResponse,
  QueryClassRequest,
  QueryClassResponse,
  QueryParamsResponse,
  QueryParentsRequest,
  QueryParentsResponse,
  QueryProvenanceRequest,
  QueryProvenanceResponse,
  QueryRerunsRequest,
  QueryRerunsResponse,
  QueryServiceName,
  QuerySplitRequest,
  QuerySplitResponse,
  QueryTokenRequest,
  QueryTokenResponse,
  QueryTokensRequest,
  QueryTokensResponse,
} from '../../proto/gen/ain/ainft/v1/query.ts';
import { ErrClassNotFound, ErrTokenNotFound } from './errors.ts';
import type { AinftKeeper } from './keeper.ts';
import { checkId } from './msgs.ts';
import { ainftParamsToProto } from './params.ts';
import { sharesToProto } from './payments.ts';

const checkToken = (request: { classId: string; id: string }) => {
  checkId(request.classId, 'class_id');
  checkId(request.id, 'id');
};

export function registerAinftQueries(router: QueryRegistrar, keeper: AinftKeeper): void {
  const path = (method: string) => `/${QueryServiceName}/${method}`;
  router.register(path('Token'), (state, data) => {
    const request = decodeQueryRequest(QueryTokenRequest, data);
    checkToken(request);
    const token = keeper.getToken(state, request);
    if (!token) throw ainError(ErrTokenNotFound, `no token ${request.id} in class ${request.classId}`);
    return QueryTokenResponse.encode({ token }).finish();
  });
  router.register(path('Class'), (state, data) => {
    const { classId } = decodeQueryRequest(QueryClassRequest, data);
    checkId(classId, 'class_id');
    const found = keeper.getClass(state, classId);
    if (!found) throw ainError(ErrClassNotFound, `no class ${classId}`);
    return QueryClassResponse.encode({ class: found }).finish();
  });
  router.register(path('Classes'), (state, data) => {
    const { startAfter, limit, pagination } = decodeQueryRequest(QueryClassesRequest, data);
    const page = keeper.classesPage(state, pagination ?? pageFrom(startAfter === '' ? '' : `${startAfter}\u0000`, limit));
    return QueryClassesResponse.encode({ classes: page.items, pagination: page.pagination }).finish();
  });
  router.register(path('Tokens'), (state, data) => {
    const request = decodeQueryRequest(QueryTokensRequest, data);
    if (request.classId !== '') checkId(request.classId, 'class_id');
    if (request.owner !== '') parseAddress(request.owner, 'owner');
    const legacy = pageFrom(request.startAfter === '' ? '' : `${request.startAfter}\u0000`, request.limit);
    const page = keeper.tokensPage(state, request.classId, request.owner, request.pagination ?? legacy);
    return QueryTokensResponse.encode({ tokens: page.items, pagination: page.pagination }).finish();
  });
  router.register(path('ApprovedForAll'), (state, data) => {
    const request = decodeQueryRequest(QueryApprovedForAllRequest, data);
    parseAddress(request.owner, 'owner');
    parseAddress(request.operator, 'operator');
    return QueryApprovedForAllResponse.encode({ approved: keeper.isApprovedForAll(state, request.owner, request.operator) }).finish();
  });
  router.register(path('Children'), (state, data) => {
    const request = decodeQueryRequest(QueryChildrenRequest, data);
    checkToken(request);
    return QueryChildrenResponse.encode({ edges: keeper.children(state, request) }).finish();
  });
  router.register(path('Parents'), (state, data) => {
    const request = decodeQueryRequest(QueryParentsRequest, data);
    checkToken(request);
    return QueryParentsResponse.encode({ edges: keeper.parents(state, request) }).finish();
  });
  router.register(path('Provenance'), (state, data) => {
    const request = decodeQueryRequest(QueryProvenanceRequest, data);
    checkToken(request);
    return QueryProvenanceResponse.encode({ steps: keeper.provenance(state, request) }).finish();
  });
  router.register(path('Reruns'), (state, data) => {
    const request = decodeQueryRequest(QueryRerunsRequest, data);
    checkToken(request);
    return QueryRerunsResponse.encode({ reruns: keeper.reruns(state, request) }).finish();
  });
  router.register(path('Split'), (state, data) => {
    const request = decodeQueryRequest(QuerySplitRequest, data);
    checkToken(request);
    const split = keeper.split(state, request, parseAmount(request.amount, 'amount'));
    return QuerySplitResponse.encode({
      payouts: split.payouts.map(([recipient, amount]) => ({ recipient, amount: amount.toString() })),
      shares: sharesToProto(split),
    }).finish();
  });
  router.register(path('Params'), (state) => QueryParamsResponse.encode({ params: ainftParamsToProto(keeper.params(state)) }).finish());
}
