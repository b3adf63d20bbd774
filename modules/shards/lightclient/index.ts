/**
 * The face of the CometBFT light client verifier: what `modules/shards` (and relayers) use to check a
 * child chain's signed headers the way a CometBFT light client does. Hashes and sign bytes
 * (`hashing.ts`), shape checks (`validate.ts`), commit verification (`commit.ts`), the update rule and
 * misbehaviour (`update.ts`), the RPC JSON converters (`rpc.ts`) and the `lightclient` error codes.
 */
export { type CommitVerdict, verifyCommitLight, verifyCommitLightTrusting } from './commit.ts';
export {
  ErrBadSignature,
  ErrCommitMismatch,
  ErrConflictingHeaders,
  ErrDoubleVote,
  ErrHeaderFromFuture,
  ErrHeaderHashMismatch,
  ErrInvalidParams,
  ErrMalformed,
  ErrNonMonotonicHeight,
  ErrNonMonotonicTime,
  ErrNotEnoughPower,
  ErrNotEnoughTrust,
  ErrTrustingPeriodExpired,
  ErrUnknownValidator,
  ErrValidatorSetHashMismatch,
  ErrWrongChainId,
  LIGHTCLIENT,
} from './errors.ts';
export {
  commitSignBytes,
  commitVote,
  ed25519Address,
  headerHash,
  merkleRoot,
  PRECOMMIT_TYPE,
  validatorSetHash,
  voteSignBytes,
} from './hashing.ts';
export { blockIdFromRpc, commitFromRpc, headerFromRpc, signedHeaderFromRpc, validatorSetFromRpc } from './rpc.ts';
export {
  initialTrustedState,
  isMisbehaviour,
  type LightClientParams,
  type MisbehaviourKind,
  misbehaviourOf,
  type TrustedState,
  type TrustRoot,
  type UntrustedUpdate,
  validateParams,
  verifyFromRoot,
  verifyUpdate,
} from './update.ts';
export {
  DEFAULT_TRUST_LEVEL,
  type Fraction,
  timeNanos,
  validateCommit,
  validateHeader,
  validateTrustLevel,
  validateValidatorSet,
} from './validate.ts';
