/**
 * Errors of the distribution module (codespace `distribution`), with the Cosmos SDK's x/distribution
 * codes. Append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const DISTRIBUTION = 'distribution';

export const ErrEmptyDelegationDistInfo = registerError(DISTRIBUTION, 5, 'no delegation distribution info');
export const ErrNoValidatorCommission = registerError(DISTRIBUTION, 7, 'no validator commission to withdraw');
export const ErrSetWithdrawAddrDisabled = registerError(DISTRIBUTION, 8, 'set withdraw address disabled');
export const ErrNoValidatorExists = registerError(DISTRIBUTION, 12, 'validator does not exist', { notFound: true });
export const ErrNoDelegationExists = registerError(DISTRIBUTION, 13, 'delegation does not exist', { notFound: true });
