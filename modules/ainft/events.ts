/**
 * The ainft module's events: proto messages of `ain.ainft.v1`, turned into ABCI events (every
 * attribute indexed) by `protoEvent`, so wallets and explorers search them (see README "Events").
 */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventApprovalForAll,
  EventApproved,
  EventBurned,
  EventClassCreated,
  EventCompositionSet,
  EventMinted,
  EventMintersSet,
  EventPaid,
  EventRerunRequested,
  EventRerunSettled,
  EventRevoked,
  EventRoyalty,
  EventTransferred,
} from '../../proto/gen/ain/ainft/v1/events.ts';

export const classCreatedEvent = (e: EventClassCreated): TypedEvent => protoEvent(EventClassCreated, e);
export const mintersSetEvent = (e: EventMintersSet): TypedEvent => protoEvent(EventMintersSet, e);
export const mintedEvent = (e: EventMinted): TypedEvent => protoEvent(EventMinted, e);
export const transferredEvent = (e: EventTransferred): TypedEvent => protoEvent(EventTransferred, e);
export const approvedEvent = (e: EventApproved): TypedEvent => protoEvent(EventApproved, e);
export const approvalForAllEvent = (e: EventApprovalForAll): TypedEvent => protoEvent(EventApprovalForAll, e);
export const revokedEvent = (e: EventRevoked): TypedEvent => protoEvent(EventRevoked, e);
export const burnedEvent = (e: EventBurned): TypedEvent => protoEvent(EventBurned, e);
export const compositionSetEvent = (e: EventCompositionSet): TypedEvent => protoEvent(EventCompositionSet, e);
export const rerunRequestedEvent = (e: EventRerunRequested): TypedEvent => protoEvent(EventRerunRequested, e);
export const rerunSettledEvent = (e: EventRerunSettled): TypedEvent => protoEvent(EventRerunSettled, e);
export const paidEvent = (e: EventPaid): TypedEvent => protoEvent(EventPaid, e);
export const royaltyEvent = (e: EventRoyalty): TypedEvent => protoEvent(EventRoyalty, e);
