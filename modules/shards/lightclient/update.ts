/**
 * The light client's update rule (CometBFT's `light.Verify`: `VerifyAdjacent` and `VerifyNonAdjacent`)
 * over a trusted state the parent chain keeps per child chain, and the misbehaviour check on two
 * signed headers. `now` is always the parent chain's block time in seconds, never a clock, so every
 * node reaches the same verdict. Beyond CometBFT's rule, an adjacent header must link to the trusted
 * one (its last_block_id.hash is the trusted header hash), and a header at the trusted height with
 * another hash is reported as a conflict rather than as a stale height.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError } from '../../../core/index.ts';
import { verifyCommitLight, verifyCommitLightTrusting } from './commit.ts';
import {
  ErrCommitMismatch,
  ErrConflictingHeaders,
  ErrHeaderFromFuture,
  ErrHeaderHashMismatch,
  ErrInvalidParams,
  ErrMalformed,
  ErrNonMonotonicHeight,
  ErrNonMonotonicTime,
  ErrTrustingPeriodExpired,
  ErrValidatorSetHashMismatch,
  ErrWrongChainId,
} from './errors.ts';
import { headerHash, validatorSetHash } from './hashing.ts';
import {
  bytesEqual,
  checkBytes,
  checkChainId,
  checkHeight,
  checkTimestamp,
  type Fraction,
  HASH_SIZE,
  hex,
  timeNanos,
  validateCommit,
  validateHeader,
  validateTrustLevel,
  validateValidatorSet,
} from './validate.ts';

const NANOS_PER_SECOND = 1_000_000_000n;

/** What the parent chain keeps about a child chain after verifying one of its headers. */
export interface TrustedState {
  readonly chainId: string;
  readonly height: bigint;
  /** The verified header's time. */
  readonly time: Timestamp;
  /** The verified header's hash (its block hash). */
  readonly headerHash: Uint8Array;
  /** The verified header's next_validators_hash: the set that signs height + 1. */
  readonly nextValidatorsHash: Uint8Array;
  /** That next validator set, whose hash is `nextValidatorsHash`. */
  readonly nextValidators: ValidatorSet;
}

/** What a relayer brings: a signed header, the set that signed it and the set that signs the next height. */
export interface UntrustedUpdate {
  readonly signedHeader: SignedHeader;
  /** The header's validators (hash = header.validators_hash), in CometBFT's order, one per commit signature. */
  readonly validators: ValidatorSet;
  /** The header's next validators (hash = header.next_validators_hash): the new trusted state's set. */
  readonly nextValidators: ValidatorSet;
}

export interface LightClientParams {
  /** How long a trusted state may be used to verify a newer header (below the child's unbonding period). */
  readonly trustingPeriodSeconds: bigint;
  /** The share of the trusted set's power a skipped-to header needs: in [1/3, 1], CometBFT's default 1/3. */
  readonly trustLevel: Fraction;
  /** How far a header's time may run ahead of the parent's block time. */
  readonly maxClockDriftSeconds: bigint;
}

/** The trust level, period and drift as CometBFT's light client accepts them. */
export function validateParams(params: LightClientParams): LightClientParams {
  if (typeof params?.trustingPeriodSeconds !== 'bigint' || params.trustingPeriodSeconds <= 0n) {
    throw ainError(ErrInvalidParams, 'trusting_period_seconds: expected a positive number of seconds', {
      field: 'trusting_period_seconds',
    });
  }
  if (typeof params.maxClockDriftSeconds !== 'bigint' || params.maxClockDriftSeconds < 0n) {
    throw ainError(ErrInvalidParams, 'max_clock_drift_seconds: expected a number of seconds >= 0', { field: 'max_clock_drift_seconds' });
  }
  validateTrustLevel(params.trustLevel);
  return params;
}

/** The header and commit of a signed header, each checked, with the commit shown to be for that header. */
function checkedSignedHeader(signedHeader: SignedHeader | undefined, field: string): { header: Header; hash: Uint8Array } {
  if (signedHeader === undefined || signedHeader === null) throw ainError(ErrMalformed, `${field}: expected a signed header`);
  const header = validateHeader(signedHeader.header, `${field}.header`);
  const commit = validateCommit(signedHeader.commit, `${field}.commit`);
  if (commit.height !== header.height) {
    throw ainError(ErrCommitMismatch, `${field}.commit.height: expected ${header.height} (the header's height), got ${commit.height}`);
  }
  const hash = headerHash(header);
  if (!bytesEqual(commit.blockId.hash, hash)) {
    throw ainError(
      ErrHeaderHashMismatch,
      `${field}.commit.block_id.hash: expected ${hex(hash)} (the header's hash), got ${hex(commit.blockId.hash)}`,
    );
  }
  return { header, hash };
}

