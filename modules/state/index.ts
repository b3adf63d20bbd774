/**
 * The state module: the global tree's app values under `/apps`, their write rules, owners and
 * function configs, and apps with admins. The face of `modules/state/`.
 */
import { defineModule, type ModuleDefinition } from '../../core/module.ts';
import { queryRoutes } from '../../core/queryRouter.ts';
import { STATE_SUBTREES, type StateGenesisJson, stateGenesis } from './genesis.ts';
import { StateKeeper } from './keeper.ts';
import { STATE_MODULE, stateMsgHandlers } from './msg_server.ts';
import { registerStateQueries } from './query.ts';

export const stateModule: ModuleDefinition<StateKeeper, StateGenesisJson> = {
  name: STATE_MODULE,
  requires: [],
  create() {
    const keeper = new StateKeeper();
    return defineModule({
      name: STATE_MODULE,
      keeper,
      subtrees: STATE_SUBTREES,
      msgHandlers: stateMsgHandlers(keeper),
      queries: queryRoutes((router) => registerStateQueries(router, keeper)),
      genesis: stateGenesis(keeper),
    });
  },
};
