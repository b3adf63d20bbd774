/**
 * The authz module's REST (LCD) routes, the Cosmos SDK gateway's paths, answered through the app's
 * in-process ABCI query and printed as proto3 JSON (authorizations unpacked).
 */
import {
  QueryGranteeGrantsRequest,
  QueryGranteeGrantsResponse,
  QueryGranterGrantsRequest,
  QueryGranterGrantsResponse,
  QueryGrantsRequest,
  QueryGrantsResponse,
} from 'cosmjs-types/cosmos/authz/v1beta1/query';
import { abciQuery, pageRequestOf, param, type RestHandler, type RestRoute, search } from '../../core/index.ts';

/** `GET /cosmos/authz/v1beta1/grants?granter=&grantee=&msg_type_url=` */
const getGrants: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.authz.v1beta1.Query/Grants',
    QueryGrantsRequest.encode({
      granter: search(request, 'granter'),
      grantee: search(request, 'grantee'),
      msgTypeUrl: search(request, 'msg_type_url'),
      pagination: pageRequestOf(request),
    }).finish(),
    QueryGrantsResponse,
  );

/** `GET /cosmos/authz/v1beta1/grants/granter/{granter}` */
const getGranterGrants: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.authz.v1beta1.Query/GranterGrants',
    QueryGranterGrantsRequest.encode({ granter: param(request, 0), pagination: pageRequestOf(request) }).finish(),
    QueryGranterGrantsResponse,
  );

/** `GET /cosmos/authz/v1beta1/grants/grantee/{grantee}` */
const getGranteeGrants: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.authz.v1beta1.Query/GranteeGrants',
    QueryGranteeGrantsRequest.encode({ grantee: param(request, 0), pagination: pageRequestOf(request) }).finish(),
    QueryGranteeGrantsResponse,
  );

/** The authz module's REST routes, in matching order (fixed segments before `{param}` ones). */
export const authzRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/authz/v1beta1/grants', handler: getGrants },
  { method: 'GET', path: '/cosmos/authz/v1beta1/grants/granter/{granter}', handler: getGranterGrants },
  { method: 'GET', path: '/cosmos/authz/v1beta1/grants/grantee/{grantee}', handler: getGranteeGrants },
];
