/** Errors of the ainft module (codespace `ainft`), append-only: codes are never renumbered or reused. */
import { registerError } from '../../core/index.ts';

export const AINFT = 'ainft';

/** A message field is malformed (stateless check): the detail names the field and what is expected. */
export const ErrInvalidAinftMsg = registerError(AINFT, 1, 'invalid ainft message');
/** The AINFT schema (data, model, service, state) is malformed: the detail names the field. */
export const ErrInvalidMetadata = registerError(AINFT, 2, 'invalid AINFT metadata');
export const ErrClassNotFound = registerError(AINFT, 3, 'class not found', { notFound: true });
export const ErrClassExists = registerError(AINFT, 4, 'class already exists');
export const ErrTokenNotFound = registerError(AINFT, 5, 'token not found', { notFound: true });
export const ErrTokenExists = registerError(AINFT, 6, 'token already exists');
/** The signer is not the one this needs (a minter, the owner, its approved address or operator, the job's client). */
export const ErrUnauthorized = registerError(AINFT, 7, 'not allowed for this signer');
/** Weights that do not sum as declared, zero weights, repeated or too many children. */
export const ErrInvalidComposition = registerError(AINFT, 8, 'invalid composition');
export const ErrCompositionCycle = registerError(AINFT, 9, 'composition would make a cycle');
/** A child or a metadata reference names a token that does not exist. */
export const ErrMissingReference = registerError(AINFT, 10, 'referenced token not found');
/** The token is composed or referred to by other tokens (burn). */
export const ErrTokenInUse = registerError(AINFT, 11, 'token is in use by other tokens');
/** The job request is not completed with an accepted result. */
export const ErrJobNotAccepted = registerError(AINFT, 12, 'job result not accepted');
/** metadata.model.weights_hash differs from the hash of the request's accepted result. */
export const ErrResultMismatch = registerError(AINFT, 13, 'weights hash does not match the job result');
export const ErrAlreadyMinted = registerError(AINFT, 14, 'job result already minted');
/** Another token holds the state path (or one above or below it), or owner configs lie below it. */
export const ErrStatePathTaken = registerError(AINFT, 15, 'state path unavailable');
/** Genesis `app_state.ainft` is malformed. */
export const ErrInvalidParams = registerError(AINFT, 16, 'invalid ainft params');
/** A re-run needs a token minted from a job. */
export const ErrNotReproducible = registerError(AINFT, 17, 'token has no job to re-run');
