/** The compute module's REST routes: `/ain/compute/v1/params` and `/ain/compute/v1/epoch`. */
import { abciQuery, type RestHandler, type RestRoute } from '../../core/index.ts';
import { QueryEpochRequest, QueryEpochResponse, QueryParamsRequest, QueryParamsResponse } from '../../proto/gen/ain/compute/v1/query.ts';

const getParams: RestHandler = (c, r) =>
  abciQuery(c, r, '/ain.compute.v1.Query/Params', QueryParamsRequest.encode({}).finish(), QueryParamsResponse);
const getEpoch: RestHandler = (c, r) =>
  abciQuery(c, r, '/ain.compute.v1.Query/Epoch', QueryEpochRequest.encode({}).finish(), QueryEpochResponse);

export const computeRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/ain/compute/v1/params', handler: getParams },
  { method: 'GET', path: '/ain/compute/v1/epoch', handler: getEpoch },
];