/** A validator set whose hash must be `expected` (a header field named by `against`). */
function checkSetHash(set: ValidatorSet, field: string, expected: Uint8Array, against: string): void {
  validateValidatorSet(set, field);
  const actual = validatorSetHash(set.validators);
  if (!bytesEqual(actual, expected)) {
    throw ainError(ErrValidatorSetHashMismatch, `${field}: hash ${hex(actual)}; expected ${hex(expected)} (${against})`, { field });
  }
}

function checkTrustedState(trusted: TrustedState): void {
  if (trusted === undefined || trusted === null) throw ainError(ErrMalformed, 'trusted: expected a trusted state');
  checkChainId(trusted.chainId, 'trusted.chain_id');
  checkHeight(trusted.height, 'trusted.height');
  checkTimestamp(trusted.time, 'trusted.time');
  checkBytes(trusted.headerHash, 'trusted.header_hash', [HASH_SIZE]);
  checkBytes(trusted.nextValidatorsHash, 'trusted.next_validators_hash', [HASH_SIZE]);
  checkSetHash(trusted.nextValidators, 'trusted.next_validators', trusted.nextValidatorsHash, 'trusted.next_validators_hash');
}

/**
 * A first trusted state from a header the parent chain chose to trust (genesis of the link, or a
 * governance decision): its commit is for it and is signed by more than 2/3 of `validators`, and both
 * sets match the header's hashes. Trust in that set itself comes from outside, as for any light client.
 */
export function initialTrustedState(signedHeader: SignedHeader, validators: ValidatorSet, nextValidators: ValidatorSet): TrustedState {
  const { header, hash } = checkedSignedHeader(signedHeader, 'signed_header');
  checkSetHash(validators, 'validators', header.validatorsHash, 'header.validators_hash');
  checkSetHash(nextValidators, 'next_validators', header.nextValidatorsHash, 'header.next_validators_hash');
  verifyCommitLight(header.chainId, validators, signedHeader.commit!.blockId, header.height, signedHeader.commit!);
  return stateOf(header, hash, nextValidators);
}

function stateOf(header: Header, hash: Uint8Array, nextValidators: ValidatorSet): TrustedState {
  return {
    chainId: header.chainId,
    height: header.height,
    time: header.time,
    headerHash: hash,
    nextValidatorsHash: header.nextValidatorsHash,
    nextValidators,
  };
}

/**
 * The light client's update rule: verifies `untrusted` against `trusted` at parent block time
 * `nowSeconds` and returns the new trusted state. Adjacent (height + 1): the header's validators are
 * the trusted next validators, the header links to the trusted one, and more than 2/3 of them signed.
 * Skipping (higher): validators of the trusted next set holding more than the trust level signed, and
 * more than 2/3 of the header's own set signed.
 * @throws lightclient/16 params, /2 malformed, /3 chain id, /8 trusted state expired, /14 commit for
 *   another height, /13 commit or link for another header, /17 another header at the trusted height,
 *   /9 height not above, /10 time not after, /11 time from the future, /12 a set that does not match
 *   its hash, then the commit errors of `verifyCommitLight` and `verifyCommitLightTrusting` (/7 for
 *   a skip below the trust level)
 */
