/**
 * One thin handler per gov message: `cosmos.gov.v1` (submit with messages, cancel, deposit, vote,
 * weighted vote, update params, the legacy-content wrapper) and the `cosmos.gov.v1beta1` messages CosmJS and
 * Keplr sign (a v1beta1 proposal is a v1 proposal carrying one MsgExecLegacyContent).
 */
import * as v1 from 'cosmjs-types/cosmos/gov/v1/tx';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { type MsgHandler, msgHandler } from '../../core/index.ts';
import type { GovKeeper } from './keeper.ts';
import {
  legacyTextContent,
  validateCancelProposal,
  validateDeposit,
  validateSubmitProposal,
  validateUpdateParams,
  validateVote,
  validateVoteWeighted,
} from './msgs.ts';
import { govParamsFromProto } from './params.ts';

const module = 'gov';

/** A v1beta1 submission as the v1 proposal it becomes: one MsgExecLegacyContent with the gov authority. */
function fromV1beta1(msg: v1beta1.MsgSubmitProposal, authority: string) {
  const text = legacyTextContent(msg.content);
  const exec = v1.MsgExecLegacyContent.fromPartial({ content: msg.content!, authority });
  return {
    proposer: msg.proposer,
    messages: [{ typeUrl: v1.MsgExecLegacyContent.typeUrl, value: v1.MsgExecLegacyContent.encode(exec).finish() }],
    initialDeposit: msg.initialDeposit,
    expedited: false,
    metadata: '',
    title: text.title,
    summary: text.description,
  };
}

export function govMsgHandlers(keeper: GovKeeper): MsgHandler<unknown>[] {
  const handlers = [
    msgHandler({
      module,
      msg: v1.MsgSubmitProposal,
      response: v1.MsgSubmitProposalResponse,
      validateBasic: validateSubmitProposal,
      signers: (m) => [m.proposer],
      handle: (ctx, m) => ({ proposalId: keeper.submitProposal(ctx, { ...m, initialDeposit: validateSubmitProposal(m) }) }),
    }),
    msgHandler({
      module,
      msg: v1.MsgCancelProposal,
      response: v1.MsgCancelProposalResponse,
      validateBasic: validateCancelProposal,
      signers: (m) => [m.proposer],
      handle: (ctx, m) => {
        keeper.cancelProposal(ctx, m.proposalId, m.proposer);
        return { proposalId: m.proposalId, canceledTime: { seconds: ctx.blockTimeSeconds, nanos: 0 }, canceledHeight: ctx.height };
      },
    }),
    msgHandler({
      module,
      msg: v1.MsgDeposit,
      response: v1.MsgDepositResponse,
      validateBasic: validateDeposit,
      signers: (m) => [m.depositor],
      handle: (ctx, m) => keeper.deposit(ctx, m.proposalId, m.depositor, validateDeposit(m)),
    }),
    msgHandler({
      module,
      msg: v1.MsgVote,
      response: v1.MsgVoteResponse,
      validateBasic: validateVote,
      signers: (m) => [m.voter],
      handle: (ctx, m) => keeper.vote(ctx, m.proposalId, m.voter, validateVote(m), m.metadata),
    }),
    msgHandler({
      module,
      msg: v1.MsgVoteWeighted,
      response: v1.MsgVoteWeightedResponse,
      validateBasic: (m) => validateVoteWeighted(m, 'text'),
      signers: (m) => [m.voter],
      handle: (ctx, m) => keeper.vote(ctx, m.proposalId, m.voter, validateVoteWeighted(m, 'text'), m.metadata),
    }),
    msgHandler({
      module,
      msg: v1.MsgUpdateParams,
      response: v1.MsgUpdateParamsResponse,
      validateBasic: (m) => {
        validateUpdateParams(m);
        govParamsFromProto(m.params);
      },
      signers: (m) => [m.authority],
      handle: (ctx, m) => keeper.setParams(ctx, govParamsFromProto(m.params)),
    }),
    msgHandler({
      module,
      msg: v1.MsgExecLegacyContent,
      response: v1.MsgExecLegacyContentResponse,
      validateBasic: (m) => {
        validateUpdateParams(m);
        legacyTextContent(m.content);
      },
      signers: (m) => [m.authority],
      // A text proposal is a signal: passing it is its whole effect.
      handle: () => ({}),
    }),
    msgHandler({
      module,
      msg: v1beta1.MsgSubmitProposal,
      response: v1beta1.MsgSubmitProposalResponse,
      validateBasic: (m) => validateSubmitProposal(fromV1beta1(m, keeper.moduleAddress)),
      signers: (m) => [m.proposer],
      handle: (ctx, m) => {
        const converted = fromV1beta1(m, keeper.moduleAddress);
        return { proposalId: keeper.submitProposal(ctx, { ...converted, initialDeposit: validateSubmitProposal(converted) }) };
      },
    }),
    msgHandler({
      module,
      msg: v1beta1.MsgDeposit,
      response: v1beta1.MsgDepositResponse,
      validateBasic: validateDeposit,
      signers: (m) => [m.depositor],
      handle: (ctx, m) => keeper.deposit(ctx, m.proposalId, m.depositor, validateDeposit(m)),
    }),
    msgHandler({
      module,
      msg: v1beta1.MsgVote,
      response: v1beta1.MsgVoteResponse,
      validateBasic: validateVote,
      signers: (m) => [m.voter],
      handle: (ctx, m) => keeper.vote(ctx, m.proposalId, m.voter, validateVote(m), ''),
    }),
    msgHandler({
      module,
      msg: v1beta1.MsgVoteWeighted,
      response: v1beta1.MsgVoteWeightedResponse,
      validateBasic: (m) => validateVoteWeighted(m, 'atomics'),
      signers: (m) => [m.voter],
      handle: (ctx, m) => keeper.vote(ctx, m.proposalId, m.voter, validateVoteWeighted(m, 'atomics'), ''),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}
