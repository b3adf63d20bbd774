import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventChallengeFiled,
  EventChallengeResolved,
  EventJobAccepted,
  EventJobRegistered,
  EventJobRequested,
  EventNodeApplied,
  EventNodeApproved,
  EventNodeDropped,
  EventPayout,
  EventRankingOpened,
  EventRequestClosed,
  EventResultRevealed,
  EventResultSubmitted,
  EventResultsRanked,
  EventSubmissionClosed,
  EventTestDataRevealed,
  EventWorkerJoined,
} from '../../proto/gen/ain/jobs/v1/events.ts';

/**
 * The jobs module's events: proto messages of `ain.jobs.v1`, turned into ABCI events (every
 * attribute indexed) by `protoEvent`. Executors subscribe to them (see README "Events").
 */
export const jobRegisteredEvent = (e: EventJobRegistered): TypedEvent => protoEvent(EventJobRegistered, e);
export const nodeAppliedEvent = (e: EventNodeApplied): TypedEvent => protoEvent(EventNodeApplied, e);
export const nodeApprovedEvent = (e: EventNodeApproved): TypedEvent => protoEvent(EventNodeApproved, e);
export const nodeDroppedEvent = (e: EventNodeDropped): TypedEvent => protoEvent(EventNodeDropped, e);
export const jobRequestedEvent = (e: EventJobRequested): TypedEvent => protoEvent(EventJobRequested, e);
export const jobAcceptedEvent = (e: EventJobAccepted): TypedEvent => protoEvent(EventJobAccepted, e);
export const workerJoinedEvent = (e: EventWorkerJoined): TypedEvent => protoEvent(EventWorkerJoined, e);
export const resultSubmittedEvent = (e: EventResultSubmitted): TypedEvent => protoEvent(EventResultSubmitted, e);
export const submissionClosedEvent = (e: EventSubmissionClosed): TypedEvent => protoEvent(EventSubmissionClosed, e);
export const resultRevealedEvent = (e: EventResultRevealed): TypedEvent => protoEvent(EventResultRevealed, e);
export const testDataRevealedEvent = (e: EventTestDataRevealed): TypedEvent => protoEvent(EventTestDataRevealed, e);
export const rankingOpenedEvent = (e: EventRankingOpened): TypedEvent => protoEvent(EventRankingOpened, e);
export const resultsRankedEvent = (e: EventResultsRanked): TypedEvent => protoEvent(EventResultsRanked, e);
export const challengeFiledEvent = (e: EventChallengeFiled): TypedEvent => protoEvent(EventChallengeFiled, e);
export const challengeResolvedEvent = (e: EventChallengeResolved): TypedEvent => protoEvent(EventChallengeResolved, e);
export const payoutEvent = (e: EventPayout): TypedEvent => protoEvent(EventPayout, e);
export const requestClosedEvent = (e: EventRequestClosed): TypedEvent => protoEvent(EventRequestClosed, e);
