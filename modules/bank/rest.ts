/**
 * The bank module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { abciQuery, param, type RestHandler, type RestRoute } from '../../core/index.ts';

/** `GET /cosmos/bank/v1beta1/balances/{address}` */
const getAllBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/AllBalances',
    QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address: param(request, 0) })).finish(),
    QueryAllBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/balances/{address}/by_denom?denom=` */
const getBalance: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest.encode({ address: param(request, 0), denom: request.searchParams.get('denom') ?? '' }).finish(),
    QueryBalanceResponse,
  );

/** `GET /cosmos/bank/v1beta1/spendable_balances/{address}` */
const getSpendableBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SpendableBalances',
    QuerySpendableBalancesRequest.encode(QuerySpendableBalancesRequest.fromPartial({ address: param(request, 0) })).finish(),
    QuerySpendableBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply` */
const getTotalSupply: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/TotalSupply',
    QueryTotalSupplyRequest.encode(QueryTotalSupplyRequest.fromPartial({})).finish(),
    QueryTotalSupplyResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply/by_denom?denom=` (and the older `/supply/{denom}`). */
const getSupplyOf: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SupplyOf',
    QuerySupplyOfRequest.encode({ denom: request.params[0] ?? request.searchParams.get('denom') ?? '' }).finish(),
    QuerySupplyOfResponse,
  );

/** The bank module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const bankRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/bank/v1beta1/balances/{address}', handler: getAllBalances },
  { method: 'GET', path: '/cosmos/bank/v1beta1/balances/{address}/by_denom', handler: getBalance },
  { method: 'GET', path: '/cosmos/bank/v1beta1/spendable_balances/{address}', handler: getSpendableBalances },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply', handler: getTotalSupply },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply/by_denom', handler: getSupplyOf },
  { method: 'GET', path: '/cosmos/bank/v1beta1/supply/{denom}', handler: getSupplyOf },
];
