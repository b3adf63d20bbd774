/**
 * The upgrade module's ABCI queries, `cosmos.upgrade.v1beta1.Query`: CurrentPlan and AppliedPlan, read
 * from its keeper: the plan governance scheduled, and the height a named plan was applied at.
 */
import { QueryAppliedPlanRequest, QueryAppliedPlanResponse, QueryCurrentPlanResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { decodeQueryRequest, type QueryRegistrar } from '../../core/index.ts';
import type { UpgradeKeeper } from './keeper.ts';

/**
 * The `cosmos.upgrade.v1beta1.Query` paths explorers call for their upgrade banner: CurrentPlan (the
 * scheduled plan; none when absent) and AppliedPlan (height 0: never applied).
 */
export function registerUpgradeQueries(router: QueryRegistrar, keeper: UpgradeKeeper): void {
  router.register('/cosmos.upgrade.v1beta1.Query/CurrentPlan', (state) => {
    const plan = keeper.currentPlan(state);
    return QueryCurrentPlanResponse.encode(plan ? { plan } : {}).finish();
  });
  router.register('/cosmos.upgrade.v1beta1.Query/AppliedPlan', (state, data) => {
    const { name } = decodeQueryRequest(QueryAppliedPlanRequest, data);
    return QueryAppliedPlanResponse.encode({ height: keeper.appliedPlanHeight(state, name) }).finish();
  });
}
