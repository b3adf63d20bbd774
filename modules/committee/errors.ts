/**
 * Errors of the committee module (codespace `committee`). Append-only: codes are never renumbered or
 * reused. Each refusal's message names the field it refuses.
 */
import { registerError } from '../../core/index.ts';

export const COMMITTEE = 'committee';

/** A message field is malformed (stateless check). */
export const ErrInvalidCommitteeMsg = registerError(COMMITTEE, 2, 'invalid committee message');
/** The signer of a propose or vote is not a member of the committee (or no committee is set). */
export const ErrNotMember = registerError(COMMITTEE, 3, 'not a committee member');
/** A proposal carries a message the committee may not run (only MsgSend from the fund and gov proposals of compute params). */
export const ErrMessageNotAllowed = registerError(COMMITTEE, 4, 'message not allowed for the committee');
export const ErrProposalNotFound = registerError(COMMITTEE, 5, 'committee proposal not found', { notFound: true });
/** A vote on a proposal that is no longer open (executed, failed, expired or closed). */
export const ErrProposalNotOpen = registerError(COMMITTEE, 6, 'committee proposal not open');
export const ErrInvalidParams = registerError(COMMITTEE, 7, 'invalid committee params');
export const ErrInvalidGenesis = registerError(COMMITTEE, 8, 'invalid committee genesis');
