/**
 * The upgrade module: the Cosmos SDK's x/upgrade. Governance schedules a software upgrade plan
 * (MsgSoftwareUpgrade, a name and a height) or cancels it (MsgCancelUpgrade); at the plan's height
 * the app (`app/upgrades.ts`) stops every node that has no handler for it and, on a node that has
 * one, runs the migration once and records the plan applied. CurrentPlan and AppliedPlan answer,
 * with their REST routes. The face of `modules/upgrade/`.
 */
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { type UpgradeGenesisJson, upgradeGenesis } from './genesis.ts';
import { UpgradeKeeper } from './keeper.ts';
import { UPGRADE_ROOT } from './keys.ts';
import { upgradeMsgHandlers } from './msg_server.ts';
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
      subtrees: [UPGRADE_ROOT],
      msgHandlers: upgradeMsgHandlers(keeper),
      queries: queryRoutes((router) => registerUpgradeQueries(router, keeper)),
      restRoutes: upgradeRestRoutes,
      jsonTypes: [
        ['/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade', MsgSoftwareUpgrade],
        ['/cosmos.upgrade.v1beta1.MsgCancelUpgrade', MsgCancelUpgrade],
      ],
      genesis: upgradeGenesis(keeper),
      params: () => ({}),
    });
  },
};
export type { UpgradeGenesisJson } from './genesis.ts';
export { ErrUpgradeNeeded } from './errors.ts';
export { upgradeApplied } from './events.ts';
export { UpgradeKeeper } from './keeper.ts';
export type { UpgradePlan } from './msgs.ts';
