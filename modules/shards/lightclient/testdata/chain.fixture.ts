/**
 * The captured chain (`chain.json`, written by `capture.fixture.ts`) as the verifier's inputs, and the
 * tools tests use to forge what a dishonest relayer or a double-signing child chain would send:
 * headers re-signed with the captured validators' keys, commits with a signature changed or removed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { BlockID, Commit, CommitSig, Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { expect } from 'vitest';
import type { AinError, ErrorDefinition } from '../../../../core/index.ts';
import { commitSignBytes, headerHash } from '../hashing.ts';
import { blockIdFromRpc, commitFromRpc, signedHeaderFromRpc, validatorSetFromRpc } from '../rpc.ts';
import type { LightClientParams, TrustedState } from '../update.ts';
import { DEFAULT_TRUST_LEVEL } from '../validate.ts';

interface HeightJson {
  block: { block_id: unknown; block: { header: unknown; last_commit: unknown } };
  commit: unknown;
  validators: unknown;
}

interface ChainJson {
  chainId: string;
  createValidatorHeight: number;
  keys: Record<'a' | 'b', { address: string; seed: string }>;
  heights: Record<string, HeightJson>;
}

export const CHAIN = JSON.parse(readFileSync(join(import.meta.dirname, 'chain.json'), 'utf8')) as ChainJson;
export const CHAIN_ID = CHAIN.chainId;
export const HEIGHTS = Object.keys(CHAIN.heights)
  .map(Number)
  .sort((x, y) => x - y);
export const FIRST = HEIGHTS[0]!;
export const LAST = HEIGHTS[HEIGHTS.length - 1]!;
/** The first height whose validators include B (CometBFT applies an update two heights after it). */
export const CHANGED = CHAIN.createValidatorHeight + 2;

/** Seeds of the captured validators by upper-case hex address. */
const SEEDS = new Map(Object.values(CHAIN.keys).map((k) => [k.address, Buffer.from(k.seed, 'base64')]));

export function raw(height: number): HeightJson {
  const entry = CHAIN.heights[String(height)];
  if (!entry) throw new Error(`no captured height ${height} (have ${FIRST}..${LAST})`);
  return entry;
}

/** One captured height as the verifier takes it: `/commit`'s signed header and `/validators` for it and the next. */
export function at(height: number): {
  signedHeader: SignedHeader;
  header: Header;
  commit: Commit;
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
  /** `/block`'s block_id: the node's own hash of the header. */
  blockId: BlockID;
} {
  const signedHeader = signedHeaderFromRpc(raw(height).commit);
  // The last captured height has no captured successor; its next set equals its own there (no change after CHANGED).
  const next = CHAIN.heights[String(height + 1)] ?? raw(height);
  return {
    signedHeader,
    header: signedHeader.header!,
    commit: signedHeader.commit!,
    validators: validatorSetFromRpc(raw(height).validators),
    nextValidators: validatorSetFromRpc(next.validators),
    blockId: blockIdFromRpc(raw(height).block.block_id),
  };
}

/** The commit for `height` as block height + 1 carries it (`last_commit`). */
export function lastCommitOf(height: number): Commit {
  return commitFromRpc(raw(height + 1).block.block.last_commit);
}

/** A trusted state taken straight from a captured height (as a parent would hold after verifying it). */
export function trustedAt(height: number): TrustedState {
  const { header, nextValidators } = at(height);
  return {
    chainId: header.chainId,
    height: header.height,
    time: header.time,
    headerHash: headerHash(header),
    nextValidatorsHash: header.nextValidatorsHash,
    nextValidators,
  };
}

/** A week of trust, CometBFT's default trust level, 10 s of drift. */
export const PARAMS: LightClientParams = {
  trustingPeriodSeconds: 7n * 24n * 3600n,
  trustLevel: DEFAULT_TRUST_LEVEL,
  maxClockDriftSeconds: 10n,
};

/** Parent block time a few seconds after the last captured header. */
export const NOW = at(LAST).header.time.seconds + 5n;

/**
 * A commit for `header` signed by every validator of `validators` whose key was captured (both are),
 * each with a COMMIT signature: what a child chain's validators produce when they double-sign.
 */
export function resign(header: Header, validators: ValidatorSet, round = 0): SignedHeader {
  const hash = headerHash(header);
  const commit: Commit = {
    height: header.height,
    round,
    blockId: { hash, partSetHeader: { total: 1, hash: new Uint8Array(32).fill(7) } },
    signatures: validators.validators.map(
      (v): CommitSig => ({
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
        validatorAddress: v.address,
        timestamp: { seconds: header.time.seconds + 1n, nanos: 0 },
        signature: new Uint8Array(),
      }),
    ),
  };
  commit.signatures.forEach((sig, i) => {
    const seed = SEEDS.get(Buffer.from(sig.validatorAddress).toString('hex').toUpperCase());
    if (!seed) throw new Error(`no captured key for validator ${i}`);
    sig.signature = ed25519.sign(commitSignBytes(header.chainId, commit, i), seed);
  });
  return { header, commit };
}

/** A copy of a commit with signature `index` replaced by `change(sig)`. */
export function withSignature(commit: Commit, index: number, change: (sig: CommitSig) => CommitSig): Commit {
  return { ...commit, signatures: commit.signatures.map((sig, i) => (i === index ? change({ ...sig }) : sig)) };
}

/** The entry CometBFT writes for a validator that did not vote. */
export function absent(): CommitSig {
  return {
    blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    validatorAddress: new Uint8Array(),
    timestamp: { seconds: 0n, nanos: 0 },
    signature: new Uint8Array(),
  };
}

/** Asserts that `run` throws the AinError `definition`, and returns it for more checks on its message. */
export function expectAinError(run: () => unknown, definition: ErrorDefinition): AinError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${definition.codespace}/${definition.code} (${definition.description})`).toBeDefined();
  const error = thrown as AinError;
  expect(`${error.codespace}/${error.code}: ${error.message}`).toMatch(new RegExp(`^${definition.codespace}/${definition.code}: `));
  return error;
}
