/**
 * Errors of the storage module (codespace `bigstorage`: `storage` is Big Storage's HTTP answers,
 * `storage/errors.ts`), append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const BIGSTORAGE = 'bigstorage';

/** A message field is malformed (stateless check): the detail names the field and what is expected. */
export const ErrInvalidStorageMsg = registerError(BIGSTORAGE, 1, 'invalid storage message');
export const ErrProviderNotFound = registerError(BIGSTORAGE, 2, 'storage provider not found', { notFound: true });
export const ErrReservationNotFound = registerError(BIGSTORAGE, 3, 'reservation not found', { notFound: true });
/** The signer is not the reservation's client or provider, or not the blob's owner or the request's client. */
export const ErrUnauthorized = registerError(BIGSTORAGE, 4, 'not allowed for this signer');
export const ErrCapacityExceeded = registerError(BIGSTORAGE, 5, 'provider capacity exceeded');
export const ErrPriceTooHigh = registerError(BIGSTORAGE, 6, 'reservation price above max_price');
export const ErrReservationClosed = registerError(BIGSTORAGE, 7, 'reservation is not active');
export const ErrAccessNotFound = registerError(BIGSTORAGE, 8, 'blob access record not found', { notFound: true });
/** A key shared with a reader the chain does not admit now (not granted, expired, not accepted on the request). */
export const ErrReaderNotAdmitted = registerError(BIGSTORAGE, 9, 'reader not admitted');
export const ErrKeyMismatch = registerError(BIGSTORAGE, 10, 'key does not match the commitment');
/** A test-data key revealed before submission of its request closed. */
export const ErrRevealTooEarly = registerError(BIGSTORAGE, 11, 'key reveal before submission closed');
export const ErrInvalidParams = registerError(BIGSTORAGE, 12, 'invalid storage params');
export const ErrTooManyGrants = registerError(BIGSTORAGE, 13, 'too many grants');
export const ErrRequestNotFound = registerError(BIGSTORAGE, 14, 'job request not found', { notFound: true });
/** The client cannot pay the reservation's price: the detail names the price and the balance. */
export const ErrInsufficientFunds = registerError(BIGSTORAGE, 15, 'insufficient funds for the reservation');
