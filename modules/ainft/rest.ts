/**
 * The ainft module's REST (LCD) routes: the Cosmos SDK gateway's `cosmos.nft.v1beta1` paths that
 * wallets and explorers call, answered through the app's in-process ABCI query and printed as proto3
 * JSON (the token's AINFT schema unpacked from `data` as `/ain.ainft.v1.Metadata`).
 */
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
import { abciQuery, pageRequestOf, param, type RestHandler, type RestRoute, search } from '../../core/index.ts';
import { NFT_QUERY_SERVICE } from './nftQuery.ts';

const path = (method: string) => `/${NFT_QUERY_SERVICE}/${method}`;

/** `GET /cosmos/nft/v1beta1/balance/{owner}/{class_id}` */
const getBalance: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Balance'),
    QueryBalanceRequest.encode({ owner: param(request, 0), classId: param(request, 1) }).finish(),
    QueryBalanceResponse,
  );

/** `GET /cosmos/nft/v1beta1/owner/{class_id}/{id}` */
const getOwner: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Owner'),
    QueryOwnerRequest.encode({ classId: param(request, 0), id: param(request, 1) }).finish(),
    QueryOwnerResponse,
  );

/** `GET /cosmos/nft/v1beta1/supply/{class_id}` */
const getSupply: RestHandler = (context, request) =>
  abciQuery(context, request, path('Supply'), QuerySupplyRequest.encode({ classId: param(request, 0) }).finish(), QuerySupplyResponse);

/** `GET /cosmos/nft/v1beta1/nfts?class_id=&owner=` */
const getNfts: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('NFTs'),
    QueryNFTsRequest.encode({
      classId: search(request, 'class_id'),
      owner: search(request, 'owner'),
      pagination: pageRequestOf(request),
    }).finish(),
    QueryNFTsResponse,
  );

/** `GET /cosmos/nft/v1beta1/nfts/{class_id}/{id}` */
const getNft: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('NFT'),
    QueryNFTRequest.encode({ classId: param(request, 0), id: param(request, 1) }).finish(),
    QueryNFTResponse,
  );

/** `GET /cosmos/nft/v1beta1/classes/{class_id}` */
const getClass: RestHandler = (context, request) =>
  abciQuery(context, request, path('Class'), QueryClassRequest.encode({ classId: param(request, 0) }).finish(), QueryClassResponse);

/** `GET /cosmos/nft/v1beta1/classes` */
const getClasses: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Classes'),
    QueryClassesRequest.encode({ pagination: pageRequestOf(request) }).finish(),
    QueryClassesResponse,
  );

/** The routes, in matching order (fixed segments before `{param}` ones). */
export const ainftRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/nft/v1beta1/balance/{owner}/{class_id}', handler: getBalance },
  { method: 'GET', path: '/cosmos/nft/v1beta1/owner/{class_id}/{id}', handler: getOwner },
  { method: 'GET', path: '/cosmos/nft/v1beta1/supply/{class_id}', handler: getSupply },
  { method: 'GET', path: '/cosmos/nft/v1beta1/nfts', handler: getNfts },
  { method: 'GET', path: '/cosmos/nft/v1beta1/nfts/{class_id}/{id}', handler: getNft },
  { method: 'GET', path: '/cosmos/nft/v1beta1/classes', handler: getClasses },
  { method: 'GET', path: '/cosmos/nft/v1beta1/classes/{class_id}', handler: getClass },
];
