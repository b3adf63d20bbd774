/**
 * The Cosmos SDK's `cosmos.nft.v1beta1.Query` service over ainft's collections and tokens, so
 * existing Cosmos NFT tooling reads them: Balance, Owner, Supply, NFTs, NFT, Class, Classes. A
 * token's AINFT schema rides in `NFT.data` as `/ain.ainft.v1.Metadata`, a class's creator and minters
 * in `Class.data` as `/ain.ainft.v1.ClassInfo`. Pagination as every list query's (`core`'s
 * `paginate`): `key` (the `next_key` of the previous page) or `offset`, `limit` (default 100, at most
 * 1000), `count_total`, `reverse`.
 */
import type { Class as NftClass, NFT } from 'cosmjs-types/cosmos/nft/v1beta1/nft';
import {
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryClassesRequest,
  QueryClassesResponse,
  QueryClassRequest,
  QueryClassResponse,
  QueryNFTRequest,
  QueryNFTResponse,
  QueryNFTsRequest,
  QueryNFTsResponse,
  QueryOwnerRequest,
  QueryOwnerResponse,
  QuerySupplyRequest,
  QuerySupplyResponse,
} from 'cosmjs-types/cosmos/nft/v1beta1/query';
import { decodeQueryRequest, ainError, MAX_PAGE_LIMIT, parseAddress } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import { ClassInfo, Metadata } from '../../proto/gen/ain/ainft/v1/types.ts';
import { ErrClassNotFound, ErrInvalidAinftMsg, ErrTokenNotFound } from './errors.ts';
import type { AinftKeeper } from './keeper.ts';
import { checkId } from './msgs.ts';
import { getClass, metadataToProto, type StoredClass, type StoredToken } from './records.ts';

export const NFT_QUERY_SERVICE = 'cosmos.nft.v1beta1.Query';

export function nftOf(token: StoredToken): NFT {
  return {
    classId: token.classId,
    id: token.id,
    uri: token.uri,
    uriHash: token.uriHash,
    data: { typeUrl: `/${Metadata.$type}`, value: Metadata.encode(metadataToProto(token.metadata)).finish() },
  };
}

export function nftClassOf(stored: StoredClass): NftClass {
  return {
    id: stored.id,
    name: stored.name,
    symbol: stored.symbol,
    description: stored.description,
    uri: stored.uri,
    uriHash: stored.uriHash,
    data: {
      typeUrl: `/${ClassInfo.$type}`,
      value: ClassInfo.encode({ creator: stored.creator, minters: [...stored.minters] }).finish(),
    },
  };
}

const requireClassId = (classId: string) => checkId(classId, 'class_id');

/** The `cosmos.nft.v1beta1.Query` paths, answered from the ainft keeper. */
export function registerNftQueries(router: QueryRegistrar, keeper: AinftKeeper): void {
  const path = (method: string) => `/${NFT_QUERY_SERVICE}/${method}`;
  router.register(path('Balance'), (state, data) => {
    const request = decodeQueryRequest(QueryBalanceRequest, data);
    requireClassId(request.classId);
    parseAddress(request.owner, 'owner');
    return QueryBalanceResponse.encode({ amount: keeper.balance(state, request.owner, request.classId) }).finish();
  });
  router.register(path('Owner'), (state, data) => {
    const request = decodeQueryRequest(QueryOwnerRequest, data);
    requireClassId(request.classId);
    checkId(request.id, 'id');
    // As the SDK: an unknown token has the empty owner.
    return QueryOwnerResponse.encode({ owner: keeper.storedToken(state, request)?.owner ?? '' }).finish();
  });
  router.register(path('Supply'), (state, data) => {
    const request = decodeQueryRequest(QuerySupplyRequest, data);
    requireClassId(request.classId);
    return QuerySupplyResponse.encode({ amount: keeper.supply(state, request.classId) }).finish();
  });
  router.register(path('NFTs'), (state, data) => {
    const request = decodeQueryRequest(QueryNFTsRequest, data);
    if (request.classId === '' && request.owner === '')
      throw ainError(ErrInvalidAinftMsg, 'must provide at least one of class_id or owner', { field: 'class_id' });
    if (request.classId !== '') requireClassId(request.classId);
    if (request.owner !== '') parseAddress(request.owner, 'owner');
    const page = keeper.tokenKeysPage(state, request.classId, request.owner, request.pagination, MAX_PAGE_LIMIT);
    return QueryNFTsResponse.encode({
      nfts: page.items.map((key) => nftOf(keeper.storedToken(state, key)!)),
      pagination: page.pagination,
    }).finish();
  });
  router.register(path('NFT'), (state, data) => {
    const request = decodeQueryRequest(QueryNFTRequest, data);
    requireClassId(request.classId);
    checkId(request.id, 'id');
    const token = keeper.storedToken(state, request);
    if (!token) throw ainError(ErrTokenNotFound, `not found nft: class: ${request.classId}, id: ${request.id}`);
    return QueryNFTResponse.encode({ nft: nftOf(token) }).finish();
  });
  router.register(path('Class'), (state, data) => {
    const request = decodeQueryRequest(QueryClassRequest, data);
    requireClassId(request.classId);
    const stored = getClass(state, request.classId);
    if (!stored) throw ainError(ErrClassNotFound, `not found class: ${request.classId}`);
    return QueryClassResponse.encode({ class: nftClassOf(stored) }).finish();
  });
  router.register(path('Classes'), (state, data) => {
    const request = decodeQueryRequest(QueryClassesRequest, data);
    const page = keeper.storedClassesPage(state, request.pagination, MAX_PAGE_LIMIT);
    return QueryClassesResponse.encode({ classes: page.items.map(nftClassOf), pagination: page.pagination }).finish();
  });
}
