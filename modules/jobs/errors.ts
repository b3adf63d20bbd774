/** Errors of the jobs module (codespace `jobs`), append-only: codes are never renumbered or reused. */
import { registerError } from '../../core/index.ts';

export const JOBS = 'jobs';

/** A message field is malformed (stateless check): the detail names the field and what is expected. */
export const ErrInvalidJobMsg = registerError(JOBS, 1, 'invalid jobs message');
/** The job schema (proto3 text) does not parse or uses what the subset does not support. */
export const ErrInvalidSchema = registerError(JOBS, 2, 'invalid job schema');
export const ErrJobNotFound = registerError(JOBS, 3, 'job not found', { notFound: true });
export const ErrRequestNotFound = registerError(JOBS, 4, 'request not found', { notFound: true });
/** The address has no place (or not the needed role) in the job's reputation tree. */
export const ErrNotMember = registerError(JOBS, 5, 'node is not a member of the job in that role');
/** The signer is not the one this message needs (the request's client, evaluator, resolver, the node's parent, ...). */
export const ErrUnauthorized = registerError(JOBS, 6, 'not allowed for this signer');
/** The request is not in the phase this message needs. */
export const ErrWrongPhase = registerError(JOBS, 7, 'request is not in the right phase');
export const ErrDeadlinePassed = registerError(JOBS, 8, 'deadline passed');
export const ErrRateLimited = registerError(JOBS, 9, 'rate limit exceeded');
/** A request's inline input does not conform to the job's input type. */
export const ErrInvalidInput = registerError(JOBS, 10, 'input does not conform to the job schema');
/** A revealed output does not conform to the job's output type. */
export const ErrInvalidOutput = registerError(JOBS, 11, 'output does not conform to the job schema');
/** A reveal does not hash to the commitment made before. */
export const ErrCommitmentMismatch = registerError(JOBS, 12, 'reveal does not match the commitment');
/** Done once already (applied, joined, committed, revealed). */
export const ErrAlreadyDone = registerError(JOBS, 13, 'already done');
/** The request's terms refuse it (not listed, worker cap, the client's own request). */
export const ErrNotAllowed = registerError(JOBS, 14, 'not allowed by the request');
/** The job's delegation policy or the tree's bounds refuse the approval. */
export const ErrDelegation = registerError(JOBS, 15, 'refused by the delegation policy');
/** No admin above the last resolver is left to take a challenge. */
export const ErrNoHigherAdmin = registerError(JOBS, 16, 'no higher admin to resolve a challenge');
export const ErrInvalidRanking = registerError(JOBS, 17, 'invalid ranking');
/** Genesis `app_state.jobs` is malformed. */
export const ErrInvalidParams = registerError(JOBS, 18, 'invalid jobs params');
/** The node was dropped by its parent admin and takes no new part in the job. */
export const ErrNodeDropped = registerError(JOBS, 19, 'node was dropped');
