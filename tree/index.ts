/**
 * The state tree's pure face: one global tree of paths whose Merkle root is the app hash. Paths,
 * canonical values, the 16-ary trie, proofs and `Overlay` (buffered writes over any state). No I/O:
 * the lmdb-backed committed state is the other face, `tree/lmdb/index.ts`; `verifyProof` is the
 * client-side check of a proof against an app hash from a block header.
 */
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
  keepCanonicalPath,
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
export { type CanonicalReader, EMPTY_STATE, Overlay } from './overlay.ts';
export {
  ErrCommitHeight,
  ErrCorruptStore,
  ErrDuplicatePath,
  ErrHeightNotRetained,
  ErrInvalidLabel,
  ErrInvalidLimit,
  ErrInvalidPath,
  ErrInvalidProof,
  ErrInvalidSnapshot,
  ErrInvalidValue,
  ErrLabelTooLong,
  ErrPathTooDeep,
  ErrPathTooLong,
  ErrRestoreNotEmpty,
  ErrStalePrepared,
  ErrStoreClosed,
  ErrWriteToRoot,
  STORE,
} from './errors.ts';
export { bytesEqual, toHex } from './hash.ts';
export { arenaAllocator, reusableArena } from './merkleTrie.ts';
export { pathKeyRange } from './path.ts';
export { randomValue, rng, tempDir, updateOf } from './testUtil.fixture.ts';
