/**
 * The state module: the global tree's app values under `/apps`, their write rules, owners and
 * function configs, and apps with admins. The face of `modules/state/`.
 */
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
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
export { readStoredConfig } from './configs.ts';
export type { FunctionConfig, OwnerConfig, OwnerPermissions, RuleConfig, StateLimits } from './configs.ts';
export { AMOUNT_PATTERN, CODE_HASH_PATTERN, MAX_FUNCTION_SEARCH_NODES, RUNTIME_NAME_PATTERN, RUNTIMES } from './functions.ts';
export type { HttpEndpoint, OffchainFunction, TriggerFunction } from './functions.ts';
export type { StateGenesisJson } from './genesis.ts';
export { parseJsonText } from './json.ts';
export { StateKeeper } from './keeper.ts';
export type { BranchGuard, StateContext, StateHooks, WriteReport, Writer } from './keeper.ts';
export { FUNCTIONS_ROOT, VARIABLE_LABEL, isStorablePath, labelsOf, pathOf } from './keys.ts';
export { ErrInvalidFunctionConfig } from './errors.ts';
