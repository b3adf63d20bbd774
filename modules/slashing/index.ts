/**
 * The slashing module: liveness over a window of blocks, double-sign evidence, jail and unjail
 * (`cosmos.slashing.v1beta1`). The face of `modules/slashing/`.
 */
import { MsgUnjail, MsgUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { StakingKeeper } from '../staking/index.ts';
import { type SlashingGenesisJson, slashingGenesis } from './genesis.ts';
import { SLASHING_MODULE, SlashingKeeper } from './keeper.ts';
import { PARAMS_ROOT, SLASHING_ROOT } from './keys.ts';
import { slashingMsgHandlers } from './msg_server.ts';
import { readSlashingParams, slashingParamsToJson } from './params.ts';
import { registerSlashingQueries } from './query.ts';
import { slashingRestRoutes } from './rest.ts';

/** End-of-block order: after rewards, before staking computes the next validator set. */
export const SLASHING_END_BLOCK_ORDER = 850;

export const slashingModule: ModuleDefinition<SlashingKeeper, SlashingGenesisJson> = {
  name: SLASHING_MODULE,
  requires: ['staking'],
  create(registry) {
    const staking = registry.keeper<StakingKeeper>('staking');
    const keeper = new SlashingKeeper(staking);
    staking.addHooks(keeper);
    return defineModule({
      name: SLASHING_MODULE,
      keeper,
      subtrees: [SLASHING_ROOT, PARAMS_ROOT],
      msgHandlers: slashingMsgHandlers(keeper),
      queries: queryRoutes((router) => registerSlashingQueries(router, keeper)),
      restRoutes: slashingRestRoutes,
      jsonTypes: [
        ['/cosmos.slashing.v1beta1.MsgUnjail', MsgUnjail],
        ['/cosmos.slashing.v1beta1.MsgUpdateParams', MsgUpdateParams],
      ],
      genesis: slashingGenesis,
      params: (state) => ({ ...slashingParamsToJson(readSlashingParams(state)) }),
      endBlock: {
        order: SLASHING_END_BLOCK_ORDER,
        run(ctx, block) {
          keeper.processBlock(ctx, block.votes, block.misbehavior);
          return undefined;
        },
      },
    });
  },
};
export type { SlashingGenesisJson } from './genesis.ts';
