/**
 * The shards module's events: proto messages of `ain.shards.v1`, turned into ABCI events (every
 * attribute indexed) by `protoEvent`, so relayers and explorers search them (README "Events").
 */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventBranched,
  EventFrozen,
  EventHeadersPruned,
  EventLinkRecovered,
  EventPacketAcknowledged,
  EventPacketReceived,
  EventPacketSent,
  EventPacketTimedOut,
  EventReported,
  EventUnfrozen,
  EventValueProven,
} from '../../proto/gen/ain/shards/v1/events.ts';

export const branchedEvent = (e: EventBranched): TypedEvent => protoEvent(EventBranched, e);
export const reportedEvent = (e: EventReported): TypedEvent => protoEvent(EventReported, e);
export const headersPrunedEvent = (e: EventHeadersPruned): TypedEvent => protoEvent(EventHeadersPruned, e);
export const frozenEvent = (e: EventFrozen): TypedEvent => protoEvent(EventFrozen, e);
export const linkRecoveredEvent = (e: EventLinkRecovered): TypedEvent => protoEvent(EventLinkRecovered, e);
export const unfrozenEvent = (e: EventUnfrozen): TypedEvent => protoEvent(EventUnfrozen, e);
export const valueProvenEvent = (e: EventValueProven): TypedEvent => protoEvent(EventValueProven, e);
export const packetSentEvent = (e: EventPacketSent): TypedEvent => protoEvent(EventPacketSent, e);
export const packetReceivedEvent = (e: EventPacketReceived): TypedEvent => protoEvent(EventPacketReceived, e);
export const packetAcknowledgedEvent = (e: EventPacketAcknowledged): TypedEvent => protoEvent(EventPacketAcknowledged, e);
export const packetTimedOutEvent = (e: EventPacketTimedOut): TypedEvent => protoEvent(EventPacketTimedOut, e);
