/** The channels module's events: proto messages of `ain.channels.v1`, every attribute indexed. */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import { EventChannelClosed, EventChannelOpened, EventVoucherRedeemed } from '../../proto/gen/ain/channels/v1/events.ts';

export const channelOpenedEvent = (e: EventChannelOpened): TypedEvent => protoEvent(EventChannelOpened, e);
export const voucherRedeemedEvent = (e: EventVoucherRedeemed): TypedEvent => protoEvent(EventVoucherRedeemed, e);
export const channelClosedEvent = (e: EventChannelClosed): TypedEvent => protoEvent(EventChannelClosed, e);
