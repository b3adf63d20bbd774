/**
 * Errors of the state store, codespace `store`. Append-only: codes are never renumbered or reused.
 * Path and value errors are a user's mistake (a module returns them as a tx result code); the others
 * mean a broken invariant or a misuse by the app and stop the node.
 */
import { registerError } from '../core/index.ts';

export const STORE = 'store';

/** The path is not a string, or has an empty label (`/a//b`, `` ``); or bytes read as a path key are not one `encodePathKey` makes. */
export const ErrInvalidPath = registerError(STORE, 1, 'invalid path');
/** A label contains a forbidden character: a control character (NUL, C0, DEL, C1) or a lone surrogate. */
export const ErrInvalidLabel = registerError(STORE, 2, 'invalid path label');
/** A label is longer than {@link MAX_LABEL_LENGTH} UTF-16 code units. */
export const ErrLabelTooLong = registerError(STORE, 3, 'path label too long');
/** A path has more than {@link MAX_PATH_DEPTH} labels. */
export const ErrPathTooDeep = registerError(STORE, 4, 'path too deep');
/** A path's encoded key is longer than {@link MAX_PATH_KEY_BYTES}. */
export const ErrPathTooLong = registerError(STORE, 5, 'path too long');
/** A value is not a string, finite number or boolean, or a string is not well-formed UTF-16. */
export const ErrInvalidValue = registerError(STORE, 6, 'invalid state value');
/** A write to the root path `/` (the root is an interior node, never a leaf). */
export const ErrWriteToRoot = registerError(STORE, 7, 'cannot write the root path');
/** A prepared block was not prepared on the current committed state, or was already committed. */
export const ErrStalePrepared = registerError(STORE, 8, 'prepared block is stale');
/** A commit height not above the committed height. */
export const ErrCommitHeight = registerError(STORE, 9, 'commit height must increase');
/** The persisted store breaks an invariant (missing trie node, unknown format). */
export const ErrCorruptStore = registerError(STORE, 10, 'state store is corrupt');
/** The store was closed. */
export const ErrStoreClosed = registerError(STORE, 11, 'state store is closed');
/** A proof could not be decoded. */
export const ErrInvalidProof = registerError(STORE, 12, 'invalid proof encoding');
/** `list` was given a limit that is not a non-negative integer. */
export const ErrInvalidLimit = registerError(STORE, 13, 'invalid list limit');
/** Two keys of one write set name the same path after normalisation (`a` and `/a`). */
export const ErrDuplicatePath = registerError(STORE, 14, 'duplicate path in write set');
/**
 * A read at a height the store does not keep: above the latest, or below the oldest retained height
 * (the last `keepRecent` heights, and none from before history was kept). The message names both.
 */
export const ErrHeightNotRetained = registerError(STORE, 15, 'height not retained');
/**
 * A state sync snapshot that does not hold together: metadata that does not parse or match its offer,
 * a chunk cut inside a leaf, leaves out of order, or leaves whose trie root is not the app hash.
 */
export const ErrInvalidSnapshot = registerError(STORE, 16, 'invalid state snapshot');
/** A snapshot restore into a store that already holds a committed state. */
export const ErrRestoreNotEmpty = registerError(STORE, 17, 'state store is not empty');
