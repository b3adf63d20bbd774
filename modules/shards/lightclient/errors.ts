/**
 * Errors of the CometBFT light client verifier (codespace `lightclient`): one code per way a child
 * chain's report can fail, so the parent chain and relayers can match on the reason. Every message
 * built with `ainError` names the field and the value that was expected. Append-only: codes are never
 * renumbered or reused.
 */
import { registerError } from '../../../core/index.ts';

export const LIGHTCLIENT = 'lightclient';

export const ErrMalformed = registerError(LIGHTCLIENT, 2, 'malformed light client input');
export const ErrWrongChainId = registerError(LIGHTCLIENT, 3, 'wrong chain id');
export const ErrBadSignature = registerError(LIGHTCLIENT, 4, 'invalid commit signature');
export const ErrUnknownValidator = registerError(LIGHTCLIENT, 5, 'commit signer is not the validator of the set at that index');
export const ErrNotEnoughPower = registerError(LIGHTCLIENT, 6, 'not more than 2/3 of the validator set signed');
export const ErrNotEnoughTrust = registerError(LIGHTCLIENT, 7, 'trusted validators holding more than the trust level did not sign');
export const ErrTrustingPeriodExpired = registerError(LIGHTCLIENT, 8, 'trusted state is outside the trusting period');
export const ErrNonMonotonicHeight = registerError(LIGHTCLIENT, 9, 'header height is not above the trusted height');
export const ErrNonMonotonicTime = registerError(LIGHTCLIENT, 10, 'header time is not after the trusted time');
export const ErrHeaderFromFuture = registerError(LIGHTCLIENT, 11, 'header time is beyond now plus the maximum clock drift');
export const ErrValidatorSetHashMismatch = registerError(LIGHTCLIENT, 12, 'validator set hash mismatch');
export const ErrHeaderHashMismatch = registerError(LIGHTCLIENT, 13, 'header hash mismatch');
export const ErrCommitMismatch = registerError(LIGHTCLIENT, 14, 'commit is not for this block or this validator set');
export const ErrDoubleVote = registerError(LIGHTCLIENT, 15, 'a validator signed the commit twice');
export const ErrInvalidParams = registerError(LIGHTCLIENT, 16, 'invalid light client parameters');
export const ErrConflictingHeaders = registerError(LIGHTCLIENT, 17, 'conflicting header at the trusted height');
