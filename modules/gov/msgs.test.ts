import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { describe, expect, it } from 'vitest';
import { DEC_SCALE } from '../../core/index.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { validateCancelProposal, validateSubmitProposal, validateVote, validateVoteWeighted } from './msgs.ts';
import { refusalOf } from '../../test/helpers/errorCode.ts';

const voter = testKey('msgs-voter').address;

describe('gov msgs', () => {
  it('weighted votes: each option once, weights in (0, 1] summing to exactly 1, as Dec text (v1) or atomics (v1beta1)', () => {
    const options = [
      { option: VoteOption.VOTE_OPTION_NO, weight: '0.4' },
      { option: VoteOption.VOTE_OPTION_YES, weight: '0.6' },
    ];
    expect(validateVoteWeighted({ proposalId: 1n, voter, options }, 'text')).toEqual([
      { option: VoteOption.VOTE_OPTION_YES, weight: (DEC_SCALE * 6n) / 10n },
      { option: VoteOption.VOTE_OPTION_NO, weight: (DEC_SCALE * 4n) / 10n },
    ]);
    const atomics = [{ option: VoteOption.VOTE_OPTION_YES, weight: DEC_SCALE.toString() }];
    expect(validateVoteWeighted({ proposalId: 1n, voter, options: atomics }, 'atomics')).toEqual([
      { option: VoteOption.VOTE_OPTION_YES, weight: DEC_SCALE },
    ]);
    expect(refusalOf(() => validateVoteWeighted({ proposalId: 1n, voter, options: options.slice(0, 1) }, 'text'))).toMatch(
      /^gov\/7 options weights must sum/,
    );
    const twice = [options[1]!, { option: VoteOption.VOTE_OPTION_YES, weight: '0.4' }];
    expect(refusalOf(() => validateVoteWeighted({ proposalId: 1n, voter, options: twice }, 'text'))).toMatch(
      /^gov\/7 options\[1\]\.option VOTE_OPTION_YES is given twice/,
    );
    expect(refusalOf(() => validateVoteWeighted({ proposalId: 1n, voter, options: [] }, 'text'))).toMatch(/^gov\/7 options is empty/);
  });

  it('votes: a known option, a proposal id, a valid voter', () => {
    expect(validateVote({ proposalId: 2n, voter, option: VoteOption.VOTE_OPTION_ABSTAIN })).toEqual([
      { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: DEC_SCALE },
    ]);
    expect(refusalOf(() => validateVote({ proposalId: 2n, voter, option: VoteOption.VOTE_OPTION_UNSPECIFIED }))).toMatch(
      /^gov\/7 option 0/,
    );
    expect(refusalOf(() => validateVote({ proposalId: 0n, voter, option: VoteOption.VOTE_OPTION_YES }))).toMatch(
      /^sdk\/18 proposal_id is 0/,
    );
    expect(refusalOf(() => validateVote({ proposalId: 1n, voter: 'cosmos1x', option: VoteOption.VOTE_OPTION_YES }))).toMatch(/^sdk\/7/);
  });

  it('proposals: a title and summary, bounded metadata; expedited or not', () => {
    const base = {
      proposer: voter,
      messages: [],
      initialDeposit: [{ denom: 'uain', amount: '5' }],
      metadata: '',
      title: 't',
      summary: 's',
    };
    expect(validateSubmitProposal(base)).toEqual([{ denom: 'uain', amount: 5n }]);
    expect(refusalOf(() => validateSubmitProposal({ ...base, title: ' ' }))).toMatch(/^gov\/5 title cannot be blank/);
    expect(refusalOf(() => validateSubmitProposal({ ...base, metadata: 'x'.repeat(256) }))).toMatch(/^gov\/15 metadata is 256 characters/);
    expect(validateSubmitProposal({ ...base, expedited: true })).toEqual([{ denom: 'uain', amount: 5n }]);
    expect(refusalOf(() => validateCancelProposal({ proposalId: 0n, proposer: voter }))).toMatch(/^sdk\/18 proposal_id is 0/);
    expect(refusalOf(() => validateCancelProposal({ proposalId: 1n, proposer: 'cosmos1x' }))).toMatch(/^sdk\/7/);
  });
});
