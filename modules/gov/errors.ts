/**
 * Errors of the gov module (codespace `gov`), with the Cosmos SDK's x/gov codes so wallets and
 * explorers read them alike. `gov/13` (a message naming another authority) lives in `core/authority.ts`
 * because every module with params raises it. Append-only: codes are never renumbered or reused.
 */
import { GOV_MODULE_NAME, registerError } from '../../core/index.ts';

export { ErrInvalidSigner } from '../../core/index.ts';

export const ErrUnknownProposal = registerError(GOV_MODULE_NAME, 2, 'unknown proposal', { notFound: true });
export const ErrInactiveProposal = registerError(GOV_MODULE_NAME, 3, 'inactive proposal');
export const ErrInvalidProposalContent = registerError(GOV_MODULE_NAME, 5, 'invalid proposal content');
export const ErrInvalidVote = registerError(GOV_MODULE_NAME, 7, 'invalid vote option');
export const ErrInvalidGenesis = registerError(GOV_MODULE_NAME, 8, 'invalid genesis state');
export const ErrUnroutableProposalMsg = registerError(GOV_MODULE_NAME, 10, 'proposal message not recognized by router');
export const ErrInvalidProposalMsg = registerError(GOV_MODULE_NAME, 12, 'invalid proposal message');
export const ErrMetadataTooLong = registerError(GOV_MODULE_NAME, 15, 'metadata too long');
export const ErrMinDepositTooSmall = registerError(GOV_MODULE_NAME, 16, 'minimum deposit is too small');
export const ErrInvalidProposer = registerError(GOV_MODULE_NAME, 18, 'invalid proposer');
export const ErrVotingPeriodEnded = registerError(GOV_MODULE_NAME, 20, 'voting period already ended');
export const ErrInvalidProposal = registerError(GOV_MODULE_NAME, 21, 'invalid proposal');
/** Ours start at 100. */
export const ErrInvalidParams = registerError(GOV_MODULE_NAME, 100, 'invalid gov params');
export const ErrTooManyProposals = registerError(GOV_MODULE_NAME, 101, 'too many proposals in one period');
export const ErrInvalidDepositDenom = registerError(GOV_MODULE_NAME, 23, 'invalid deposit denom');
