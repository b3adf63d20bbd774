/**
 * The committee module's messages as CosmJS `EncodeObject`s (`committeeMsg`) and their type URLs:
 * governance's MsgUpdateCommittee and MsgUpdateParams (carried by a proposal), anyone's
 * MsgFundCommittee, members' MsgCommitteePropose and MsgCommitteeVote.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import * as committeeTx from '../proto/gen/ain/committee/v1/tx.ts';

/** Type URLs of the committee module's messages. */
export const COMMITTEE_TYPE_URLS = {
  updateCommittee: `/${committeeTx.MsgUpdateCommittee.$type}`,
  updateParams: `/${committeeTx.MsgUpdateParams.$type}`,
  fund: `/${committeeTx.MsgFundCommittee.$type}`,
  propose: `/${committeeTx.MsgCommitteePropose.$type}`,
  vote: `/${committeeTx.MsgCommitteeVote.$type}`,
} as const;

/**
 * One builder per message a key signs: `committeeMsg.<name>(signer, fields)`.
 * @example committeeMsg.fund(alice, { amount: '1000000uain' })
 * @example committeeMsg.vote(member, { proposalId: 3n, yes: true })
 */
export const committeeMsg = {
  fund: (sender: string, fields: { amount: string }): EncodeObject => ({
    typeUrl: COMMITTEE_TYPE_URLS.fund,
    value: committeeTx.MsgFundCommittee.fromPartial({ ...fields, sender }),
  }),
  propose: (proposer: string, fields: Omit<Partial<committeeTx.MsgCommitteePropose>, 'proposer'>): EncodeObject => ({
    typeUrl: COMMITTEE_TYPE_URLS.propose,
    value: committeeTx.MsgCommitteePropose.fromPartial({ ...fields, proposer }),
  }),
  vote: (voter: string, fields: { proposalId: bigint; yes: boolean }): EncodeObject => ({
    typeUrl: COMMITTEE_TYPE_URLS.vote,
    value: committeeTx.MsgCommitteeVote.fromPartial({ ...fields, voter }),
  }),
};

/** Each committee message's type URL with its codec (for the registry). */
export const ainCommitteeTypes = [
  [COMMITTEE_TYPE_URLS.updateCommittee, committeeTx.MsgUpdateCommittee],
  [COMMITTEE_TYPE_URLS.updateParams, committeeTx.MsgUpdateParams],
  [COMMITTEE_TYPE_URLS.fund, committeeTx.MsgFundCommittee],
  [COMMITTEE_TYPE_URLS.propose, committeeTx.MsgCommitteePropose],
  [COMMITTEE_TYPE_URLS.vote, committeeTx.MsgCommitteeVote],
] as const;
