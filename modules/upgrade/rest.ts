/**
 * The upgrade module's REST (LCD) routes: the Cosmos SDK gateway paths explorers call for their upgrade
 * banner, answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryCurrentPlanRequest,
  QueryCurrentPlanResponse,
} from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { abciQuery, param, type RestHandler, type RestRoute } from '../../core/index.ts';

/** `GET /cosmos/upgrade/v1beta1/current_plan` */
const getCurrentPlan: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.upgrade.v1beta1.Query/CurrentPlan',
    QueryCurrentPlanRequest.encode({}).finish(),
    QueryCurrentPlanResponse,
  );

/** `GET /cosmos/upgrade/v1beta1/applied_plan/{name}` */
const getAppliedPlan: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.upgrade.v1beta1.Query/AppliedPlan',
    QueryAppliedPlanRequest.encode({ name: param(request, 0) }).finish(),
    QueryAppliedPlanResponse,
  );

/** The upgrade module's REST (LCD) routes. */
export const upgradeRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/upgrade/v1beta1/current_plan', handler: getCurrentPlan },
  { method: 'GET', path: '/cosmos/upgrade/v1beta1/applied_plan/{name}', handler: getAppliedPlan },
];
