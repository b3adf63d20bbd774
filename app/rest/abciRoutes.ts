/**
 * Routes the app answers itself, through its in-process ABCI query: x/auth, x/bank and tx simulation.
 * Each builds the protobuf request of the gRPC method the SDK's gateway would call, and prints the
 * protobuf response as the gateway does.
 */
import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryParamsRequest as AuthParamsRequest,
  QueryParamsResponse as AuthParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
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
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { ainError, ErrInvalidRequest, ErrTxDecode } from '../../core/errors.ts';
import { abciQuery, param, type RestHandler } from '../../core/rest.ts';

/** `GET /cosmos/auth/v1beta1/accounts/{address}` */
export const getAccount: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.auth.v1beta1.Query/Account',
    QueryAccountRequest.encode({ address: param(request, 0) }).finish(),
    QueryAccountResponse,
  );

/** `GET /cosmos/auth/v1beta1/params` */
export const getAuthParams: RestHandler = (context, request) =>
  abciQuery(context, request, '/cosmos.auth.v1beta1.Query/Params', AuthParamsRequest.encode({}).finish(), AuthParamsResponse);

/** `GET /cosmos/bank/v1beta1/balances/{address}` */
export const getAllBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/AllBalances',
    QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address: param(request, 0) })).finish(),
    QueryAllBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/balances/{address}/by_denom?denom=` */
export const getBalance: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest.encode({ address: param(request, 0), denom: request.searchParams.get('denom') ?? '' }).finish(),
    QueryBalanceResponse,
  );

/** `GET /cosmos/bank/v1beta1/spendable_balances/{address}` */
export const getSpendableBalances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SpendableBalances',
    QuerySpendableBalancesRequest.encode(QuerySpendableBalancesRequest.fromPartial({ address: param(request, 0) })).finish(),
    QuerySpendableBalancesResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply` */
export const getTotalSupply: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/TotalSupply',
    QueryTotalSupplyRequest.encode(QueryTotalSupplyRequest.fromPartial({})).finish(),
    QueryTotalSupplyResponse,
  );

/** `GET /cosmos/bank/v1beta1/supply/by_denom?denom=` (and the older `/supply/{denom}`). */
export const getSupplyOf: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.bank.v1beta1.Query/SupplyOf',
    QuerySupplyOfRequest.encode({ denom: request.params[0] ?? request.searchParams.get('denom') ?? '' }).finish(),
    QuerySupplyOfResponse,
  );

/** `POST /cosmos/tx/v1beta1/simulate` with `{tx_bytes}`: gas_info and result of running the tx. */
export const simulate: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.tx.v1beta1.Service/Simulate',
    SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: txBytesOf(request.body) })).finish(),
    SimulateResponse,
  );

/**
 * The `tx_bytes` of a simulate or broadcast body (`txBytes` is accepted too, as the gateway does), as
 * bytes. Standard and URL-safe base64, padded or not, as Go's JSON decoder for `bytes` accepts.
 */
export function txBytesOf(body: unknown): Uint8Array {
  const record = body as Record<string, unknown>;
  const text = record['tx_bytes'] ?? record['txBytes'];
  if (text === undefined || text === null || text === '') {
    if (record['tx'] !== undefined)
      throw ainError(ErrInvalidRequest, 'the deprecated "tx" field is not supported; send "tx_bytes" (base64 TxRaw)');
    throw ainError(ErrInvalidRequest, 'invalid empty tx: "tx_bytes" (base64 TxRaw) is required');
  }
  if (typeof text !== 'string') throw ainError(ErrTxDecode, '"tx_bytes" must be a base64 string');
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized) || normalized.replace(/=+$/, '').length % 4 === 1) {
    throw ainError(ErrTxDecode, '"tx_bytes" is not valid base64');
  }
  return new Uint8Array(Buffer.from(normalized, 'base64'));
}
