import { type ErrorDefinition, registerError } from '../core/index.ts';

/**
 * Codespace `storage`: errors of Big Storage (server answers and client checks). Append-only: codes
 * are never renumbered or reused. Each carries the HTTP status the server answers with.
 */
export const STORAGE = 'storage';

export const ErrStorageBadRequest = registerError(STORAGE, 1, 'invalid storage request');
export const ErrStorageUnauthorized = registerError(STORAGE, 2, 'storage upload signature rejected');
export const ErrStorageNonceReused = registerError(STORAGE, 3, 'nonce already used by this address');
export const ErrStorageTooLarge = registerError(STORAGE, 4, 'blob too large');
export const ErrStorageQuotaExceeded = registerError(STORAGE, 5, 'storage quota exceeded');
export const ErrStorageHashMismatch = registerError(STORAGE, 6, 'blob hash mismatch');
export const ErrStorageNotFound = registerError(STORAGE, 7, 'blob not found');
export const ErrStorageSizeMismatch = registerError(STORAGE, 8, 'blob size mismatch');
export const ErrStorageNonceExpired = registerError(STORAGE, 9, 'nonce timestamp outside the accepted window');
export const ErrStorageInternal = registerError(STORAGE, 10, 'storage server error');
export const ErrStorageUnavailable = registerError(STORAGE, 11, 'storage server unreachable or answered unexpectedly');
export const ErrStorageReadUnauthorized = registerError(STORAGE, 12, 'storage read signature rejected');
/** The chain does not admit the reader (no grant, an expired grant, not accepted on the request): the detail says why. */
export const ErrStorageAccessDenied = registerError(STORAGE, 13, 'read not allowed by the chain');
/** Client only: ciphertext that does not authenticate under the key, a truncated stream, or a key that does not unwrap. */
export const ErrStorageDecrypt = registerError(STORAGE, 14, 'cannot decrypt blob');
export const ErrStorageChainUnavailable = registerError(STORAGE, 15, 'chain unreachable for an access or reservation check');
export const ErrStorageBackend = registerError(STORAGE, 16, 'storage backend failed');

/** Every storage error by code (the client maps a server's JSON answer back to its definition). */
export const STORAGE_ERRORS: ReadonlyMap<number, ErrorDefinition> = new Map(
  [
    ErrStorageBadRequest,
    ErrStorageUnauthorized,
    ErrStorageNonceReused,
    ErrStorageTooLarge,
    ErrStorageQuotaExceeded,
    ErrStorageHashMismatch,
    ErrStorageNotFound,
    ErrStorageSizeMismatch,
    ErrStorageNonceExpired,
    ErrStorageInternal,
    ErrStorageUnavailable,
    ErrStorageReadUnauthorized,
    ErrStorageAccessDenied,
    ErrStorageDecrypt,
    ErrStorageChainUnavailable,
    ErrStorageBackend,
  ].map((d) => [d.code, d]),
);

/** The HTTP status the server answers each error with. */
export function httpStatusOf(code: number): number {
  switch (code) {
    case ErrStorageBadRequest.code:
      return 400;
    case ErrStorageUnauthorized.code:
    case ErrStorageReadUnauthorized.code:
      return 401;
    case ErrStorageAccessDenied.code:
      return 403;
    case ErrStorageChainUnavailable.code:
      return 503;
    case ErrStorageBackend.code:
      return 502;
    case ErrStorageNonceReused.code:
    case ErrStorageNonceExpired.code:
      return 409;
    case ErrStorageTooLarge.code:
      return 413;
    case ErrStorageQuotaExceeded.code:
      return 403;
    case ErrStorageHashMismatch.code:
    case ErrStorageSizeMismatch.code:
      return 422;
    case ErrStorageNotFound.code:
      return 404;
    default:
      return 500;
  }
}
