/**
 * Stateless checks (`validateBasic`) of the shards messages: every refusal is `shards/1` naming the
 * field, or the light client's own `lightclient/2`, `/16` for malformed headers and trust levels.
 * Signed headers and validator sets arrive as protobuf bytes; they are decoded and shape-checked
 * here, so the keeper never sees bytes that do not parse. Checks that need state are the keeper's.
 */
import { fromBase64 } from '@cosmjs/encoding';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError, parseAddress, parseAmount, requireGovAuthority, validateDenom } from '../../core/index.ts';
import type {
  MsgAcknowledge,
  MsgBranch,
  MsgProveValue,
  MsgRecoverLink,
  MsgRecvPacket,
  MsgReport,
  MsgTimeout,
  MsgTransfer,
  MsgUnfreeze,
} from '../../proto/gen/ain/shards/v1/tx.ts';
import type { ChildValidator, ConsensusRules, Packet, TrustParams } from '../../proto/gen/ain/shards/v1/types.ts';
import { normalizePath } from '../../tree/index.ts';
import { ErrInvalidShardsMsg } from './errors.ts';
import { PARENT_LINK, VALUE_ROOT_LABELS, VOUCHER_PREFIX } from './keys.ts';
import { ed25519Address, validateCommit, validateHeader, validateTrustLevel, validateValidatorSet } from './lightclient/index.ts';
import { checkChainId } from './lightclient/validate.ts';

/** A shard's name: the app label it takes over (`/apps/<name>`); `parent` is the parent link's. */
export const SHARD_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,63}$/;
/** Most validators a child's genesis lists, accounts it funds, bytes a report may carry. */
export const MAX_CHILD_VALIDATORS = 100;
export const MAX_CHILD_ACCOUNTS = 100;
export const MAX_REPORT_BYTES = 1 << 20;
/** Bounds of a child's consensus rules: CometBFT's own block size cap; block times of 100 ms to a minute. */
export const MAX_BLOCK_BYTES = 104_857_600n;
export const MIN_BLOCK_BYTES = 4096n;
export const MIN_BLOCK_TIME_MS = 100n;
export const MAX_BLOCK_TIME_MS = 60_000n;
/** Trusting periods of a minute to a year; drift up to an hour. */
export const MIN_TRUSTING_PERIOD = 60n;
export const MAX_TRUSTING_PERIOD = 365n * 24n * 3600n;
export const MAX_CLOCK_DRIFT = 3600n;
/** Most bytes of a proof or a proven value's JSON text. */
export const MAX_PROOF_BYTES = 4096;
export const MAX_VALUE_TEXT = 16_384;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidShardsMsg, `${field}: ${detail}`, { field });
};

export function checkShardName(name: string, field = 'shard', allowParent = true): void {
  if (allowParent && name === PARENT_LINK) return;
  if (!SHARD_NAME_PATTERN.test(name)) invalid(`${JSON.stringify(name.slice(0, 80))} must match ${SHARD_NAME_PATTERN.source}`, field);
  if (name === PARENT_LINK) invalid(`"${PARENT_LINK}" names the parent link; choose another name`, field);
}

function checkUint(value: bigint, field: string, min: bigint, max: bigint): void {
  if (value < min || value > max) invalid(`${value} must be in [${min}, ${max}]`, field);
}

export function checkTrust(trust: TrustParams | undefined, field: string): TrustParams {
  if (!trust) return invalid('expected the trust params', field);
  checkUint(trust.trustingPeriodSeconds, `${field}.trusting_period_seconds`, MIN_TRUSTING_PERIOD, MAX_TRUSTING_PERIOD);
  checkUint(trust.maxClockDriftSeconds, `${field}.max_clock_drift_seconds`, 0n, MAX_CLOCK_DRIFT);
  validateTrustLevel({ numerator: trust.trustNumerator, denominator: trust.trustDenominator }, `${field}.trust_level`);
  return trust;
}

function checkConsensus(rules: ConsensusRules | undefined, field: string): void {
  if (!rules) return invalid('expected the consensus rules', field);
  checkUint(rules.blockTimeMs, `${field}.block_time_ms`, MIN_BLOCK_TIME_MS, MAX_BLOCK_TIME_MS);
  checkUint(rules.maxBlockBytes, `${field}.max_block_bytes`, MIN_BLOCK_BYTES, MAX_BLOCK_BYTES);
}

