/**
 * The state store: one global tree of paths whose Merkle root is the app hash.
 *
 * - `openCommittedState(dir, { keepRecent })`: the lmdb-backed committed state (`get`, `list`,
 *   `prepare`, `commit`, `prove`, `getMeta`, `height`, `appHash`), and the same reads at any of the
 *   last `keepRecent` heights (`getAt`, `listAt`, `proveAt`, `appHashAt`, `stateAt`).
 * - `Overlay`: buffered writes over any state (the block, a transaction).
 * - `verifyProof`: the pure client-side check of a proof against an app hash from a block header
 *   (import it from `proof.ts` to avoid loading lmdb).
 */
export type { ReadableState, StateValue, StateWrite, WritableState } from '../core/state.ts';
export {
  MAX_LABEL_LENGTH,
  MAX_PATH_DEPTH,
  MAX_PATH_KEY_BYTES,
  ROOT_PATH,
  checkListLimit,
  comparePaths,
  decodePathKey,
  encodePathKey,
  isAtOrUnder,
  joinPath,
  normalizePath,
  parsePath,
  pathDepth,
} from './path.ts';
export { checkValue, decodeValue, encodeValue, valueHash } from './valueCodec.ts';
export { EMPTY_ROOT, branchHash, leafHash, sha256 } from './hash.ts';
export type { ProofLeaf, ProofStep, StateProof } from './proof.ts';
export { PROOF_OP_TYPE, decodeProof, encodeProof, pathKeyHash, verifyProof } from './proof.ts';
export type { RecordAllocator, TrieNodeReader, TrieUpdate, TrieUpdateResult } from './merkleTrie.ts';
export { MemoryTrie, proveKey, trieRoot, updateTrie } from './merkleTrie.ts';
export type { CommittedStateOptions, StateAtHeight } from './lmdb/committedState.ts';
export { CommittedState, DEFAULT_KEEP_RECENT, PreparedBlock, openCommittedState } from './lmdb/committedState.ts';
export { EMPTY_STATE, Overlay } from './overlay.ts';
export {
  ErrCommitHeight,
  ErrCorruptStore,
  ErrDuplicatePath,
  ErrHeightNotRetained,
  ErrInvalidLabel,
  ErrInvalidLimit,
  ErrInvalidPath,
  ErrInvalidProof,
  ErrInvalidValue,
  ErrLabelTooLong,
  ErrPathTooDeep,
  ErrPathTooLong,
  ErrStalePrepared,
  ErrStoreClosed,
  ErrWriteToRoot,
  STORE,
} from './errors.ts';
