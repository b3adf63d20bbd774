/**
 * The committee module: the developer committee of the white paper ("the developer committee will
 * accept one of the proposed solutions" for measuring the network's value). Governance sets its
 * members, weights and threshold (MsgUpdateCommittee); anyone funds its developer fund (the module
 * account `committee`); members propose and vote, and a proposal whose yes weight reaches the
 * threshold runs as the committee account: a spend from the fund, or a governance proposal of the
 * compute module's params, which governance then enacts. The face of `modules/committee/`.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { type CommitteeGenesisJson, committeeGenesis } from './genesis.ts';
import { CommitteeKeeper } from './keeper.ts';
import { COMMITTEE_ROOT, PARAMS_ROOT } from './keys.ts';
import { committeeMsgCodecs, committeeMsgHandlers } from './msg_server.ts';
import { COMMITTEE_MODULE } from './msgs.ts';
import { committeeParamsToJson } from './params.ts';
import { registerCommitteeQueries } from './query.ts';
import { committeeRestRoutes } from './rest.ts';

/** End-of-block order: after gov (700) runs passed proposals, before compute (750). */
export const COMMITTEE_END_BLOCK_ORDER = 720;

export const committeeModule: ModuleDefinition<CommitteeKeeper, CommitteeGenesisJson> = {
  name: COMMITTEE_MODULE,
  requires: ['bank'],
  create(registry) {
    const keeper = new CommitteeKeeper(registry.keeper<BankKeeper>('bank'), () => registry.msgRouter);
    return defineModule({
      name: COMMITTEE_MODULE,
      keeper,
      subtrees: [COMMITTEE_ROOT, PARAMS_ROOT],
      moduleAccounts: [COMMITTEE_MODULE],
      msgHandlers: committeeMsgHandlers(keeper),
      queries: queryRoutes((router) => registerCommitteeQueries(router, keeper)),
      restRoutes: committeeRestRoutes,
      jsonTypes: committeeMsgCodecs.map((codec) => [`/${codec.$type}`, codec as unknown as JsonCodec<unknown>] as const),
      genesis: committeeGenesis(keeper),
      params: (state) => ({ ...committeeParamsToJson(keeper.params(state)) }),
      endBlock: {
        order: COMMITTEE_END_BLOCK_ORDER,
        run: (ctx) => {
          keeper.endBlock(ctx);
          return undefined;
        },
      },
    });
  },
};

export type { CommitteeGenesisJson } from './genesis.ts';
export { CommitteeKeeper, ProposalStatus, type ProposalRecord } from './keeper.ts';
export {
  allowedMessage,
  COMMITTEE_MODULE,
  COMPUTE_PARAMS_TYPE_URL,
  committeeAddress,
  GOV_SUBMIT_TYPE_URL,
  MSG_SEND_TYPE_URL,
} from './msgs.ts';
export type { CommitteeSet, Member } from './msgs.ts';
export { defaultCommitteeParams } from './params.ts';
export type { CommitteeParams, CommitteeParamsJson } from './params.ts';
export {
  COMMITTEE,
  ErrInvalidCommitteeMsg,
  ErrMessageNotAllowed,
  ErrNotMember,
  ErrProposalNotFound,
  ErrProposalNotOpen,
} from './errors.ts';
