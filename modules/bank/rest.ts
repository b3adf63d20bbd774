/**
 * The bank module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { abciQuery, pageRequestOf, param, type RestHandler, type RestRoute, search } from '../../core/index.ts';

/** `GET /cosmos/bank/v1beta1/balances/{address}` */
const getAllBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/AllBalances',
    QueryAllBalancesRequest.encode({ address: param(request, 0), pagination: pageRequestOf(request), resolveDenom: false }).finish(),
    QueryAllBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/balances/{address}/by_denom?denom=` */
const getBalance: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest.encode({ address: param(request, 0), denom: search(request, 'denom') }).finish(),
    QueryBalanceResponse,
  );

/** `GET /cosmos/bank/v1beta1/spendable_balances/{address}` */
const getSpendableBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SpendableBalances',
    QuerySpendableBalancesRequest.encode({ address: param(request, 0), pagination: pageRequestOf(request) }).finish(),
    QuerySpendableBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply` */
const getTotalSupply: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/TotalSupply',
    QueryTotalSupplyRequest.encode({ pagination: pageRequestOf(request) }).finish(),
    QueryTotalSupplyResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply/by_denom?denom=` (and the older `/supply/{denom}`). */
const getSupplyOf: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SupplyOf',
    QuerySupplyOfRequest.encode({ denom: request.params[0] ?? search(request, 'denom') }).finish(),
    QuerySupplyOfResponse,
  );

/** `GET /cosmos/bank/v1beta1/denoms_metadata` */
const getDenomsMetadata: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/DenomsMetadata',
    QueryDenomsMetadataRequest.encode({ pagination: pageRequestOf(request) }).finish(),
    QueryDenomsMetadataResponse,
  );

/** `GET /cosmos/bank/v1beta1/denoms_metadata/{denom}` */
const getDenomMetadata: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/DenomMetadata',
    QueryDenomMetadataRequest.encode({ denom: param(request, 0) }).finish(),
    QueryDenomMetadataResponse,
  );

/** `GET /cosmos/bank/v1beta1/denoms_metadata_by_query_string?denom=` */
const getDenomMetadataByQueryString: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/DenomMetadataByQueryString',
    QueryDenomMetadataByQueryStringRequest.encode({ denom: search(request, 'denom') }).finish(),
    QueryDenomMetadataByQueryStringResponse,
  );

/** `GET /cosmos/bank/v1beta1/params` */
const getBankParams: RestHandler = (context, request) =>
  abciQuery(context, request, '/cosmos.bank.v1beta1.Query/Params', QueryParamsRequest.encode({}).finish(), QueryParamsResponse);

/** The bank module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const bankRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/bank/v1beta1/balances/{address}', handler: getAllBalances },
  { method: 'GET', path: '/cosmos/bank/v1beta1/balances/{address}/by_denom', handler: getBalance },
  { method: 'GET', path: '/cosmos/bank/v1beta1/spendable_balances/{address}', handler: getSpendableBalances },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply', handler: getTotalSupply },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply/by_denom', handler: getSupplyOf },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply/{denom}', handler: getSupplyOf },
  { method: 'GET', path: '/cosmos/bank/v1beta1/denoms_metadata', handler: getDenomsMetadata },
  { method: 'GET', path: '/cosmos/bank/v1beta1/denoms_metadata/{denom}', handler: getDenomMetadata },
  { method: 'GET', path: '/cosmos/bank/v1beta1/denoms_metadata_by_query_string', handler: getDenomMetadataByQueryString },
  { method: 'GET', path: '/cosmos/bank/v1beta1/params', handler: getBankParams },
];
