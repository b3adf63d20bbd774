/**
 * The feegrant module: fee allowances (`cosmos.feegrant.v1beta1`), so a granter (a dApp, an AI app
 * sponsoring its users' calls) pays the fees of a grantee's txs that name it as `fee.granter`. The
 * face of `modules/feegrant/`.
 */
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  MsgGrantAllowance,
  MsgGrantAllowanceResponse,
  MsgPruneAllowances,
  MsgPruneAllowancesResponse,
  MsgRevokeAllowance,
  MsgRevokeAllowanceResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import { type FeegrantGenesisJson, feegrantGenesis } from './genesis.ts';
import { FeegrantKeeper, PRUNED_PER_BLOCK } from './keeper.ts';
import { FEEGRANT_ROOT } from './keys.ts';
import { feegrantMsgHandlers } from './msg_server.ts';
import { registerFeegrantQueries } from './query.ts';
import { feegrantRestRoutes } from './rest.ts';

/** End-of-block order: expired allowances are pruned after gov (700) and before distribution (800). */
const FEEGRANT_END_BLOCK_ORDER = 760;

export const feegrantModule: ModuleDefinition<FeegrantKeeper, FeegrantGenesisJson> = {
  name: 'feegrant',
  requires: ['auth'],
  create(registry) {
    const accounts = registry.keeper<AccountKeeper>('auth');
    const keeper = new FeegrantKeeper(accounts);
    return defineModule({
      name: 'feegrant',
      keeper,
      subtrees: [FEEGRANT_ROOT],
      msgHandlers: feegrantMsgHandlers(keeper, registry.moduleAccountAddresses),
      queries: queryRoutes((router) => registerFeegrantQueries(router, keeper)),
      restRoutes: feegrantRestRoutes,
      jsonTypes: [
        ['/cosmos.feegrant.v1beta1.MsgGrantAllowance', MsgGrantAllowance],
        ['/cosmos.feegrant.v1beta1.MsgGrantAllowanceResponse', MsgGrantAllowanceResponse],
        ['/cosmos.feegrant.v1beta1.MsgRevokeAllowance', MsgRevokeAllowance],
        ['/cosmos.feegrant.v1beta1.MsgRevokeAllowanceResponse', MsgRevokeAllowanceResponse],
        ['/cosmos.feegrant.v1beta1.MsgPruneAllowances', MsgPruneAllowances],
        ['/cosmos.feegrant.v1beta1.MsgPruneAllowancesResponse', MsgPruneAllowancesResponse],
        ['/cosmos.feegrant.v1beta1.BasicAllowance', BasicAllowance],
        ['/cosmos.feegrant.v1beta1.PeriodicAllowance', PeriodicAllowance],
        ['/cosmos.feegrant.v1beta1.AllowedMsgAllowance', AllowedMsgAllowance],
      ],
      genesis: feegrantGenesis(keeper, accounts),
      endBlock: {
        order: FEEGRANT_END_BLOCK_ORDER,
        run: (ctx) => {
          keeper.pruneExpired(ctx, PRUNED_PER_BLOCK);
          return undefined;
        },
      },
    });
  },
};
export { FeegrantKeeper } from './keeper.ts';
export type { FeegrantGenesisJson } from './genesis.ts';
export { type FeeAllowance, validateAllowance } from './allowance.ts';
export { allowanceToAny } from './codec.ts';
