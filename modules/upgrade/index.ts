/**
 * The upgrade module: the Cosmos SDK's x/upgrade queries (CurrentPlan, AppliedPlan)
 * and their REST routes, which explorers call for their upgrade banner. Without governance no plan
 * can be scheduled, so it answers that there is none and keeps no state; the governance issue adds
 * plans to its keeper. The face of `modules/upgrade/`.
 */
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { type UpgradeGenesisJson, upgradeGenesis } from './genesis.ts';
import { UpgradeKeeper } from './keeper.ts';
import { registerUpgradeQueries } from './query.ts';
import { upgradeRestRoutes } from './rest.ts';

export const upgradeModule: ModuleDefinition<UpgradeKeeper, UpgradeGenesisJson> = {
  name: 'upgrade',
  requires: [],
  create() {
    const keeper = new UpgradeKeeper();
    return defineModule({
      name: 'upgrade',
      keeper,
      subtrees: [],
      queries: queryRoutes((router) => registerUpgradeQueries(router, keeper)),
      restRoutes: upgradeRestRoutes,
      genesis: upgradeGenesis(),
      params: () => ({}),
    });
  },
};
export type { UpgradeGenesisJson } from './genesis.ts';
export { UpgradeKeeper } from './keeper.ts';
