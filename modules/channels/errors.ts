/**
 * Errors of the channels module (codespace `channels`), append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const CHANNELS = 'channels';

/** A message field is malformed (stateless check): the detail names the field and what is expected. */
export const ErrInvalidChannelMsg = registerError(CHANNELS, 1, 'invalid channels message');
export const ErrChannelNotFound = registerError(CHANNELS, 2, 'channel not found', { notFound: true });
/** The signer is not the channel's payer (close) or executor (redeem), or the key is not the signer's. */
export const ErrUnauthorized = registerError(CHANNELS, 3, 'not allowed for this signer');
/** A voucher's signature is not the payer's over its channel, amount and nonce on this chain. */
export const ErrBadVoucherSignature = registerError(CHANNELS, 4, 'voucher signature invalid');
/** A voucher's amount is more than the channel's deposit. */
export const ErrOverBudget = registerError(CHANNELS, 5, 'voucher amount over the channel deposit');
/** A voucher no newer than what was redeemed: its amount or nonce does not grow (a replay or a double spend). */
export const ErrStaleVoucher = registerError(CHANNELS, 6, 'voucher already redeemed');
export const ErrNotExpired = registerError(CHANNELS, 7, 'channel not expired yet');
export const ErrChannelClosed = registerError(CHANNELS, 8, 'channel closed');
export const ErrInsufficientFunds = registerError(CHANNELS, 9, 'insufficient funds for the deposit');
export const ErrInvalidGenesis = registerError(CHANNELS, 10, 'invalid channels genesis');
/** A voucher redeemed after its channel's expiry: the rest of the deposit is the payer's from then on. */
export const ErrChannelExpired = registerError(CHANNELS, 11, 'channel expired');
export const ErrContractNotFound = registerError(CHANNELS, 12, 'contract not found', { notFound: true });
/** The contract is not in the state the message needs (proposed to accept, active to claim, ...). */
export const ErrContractState = registerError(CHANNELS, 13, 'contract not in the right state');
/** A claimed request's signature is not the client's, or a receipt's is not the executor's. */
export const ErrBadContractSignature = registerError(CHANNELS, 14, 'contract request or receipt signature invalid');
/** A claim outside its terms: deadline not passed or outside the period, claimed twice, window over. */
export const ErrInvalidClaim = registerError(CHANNELS, 15, 'invalid miss claim');
/** A dispute outside its terms: no such claim, answered after the deadline, window over. */
export const ErrInvalidDispute = registerError(CHANNELS, 16, 'invalid dispute');
/** Settling before the end of the period and both windows. */
export const ErrNotSettleable = registerError(CHANNELS, 17, 'contract not ready to settle');
