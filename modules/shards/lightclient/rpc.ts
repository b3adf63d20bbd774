/**
 * CometBFT RPC JSON (what a relayer gets from a child chain's `/commit`, `/validators` and `/block`)
 * turned into the cosmjs-types `tendermint.types` messages the verifier takes. CometBFT's JSON writes
 * hashes and addresses as upper-case hex, keys and signatures as base64, int64s as decimal strings and
 * times as RFC 3339 with nanoseconds; each is parsed strictly, and anything else is `lightclient/2`
 * naming the field. Pure: the fetching is the relayer's.
 */
import { fromBase64, fromHex } from '@cosmjs/encoding';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { BlockID, Commit, CommitSig, Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError, parseTimestamp } from '../../../core/index.ts';
import { ErrMalformed } from './errors.ts';

type Json = Record<string, unknown>;

function malformed(field: string, expected: string): never {
  throw ainError(ErrMalformed, `${field}: expected ${expected}`, { field });
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) malformed(field, 'a JSON object');
  return value as Json;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') malformed(field, 'a string');
  return value;
}

/** An integer written as a decimal string (int64s) or a JSON number (CometBFT's int32 round, part totals). */
function integer(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?[0-9]{1,20}$/.test(value)) return BigInt(value);
  return malformed(field, 'an integer');
}

function smallInt(value: unknown, field: string): number {
  const n = integer(value, field);
  if (n < 0n || n > 0xffff_ffffn) malformed(field, 'an integer in [0, 4294967295]');
  return Number(n);
}

function hexBytes(value: unknown, field: string): Uint8Array {
  const s = text(value ?? '', field);
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) malformed(field, 'hex');
  return fromHex(s);
}

function base64Bytes(value: unknown, field: string): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array();
  const s = text(value, field);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) malformed(field, 'base64');
  return fromBase64(s);
}

function time(value: unknown, field: string): Timestamp {
  const parsed = parseTimestamp(text(value, field));
  if (!parsed) malformed(field, 'an RFC 3339 time');
  return { seconds: parsed.seconds, nanos: parsed.nanos };
}

/** A block id: `{hash, parts: {total, hash}}`. */
export function blockIdFromRpc(json: unknown, field = 'block_id'): BlockID {
  const o = object(json, field);
  const parts = object(o.parts, `${field}.parts`);
  return {
    hash: hexBytes(o.hash, `${field}.hash`),
    partSetHeader: { total: smallInt(parts.total, `${field}.parts.total`), hash: hexBytes(parts.hash, `${field}.parts.hash`) },
  };
}

/** A header as `/block`, `/commit` and `/header` return it. */
export function headerFromRpc(json: unknown, field = 'header'): Header {
  const o = object(json, field);
  const version = object(o.version, `${field}.version`);
  return {
    version: { block: integer(version.block, `${field}.version.block`), app: integer(version.app ?? '0', `${field}.version.app`) },
    chainId: text(o.chain_id, `${field}.chain_id`),
    height: integer(o.height, `${field}.height`),
    time: time(o.time, `${field}.time`),
    lastBlockId: blockIdFromRpc(o.last_block_id, `${field}.last_block_id`),
    lastCommitHash: hexBytes(o.last_commit_hash, `${field}.last_commit_hash`),
    dataHash: hexBytes(o.data_hash, `${field}.data_hash`),
    validatorsHash: hexBytes(o.validators_hash, `${field}.validators_hash`),
    nextValidatorsHash: hexBytes(o.next_validators_hash, `${field}.next_validators_hash`),
    consensusHash: hexBytes(o.consensus_hash, `${field}.consensus_hash`),
    appHash: hexBytes(o.app_hash, `${field}.app_hash`),
    lastResultsHash: hexBytes(o.last_results_hash, `${field}.last_results_hash`),
    evidenceHash: hexBytes(o.evidence_hash, `${field}.evidence_hash`),
    proposerAddress: hexBytes(o.proposer_address, `${field}.proposer_address`),
  };
}

function commitSigFromRpc(json: unknown, field: string): CommitSig {
  const o = object(json, field);
  return {
    blockIdFlag: smallInt(o.block_id_flag, `${field}.block_id_flag`),
    validatorAddress: hexBytes(o.validator_address, `${field}.validator_address`),
    timestamp: time(o.timestamp, `${field}.timestamp`),
    signature: base64Bytes(o.signature, `${field}.signature`),
  };
}

/** A commit: `/commit`'s `signed_header.commit`, or a block's `last_commit`. */
export function commitFromRpc(json: unknown, field = 'commit'): Commit {
  const o = object(json, field);
  if (!Array.isArray(o.signatures)) malformed(`${field}.signatures`, 'an array');
  return {
    height: integer(o.height, `${field}.height`),
    round: smallInt(o.round, `${field}.round`),
    blockId: blockIdFromRpc(o.block_id, `${field}.block_id`),
    signatures: o.signatures.map((sig, i) => commitSigFromRpc(sig, `${field}.signatures[${i}]`)),
  };
}

/** `/commit`'s result (`{signed_header: {header, commit}, canonical}`) or its `signed_header`. */
export function signedHeaderFromRpc(json: unknown, field = 'signed_header'): SignedHeader {
  const o = object(json, field);
  const signed = 'signed_header' in o ? object(o.signed_header, `${field}.signed_header`) : o;
  return { header: headerFromRpc(signed.header, `${field}.header`), commit: commitFromRpc(signed.commit, `${field}.commit`) };
}

const ED25519_TYPE = 'tendermint/PubKeyEd25519';

function validatorFromRpc(json: unknown, field: string): Validator {
  const o = object(json, field);
  const key = object(o.pub_key, `${field}.pub_key`);
  if (key.type !== ED25519_TYPE) malformed(`${field}.pub_key.type`, ED25519_TYPE);
  return {
    address: hexBytes(o.address, `${field}.address`),
    pubKey: { ed25519: base64Bytes(key.value, `${field}.pub_key.value`) },
    votingPower: integer(o.voting_power, `${field}.voting_power`),
    proposerPriority: integer(o.proposer_priority ?? '0', `${field}.proposer_priority`),
  };
}

/**
 * A validator set from `/validators` results: one result, or the pages of one height in order
 * (CometBFT pages 30 per page by default, up to 100). The total is recomputed, as CometBFT does.
 */
export function validatorSetFromRpc(...pages: unknown[]): ValidatorSet {
  const validators: Validator[] = [];
  pages.forEach((page, p) => {
    const o = object(page, `validators_pages[${p}]`);
    if (!Array.isArray(o.validators)) malformed(`validators_pages[${p}].validators`, 'an array');
    o.validators.forEach((v) => validators.push(validatorFromRpc(v, `validators[${validators.length}]`)));
    if (o.total !== undefined && p === pages.length - 1 && integer(o.total, `validators_pages[${p}].total`) !== BigInt(validators.length)) {
      malformed(`validators_pages[${p}].total`, `all ${String(o.total)} validators across the pages, got ${validators.length}`);
    }
  });
  return { validators, totalVotingPower: validators.reduce((sum, v) => sum + v.votingPower, 0n) };
}
