/**
 * The hashes and sign bytes of CometBFT v0.38, recomputed from the protobuf messages a relayer fetched:
 * the RFC 6962 simple Merkle root (`merkle.HashFromByteSlices`), a header's hash (`Header.Hash()`: the
 * root of its 14 fields, each encoded as CometBFT encodes it), a validator set's hash (the root of each
 * validator's `SimpleValidator` bytes in the set's order) and a precommit's sign bytes (the
 * length-prefixed `CanonicalVote`). No validation here: callers check shapes first (`validate.ts`).
 */
import { createHash } from 'node:crypto';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { BlockID, Commit, Header, PartSetHeader, Vote } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type Validator } from 'cosmjs-types/tendermint/types/validator';
import { lengthPrefixed, ProtoWriter } from './proto.ts';

/** tendermint.types.SignedMsgType PRECOMMIT: the vote type of every commit signature. */
export const PRECOMMIT_TYPE = 2;

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

const LEAF_PREFIX = Uint8Array.of(0);
const INNER_PREFIX = Uint8Array.of(1);

/** The largest power of two strictly below n (n >= 2): where RFC 6962 splits a list. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * RFC 6962's Merkle tree hash of a list: sha256 of nothing for an empty list, sha256(0x00 ‖ item) for
 * a leaf, sha256(0x01 ‖ left ‖ right) above, split at the largest power of two below the length.
 */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256();
  if (items.length === 1) return sha256(LEAF_PREFIX, items[0]!);
  const k = splitPoint(items.length);
  return sha256(INNER_PREFIX, merkleRoot(items.slice(0, k)), merkleRoot(items.slice(k)));
}

/** google.protobuf.Timestamp; zero fields are omitted, as gogoproto's StdTimeMarshal does. */
export function encodeTimestamp(time: Timestamp): Uint8Array {
  return new ProtoWriter().varint(1, time.seconds).varint(2, time.nanos).finish();
}

function encodePartSetHeader(parts: PartSetHeader): Uint8Array {
  return new ProtoWriter().varint(1, parts.total).bytes(2, parts.hash).finish();
}

/** tendermint.types.BlockID: the part set header is non-nullable, so it is written even when empty. */
export function encodeBlockId(blockId: BlockID): Uint8Array {
  return new ProtoWriter().bytes(1, blockId.hash).message(2, encodePartSetHeader(blockId.partSetHeader)).finish();
}

// The gogoproto wrapper types CometBFT's cdcEncode uses for a header's scalar fields.
const stringValue = (value: string): Uint8Array => new ProtoWriter().string(1, value).finish();
const int64Value = (value: bigint): Uint8Array => new ProtoWriter().varint(1, value).finish();
const bytesValue = (value: Uint8Array): Uint8Array => new ProtoWriter().bytes(1, value).finish();

/** The 14 leaves of a header's Merkle tree, in CometBFT's order. */
export function headerLeaves(header: Header): Uint8Array[] {
  return [
    new ProtoWriter().varint(1, header.version.block).varint(2, header.version.app).finish(),
    stringValue(header.chainId),
    int64Value(header.height),
    encodeTimestamp(header.time),
    encodeBlockId(header.lastBlockId),
    bytesValue(header.lastCommitHash),
    bytesValue(header.dataHash),
    bytesValue(header.validatorsHash),
    bytesValue(header.nextValidatorsHash),
    bytesValue(header.consensusHash),
    bytesValue(header.appHash),
    bytesValue(header.lastResultsHash),
    bytesValue(header.evidenceHash),
    bytesValue(header.proposerAddress),
  ];
}

/**
 * CometBFT's `Header.Hash()`, the block hash a commit's block_id carries. Expects a header that passed
 * `validateHeader` (CometBFT returns nil for a header without validators_hash; that one is refused there).
 */
export function headerHash(header: Header): Uint8Array {
  return merkleRoot(headerLeaves(header));
}

/** cometbft.crypto.PublicKey: a oneof, ed25519 = 1, secp256k1 = 2. */
function encodePublicKey(validator: Validator): Uint8Array {
  const writer = new ProtoWriter();
  if (validator.pubKey.ed25519 !== undefined) writer.message(1, validator.pubKey.ed25519);
  else if (validator.pubKey.secp256k1 !== undefined) writer.message(2, validator.pubKey.secp256k1);
  return writer.finish();
}

/** A validator's `SimpleValidator{pub_key, voting_power}` bytes: what the set hash commits to (no address, no priority). */
export function simpleValidatorBytes(validator: Validator): Uint8Array {
  return new ProtoWriter().message(1, encodePublicKey(validator)).varint(2, validator.votingPower).finish();
}

/**
 * CometBFT's `ValidatorSet.Hash()`: the Merkle root of each validator's SimpleValidator bytes in the
 * order given. CometBFT keeps (and its RPC returns) a set sorted by voting power descending, then
 * address ascending; the hash takes that order as is, so a reordered set hashes differently.
 */
export function validatorSetHash(validators: readonly Validator[]): Uint8Array {
  return merkleRoot(validators.map(simpleValidatorBytes));
}

/** CanonicalBlockID, or undefined for the zero block id (a nil vote), which CometBFT leaves out. */
function canonicalBlockId(blockId: BlockID): Uint8Array | undefined {
  const parts = blockId.partSetHeader;
  if (blockId.hash.length === 0 && parts.total === 0 && parts.hash.length === 0) return undefined;
  // CanonicalPartSetHeader has the same fields as PartSetHeader; it is non-nullable, so always written.
  return new ProtoWriter().bytes(1, blockId.hash).message(2, encodePartSetHeader(parts)).finish();
}

/**
 * The bytes a validator signs for a vote (`VoteSignBytes`): the length-prefixed CanonicalVote
 * {type, height and round as sfixed64, block id (absent for nil), timestamp, chain id}.
 */
export function voteSignBytes(chainId: string, vote: Pick<Vote, 'type' | 'height' | 'round' | 'blockId' | 'timestamp'>): Uint8Array {
  const writer = new ProtoWriter().varint(1, vote.type).sfixed64(2, vote.height).sfixed64(3, BigInt(vote.round));
  const blockId = canonicalBlockId(vote.blockId);
  if (blockId) writer.message(4, blockId);
  writer.message(5, encodeTimestamp(vote.timestamp)).string(6, chainId);
  return lengthPrefixed(writer.finish());
}

const NIL_BLOCK_ID: BlockID = { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } };

/**
 * The precommit behind a commit's signature at `index` (`Commit.GetVote`): a COMMIT signature voted for
 * the commit's block id, a NIL one for the zero block id. Absent signatures have no vote.
 */
export function commitVote(commit: Commit, index: number): Pick<Vote, 'type' | 'height' | 'round' | 'blockId' | 'timestamp'> {
  const sig = commit.signatures[index]!;
  return {
    type: PRECOMMIT_TYPE,
    height: commit.height,
    round: commit.round,
    blockId: sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? commit.blockId : NIL_BLOCK_ID,
    timestamp: sig.timestamp,
  };
}

/** The sign bytes of a commit's signature at `index` (`Commit.VoteSignBytes`). */
export function commitSignBytes(chainId: string, commit: Commit, index: number): Uint8Array {
  return voteSignBytes(chainId, commitVote(commit, index));
}

/** A validator's address from its ed25519 key: the first 20 bytes of sha256(pubkey). */
export function ed25519Address(pubkey: Uint8Array): Uint8Array {
  return sha256(pubkey).slice(0, 20);
}
