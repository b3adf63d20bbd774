/** The committee module's events: proto messages of `ain.committee.v1`, every attribute indexed. */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventCommitteeUpdated,
  EventFunded,
  EventProposalEnded,
  EventProposalSubmitted,
  EventProposalVote,
} from '../../proto/gen/ain/committee/v1/events.ts';

export const committeeUpdatedEvent = (e: EventCommitteeUpdated): TypedEvent => protoEvent(EventCommitteeUpdated, e);
export const fundedEvent = (e: EventFunded): TypedEvent => protoEvent(EventFunded, e);
export const proposalSubmittedEvent = (e: EventProposalSubmitted): TypedEvent => protoEvent(EventProposalSubmitted, e);
export const proposalVoteEvent = (e: EventProposalVote): TypedEvent => protoEvent(EventProposalVote, e);
export const proposalEndedEvent = (e: EventProposalEnded): TypedEvent => protoEvent(EventProposalEnded, e);