function checkValidators(validators: readonly ChildValidator[], field: string): void {
  if (validators.length === 0 || validators.length > MAX_CHILD_VALIDATORS)
    invalid(`${validators.length} validators; expected 1 to ${MAX_CHILD_VALIDATORS}`, field);
  const keys = new Set<string>();
  const operators = new Set<string>();
  validators.forEach((v, i) => {
    if (v.pubKey.length !== 32) invalid(`${v.pubKey.length} bytes; expected a 32-byte ed25519 key`, `${field}[${i}].pub_key`);
    const key = Buffer.from(v.pubKey).toString('hex');
    if (keys.has(key)) invalid('listed twice', `${field}[${i}].pub_key`);
    keys.add(key);
    // A child's power is its stake / 10^6: at most 2^53 keeps CometBFT's cap and our JSON safe.
    checkUint(v.power, `${field}[${i}].power`, 1n, 2n ** 53n);
    parseAddress(v.operator, `${field}[${i}].operator`);
    if (operators.has(v.operator)) invalid('operates two validators', `${field}[${i}].operator`);
    operators.add(v.operator);
  });
}

/** A validator set carried as protobuf bytes; empty bytes are "not given". */
export function decodeValidatorSet(bytes: Uint8Array, field: string): ValidatorSet | undefined {
  if (bytes.length === 0) return undefined;
  let set: ValidatorSet;
  try {
    set = ValidatorSet.decode(bytes);
  } catch (cause) {
    return invalid(`does not decode as tendermint.types.ValidatorSet (${(cause as Error).message})`, field);
  }
  validateValidatorSet(set, field);
  return set;
}

/** A signed header carried as protobuf bytes, shape-checked. */
export function decodeSignedHeader(bytes: Uint8Array, field = 'signed_header'): SignedHeader {
  if (bytes.length === 0) invalid('expected a signed header', field);
  let signed: SignedHeader;
  try {
    signed = SignedHeader.decode(bytes);
  } catch (cause) {
    return invalid(`does not decode as tendermint.types.SignedHeader (${(cause as Error).message})`, field);
  }
  validateHeader(signed.header, `${field}.header`);
  validateCommit(signed.commit, `${field}.commit`);
  return signed;
}

/** The validator set a list of child validators makes, in CometBFT's order (power descending, then address). */
export function validatorSetOf(validators: readonly ChildValidator[]): ValidatorSet {
  const set = validators.map((v) => ({
    address: ed25519Address(v.pubKey),
    pubKey: { ed25519: v.pubKey },
    votingPower: v.power,
    proposerPriority: 0n,
  }));
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  set.sort((a, b) =>
    a.votingPower !== b.votingPower ? (a.votingPower > b.votingPower ? -1 : 1) : hex(a.address) < hex(b.address) ? -1 : 1,
  );
  return { validators: set, totalVotingPower: set.reduce((sum, v) => sum + v.votingPower, 0n) };
}

export function validateMsgBranch(msg: MsgBranch): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.name, 'name', false);
  checkChainId(msg.chainId, 'chain_id');
  if (!/^[0-9a-f]{64}$/.test(msg.genesisHash)) invalid('expected the sha256 of the child genesis (64 lowercase hex)', 'genesis_hash');
  checkUint(msg.genesisTime, 'genesis_time', 1n, 253_402_300_799n);
  checkValidators(msg.validators, 'validators');
  if (msg.accounts.length > MAX_CHILD_ACCOUNTS) invalid(`at most ${MAX_CHILD_ACCOUNTS} accounts`, 'accounts');
  msg.accounts.forEach((a, i) => {
    parseAddress(a.address, `accounts[${i}].address`);
    if (parseAmount(a.amount, `accounts[${i}].amount`) === 0n) invalid('must be positive', `accounts[${i}].amount`);
  });
  checkTrust(msg.trust, 'trust');
  checkConsensus(msg.consensus, 'consensus');
  if (msg.admin !== '') parseAddress(msg.admin, 'admin');
  if (msg.reportFee !== '') parseAmount(msg.reportFee, 'report_fee');
  if (msg.deposit !== '') parseAmount(msg.deposit, 'deposit');
  if (!decodeValidatorSet(msg.parentValidators, 'parent_validators')) invalid("expected the parent's validator set", 'parent_validators');
  if (msg.parentTrust) checkTrust(msg.parentTrust, 'parent_trust');
}

export function validateMsgReport(msg: MsgReport): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
  const size = msg.signedHeader.length + msg.validators.length + msg.nextValidators.length;
  if (size > MAX_REPORT_BYTES) invalid(`${size} bytes; at most ${MAX_REPORT_BYTES}`, 'report');
  decodeSignedHeader(msg.signedHeader);
  decodeValidatorSet(msg.validators, 'validators');
  decodeValidatorSet(msg.nextValidators, 'next_validators');
}

