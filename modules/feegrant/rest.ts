/**
 * The feegrant module's REST (LCD) routes: the Cosmos SDK gateway paths, answered through the app's
 * in-process ABCI query and printed as proto3 JSON (allowances unpacked as `{"@type", ...}`).
 */
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import { abciQuery, pageRequestOf, param, type RestHandler, type RestRoute } from '../../core/index.ts';

/** `GET /cosmos/feegrant/v1beta1/allowance/{granter}/{grantee}` */
const getAllowance: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.feegrant.v1beta1.Query/Allowance',
    QueryAllowanceRequest.encode({ granter: param(request, 0), grantee: param(request, 1) }).finish(),
    QueryAllowanceResponse,
  );

/** `GET /cosmos/feegrant/v1beta1/allowances/{grantee}` */
const getAllowances: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.feegrant.v1beta1.Query/Allowances',
    QueryAllowancesRequest.encode({ grantee: param(request, 0), pagination: pageRequestOf(request) }).finish(),
    QueryAllowancesResponse,
  );

/** `GET /cosmos/feegrant/v1beta1/issued/{granter}` */
const getAllowancesByGranter: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.feegrant.v1beta1.Query/AllowancesByGranter',
    QueryAllowancesByGranterRequest.encode({ granter: param(request, 0), pagination: pageRequestOf(request) }).finish(),
    QueryAllowancesByGranterResponse,
  );

export const feegrantRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/feegrant/v1beta1/allowance/{granter}/{grantee}', handler: getAllowance },
  { method: 'GET', path: '/cosmos/feegrant/v1beta1/allowances/{grantee}', handler: getAllowances },
  { method: 'GET', path: '/cosmos/feegrant/v1beta1/issued/{granter}', handler: getAllowancesByGranter },
];