export function verifyUpdate(
  trusted: TrustedState,
  untrusted: UntrustedUpdate,
  params: LightClientParams,
  nowSeconds: bigint,
): TrustedState {
  validateParams(params);
  if (typeof nowSeconds !== 'bigint') throw ainError(ErrMalformed, 'now: expected the block time in seconds (bigint)');
  checkTrustedState(trusted);
  if (untrusted === undefined || untrusted === null)
    throw ainError(ErrMalformed, 'untrusted: expected a signed header and its validator sets');
  const { header, hash } = checkedSignedHeader(untrusted.signedHeader, 'signed_header');
  const commit = untrusted.signedHeader.commit!;

  if (header.chainId !== trusted.chainId) {
    throw ainError(ErrWrongChainId, `signed_header.header.chain_id: expected ${trusted.chainId}, got ${header.chainId}`);
  }
  const now = nowSeconds * NANOS_PER_SECOND;
  // CometBFT's HeaderExpired: trusted until trusted time + trusting period, exclusive.
  const expiry = timeNanos(trusted.time) + params.trustingPeriodSeconds * NANOS_PER_SECOND;
  if (expiry <= now) {
    throw ainError(
      ErrTrustingPeriodExpired,
      `trusted.time: expected a time after ${nowSeconds - params.trustingPeriodSeconds} (now ${nowSeconds} minus the trusting period ${params.trustingPeriodSeconds} s), got ${trusted.time.seconds}`,
    );
  }
  if (header.height === trusted.height && !bytesEqual(hash, trusted.headerHash)) {
    throw ainError(
      ErrConflictingHeaders,
      `signed_header.header: hash ${hex(hash)} at trusted height ${trusted.height}; expected ${hex(trusted.headerHash)}`,
      { height: trusted.height.toString() },
    );
  }
  if (header.height <= trusted.height) {
    throw ainError(ErrNonMonotonicHeight, `signed_header.header.height: expected more than ${trusted.height}, got ${header.height}`);
  }
  if (timeNanos(header.time) <= timeNanos(trusted.time)) {
    throw ainError(
      ErrNonMonotonicTime,
      `signed_header.header.time: expected after ${describeTime(trusted.time)}, got ${describeTime(header.time)}`,
    );
  }
  const latest = now + params.maxClockDriftSeconds * NANOS_PER_SECOND;
  if (timeNanos(header.time) >= latest) {
    throw ainError(
      ErrHeaderFromFuture,
      `signed_header.header.time: expected before ${nowSeconds + params.maxClockDriftSeconds} s (now ${nowSeconds} + drift ${params.maxClockDriftSeconds}), got ${describeTime(header.time)}`,
    );
  }
  checkSetHash(untrusted.validators, 'validators', header.validatorsHash, 'signed_header.header.validators_hash');
  checkSetHash(untrusted.nextValidators, 'next_validators', header.nextValidatorsHash, 'signed_header.header.next_validators_hash');

  if (header.height === trusted.height + 1n) {
    if (!bytesEqual(header.validatorsHash, trusted.nextValidatorsHash)) {
      throw ainError(
        ErrValidatorSetHashMismatch,
        `signed_header.header.validators_hash: expected ${hex(trusted.nextValidatorsHash)} (trusted.next_validators_hash), got ${hex(header.validatorsHash)}`,
        { field: 'signed_header.header.validators_hash' },
      );
    }
    if (!bytesEqual(header.lastBlockId.hash, trusted.headerHash)) {
      throw ainError(
        ErrHeaderHashMismatch,
        `signed_header.header.last_block_id.hash: expected ${hex(trusted.headerHash)} (trusted.header_hash), got ${hex(header.lastBlockId.hash)}`,
      );
    }
  } else {
    verifyCommitLightTrusting(trusted.chainId, trusted.nextValidators, commit, params.trustLevel);
  }
  // Last, as in CometBFT: the header's own set may be made large to waste a verifier's time.
  verifyCommitLight(trusted.chainId, untrusted.validators, commit.blockId, header.height, commit);
  return stateOf(header, hash, untrusted.nextValidators);
}

/**
 * Where trust in a chain starts before any header of it was verified: its chain id, a time (its
 * genesis time) and a validator set taken from outside (a branch registration, a child's genesis).
 */
export interface TrustRoot {
  readonly chainId: string;
  readonly time: Timestamp;
  readonly validators: ValidatorSet;
}

/**
 * The first update of a chain known only by its trust root: like a skip from a trusted state whose
 * next validators are the root's set and whose time is the root's time (a block may carry that very
 * time: block 1's time is the genesis time). When the header's set is the root's own, more than 2/3
 * of it signed; otherwise validators of the root holding more than the trust level signed, and more
 * than 2/3 of the header's own set.
 * @throws lightclient/16 params, /2 malformed, /3 chain id, /8 the root is older than the trusting
 *   period, /10 a header before the root's time, /11 from the future, /12 sets, then the commit errors
 */
