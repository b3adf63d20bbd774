/**
 * The distribution module: the block reward and fees split among the last commit's validators and
 * their delegators, commission, the community pool, and the mint queries wallets read an APR from
 * (`cosmos.distribution.v1beta1`, `cosmos.mint.v1beta1`). The face of `modules/distribution/`.
 */
import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
  MsgUpdateParams,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { moduleAddress, defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { FEE_COLLECTOR } from '../auth/index.ts';
import type { StakingKeeper } from '../staking/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { type DistributionGenesisJson, distributionGenesis } from './genesis.ts';
import { DISTRIBUTION_MODULE, DistributionKeeper } from './keeper.ts';
import { DISTRIBUTION_ROOT, PARAMS_ROOT } from './keys.ts';
import { distributionMsgHandlers } from './msg_server.ts';
import { distributionParamsToJson, readDistributionParams } from './params.ts';
import { registerDistributionQueries, registerMintQueries } from './query.ts';
import { distributionRestRoutes } from './rest.ts';

/** End-of-block order: rewards for the last commit's signers, before slashing and the new validator set. */
export const DISTRIBUTION_END_BLOCK_ORDER = 800;

export const distributionModule: ModuleDefinition<DistributionKeeper, DistributionGenesisJson> = {
  name: DISTRIBUTION_MODULE,
  requires: ['bank', 'staking'],
  create(registry) {
    const bank = registry.keeper<BankKeeper>('bank');
    const staking = registry.keeper<StakingKeeper>('staking');
    const keeper = new DistributionKeeper(bank, staking, moduleAddress(FEE_COLLECTOR), registry.moduleAccountAddresses);
    staking.addHooks(keeper);
    return defineModule({
      name: DISTRIBUTION_MODULE,
      keeper,
      subtrees: [DISTRIBUTION_ROOT, PARAMS_ROOT],
      moduleAccounts: [DISTRIBUTION_MODULE],
      msgHandlers: distributionMsgHandlers(keeper),
      queries: queryRoutes((router) => {
        registerDistributionQueries(router, keeper, staking);
        registerMintQueries(
          router,
          keeper,
          (state) => staking.params(state).bondDenom,
          (state, denom) => bank.getSupply(state, denom),
        );
      }),
      restRoutes: distributionRestRoutes,
      jsonTypes: [
        ['/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward', MsgWithdrawDelegatorReward],
        ['/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission', MsgWithdrawValidatorCommission],
        ['/cosmos.distribution.v1beta1.MsgSetWithdrawAddress', MsgSetWithdrawAddress],
        ['/cosmos.distribution.v1beta1.MsgFundCommunityPool', MsgFundCommunityPool],
        ['/cosmos.distribution.v1beta1.MsgUpdateParams', MsgUpdateParams],
      ],
      genesis: distributionGenesis,
      params: (state) => ({ ...distributionParamsToJson(readDistributionParams(state)) }),
      endBlock: {
        order: DISTRIBUTION_END_BLOCK_ORDER,
        run(ctx, block) {
          keeper.allocateRewards(ctx, block.votes);
          return undefined;
        },
      },
    });
  },
};
export type { DistributionGenesisJson } from './genesis.ts';
