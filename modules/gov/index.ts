/**
 * The gov module: proposals carrying messages, deposits, votes and weighted votes, the tally by
 * bonded stake, and the end of block that runs passed proposals' messages as the gov authority
 * (`cosmos.gov.v1` messages and queries, and the `cosmos.gov.v1beta1` ones CosmJS's gov extension
 * uses). The face of `modules/gov/`.
 */
import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as v1 from 'cosmjs-types/cosmos/gov/v1/tx';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { defineModule, GOV_MODULE_NAME, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { BondStatus, type StakingKeeper as RealStakingKeeper } from '../staking/index.ts';
import type { BankKeeper, CommunityPool, StakingKeeper } from './expected_keepers.ts';
import { type GovGenesisJson, govGenesis } from './genesis.ts';
import { GovKeeper } from './keeper.ts';
import { GOV_ROOT, PARAMS_ROOT } from './keys.ts';
export { legacyDecsForGateway, legacyDecsToWire, PROPOSAL_LEGACY_DEC_FIELDS } from './legacyDec.ts';
import { govMsgHandlers } from './msg_server.ts';
import { govParamsToJson, readGovParams } from './params.ts';
import { registerGovQueries } from './query.ts';
import { govRestRoutes } from './rest.ts';

/** End-of-block order: before distribution (800), slashing (850) and staking (900), as the SDK's gov EndBlocker. */
export const GOV_END_BLOCK_ORDER = 700;

/** The tally's view of the staking keeper. */
function tallyStaking(staking: RealStakingKeeper): StakingKeeper {
  return {
    bondedValidators: (state) => staking.validators(state).filter((v) => v.status === BondStatus.BOND_STATUS_BONDED),
    delegatorDelegations: (state, delegator) => staking.delegatorDelegations(state, delegator),
    totalBondedTokens: (state) => staking.pool(state).bonded,
  };
}

export const govModule: ModuleDefinition<GovKeeper, GovGenesisJson> = {
  name: GOV_MODULE_NAME,
  requires: ['bank', 'staking', 'distribution'],
  create(registry) {
    const keeper = new GovKeeper(
      registry.keeper<BankKeeper>('bank'),
      tallyStaking(registry.keeper<RealStakingKeeper>('staking')),
      () => registry.msgRouter,
      registry.keeper<CommunityPool>('distribution'),
    );
    const codecs: Array<[string, JsonCodec<unknown>]> = [
      v1.MsgSubmitProposal,
      v1.MsgDeposit,
      v1.MsgVote,
      v1.MsgVoteWeighted,
      v1.MsgUpdateParams,
      v1.MsgExecLegacyContent,
      v1.MsgCancelProposal,
      v1.MsgSubmitProposalResponse,
      v1.MsgCancelProposalResponse,
      v1beta1.MsgSubmitProposal,
      v1beta1.MsgDeposit,
      v1beta1.MsgVote,
      v1beta1.MsgVoteWeighted,
      TextProposal,
    ].map((codec) => [codec.typeUrl, codec as JsonCodec<unknown>]);
    return defineModule({
      name: GOV_MODULE_NAME,
      keeper,
      subtrees: [GOV_ROOT, PARAMS_ROOT],
      moduleAccounts: [GOV_MODULE_NAME],
      msgHandlers: govMsgHandlers(keeper),
      queries: queryRoutes((router) => registerGovQueries(router, keeper)),
      restRoutes: govRestRoutes,
      jsonTypes: codecs,
      genesis: govGenesis(keeper),
      params: (state) => ({ ...govParamsToJson(readGovParams(state)) }),
      endBlock: {
        order: GOV_END_BLOCK_ORDER,
        run: (ctx, block) => {
          keeper.endBlock(ctx, block.chainId);
          return undefined;
        },
      },
    });
  },
};

export { ProposalStatus };
export type { GovGenesisJson } from './genesis.ts';
export type { GovKeeper, StoredVote } from './keeper.ts';
export { defaultGovParams, govParamsFromProto, govParamsToProto } from './params.ts';
export type { GovParams, GovParamsJson } from './params.ts';
export type { ProposalRecord } from './proposal.ts';
export { govGatewayJson } from './rest.ts';
export type { Tally, WeightedOption } from './tally.ts';
