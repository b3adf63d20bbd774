/**
 * The committee module's handlers, one per message: MsgUpdateCommittee and MsgUpdateParams (the gov
 * authority's), MsgFundCommittee (anyone's), MsgCommitteePropose and MsgCommitteeVote (members').
 */
import { type MsgHandler, msgHandler, updateParamsHandler } from '../../core/index.ts';
import {
  MsgCommitteePropose,
  MsgCommitteeProposeResponse,
  MsgCommitteeVote,
  MsgCommitteeVoteResponse,
  MsgFundCommittee,
  MsgFundCommitteeResponse,
  MsgUpdateCommittee,
  MsgUpdateCommitteeResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from '../../proto/gen/ain/committee/v1/tx.ts';
import type { CommitteeKeeper } from './keeper.ts';
import { COMMITTEE_MODULE, validateFund, validatePropose, validateUpdateCommittee, validateVote } from './msgs.ts';
import { committeeParamsFromProto, writeCommitteeParams } from './params.ts';

const module = COMMITTEE_MODULE;

/** The codecs of the module's messages, for the app's JSON types and the client registry. */
export const committeeMsgCodecs = [MsgUpdateCommittee, MsgUpdateParams, MsgFundCommittee, MsgCommitteePropose, MsgCommitteeVote] as const;

export function committeeMsgHandlers(keeper: CommitteeKeeper): MsgHandler<unknown>[] {
  return [
    msgHandler({
      module,
      msg: MsgUpdateCommittee,
      response: MsgUpdateCommitteeResponse,
      validateBasic: validateUpdateCommittee,
      signers: (m) => [m.authority],
      handle: (ctx, m) => {
        keeper.setCommittee(ctx, validateUpdateCommittee(m));
      },
    }),
    updateParamsHandler({
      module,
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      parse: committeeParamsFromProto,
      write: writeCommitteeParams,
    }),
    msgHandler({
      module,
      msg: MsgFundCommittee,
      response: MsgFundCommitteeResponse,
      validateBasic: validateFund,
      signers: (m) => [m.sender],
      handle: (ctx, m) => keeper.fund(ctx, m.sender, validateFund(m)),
    }),
    msgHandler({
      module,
      msg: MsgCommitteePropose,
      response: MsgCommitteeProposeResponse,
      validateBasic: validatePropose,
      signers: (m) => [m.proposer],
      handle: (ctx, m) => {
        const { id, status } = keeper.propose(ctx, m.proposer, m.messages, m.summary);
        return { proposalId: id, status };
      },
    }),
    msgHandler({
      module,
      msg: MsgCommitteeVote,
      response: MsgCommitteeVoteResponse,
      validateBasic: validateVote,
      signers: (m) => [m.voter],
      handle: (ctx, m) => ({ status: keeper.vote(ctx, m.voter, m.proposalId, m.yes) }),
    }),
  ] as MsgHandler<unknown>[];
}