export function verifyFromRoot(root: TrustRoot, untrusted: UntrustedUpdate, params: LightClientParams, nowSeconds: bigint): TrustedState {
  validateParams(params);
  if (typeof nowSeconds !== 'bigint') throw ainError(ErrMalformed, 'now: expected the block time in seconds (bigint)');
  if (root === undefined || root === null) throw ainError(ErrMalformed, 'root: expected a trust root');
  checkChainId(root.chainId, 'root.chain_id');
  checkTimestamp(root.time, 'root.time');
  validateValidatorSet(root.validators, 'root.validators');
  if (untrusted === undefined || untrusted === null)
    throw ainError(ErrMalformed, 'untrusted: expected a signed header and its validator sets');
  const { header, hash } = checkedSignedHeader(untrusted.signedHeader, 'signed_header');
  const commit = untrusted.signedHeader.commit!;
  if (header.chainId !== root.chainId) {
    throw ainError(ErrWrongChainId, `signed_header.header.chain_id: expected ${root.chainId}, got ${header.chainId}`);
  }
  const now = nowSeconds * NANOS_PER_SECOND;
  if (timeNanos(root.time) + params.trustingPeriodSeconds * NANOS_PER_SECOND <= now) {
    throw ainError(
      ErrTrustingPeriodExpired,
      `root.time: expected a time after ${nowSeconds - params.trustingPeriodSeconds} (now ${nowSeconds} minus the trusting period ${params.trustingPeriodSeconds} s), got ${root.time.seconds}`,
    );
  }
  if (timeNanos(header.time) < timeNanos(root.time)) {
    throw ainError(
      ErrNonMonotonicTime,
      `signed_header.header.time: expected at or after ${describeTime(root.time)}, got ${describeTime(header.time)}`,
    );
  }
  if (timeNanos(header.time) >= now + params.maxClockDriftSeconds * NANOS_PER_SECOND) {
    throw ainError(
      ErrHeaderFromFuture,
      `signed_header.header.time: expected before ${nowSeconds + params.maxClockDriftSeconds} s (now ${nowSeconds} + drift ${params.maxClockDriftSeconds}), got ${describeTime(header.time)}`,
    );
  }
  checkSetHash(untrusted.validators, 'validators', header.validatorsHash, 'signed_header.header.validators_hash');
  checkSetHash(untrusted.nextValidators, 'next_validators', header.nextValidatorsHash, 'signed_header.header.next_validators_hash');
  if (!bytesEqual(validatorSetHash(root.validators.validators), header.validatorsHash)) {
    verifyCommitLightTrusting(root.chainId, root.validators, commit, params.trustLevel);
  }
  verifyCommitLight(root.chainId, untrusted.validators, commit.blockId, header.height, commit);
  return stateOf(header, hash, untrusted.nextValidators);
}

function describeTime(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanos).padStart(9, '0')} s`;
}

/** How two signed headers of one chain contradict each other. */
export type MisbehaviourKind = 'fork' | 'time';

/**
 * Whether two signed headers of one chain contradict each other: the same height with different
 * hashes (`fork`), or the higher one not later in time (`time`, a break of monotonic time). Shapes and
 * each commit's link to its header are checked here; signatures are not, so verify each header
 * (`verifyUpdate` from a trusted state) before treating the answer as evidence.
 * @throws lightclient/2 malformed, /14 or /13 a commit that is not for its header, /3 different chains
 */
export function misbehaviourOf(a: SignedHeader, b: SignedHeader): MisbehaviourKind | undefined {
  const first = checkedSignedHeader(a, 'a');
  const second = checkedSignedHeader(b, 'b');
  if (first.header.chainId !== second.header.chainId) {
    throw ainError(ErrWrongChainId, `b.header.chain_id: expected ${first.header.chainId}, got ${second.header.chainId}`);
  }
  if (first.header.height === second.header.height) return bytesEqual(first.hash, second.hash) ? undefined : 'fork';
  const [lower, higher] = first.header.height < second.header.height ? [first, second] : [second, first];
  return timeNanos(higher.header.time) <= timeNanos(lower.header.time) ? 'time' : undefined;
}

/** True when `misbehaviourOf` finds a contradiction between the two signed headers. */
export function isMisbehaviour(a: SignedHeader, b: SignedHeader): boolean {
  return misbehaviourOf(a, b) !== undefined;
}
