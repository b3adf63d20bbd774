/**
 * The auth module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsRequest,
  QueryModuleAccountsResponse,
  QueryParamsRequest as AuthParamsRequest,
  QueryParamsResponse as AuthParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { abciQuery, pageRequestOf, param, type RestHandler, type RestRoute } from '../../core/index.ts';

/** `GET /cosmos/auth/v1beta1/accounts/{address}` */
const getAccount: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.auth.v1beta1.Query/Account',
    QueryAccountRequest.encode({ address: param(request, 0) }).finish(),
    QueryAccountResponse,
  );

/** `GET /cosmos/auth/v1beta1/accounts` (paged) */
const getAccounts: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.auth.v1beta1.Query/Accounts',
    QueryAccountsRequest.encode({ pagination: pageRequestOf(request) }).finish(),
    QueryAccountsResponse,
  );

/** `GET /cosmos/auth/v1beta1/module_accounts` */
const getModuleAccounts: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.auth.v1beta1.Query/ModuleAccounts',
    QueryModuleAccountsRequest.encode({}).finish(),
    QueryModuleAccountsResponse,
  );

/** `GET /cosmos/auth/v1beta1/module_accounts/{name}` */
const getModuleAccountByName: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.auth.v1beta1.Query/ModuleAccountByName',
    QueryModuleAccountByNameRequest.encode({ name: param(request, 0) }).finish(),
    QueryModuleAccountByNameResponse,
  );

/** `GET /cosmos/auth/v1beta1/bech32` */
const getBech32Prefix: RestHandler = (context, request) =>
  abciQuery(context, request, '/cosmos.auth.v1beta1.Query/Bech32Prefix', Bech32PrefixRequest.encode({}).finish(), Bech32PrefixResponse);

/** `GET /cosmos/auth/v1beta1/params` */
const getAuthParams: RestHandler = (context, request) =>
  abciQuery(context, request, '/cosmos.auth.v1beta1.Query/Params', AuthParamsRequest.encode({}).finish(), AuthParamsResponse);

/** The auth module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const authRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/auth/v1beta1/accounts', handler: getAccounts },
  { method: 'GET', path: '/cosmos/auth/v1beta1/accounts/{address}', handler: getAccount },
  { method: 'GET', path: '/cosmos/auth/v1beta1/module_accounts', handler: getModuleAccounts },
  { method: 'GET', path: '/cosmos/auth/v1beta1/module_accounts/{name}', handler: getModuleAccountByName },
  { method: 'GET', path: '/cosmos/auth/v1beta1/params', handler: getAuthParams },
  { method: 'GET', path: '/cosmos/auth/v1beta1/bech32', handler: getBech32Prefix },
];
