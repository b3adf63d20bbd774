/**
 * Stateless checks of the gov messages (`cosmos.gov.v1` and the `cosmos.gov.v1beta1` ones CosmJS and
 * Keplr send): addresses, coins, vote options and weights, text lengths. Each names the field.
 */
import { VoteOption, voteOptionToJSON } from 'cosmjs-types/cosmos/gov/v1/gov';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  ainError,
  type Coin,
  coinsFromProto,
  DEC_ONE,
  decFromAtomics,
  decFromText,
  ErrInvalidRequest,
  parseAddress,
  requireGovAuthority,
} from '../../core/index.ts';
import { ErrInvalidProposalContent, ErrInvalidVote, ErrMetadataTooLong } from './errors.ts';
import type { WeightedOption } from './tally.ts';

/** The SDK's default `MaxMetadataLen`, applied to proposal and vote metadata and to titles. */
export const MAX_METADATA_LENGTH = 255;
export const MAX_TITLE_LENGTH = 255;
export const MAX_SUMMARY_LENGTH = 10_200;
/** Most messages one proposal may carry. */
export const MAX_PROPOSAL_MESSAGES = 16;
export const TEXT_PROPOSAL_TYPE_URL = '/cosmos.gov.v1beta1.TextProposal';

export function validateProposalId(id: bigint, field = 'proposal_id'): void {
  if (id === 0n) throw ainError(ErrInvalidRequest, `${field} is 0; proposal ids start at 1`, { field });
}

function checkLength(text: string, max: number, field: string, error = ErrInvalidProposalContent): void {
  if (text.length > max) throw ainError(error, `${field} is ${text.length} characters; at most ${max}`, { field });
}

/** A v1 MsgSubmitProposal's fields (and a v1beta1 one's, converted). */
export function validateSubmitProposal(msg: {
  proposer: string;
  messages: readonly Any[];
  initialDeposit: ReadonlyArray<{ denom: string; amount: string }>;
  metadata: string;
  title: string;
  summary: string;
  expedited?: boolean;
}): Coin[] {
  parseAddress(msg.proposer, 'proposer');
  if (msg.title.trim() === '') throw ainError(ErrInvalidProposalContent, 'title cannot be blank', { field: 'title' });
  if (msg.summary.trim() === '') throw ainError(ErrInvalidProposalContent, 'summary cannot be blank', { field: 'summary' });
  checkLength(msg.title, MAX_TITLE_LENGTH, 'title');
  checkLength(msg.summary, MAX_SUMMARY_LENGTH, 'summary');
  checkLength(msg.metadata, MAX_METADATA_LENGTH, 'metadata', ErrMetadataTooLong);
  if (msg.messages.length > MAX_PROPOSAL_MESSAGES)
    throw ainError(ErrInvalidRequest, `messages has ${msg.messages.length}; at most ${MAX_PROPOSAL_MESSAGES}`, { field: 'messages' });
  return coinsFromProto(msg.initialDeposit, 'initial_deposit', true);
}

/** A MsgCancelProposal: a proposal id and the proposer's address. */
export function validateCancelProposal(msg: { proposalId: bigint; proposer: string }): void {
  validateProposalId(msg.proposalId);
  parseAddress(msg.proposer, 'proposer');
}

export function validateDeposit(msg: {
  proposalId: bigint;
  depositor: string;
  amount: ReadonlyArray<{ denom: string; amount: string }>;
}): Coin[] {
  validateProposalId(msg.proposalId);
  parseAddress(msg.depositor, 'depositor');
  return coinsFromProto(msg.amount, 'amount');
}

const VALID_OPTIONS = new Set([
  VoteOption.VOTE_OPTION_YES,
  VoteOption.VOTE_OPTION_ABSTAIN,
  VoteOption.VOTE_OPTION_NO,
  VoteOption.VOTE_OPTION_NO_WITH_VETO,
]);

function checkOption(option: VoteOption, field: string): void {
  if (!VALID_OPTIONS.has(option))
    throw ainError(ErrInvalidVote, `${field} ${option} is not yes (1), abstain (2), no (3) or no_with_veto (4)`, { field });
}

export function validateVote(msg: { proposalId: bigint; voter: string; option: VoteOption; metadata?: string }): WeightedOption[] {
  validateProposalId(msg.proposalId);
  parseAddress(msg.voter, 'voter');
  checkOption(msg.option, 'option');
  checkLength(msg.metadata ?? '', MAX_METADATA_LENGTH, 'metadata', ErrMetadataTooLong);
  return [{ option: msg.option, weight: DEC_ONE }];
}

/**
 * Weighted options: each option once, each weight in (0, 1], the weights summing to exactly 1.
 * `v1` weights are Dec text ("0.7"); `v1beta1` ones LegacyDec atomics ("700000000000000000").
 */
export function validateVoteWeighted(
  msg: { proposalId: bigint; voter: string; options: ReadonlyArray<{ option: VoteOption; weight: string }>; metadata?: string },
  weights: 'text' | 'atomics',
): WeightedOption[] {
  validateProposalId(msg.proposalId);
  parseAddress(msg.voter, 'voter');
  checkLength(msg.metadata ?? '', MAX_METADATA_LENGTH, 'metadata', ErrMetadataTooLong);
  if (msg.options.length === 0) throw ainError(ErrInvalidVote, 'options is empty', { field: 'options' });
  const seen = new Set<VoteOption>();
  let sum = 0n;
  const options = msg.options.map((o, i) => {
    const field = `options[${i}]`;
    checkOption(o.option, `${field}.option`);
    if (seen.has(o.option)) throw ainError(ErrInvalidVote, `${field}.option ${voteOptionToJSON(o.option)} is given twice`, { field });
    seen.add(o.option);
    const weight =
      weights === 'text' ? decFromText(o.weight, `${field}.weight`) : decFromAtomics(o.weight, `${field}.weight`, ErrInvalidVote);
    if (weight <= 0n || weight > DEC_ONE) throw ainError(ErrInvalidVote, `${field}.weight ${o.weight} must be in (0, 1]`, { field });
    sum += weight;
    return { option: o.option, weight };
  });
  if (sum !== DEC_ONE) throw ainError(ErrInvalidVote, 'options weights must sum to exactly 1', { field: 'options' });
  return options.sort((a, b) => a.option - b.option);
}

/** A gov MsgUpdateParams: the authority must be the gov module account (the params are checked by the handler). */
export function validateUpdateParams(msg: { authority: string }): void {
  requireGovAuthority(msg.authority);
}

/**
 * The legacy content a v1beta1 proposal carries: only a TextProposal (a signal with nothing to run);
 * its title and description become the proposal's.
 */
export function legacyTextContent(content: Any | undefined, field = 'content'): TextProposal {
  if (!content) throw ainError(ErrInvalidProposalContent, `${field} is missing`, { field });
  if (content.typeUrl !== TEXT_PROPOSAL_TYPE_URL)
    throw ainError(
      ErrInvalidProposalContent,
      `${field} ${content.typeUrl} is not supported; only ${TEXT_PROPOSAL_TYPE_URL} (other changes are v1 proposals carrying messages)`,
      {
        field,
      },
    );
  try {
    return TextProposal.decode(content.value);
  } catch (cause) {
    throw ainError(ErrInvalidProposalContent, `${field} does not decode: ${(cause as Error).message}`, { field });
  }
}
