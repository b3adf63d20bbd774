/**
 * The staking module: validators, delegations, unbonding and redelegation, and the active set sent
 * to CometBFT at the end of every block (`cosmos.staking.v1beta1` messages and queries). The face of
 * `modules/staking/`.
 */
import {
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
  MsgUpdateParams,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { type StakingGenesisJson, stakingGenesis } from './genesis.ts';
import { BONDED_POOL_NAME, NOT_BONDED_POOL_NAME, STAKING_MODULE, StakingKeeper } from './keeper.ts';
import { PARAMS_ROOT, STAKING_ROOT } from './keys.ts';
import { stakingMsgHandlers } from './msg_server.ts';
import { readStakingParams, stakingParamsToJson } from './params.ts';
import { registerStakingQueries } from './query.ts';
import { stakingRestRoutes } from './rest.ts';

/** End-of-block order: last, after rewards and slashing, since it decides the next validator set. */
export const STAKING_END_BLOCK_ORDER = 900;

export const stakingModule: ModuleDefinition<StakingKeeper, StakingGenesisJson> = {
  name: STAKING_MODULE,
  requires: ['bank'],
  create(registry) {
    const bank = registry.keeper<BankKeeper>('bank');
    const keeper = new StakingKeeper(bank);
    return defineModule({
      name: STAKING_MODULE,
      keeper,
      subtrees: [STAKING_ROOT, PARAMS_ROOT],
      moduleAccounts: [BONDED_POOL_NAME, NOT_BONDED_POOL_NAME],
      msgHandlers: stakingMsgHandlers(keeper),
      queries: queryRoutes((router) => registerStakingQueries(router, keeper)),
      restRoutes: stakingRestRoutes,
      jsonTypes: [
        ['/cosmos.staking.v1beta1.MsgCreateValidator', MsgCreateValidator],
        ['/cosmos.staking.v1beta1.MsgEditValidator', MsgEditValidator],
        ['/cosmos.staking.v1beta1.MsgDelegate', MsgDelegate],
        ['/cosmos.staking.v1beta1.MsgUndelegate', MsgUndelegate],
        ['/cosmos.staking.v1beta1.MsgBeginRedelegate', MsgBeginRedelegate],
        ['/cosmos.staking.v1beta1.MsgUpdateParams', MsgUpdateParams],
      ],
      genesis: stakingGenesis(keeper, bank),
      params: (state) => ({ ...stakingParamsToJson(readStakingParams(state)) }),
      endBlock: { order: STAKING_END_BLOCK_ORDER, run: (ctx) => keeper.endBlock(ctx) },
    });
  },
};
export {
  ED25519_PUBKEY_BYTES,
  VALCONS_PREFIX,
  VALOPER_PREFIX,
  consAddressBech32,
  consAddressHex,
  parseValcons,
  parseValoper,
  toValoper,
  valoperToAccount,
} from './address.ts';
export { rfc3339 } from './events.ts';
export type { BlockContext, StakingHooks } from './expected_keepers.ts';
export { defaultStakingGenesis, genesisValidatorEntry } from './genesis.ts';
export type { GenesisValidatorInput, StakingGenesisJson } from './genesis.ts';
export { BONDED_POOL_NAME, DO_NOT_MODIFY } from './keeper.ts';
export type { StakingKeeper } from './keeper.ts';
export { MAX_UNBONDING_SECONDS, parseSeconds } from './params.ts';
export type { StakingParams } from './params.ts';
export { stakingGatewayJson, stakingGatewayQuery } from './rest.ts';
export { BondStatus, ED25519_PUBKEY_TYPE_URL, tokensFromShares } from './validator.ts';
export type { Validator } from './validator.ts';
