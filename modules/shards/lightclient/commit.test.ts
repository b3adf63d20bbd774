/**
 * `verifyCommitLight` and `verifyCommitLightTrusting` on the captured chain: every real commit verifies
 * with its own set, and each way of breaking one (a flipped signature byte, a signature removed so the
 * power falls short, a signer that is not the validator at its index, a commit for another block or
 * chain, a forged set, a trusting check below its level or with a validator counted twice) gives its
 * own `lightclient` code.
 */
import type { BlockIDFlag, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { verifyCommitLight, verifyCommitLightTrusting } from './commit.ts';
import {
  ErrBadSignature,
  ErrCommitMismatch,
  ErrDoubleVote,
  ErrInvalidParams,
  ErrMalformed,
  ErrNotEnoughPower,
  ErrNotEnoughTrust,
  ErrUnknownValidator,
} from './errors.ts';
import {
  absent,
  at,
  CHAIN_ID,
  CHANGED,
  expectAinError,
  FIRST,
  HEIGHTS,
  LAST,
  lastCommitOf,
  withSignature,
} from './testdata/chain.fixture.ts';

describe('verifyCommitLight', () => {
  it('verifies every captured commit with its own validator set (one signer, then one signer of two)', () => {
    for (const h of HEIGHTS) {
      const { validators, blockId, commit } = at(h);
      const verdict = verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(h), commit);
      expect(verdict.signedPower).toBe(100_000n);
      expect(verdict.totalPower).toBe(h >= CHANGED ? 120_000n : 100_000n);
      expect(verdict.neededPower).toBe(h >= CHANGED ? 80_000n : 66_666n);
      // The same commit as the next block's last_commit.
      if (h < LAST) verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(h), lastCommitOf(h));
    }
  });

  it('refuses a flipped signature byte (lightclient/4)', () => {
    const { validators, blockId, commit } = at(LAST);
    const flipped = withSignature(commit, 0, (sig) => {
      const signature = Uint8Array.from(sig.signature);
      signature[10]! ^= 0x01;
      return { ...sig, signature };
    });
    const error = expectAinError(() => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST), flipped), ErrBadSignature);
    expect(error.message).toContain('commit.signatures[0].signature: expected a valid ed25519 signature');
  });

  it('refuses a commit whose signatures were made for another chain id (lightclient/4)', () => {
    const { validators, blockId, commit } = at(LAST);
    expectAinError(() => verifyCommitLight('ain-other-1', validators, blockId, BigInt(LAST), commit), ErrBadSignature);
  });

  it('refuses a commit where a removed signature leaves 2/3 not passed (lightclient/6)', () => {
    const { validators, blockId, commit } = at(LAST);
    const error = expectAinError(
      () => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST), withSignature(commit, 0, absent)),
      ErrNotEnoughPower,
    );
    expect(error.message).toContain('signed power 0 of 120000; expected more than 80000');
  });

  it('refuses a signer that is not the validator at its index (lightclient/5)', () => {
    const { validators, blockId, commit } = at(LAST);
    const stranger = withSignature(commit, 0, (sig) => ({ ...sig, validatorAddress: new Uint8Array(20).fill(0xab) }));
    const error = expectAinError(() => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST), stranger), ErrUnknownValidator);
    expect(error.message).toContain(
      `commit.signatures[0].validator_address: expected ${Buffer.from(validators.validators[0]!.address).toString('hex').toUpperCase()}`,
    );
  });

  it('refuses a commit for another block, height or set size (lightclient/14)', () => {
    const { validators, blockId, commit } = at(LAST);
    const other = at(LAST - 1).blockId;
    expectAinError(() => verifyCommitLight(CHAIN_ID, validators, other, BigInt(LAST), commit), ErrCommitMismatch);
    expectAinError(() => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST - 1), commit), ErrCommitMismatch);
    // The commit of a two-validator height against the one-validator set before the change.
    expectAinError(() => verifyCommitLight(CHAIN_ID, at(FIRST).validators, blockId, BigInt(LAST), commit), ErrCommitMismatch);
  });

  it('refuses a set whose address does not derive from its key, and a malformed commit (lightclient/2)', () => {
    const { validators, blockId, commit } = at(LAST);
    const [a, b] = validators.validators;
    const swapped: ValidatorSet = {
      ...validators,
      validators: [
        { ...a!, address: b!.address },
        { ...b!, address: a!.address },
      ],
    };
    expect(expectAinError(() => verifyCommitLight(CHAIN_ID, swapped, blockId, BigInt(LAST), commit), ErrMalformed).message).toContain(
      'validator_set.validators[0].address: expected',
    );
    const noSignature = withSignature(commit, 0, (sig) => ({ ...sig, signature: new Uint8Array() }));
    expect(
      expectAinError(() => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST), noSignature), ErrMalformed).message,
    ).toContain('commit.signatures[0].signature: expected 1 to 64 bytes');
    const badFlag = withSignature(commit, 1, (sig) => ({ ...sig, blockIdFlag: 7 as BlockIDFlag }));
    expectAinError(() => verifyCommitLight(CHAIN_ID, validators, blockId, BigInt(LAST), badFlag), ErrMalformed);
  });
});

