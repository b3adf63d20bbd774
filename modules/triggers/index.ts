/**
 * The triggers module: value writes that fire functions (native ones in the same tx, off-chain ones
 * as escrowed calls that executors answer), executors and their capabilities, expiry and refunds at
 * the end of each block. The face of `modules/triggers/`.
 */
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { StateKeeper } from '../state/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { type TriggersGenesisJson, triggersGenesis } from './genesis.ts';
import { TRIGGERS_MODULE, TriggersKeeper } from './keeper.ts';
import { TRIGGERS_ROOT } from './keys.ts';
import { triggersMsgHandlers } from './msg_server.ts';
import { registerTriggersQueries } from './query.ts';

/** End-of-block order: calls expire first (refunds), before jobs and proof of stake. */
export const TRIGGERS_END_BLOCK_ORDER = 100;

export const triggersModule: ModuleDefinition<TriggersKeeper, TriggersGenesisJson> = {
  name: TRIGGERS_MODULE,
  requires: ['bank', 'state'],
  create(registry) {
    const state = registry.keeper<StateKeeper>('state');
    const keeper = new TriggersKeeper(registry.keeper<BankKeeper>('bank'), state, registry.moduleAccountAddresses);
    // Value writes that pass their rules call back into triggers (functions fire on them).
    state.setHooks(keeper);
    return defineModule({
      name: TRIGGERS_MODULE,
      keeper,
      subtrees: [TRIGGERS_ROOT],
      moduleAccounts: [TRIGGERS_MODULE],
      msgHandlers: triggersMsgHandlers(keeper),
      queries: queryRoutes((router) => registerTriggersQueries(router, keeper)),
      genesis: triggersGenesis(keeper),
      endBlock: {
        order: TRIGGERS_END_BLOCK_ORDER,
        run(ctx) {
          keeper.endBlock(ctx);
          return undefined;
        },
      },
    });
  },
};
export type { TriggersGenesisJson } from './genesis.ts';
export { matchFunction, substituteVars } from './match.ts';
export {
  MAX_ERROR_LENGTH,
  MAX_EXECUTOR_RUNTIMES,
  MAX_RESULTS_PER_MSG,
  PACKAGE_NAME,
  PACKAGE_VERSION,
  validateMsgSubmitResults,
} from './msgs.ts';
export { cannotServe } from './executors.ts';
export type { Executor } from './executors.ts';
export type { SettledCall, TriggersHooks } from './expected_keepers.ts';
