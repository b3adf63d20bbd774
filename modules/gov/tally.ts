/**
 * The tally of a proposal's votes by bonded stake, as the Cosmos SDK's x/gov: a validator's vote
 * counts for all the shares delegated to it except those whose delegators voted themselves; a
 * delegator's vote counts for its delegations to bonded validators. Voting power is in LegacyDec
 * atomics (tokens x 10^18), every product and quotient truncated; no floating point.
 */
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { DEC_SCALE, type ReadableState } from '../../core/index.ts';
import { toValoper } from '../staking/index.ts';
import type { StakingKeeper, TallyValidator } from './expected_keepers.ts';
import type { GovParams } from './params.ts';

/** One weighted option of a vote; `weight` in atomics, the weights of a vote summing to 10^18. */
export interface WeightedOption {
  readonly option: VoteOption;
  readonly weight: bigint;
}

/** Voting power per option, in atomics. */
export interface Tally {
  readonly yes: bigint;
  readonly abstain: bigint;
  readonly no: bigint;
  readonly noWithVeto: bigint;
}

export const EMPTY_TALLY: Tally = { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n };

/** What a tally decides: pass, or not; whether the deposits burn; and why, for the event log. */
export interface TallyOutcome {
  readonly tally: Tally;
  readonly passes: boolean;
  readonly burnDeposits: boolean;
  readonly reason: string;
}

function add(tally: Tally, options: readonly WeightedOption[], power: bigint): Tally {
  let { yes, abstain, no, noWithVeto } = tally;
  for (const { option, weight } of options) {
    const part = (power * weight) / DEC_SCALE;
    if (option === VoteOption.VOTE_OPTION_YES) yes += part;
    else if (option === VoteOption.VOTE_OPTION_ABSTAIN) abstain += part;
    else if (option === VoteOption.VOTE_OPTION_NO) no += part;
    else if (option === VoteOption.VOTE_OPTION_NO_WITH_VETO) noWithVeto += part;
  }
  return { yes, abstain, no, noWithVeto };
}

/** Power (atomics) of `shares` (atomics) of a validator: shares x tokens / total shares. */
const powerOf = (validator: TallyValidator, shares: bigint): bigint =>
  validator.delegatorShares === 0n ? 0n : (shares * validator.tokens * DEC_SCALE) / validator.delegatorShares;

/**
 * Counts `votes` (voter -> options, in voter order) against the bonded stake and decides as the
 * SDK: no bonded stake or too little voting fails quorum; only abstentions reject; no-with-veto above
 * the veto threshold rejects and burns; yes above the threshold of the non-abstaining votes passes.
 */
export function tallyVotes(
  state: ReadableState,
  staking: StakingKeeper,
  votes: ReadonlyArray<readonly [voter: string, options: readonly WeightedOption[]]>,
  params: GovParams,
): TallyOutcome {
  const bonded = new Map(staking.bondedValidators(state).map((v) => [v.operatorAddress, v]));
  const validatorVotes = new Map<string, readonly WeightedOption[]>();
  const deducted = new Map<string, bigint>();
  let tally = EMPTY_TALLY;
  let total = 0n;
  for (const [voter, options] of votes) {
    const valoper = toValoper(voter);
    if (bonded.has(valoper)) validatorVotes.set(valoper, options);
    for (const delegation of staking.delegatorDelegations(state, voter)) {
      const validator = bonded.get(delegation.validator);
      if (!validator) continue;
      deducted.set(delegation.validator, (deducted.get(delegation.validator) ?? 0n) + delegation.shares);
      const power = powerOf(validator, delegation.shares);
      tally = add(tally, options, power);
      total += power;
    }
  }
  // Validators vote for the shares of the delegators that did not vote themselves.
  for (const [valoper, options] of [...validatorVotes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const validator = bonded.get(valoper)!;
    const power = powerOf(validator, validator.delegatorShares - (deducted.get(valoper) ?? 0n));
    tally = add(tally, options, power);
    total += power;
  }
  return decide(tally, total, staking.totalBondedTokens(state) * DEC_SCALE, params);
}

/** The SDK's decision on a tally; `total` and `bonded` in atomics. */
export function decide(tally: Tally, total: bigint, bonded: bigint, params: GovParams): TallyOutcome {
  if (bonded === 0n) return { tally, passes: false, burnDeposits: false, reason: 'no bonded stake' };
  // total / bonded < quorum, without division.
  if (total * DEC_SCALE < params.quorum * bonded)
    return { tally, passes: false, burnDeposits: params.burnVoteQuorum, reason: 'quorum not reached' };
  const voting = total - tally.abstain;
  if (voting === 0n) return { tally, passes: false, burnDeposits: false, reason: 'every vote abstained' };
  if (tally.noWithVeto * DEC_SCALE > params.vetoThreshold * total)
    return { tally, passes: false, burnDeposits: params.burnVoteVeto, reason: 'vetoed' };
  if (tally.yes * DEC_SCALE > params.threshold * voting) return { tally, passes: true, burnDeposits: false, reason: 'passed' };
  return { tally, passes: false, burnDeposits: false, reason: 'threshold not reached' };
}

/** A tally in whole tokens (truncated), as the SDK's TallyResult prints its Ints. */
export function tallyTokens(tally: Tally): { yes: string; abstain: string; no: string; noWithVeto: string } {
  return {
    yes: (tally.yes / DEC_SCALE).toString(),
    abstain: (tally.abstain / DEC_SCALE).toString(),
    no: (tally.no / DEC_SCALE).toString(),
    noWithVeto: (tally.noWithVeto / DEC_SCALE).toString(),
  };
}
