/** The channels module's events: proto messages of `ain.channels.v1`, every attribute indexed. */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventChannelClosed,
  EventChannelOpened,
  EventContractAccepted,
  EventContractEnded,
  EventContractProposed,
  EventContractSettled,
  EventMissClaimed,
  EventMissDisputed,
  EventVoucherRedeemed,
} from '../../proto/gen/ain/channels/v1/events.ts';

export const channelOpenedEvent = (e: EventChannelOpened): TypedEvent => protoEvent(EventChannelOpened, e);
export const voucherRedeemedEvent = (e: EventVoucherRedeemed): TypedEvent => protoEvent(EventVoucherRedeemed, e);
export const channelClosedEvent = (e: EventChannelClosed): TypedEvent => protoEvent(EventChannelClosed, e);

export const contractProposedEvent = (e: EventContractProposed): TypedEvent => protoEvent(EventContractProposed, e);
export const contractAcceptedEvent = (e: EventContractAccepted): TypedEvent => protoEvent(EventContractAccepted, e);
export const contractEndedEvent = (e: EventContractEnded): TypedEvent => protoEvent(EventContractEnded, e);
export const missClaimedEvent = (e: EventMissClaimed): TypedEvent => protoEvent(EventMissClaimed, e);
export const missDisputedEvent = (e: EventMissDisputed): TypedEvent => protoEvent(EventMissDisputed, e);
export const contractSettledEvent = (e: EventContractSettled): TypedEvent => protoEvent(EventContractSettled, e);
