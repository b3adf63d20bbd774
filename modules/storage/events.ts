/**
 * The storage module's events: proto messages of `ain.storage.v1`, turned into ABCI events (every
 * attribute indexed) by `protoEvent`, so readers wait for their keys and providers for reservations.
 */
import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventAccessGranted,
  EventAccessRevoked,
  EventAccessSet,
  EventKeyRevealed,
  EventKeysShared,
  EventProviderRegistered,
  EventReservationClosed,
  EventReservationPaid,
  EventReserved,
} from '../../proto/gen/ain/storage/v1/events.ts';

export const providerRegisteredEvent = (e: EventProviderRegistered): TypedEvent => protoEvent(EventProviderRegistered, e);
export const reservedEvent = (e: EventReserved): TypedEvent => protoEvent(EventReserved, e);
export const reservationPaidEvent = (e: EventReservationPaid): TypedEvent => protoEvent(EventReservationPaid, e);
export const reservationClosedEvent = (e: EventReservationClosed): TypedEvent => protoEvent(EventReservationClosed, e);
export const accessSetEvent = (e: EventAccessSet): TypedEvent => protoEvent(EventAccessSet, e);
export const accessGrantedEvent = (e: EventAccessGranted): TypedEvent => protoEvent(EventAccessGranted, e);
export const accessRevokedEvent = (e: EventAccessRevoked): TypedEvent => protoEvent(EventAccessRevoked, e);
export const keysSharedEvent = (e: EventKeysShared): TypedEvent => protoEvent(EventKeysShared, e);
export const keyRevealedEvent = (e: EventKeyRevealed): TypedEvent => protoEvent(EventKeyRevealed, e);
