/**
 * Shape checks on a child chain's header, commit and validator set before anything is hashed or
 * verified: CometBFT's `ValidateBasic` rules (hash and address sizes, a commit signature's flag and
 * fields, int64 ranges) plus what this verifier relies on (ed25519 keys only, each validator's address
 * derived from its key, no address twice in a set, the whole set's power within CometBFT's cap). A
 * relayer's input arrives decoded from a transaction, so nothing is assumed: every failure is
 * `lightclient/2` naming the field and what was expected.
 */
import { toHex } from '@cosmjs/encoding';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { BlockID, Commit, Header } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type Validator, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError } from '../../../core/index.ts';
import { ErrInvalidParams, ErrMalformed } from './errors.ts';
import { ed25519Address } from './hashing.ts';

/** CometBFT's block protocol version (`version.BlockProtocol`), the only one a v0.38 header carries. */
export const BLOCK_PROTOCOL = 11n;
/** CometBFT's `MaxChainIDLen`. */
export const MAX_CHAIN_ID_LENGTH = 50;
/** CometBFT's `MaxTotalVotingPower`: int64 max / 8, so sums of powers never overflow in Go. */
export const MAX_TOTAL_VOTING_POWER = (2n ** 63n - 1n) / 8n;
/** Sizes CometBFT fixes: sha256 hashes, addresses, ed25519 keys and signatures. */
export const HASH_SIZE = 32;
export const ADDRESS_SIZE = 20;
export const ED25519_KEY_SIZE = 32;
export const MAX_SIGNATURE_SIZE = 64;

const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT32 = 2 ** 32 - 1;
const MAX_INT32 = 2 ** 31 - 1;
// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/** A trust level as a fraction (CometBFT's `cmtmath.Fraction`); integers only. */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** CometBFT's default trust level: at least one honest validator among the signers. */
export const DEFAULT_TRUST_LEVEL: Fraction = { numerator: 1n, denominator: 3n };

function malformed(field: string, expected: string): never {
  throw ainError(ErrMalformed, `${field}: expected ${expected}`, { field });
}

/** Checks a byte field's type and that its length is one of `sizes`. */
export function checkBytes(value: unknown, field: string, sizes: readonly number[]): Uint8Array {
  if (!(value instanceof Uint8Array)) malformed(field, 'bytes');
  if (!sizes.includes(value.length)) malformed(field, `${sizes.join(' or ')} bytes, got ${value.length}`);
  return value;
}

function checkInt(value: unknown, field: string, min: bigint, max: bigint): bigint {
  if (typeof value !== 'bigint' || value < min || value > max) malformed(field, `an integer in [${min}, ${max}]`);
  return value;
}

function checkSmallInt(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) malformed(field, `an integer in [0, ${max}]`);
  return value;
}

/** A protobuf Timestamp within its documented range. */
export function checkTimestamp(value: Timestamp | undefined, field: string): Timestamp {
  if (value === undefined || value === null) malformed(field, 'a timestamp');
  checkInt(value.seconds, `${field}.seconds`, MIN_SECONDS, MAX_SECONDS);
  checkSmallInt(value.nanos, `${field}.nanos`, 999_999_999);
  return value;
}

/** A timestamp as nanoseconds since the epoch: the one unit all time comparisons use. */
export function timeNanos(time: Timestamp): bigint {
  return time.seconds * 1_000_000_000n + BigInt(time.nanos);
}

/** A chain id as CometBFT allows it: non-empty, at most 50 characters. */
export function checkChainId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CHAIN_ID_LENGTH) {
    malformed(field, `a chain id of 1 to ${MAX_CHAIN_ID_LENGTH} characters`);
  }
  return value;
}

/** A height: 1 to int64 max. */
export function checkHeight(value: unknown, field: string): bigint {
  return checkInt(value, field, 1n, MAX_INT64);
}

/** A block id (`BlockID.ValidateBasic`): each hash empty or 32 bytes. */
export function checkBlockId(blockId: BlockID | undefined, field: string): BlockID {
  if (blockId === undefined || blockId === null) malformed(field, 'a block id');
  checkBytes(blockId.hash, `${field}.hash`, [0, HASH_SIZE]);
  if (blockId.partSetHeader === undefined || blockId.partSetHeader === null) malformed(`${field}.part_set_header`, 'a part set header');
  checkSmallInt(blockId.partSetHeader.total, `${field}.part_set_header.total`, MAX_UINT32);
  checkBytes(blockId.partSetHeader.hash, `${field}.part_set_header.hash`, [0, HASH_SIZE]);
  return blockId;
}

/** True when both block ids are the same (hash and part set header). */
export function sameBlockId(a: BlockID, b: BlockID): boolean {
  return (
    bytesEqual(a.hash, b.hash) && a.partSetHeader.total === b.partSetHeader.total && bytesEqual(a.partSetHeader.hash, b.partSetHeader.hash)
  );
}