describe('verifyCommitLightTrusting', () => {
  it('trusts a later commit signed by the old set (before the change -> after it)', () => {
    const verdict = verifyCommitLightTrusting(CHAIN_ID, at(FIRST).validators, at(LAST).commit);
    expect(verdict).toEqual({ signedPower: 100_000n, totalPower: 100_000n, neededPower: 33_333n });
  });

  it('refuses when the trusted signers hold no more than the trust level (lightclient/7)', () => {
    // A holds 100000 of 120000 (5/6): enough for 1/3 and 2/3, not for 9/10.
    const trusted = at(CHANGED).validators;
    expect(verifyCommitLightTrusting(CHAIN_ID, trusted, at(LAST).commit, { numerator: 2n, denominator: 3n }).signedPower).toBe(100_000n);
    const error = expectAinError(
      () => verifyCommitLightTrusting(CHAIN_ID, trusted, at(LAST).commit, { numerator: 9n, denominator: 10n }),
      ErrNotEnoughTrust,
    );
    expect(error.message).toContain('signed power 100000 of 120000; expected more than 108000 (trust level 9/10)');
  });

  it('skips signers unknown to the trusted set', () => {
    const trusted = at(CHANGED).validators;
    const onlyB: ValidatorSet = { validators: [trusted.validators[1]!], totalVotingPower: 20_000n };
    // B never signed: nothing of the trusted power, A's signature is ignored as a stranger's.
    expectAinError(() => verifyCommitLightTrusting(CHAIN_ID, onlyB, at(LAST).commit), ErrNotEnoughTrust);
  });

  it('refuses a validator counted twice (lightclient/15) and a trust level outside [1/3, 1] (lightclient/16)', () => {
    const { commit } = at(LAST);
    const doubled = withSignature(commit, 1, () => ({ ...commit.signatures[0]! }));
    // Trust level 1 so the tally does not stop at the first signature.
    expectAinError(
      () => verifyCommitLightTrusting(CHAIN_ID, at(CHANGED).validators, doubled, { numerator: 1n, denominator: 1n }),
      ErrDoubleVote,
    );
    for (const level of [
      { numerator: 1n, denominator: 4n },
      { numerator: 4n, denominator: 3n },
      { numerator: 1n, denominator: 0n },
    ]) {
      expectAinError(() => verifyCommitLightTrusting(CHAIN_ID, at(CHANGED).validators, commit, level), ErrInvalidParams);
    }
  });

  it('refuses a flipped signature of a trusted validator (lightclient/4)', () => {
    const { commit } = at(LAST);
    const flipped = withSignature(commit, 0, (sig) => ({
      ...sig,
      signature: sig.signature.map((byte, i) => (i === 0 ? byte ^ 0x80 : byte)),
    }));
    expectAinError(() => verifyCommitLightTrusting(CHAIN_ID, at(FIRST).validators, flipped), ErrBadSignature);
  });
});
