/**
 * Errors of the shards module (codespace `shards`), append-only: codes are never renumbered or
 * reused. Failures of the light client's checks keep their own codespace (`lightclient`,
 * `lightclient/errors.ts`), so a relayer tells "bad signature" from "duplicate report" by code.
 */
import { registerError } from '../../core/index.ts';

export const SHARDS = 'shards';

/** A message field is malformed (stateless check): the detail names the field and what is expected. */
export const ErrInvalidShardsMsg = registerError(SHARDS, 1, 'invalid shards message');
export const ErrShardNotFound = registerError(SHARDS, 2, 'shard not found', { notFound: true });
export const ErrShardExists = registerError(SHARDS, 3, 'shard already registered');
/** The signer may not do this (branch an app it does not administer, unfreeze a shard it is not the admin of). */
export const ErrUnauthorized = registerError(SHARDS, 4, 'not allowed for this signer');
/** A write under a path a child chain took over (`/apps/<name>` after its branch). */
export const ErrBranchedPath = registerError(SHARDS, 5, 'path belongs to a child chain');
/** The link was frozen by misbehaviour: no reports, proofs or transfers until it is unfrozen. */
export const ErrFrozen = registerError(SHARDS, 6, 'shard is frozen');
/** A header already stored at its height (another relayer was first): refused before any signature is checked. */
export const ErrDuplicateReport = registerError(SHARDS, 7, 'header already reported');
/** A header below the latest reported height that was never stored (skipped over). */
export const ErrStaleReport = registerError(SHARDS, 8, 'header older than the latest reported');
/** The report lacks a validator set the chain does not hold (a set change must bring its set). */
export const ErrMissingValidators = registerError(SHARDS, 9, 'validator set not given');
/** No verified header of the other chain at the height a proof needs. */
export const ErrNoConsensusState = registerError(SHARDS, 10, 'no reported header at that height', { notFound: true });
/** The Merkle proof does not show that value (or its absence) at that path under the header's app hash. */
export const ErrInvalidProof = registerError(SHARDS, 11, 'invalid state proof');
/** A proof at a lower height than the one already stored for the path. */
export const ErrStaleProof = registerError(SHARDS, 12, 'proof older than the stored one');
export const ErrPacketNotFound = registerError(SHARDS, 13, 'packet not found', { notFound: true });
/** The packet was received already: a replayed proof. */
export const ErrPacketReceived = registerError(SHARDS, 14, 'packet already received');
/** The destination is at or past the packet's timeout height. */
export const ErrPacketTimedOut = registerError(SHARDS, 15, 'packet timed out');
/** A timeout proof at a height before the packet's timeout. */
export const ErrNotTimedOut = registerError(SHARDS, 16, 'packet not timed out yet');
/** A packet that is not what this link carries (another chain, another denom). */
export const ErrInvalidPacket = registerError(SHARDS, 17, 'invalid packet');
/** Genesis `app_state.shards` is malformed. */
export const ErrInvalidGenesis = registerError(SHARDS, 18, 'invalid shards genesis');
export const ErrNotFrozen = registerError(SHARDS, 19, 'shard is not frozen');
/** MsgRecoverLink on a link reports can still update (neither frozen nor past its trusting period). */
export const ErrLinkActive = registerError(SHARDS, 20, 'link is active');
/**
 * A denom this link does not carry: a voucher of a third chain, one whose voucher would not be a
 * valid denom, or a voucher of a chain id another link of this chain follows too.
 */
export const ErrDenomNotTransferable = registerError(SHARDS, 21, 'denom cannot cross this link');
