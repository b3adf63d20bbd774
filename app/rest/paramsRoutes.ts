/**
 * The REST routes of the SDK's legacy x/params query (`app/legacyParams.ts` answers it over ABCI):
 * `GET /cosmos/params/v1beta1/params?subspace=&key=` and `GET /cosmos/params/v1beta1/subspaces`.
 */
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySubspacesRequest,
  QuerySubspacesResponse,
} from 'cosmjs-types/cosmos/params/v1beta1/query';
import { abciQuery, type RestHandler, type RestRoute, search } from '../../core/index.ts';

const getParams: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.params.v1beta1.Query/Params',
    QueryParamsRequest.encode({ subspace: search(request, 'subspace'), key: search(request, 'key') }).finish(),
    QueryParamsResponse,
  );

const getSubspaces: RestHandler = (context, request) =>
  abciQuery(context, request, '/cosmos.params.v1beta1.Query/Subspaces', QuerySubspacesRequest.encode({}).finish(), QuerySubspacesResponse);

export const PARAMS_ROUTES: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/params/v1beta1/params', handler: getParams },
  { method: 'GET', path: '/cosmos/params/v1beta1/subspaces', handler: getSubspaces },
];