/** Constant-shape byte comparison (the inputs are public: no timing concern). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Upper-case hex, as CometBFT prints hashes and addresses. */
export function hex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** `Header.ValidateBasic`, plus validators and next validators hashes that must be present. */
export function validateHeader(header: Header | undefined, field = 'header'): Header {
  if (header === undefined || header === null) malformed(field, 'a header');
  if (header.version === undefined || header.version === null) malformed(`${field}.version`, 'a version');
  if (header.version.block !== BLOCK_PROTOCOL) malformed(`${field}.version.block`, `${BLOCK_PROTOCOL}`);
  checkInt(header.version.app, `${field}.version.app`, 0n, 2n ** 64n - 1n);
  checkChainId(header.chainId, `${field}.chain_id`);
  checkHeight(header.height, `${field}.height`);
  checkTimestamp(header.time, `${field}.time`);
  checkBlockId(header.lastBlockId, `${field}.last_block_id`);
  checkBytes(header.lastCommitHash, `${field}.last_commit_hash`, [0, HASH_SIZE]);
  checkBytes(header.dataHash, `${field}.data_hash`, [0, HASH_SIZE]);
  checkBytes(header.validatorsHash, `${field}.validators_hash`, [HASH_SIZE]);
  checkBytes(header.nextValidatorsHash, `${field}.next_validators_hash`, [HASH_SIZE]);
  checkBytes(header.consensusHash, `${field}.consensus_hash`, [0, HASH_SIZE]);
  // The app hash is the application's own: any length.
  if (!(header.appHash instanceof Uint8Array)) malformed(`${field}.app_hash`, 'bytes');
  checkBytes(header.lastResultsHash, `${field}.last_results_hash`, [0, HASH_SIZE]);
  checkBytes(header.evidenceHash, `${field}.evidence_hash`, [0, HASH_SIZE]);
  checkBytes(header.proposerAddress, `${field}.proposer_address`, [ADDRESS_SIZE]);
  return header;
}

/** `Commit.ValidateBasic` with `CommitSig.ValidateBasic` for each signature. */
export function validateCommit(commit: Commit | undefined, field = 'commit'): Commit {
  if (commit === undefined || commit === null) malformed(field, 'a commit');
  checkHeight(commit.height, `${field}.height`);
  checkSmallInt(commit.round, `${field}.round`, MAX_INT32);
  checkBlockId(commit.blockId, `${field}.block_id`);
  if (commit.blockId.hash.length === 0) malformed(`${field}.block_id.hash`, 'the hash of a block (a commit cannot be for nil)');
  if (!Array.isArray(commit.signatures) || commit.signatures.length === 0) malformed(`${field}.signatures`, 'at least one signature');
  commit.signatures.forEach((sig, i) => {
    const at = `${field}.signatures[${i}]`;
    if (sig === undefined || sig === null) malformed(at, 'a commit signature');
    if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) {
      checkBytes(sig.validatorAddress, `${at}.validator_address`, [0]);
      checkBytes(sig.signature, `${at}.signature`, [0]);
    } else if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT || sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_NIL) {
      checkBytes(sig.validatorAddress, `${at}.validator_address`, [ADDRESS_SIZE]);
      if (!(sig.signature instanceof Uint8Array) || sig.signature.length === 0 || sig.signature.length > MAX_SIGNATURE_SIZE) {
        malformed(`${at}.signature`, `1 to ${MAX_SIGNATURE_SIZE} bytes`);
      }
      checkTimestamp(sig.timestamp, `${at}.timestamp`);
    } else malformed(`${at}.block_id_flag`, 'BLOCK_ID_FLAG_ABSENT (1), BLOCK_ID_FLAG_COMMIT (2) or BLOCK_ID_FLAG_NIL (3)');
  });
  return commit;
}

/** A validator's ed25519 key; other key types are refused (CometBFT chains here use ed25519). */
export function ed25519Key(validator: Validator, field: string): Uint8Array {
  if (validator.pubKey === undefined || validator.pubKey === null) malformed(`${field}.pub_key`, 'a public key');
  if (validator.pubKey.secp256k1 !== undefined) malformed(`${field}.pub_key`, 'an ed25519 key (secp256k1 validators are not supported)');
  return checkBytes(validator.pubKey.ed25519, `${field}.pub_key.ed25519`, [ED25519_KEY_SIZE]);
}

/**
 * `ValidatorSet.ValidateBasic`: a non-empty set of ed25519 validators whose addresses derive from
 * their keys (the set hash does not cover addresses, so a forged address must be caught here), no
 * address twice, powers >= 0 and a total within CometBFT's cap. Returns the total voting power; the
 * set's own total_voting_power field is ignored, as CometBFT recomputes it.
 */
export function validateValidatorSet(set: ValidatorSet | undefined, field: string): bigint {
  if (set === undefined || set === null || !Array.isArray(set.validators) || set.validators.length === 0) {
    malformed(`${field}.validators`, 'at least one validator');
  }
  const seen = new Set<string>();
  let total = 0n;
  set.validators.forEach((validator, i) => {
    const at = `${field}.validators[${i}]`;
    if (validator === undefined || validator === null) malformed(at, 'a validator');
    const key = ed25519Key(validator, at);
    const address = checkBytes(validator.address, `${at}.address`, [ADDRESS_SIZE]);
    const derived = ed25519Address(key);
    if (!bytesEqual(address, derived)) malformed(`${at}.address`, `${hex(derived)} (sha256 of the ed25519 key, first 20 bytes)`);
    const id = hex(address);
    if (seen.has(id)) malformed(`${at}.address`, `an address not already in the set (${id} is)`);
    seen.add(id);
    total += checkInt(validator.votingPower, `${at}.voting_power`, 0n, MAX_TOTAL_VOTING_POWER);
  });
  if (total > MAX_TOTAL_VOTING_POWER) malformed(`${field}.validators`, `a total voting power of at most ${MAX_TOTAL_VOTING_POWER}`);
  return total;
}

/** CometBFT's `ValidateTrustLevel`: a fraction in [1/3, 1] with a positive denominator. */
export function validateTrustLevel(level: Fraction | undefined, field = 'trust_level'): Fraction {
  if (
    level === undefined ||
    level === null ||
    typeof level.numerator !== 'bigint' ||
    typeof level.denominator !== 'bigint' ||
    level.denominator <= 0n ||
    level.numerator * 3n < level.denominator ||
    level.numerator > level.denominator
  ) {
    throw ainError(ErrInvalidParams, `${field}: expected a fraction in [1/3, 1]`, { field });
  }
  return level;
}
