/**
 * Commit verification as CometBFT's light client does it (`types/validation.go`): `verifyCommitLight`
 * proves that more than 2/3 of a block's own validator set signed it, matching signatures to
 * validators by index; `verifyCommitLightTrusting` proves that validators of an older, trusted set,
 * matched by address, holding more than the trust level of that set's power signed it. Only
 * BLOCK_ID_FLAG_COMMIT signatures count. Like CometBFT, both stop verifying once the threshold is
 * passed (signatures after that point are not checked, and cannot change the verdict); both are
 * deterministic. Power is summed as bigint, thresholds are integer fractions, signatures are ed25519
 * under ZIP-215 rules, CometBFT's own.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError } from '../../../core/index.ts';
import { ErrBadSignature, ErrCommitMismatch, ErrDoubleVote, ErrNotEnoughPower, ErrNotEnoughTrust, ErrUnknownValidator } from './errors.ts';
import { commitSignBytes } from './hashing.ts';
import {
  bytesEqual,
  checkBlockId,
  checkChainId,
  checkHeight,
  DEFAULT_TRUST_LEVEL,
  type Fraction,
  hex,
  sameBlockId,
  validateCommit,
  validateTrustLevel,
  validateValidatorSet,
} from './validate.ts';

/** What a successful verification counted: the signed power it stopped at, the set's total, the threshold it passed. */
export interface CommitVerdict {
  /** Power of the verified signatures, at least `needed + 1`. */
  readonly signedPower: bigint;
  readonly totalPower: bigint;
  /** The power the signatures had to exceed. */
  readonly neededPower: bigint;
}

/** An ed25519 signature check; malformed keys or signatures are simply invalid. */
function signatureValid(signature: Uint8Array, message: Uint8Array, pubkey: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    // ZIP-215 is what CometBFT v0.38 verifies with (curve25519-voi), so both accept the same signatures.
    return ed25519.verify(signature, message, pubkey, { zip215: true });
  } catch {
    return false;
  }
}

/**
 * CometBFT's `VerifyCommitLight`: `commit` is for `blockId` at `height`, has one entry per validator
 * of `validatorSet` (in the set's order), and its COMMIT signatures, each from the validator at its
 * index, verify and hold more than 2/3 of the set's power.
 * @throws lightclient/2 malformed input, /14 commit for another block or set, /5 a signer that is not
 *   the validator at its index, /4 a bad signature, /6 not more than 2/3 signed
 */
export function verifyCommitLight(
  chainId: string,
  validatorSet: ValidatorSet,
  blockId: BlockID,
  height: bigint,
  commit: Commit,
): CommitVerdict {
  checkChainId(chainId, 'chain_id');
  checkHeight(height, 'height');
  checkBlockId(blockId, 'block_id');
  const totalPower = validateValidatorSet(validatorSet, 'validator_set');
  validateCommit(commit);
  const validators = validatorSet.validators;
  if (commit.signatures.length !== validators.length) {
    throw ainError(ErrCommitMismatch, `commit.signatures: expected ${validators.length} entries, one per validator of the set`);
  }
  if (commit.height !== height) throw ainError(ErrCommitMismatch, `commit.height: expected ${height}, got ${commit.height}`);
  if (!sameBlockId(commit.blockId, blockId)) {
    throw ainError(ErrCommitMismatch, `commit.block_id: expected hash ${hex(blockId.hash)}, got ${hex(commit.blockId.hash)}`);
  }
  // Go's `TotalVotingPower() * 2 / 3`: integer division, and the signed power must exceed it.
  const neededPower = (totalPower * 2n) / 3n;
  let signedPower = 0n;
  for (let i = 0; i < commit.signatures.length; i++) {
    const sig = commit.signatures[i]!;
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    const validator = validators[i]!;
    // The set hash does not cover addresses, so the signer named in the commit must be the one at its index.
    if (!bytesEqual(sig.validatorAddress, validator.address)) {
      throw ainError(
        ErrUnknownValidator,
        `commit.signatures[${i}].validator_address: expected ${hex(validator.address)}, got ${hex(sig.validatorAddress)}`,
      );
    }
    if (!signatureValid(sig.signature, commitSignBytes(chainId, commit, i), validator.pubKey.ed25519!)) {
      throw ainError(
        ErrBadSignature,
        `commit.signatures[${i}].signature: expected a valid ed25519 signature of ${hex(validator.address)} on chain ${chainId}`,
      );
    }
    signedPower += validator.votingPower;
    if (signedPower > neededPower) return { signedPower, totalPower, neededPower };
  }
  throw ainError(ErrNotEnoughPower, `commit: signed power ${signedPower} of ${totalPower}; expected more than ${neededPower}`, {
    signedPower: signedPower.toString(),
    neededPower: neededPower.toString(),
  });
}

/**
 * CometBFT's `VerifyCommitLightTrusting`: the validators of `trustedSet` (looked up by address; other
 * signers are skipped, as a skipped-to block may have new ones) whose COMMIT signatures verify hold
 * more than `trustLevel` of the trusted set's power. The commit's height and block are not checked
 * against anything here: `verifyCommitLight` with the block's own set does that.
 * @throws lightclient/2, /16 a trust level outside [1/3, 1], /15 a validator twice, /4 a bad signature,
 *   /7 not enough of the trusted power signed
 */
export function verifyCommitLightTrusting(
  chainId: string,
  trustedSet: ValidatorSet,
  commit: Commit,
  trustLevel: Fraction = DEFAULT_TRUST_LEVEL,
): CommitVerdict {
  checkChainId(chainId, 'chain_id');
  validateTrustLevel(trustLevel);
  const totalPower = validateValidatorSet(trustedSet, 'trusted_set');
  validateCommit(commit);
  const byAddress = new Map(trustedSet.validators.map((validator, index) => [hex(validator.address), index]));
  const neededPower = (totalPower * trustLevel.numerator) / trustLevel.denominator;
  const seen = new Map<number, number>();
  let signedPower = 0n;
  for (let i = 0; i < commit.signatures.length; i++) {
    const sig = commit.signatures[i]!;
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    const index = byAddress.get(hex(sig.validatorAddress));
    if (index === undefined) continue;
    const first = seen.get(index);
    if (first !== undefined) {
      throw ainError(ErrDoubleVote, `commit.signatures[${i}].validator_address: expected a validator not already at signatures[${first}]`);
    }
    seen.set(index, i);
    const validator = trustedSet.validators[index]!;
    if (!signatureValid(sig.signature, commitSignBytes(chainId, commit, i), validator.pubKey.ed25519!)) {
      throw ainError(
        ErrBadSignature,
        `commit.signatures[${i}].signature: expected a valid ed25519 signature of ${hex(validator.address)} on chain ${chainId}`,
      );
    }
    signedPower += validator.votingPower;
    if (signedPower > neededPower) return { signedPower, totalPower, neededPower };
  }
  throw ainError(
    ErrNotEnoughTrust,
    `commit: trusted validators signed power ${signedPower} of ${totalPower}; expected more than ${neededPower} (trust level ${trustLevel.numerator}/${trustLevel.denominator})`,
    { signedPower: signedPower.toString(), neededPower: neededPower.toString() },
  );
}
