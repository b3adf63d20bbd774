/**
 * Errors of the authz module (codespace `authz`), with the Cosmos SDK's x/authz codes so wallets and
 * explorers read them alike. Append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const AUTHZ_CODESPACE = 'authz';

export const ErrNoAuthorizationFound = registerError(AUTHZ_CODESPACE, 2, 'authorization not found', { notFound: true });
export const ErrInvalidExpirationTime = registerError(
  AUTHZ_CODESPACE,
  3,
  'expiration time of authorization should be more than current time',
);
export const ErrUnknownAuthorizationType = registerError(AUTHZ_CODESPACE, 4, 'unknown authorization type');
export const ErrNoGrantKeyFound = registerError(AUTHZ_CODESPACE, 5, 'grant key not found', { notFound: true });
export const ErrAuthorizationExpired = registerError(AUTHZ_CODESPACE, 6, 'authorization expired');
export const ErrGranteeIsGranter = registerError(AUTHZ_CODESPACE, 7, 'grantee and granter should be different');
export const ErrAuthorizationNumOfSigners = registerError(AUTHZ_CODESPACE, 9, 'authorization can be given to msg with only one signer');
export const ErrNegativeMaxTokens = registerError(AUTHZ_CODESPACE, 12, 'max tokens should be positive');
/** Ours start at 100. */
export const ErrExecTooDeep = registerError(AUTHZ_CODESPACE, 100, 'MsgExec nested too deep');
export const ErrInvalidGenesis = registerError(AUTHZ_CODESPACE, 101, 'invalid authz genesis');
