import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { describe, expect, it } from 'vitest';
import { DEC_SCALE, type ReadableState } from '../../core/index.ts';
import { toValoper } from '../staking/index.ts';
import { testKey } from '../../test/helpers/tx.ts';
import type { StakingKeeper, TallyValidator } from './expected_keepers.ts';
import { defaultGovParams } from './params.ts';
import { decide, tallyTokens, tallyVotes } from './tally.ts';

const NO_STATE: ReadableState = { get: () => undefined, list: () => [] };
const params = defaultGovParams();
const one = (option: VoteOption) => [{ option, weight: DEC_SCALE }];

/** Two validators (operators a and b) and a delegator d with 30 tokens on a. */
function staking(): { keeper: StakingKeeper; a: string; b: string; d: string } {
  const [a, b, d] = ['a', 'b', 'd'].map((seed) => testKey(`tally-${seed}`).address) as [string, string, string];
  const validators: TallyValidator[] = [
    // a: 100 tokens for 200 shares (slashed before: 1 token = 2 shares).
    { operatorAddress: toValoper(a), tokens: 100n, delegatorShares: 200n * DEC_SCALE },
    { operatorAddress: toValoper(b), tokens: 50n, delegatorShares: 50n * DEC_SCALE },
  ];
  const delegations: Record<string, Array<{ validator: string; shares: bigint }>> = {
    [a]: [{ validator: toValoper(a), shares: 140n * DEC_SCALE }],
    [b]: [{ validator: toValoper(b), shares: 50n * DEC_SCALE }],
    [d]: [{ validator: toValoper(a), shares: 60n * DEC_SCALE }],
  };
  return {
    keeper: {
      bondedValidators: () => validators,
      delegatorDelegations: (_state, delegator) => delegations[delegator] ?? [],
      totalBondedTokens: () => 150n,
    },
    a,
    b,
    d,
  };
}

describe('tallyVotes', () => {
  it("counts a validator's vote for its delegators' shares at the validator's exchange rate", () => {
    const { keeper, a } = staking();
    const outcome = tallyVotes(NO_STATE, keeper, [[a, one(VoteOption.VOTE_OPTION_YES)]], params);
    expect(tallyTokens(outcome.tally)).toEqual({ yes: '100', abstain: '0', no: '0', noWithVeto: '0' });
    expect(outcome.passes).toBe(true);
  });

  it("takes a delegator's own vote out of its validator's", () => {
    const { keeper, a, b, d } = staking();
    const outcome = tallyVotes(
      NO_STATE,
      keeper,
      [
        [a, one(VoteOption.VOTE_OPTION_YES)],
        [b, one(VoteOption.VOTE_OPTION_NO)],
        [d, one(VoteOption.VOTE_OPTION_NO)],
      ],
      params,
    );
    // d's 60 shares on a are 30 tokens: a keeps 70 yes, no is 50 + 30.
    expect(tallyTokens(outcome.tally)).toEqual({ yes: '70', abstain: '0', no: '80', noWithVeto: '0' });
    expect(outcome.passes).toBe(false);
    expect(outcome.reason).toBe('threshold not reached');
  });

  it('splits a weighted vote by its weights', () => {
    const { keeper, b } = staking();
    const weighted = [
      { option: VoteOption.VOTE_OPTION_YES, weight: (DEC_SCALE * 3n) / 10n },
      { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: (DEC_SCALE * 7n) / 10n },
    ];
    const outcome = tallyVotes(NO_STATE, keeper, [[b, weighted]], params);
    expect(tallyTokens(outcome.tally)).toEqual({ yes: '15', abstain: '35', no: '0', noWithVeto: '0' });
  });
});

describe('decide', () => {
  const tally = (yes: bigint, abstain: bigint, no: bigint, noWithVeto: bigint) => ({
    yes: yes * DEC_SCALE,
    abstain: abstain * DEC_SCALE,
    no: no * DEC_SCALE,
    noWithVeto: noWithVeto * DEC_SCALE,
  });
  const run = (t: ReturnType<typeof tally>, bonded: bigint) =>
    decide(t, t.yes + t.abstain + t.no + t.noWithVeto, bonded * DEC_SCALE, { ...params, burnVoteQuorum: true });

  it('fails quorum below 33.4% of bonded stake and burns when burn_vote_quorum is set', () => {
    expect(run(tally(333n, 0n, 0n, 0n), 1000n)).toMatchObject({ passes: false, burnDeposits: true, reason: 'quorum not reached' });
    expect(run(tally(334n, 0n, 0n, 0n), 1000n)).toMatchObject({ passes: true });
  });

  it('vetoes above 33.4% no-with-veto (burning) and rejects when everyone abstains or yes is not above half', () => {
    expect(run(tally(600n, 0n, 0n, 335n), 1000n)).toMatchObject({ passes: false, burnDeposits: true, reason: 'vetoed' });
    expect(run(tally(0n, 500n, 0n, 0n), 1000n)).toMatchObject({ passes: false, burnDeposits: false, reason: 'every vote abstained' });
    expect(run(tally(250n, 400n, 250n, 0n), 1000n)).toMatchObject({ passes: false, reason: 'threshold not reached' });
    expect(run(tally(251n, 400n, 250n, 0n), 1000n)).toMatchObject({ passes: true, reason: 'passed' });
  });

  it('fails without bonded stake', () => {
    expect(run(tally(0n, 0n, 0n, 0n), 0n)).toMatchObject({ passes: false, reason: 'no bonded stake' });
  });
});