/** A state path of the other chain that fits under a link's `values` subtree. Returns it canonical. */
export function checkOtherPath(path: string, field = 'path'): string {
  let canonical: string;
  try {
    canonical = normalizePath(path);
  } catch (cause) {
    return invalid(`${JSON.stringify(path.slice(0, 120))} is not a state path (${(cause as Error).message})`, field);
  }
  if (canonical !== path) invalid(`${JSON.stringify(path.slice(0, 120))} is not canonical; write ${canonical}`, field);
  const labels = canonical.split('/').length - 1;
  if (labels < 1 || labels + VALUE_ROOT_LABELS > 30) invalid(`${labels} labels; expected 1 to ${30 - VALUE_ROOT_LABELS}`, field);
  return canonical;
}

/** A proven leaf's JSON text: a string, a finite number, a boolean, or null (absence). */
export function parseLeafText(text: string, field = 'value'): string | number | boolean | null {
  if (text.length > MAX_VALUE_TEXT) invalid(`${text.length} characters; at most ${MAX_VALUE_TEXT}`, field);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return invalid(`not JSON (${(cause as Error).message})`, field);
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return invalid('expected the JSON of a string, a number, a boolean or null (one leaf)', field);
}

function checkProof(proof: Uint8Array, height: bigint, field: string): void {
  if (proof.length === 0 || proof.length > MAX_PROOF_BYTES) invalid(`${proof.length} bytes; expected 1 to ${MAX_PROOF_BYTES}`, 'proof');
  checkUint(height, field, 1n, 2n ** 62n);
}

export function validateMsgProveValue(msg: MsgProveValue): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
  checkOtherPath(msg.path);
  parseLeafText(msg.value);
  checkProof(msg.proof, msg.height, 'height');
}

export function validateMsgTransfer(msg: MsgTransfer): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
  parseAddress(msg.receiver, 'receiver');
  if (parseAmount(msg.amount, 'amount') === 0n) invalid('must be positive', 'amount');
  checkUint(msg.timeoutHeight, 'timeout_height', 1n, 2n ** 62n);
  // Empty: what a transfer sent before the field (uain from a parent, the parent's voucher from a child).
  if (msg.denom !== '') checkTransferDenom(msg.denom, 'denom');
}

/** A denom (Cosmos SDK syntax); a voucher `shard/<chain id>/<base>` names both parts. */
export function checkTransferDenom(denom: string, field: string): void {
  try {
    validateDenom(denom, field);
  } catch (cause) {
    invalid(`${JSON.stringify(denom.slice(0, 140))} is not a denom (${(cause as Error).message})`, field);
  }
  if (denom.startsWith(VOUCHER_PREFIX) && !/^shard\/[^/]+\/./.test(denom))
    invalid(`${denom} starts with ${VOUCHER_PREFIX} but is not a voucher shard/<chain id>/<denom>`, field);
}

export function checkPacket(packet: Packet | undefined, field = 'packet'): Packet {
  if (!packet) return invalid('expected a packet', field);
  checkUint(packet.sequence, `${field}.sequence`, 1n, 2n ** 62n);
  parseAddress(packet.sender, `${field}.sender`);
  parseAddress(packet.receiver, `${field}.receiver`);
  if (parseAmount(packet.amount, `${field}.amount`) === 0n) invalid('must be positive', `${field}.amount`);
  checkUint(packet.timeoutHeight, `${field}.timeout_height`, 1n, 2n ** 62n);
  checkChainId(packet.sourceChainId, `${field}.source_chain_id`);
  if (packet.denom === '') invalid('expected a denom', `${field}.denom`);
  checkTransferDenom(packet.denom, `${field}.denom`);
  return packet;
}

export function validateMsgRecvPacket(msg: MsgRecvPacket): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
  checkPacket(msg.packet);
  checkProof(msg.proof, msg.proofHeight, 'proof_height');
}

export function validateMsgSettle(msg: MsgAcknowledge | MsgTimeout): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
  checkUint(msg.sequence, 'sequence', 1n, 2n ** 62n);
  checkProof(msg.proof, msg.proofHeight, 'proof_height');
}

export function validateMsgUnfreeze(msg: MsgUnfreeze): void {
  parseAddress(msg.signer, 'signer');
  checkShardName(msg.shard);
}

/** Governance's alone (gov/13 for another authority); the header and its set are required. */
export function validateMsgRecoverLink(msg: MsgRecoverLink): void {
  requireGovAuthority(msg.authority);
  checkShardName(msg.shard);
  const size = msg.signedHeader.length + msg.validators.length + msg.nextValidators.length;
  if (size > MAX_REPORT_BYTES) invalid(`${size} bytes; at most ${MAX_REPORT_BYTES}`, 'recovery');
  decodeSignedHeader(msg.signedHeader);
  if (!decodeValidatorSet(msg.validators, 'validators')) invalid("expected the header's validator set", 'validators');
  decodeValidatorSet(msg.nextValidators, 'next_validators');
}

/** Base64 protobuf bytes from genesis JSON. */
export function bytesFromText(text: string, field: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    return invalid('expected base64', field);
  }
}
