/**
 * Errors of the feegrant module (codespace `feegrant`), with the Cosmos SDK's x/feegrant codes so
 * wallets and explorers read them alike. Append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const FEEGRANT_CODESPACE = 'feegrant';

export const ErrFeeLimitExceeded = registerError(FEEGRANT_CODESPACE, 2, 'fee limit exceeded');
export const ErrFeeLimitExpired = registerError(FEEGRANT_CODESPACE, 3, 'fee allowance expired');
export const ErrInvalidDuration = registerError(FEEGRANT_CODESPACE, 4, 'invalid duration');
export const ErrNoAllowance = registerError(FEEGRANT_CODESPACE, 5, 'no allowance', { notFound: true });
export const ErrNoMessages = registerError(FEEGRANT_CODESPACE, 6, 'allowed messages are empty');
export const ErrMessageNotAllowed = registerError(FEEGRANT_CODESPACE, 7, 'message not allowed');
