/** The Cosmos SDK x/gov events, with the attributes explorers and CosmJS searches read. */
import { type Coin, formatCoins, type TypedEvent } from '../../core/index.ts';

export const submitProposalEvent = (id: bigint, typeUrls: readonly string[]): TypedEvent => ({
  type: 'submit_proposal',
  attributes: [
    ['proposal_id', id.toString()],
    ['proposal_messages', `,${typeUrls.join(',')}`],
  ],
});

export const proposalDepositEvent = (id: bigint, depositor: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'proposal_deposit',
  attributes: [
    ['amount', formatCoins(amount)],
    ['proposal_id', id.toString()],
    ['depositor', depositor],
  ],
});

/** The voting period started (the minimum deposit was reached). */
export const votingPeriodStartEvent = (id: bigint): TypedEvent => ({
  type: 'submit_proposal',
  attributes: [['voting_period_start', id.toString()]],
});

/** `options` as the SDK prints them: `[{"option":1,"weight":"1.000000000000000000"}]`-like JSON. */
export const proposalVoteEvent = (id: bigint, voter: string, options: string): TypedEvent => ({
  type: 'proposal_vote',
  attributes: [
    ['option', options],
    ['proposal_id', id.toString()],
    ['voter', voter],
  ],
});

/** MsgCancelProposal: the proposer withdrew the proposal (the SDK's `cancel_proposal`). */
export const cancelProposalEvent = (id: bigint, proposer: string): TypedEvent => ({
  type: 'cancel_proposal',
  attributes: [
    ['sender', proposer],
    ['proposal_id', id.toString()],
  ],
});

/** A proposal that never reached its minimum deposit was dropped. */
export const inactiveProposalEvent = (id: bigint): TypedEvent => ({
  type: 'inactive_proposal',
  attributes: [
    ['proposal_id', id.toString()],
    ['proposal_result', 'proposal_dropped'],
  ],
});

/** A proposal's voting period ended: `proposal_passed`, `proposal_rejected` or `proposal_failed` (its messages failed). */
export const activeProposalEvent = (id: bigint, result: string, log: string): TypedEvent => ({
  type: 'active_proposal',
  attributes: [
    ['proposal_id', id.toString()],
    ['proposal_result', result],
    ['proposal_log', log],
  ],
});
