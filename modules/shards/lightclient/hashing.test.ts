/**
 * The hashes and sign bytes against CometBFT's own test vectors (`TestHeaderHash`,
 * `TestVoteSignBytesTestVectors`) and against a real node's blocks (`testdata/chain.json`): every
 * header hash, validator set hash and commit signature recomputed here equals what the node produced.
 */
import { createHash } from 'node:crypto';
import { toHex } from '@cosmjs/encoding';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Header } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { commitSignBytes, commitVote, ed25519Address, headerHash, merkleRoot, validatorSetHash, voteSignBytes } from './hashing.ts';
import { at, CHAIN_ID, CHANGED, expectAinError, FIRST, HEIGHTS, LAST, lastCommitOf, raw } from './testdata/chain.fixture.ts';
import { ErrMalformed } from './errors.ts';
import { headerFromRpc, signedHeaderFromRpc, validatorSetFromRpc } from './rpc.ts';
import { sameBlockId } from './validate.ts';

const sha = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const hexUpper = (bytes: Uint8Array): string => toHex(bytes).toUpperCase();

describe('merkleRoot (RFC 6962)', () => {
  it('hashes nothing, one leaf and an uneven split as RFC 6962 says', () => {
    const [a, b, c] = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    const leaf = (x: Uint8Array) => sha(Uint8Array.of(0), x);
    const inner = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);
    expect(merkleRoot([])).toEqual(sha());
    expect(merkleRoot([a])).toEqual(leaf(a));
    // Three leaves split at 2 (the largest power of two below 3): ((a b) c).
    expect(merkleRoot([a, b, c])).toEqual(inner(inner(leaf(a), leaf(b)), leaf(c)));
    // Five split at 4.
    const five = [a, b, c, a, b];
    expect(merkleRoot(five)).toEqual(inner(merkleRoot(five.slice(0, 4)), leaf(b)));
  });
});

describe('headerHash', () => {
  it("equals CometBFT's TestHeaderHash vector", () => {
    const zero = new Uint8Array(32);
    const header: Header = {
      version: { block: 1n, app: 2n },
      chainId: 'chainId',
      height: 3n,
      time: { seconds: BigInt(Date.UTC(2019, 9, 13, 16, 14, 44) / 1000), nanos: 0 },
      lastBlockId: { hash: zero, partSetHeader: { total: 6, hash: zero } },
      lastCommitHash: sha('last_commit_hash'),
      dataHash: sha('data_hash'),
      validatorsHash: sha('validators_hash'),
      nextValidatorsHash: sha('next_validators_hash'),
      consensusHash: sha('consensus_hash'),
      appHash: sha('app_hash'),
      lastResultsHash: sha('last_results_hash'),
      evidenceHash: sha('evidence_hash'),
      proposerAddress: sha('proposer_address').slice(0, 20),
    };
    expect(hexUpper(headerHash(header))).toBe('F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4');
  });

  it("equals the node's block hash at every captured height, and each header links to the one before", () => {
    expect(HEIGHTS.length).toBeGreaterThanOrEqual(8);
    for (const h of HEIGHTS) {
      const { header, commit, blockId } = at(h);
      expect(hexUpper(headerHash(header)), `height ${h}`).toBe(hexUpper(blockId.hash));
      expect(sameBlockId(commit.blockId, blockId)).toBe(true);
      // /block's header is the same header as /commit's.
      expect(headerHash(headerFromRpc(raw(h).block.block.header))).toEqual(blockId.hash);
      if (h > FIRST) expect(sameBlockId(header.lastBlockId, at(h - 1).blockId), `last_block_id of ${h}`).toBe(true);
    }
  });
});

describe('validatorSetHash', () => {
  it("equals the headers' validators_hash and next_validators_hash, before and after the set change", () => {
    for (const h of HEIGHTS) {
      const { header, validators, nextValidators } = at(h);
      expect(validatorSetHash(validators.validators), `validators_hash at ${h}`).toEqual(header.validatorsHash);
      if (h < LAST) expect(validatorSetHash(nextValidators.validators), `next_validators_hash at ${h}`).toEqual(header.nextValidatorsHash);
    }
    const before = at(CHANGED - 1);
    const after = at(CHANGED);
    expect([before.validators.validators.length, after.validators.validators.length]).toEqual([1, 2]);
    expect(before.header.validatorsHash).not.toEqual(after.header.validatorsHash);
    // The change is announced one height earlier, in next_validators_hash.
    expect(before.header.nextValidatorsHash).toEqual(after.header.validatorsHash);
  });

  it("takes the set's order as is (CometBFT's: power descending), so another order hashes differently", () => {
    const { validators, header } = at(LAST);
    expect(validators.validators.map((v) => v.votingPower)).toEqual([100_000n, 20_000n]);
    expect(validatorSetHash([...validators.validators].reverse())).not.toEqual(header.validatorsHash);
  });

  it("derives each validator's address from its key", () => {
    for (const v of at(LAST).validators.validators) expect(ed25519Address(v.pubKey.ed25519!)).toEqual(v.address);
  });
});

describe('voteSignBytes', () => {
  const goZeroTime = { seconds: -62_135_596_800n, nanos: 0 };
  const nil = { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } };

  it("equals CometBFT's TestVoteSignBytesTestVectors", () => {
    // Vector 1: a precommit at height 1, round 1, no chain id, Go's zero time.
    expect(toHex(voteSignBytes('', { type: 2, height: 1n, round: 1, blockId: nil, timestamp: goZeroTime }))).toBe(
      '210802110100000000000000190100000000000000' + '2a0b088092b8c398feffffff01',
    );
    // Vector 4: no type, a chain id.
    expect(toHex(voteSignBytes('test_chain_id', { type: 0, height: 1n, round: 1, blockId: nil, timestamp: goZeroTime }))).toBe(
      [
        '2e110100000000000000190100000000000000',
        '2a0b088092b8c398feffffff01',
        `320d${toHex(new TextEncoder().encode('test_chain_id'))}`,
      ].join(''),
    );
  });

  it('signs the block id for a COMMIT signature and none for a NIL one', () => {
    const { commit } = at(LAST);
    const commitVoteOf = commitVote(commit, 0);
    expect(commitVoteOf.blockId).toEqual(commit.blockId);
    const nilCommit = { ...commit, signatures: [{ ...commit.signatures[0]!, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_NIL }] };
    expect(commitVote(nilCommit, 0).blockId.hash).toHaveLength(0);
    // Without field 4, the CanonicalBlockID: key and length (2) + hash (2 + 32) + part set header (2 + 2 + 2 + 32).
    expect(commitSignBytes(CHAIN_ID, commit, 0).length - commitSignBytes(CHAIN_ID, nilCommit, 0).length).toBe(74);
  });

  it("is what every captured commit signature signed (from /commit and from the next block's last_commit)", () => {
    let checked = 0;
    for (const h of HEIGHTS) {
      const { validators } = at(h);
      const commits = h < LAST ? [at(h).commit, lastCommitOf(h)] : [at(h).commit];
      for (const commit of commits) {
        commit.signatures.forEach((sig, i) => {
          if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) return;
          const key = validators.validators[i]!.pubKey.ed25519!;
          expect(ed25519.verify(sig.signature, commitSignBytes(CHAIN_ID, commit, i), key), `height ${h} signature ${i}`).toBe(true);
          expect(ed25519.verify(sig.signature, commitSignBytes('another-chain', commit, i), key)).toBe(false);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * HEIGHTS.length - 1);
  });
});

describe('RPC JSON', () => {
  it('reads /commit and /validators as the node wrote them, and names the field of a malformed one', () => {
    const { header } = at(LAST);
    expect([header.chainId, header.height, header.version.block]).toEqual([CHAIN_ID, BigInt(LAST), 11n]);
    expect(toHex(header.proposerAddress).toUpperCase()).toBe(
      (raw(LAST).validators as { validators: { address: string }[] }).validators[0]!.address,
    );

    const broken = structuredClone(raw(LAST).commit) as { signed_header: { header: { height: string } } };
    broken.signed_header.header.height = 'ten';
    expect(expectAinError(() => signedHeaderFromRpc(broken), ErrMalformed).message).toContain(
      'signed_header.header.height: expected an integer',
    );
    const badKey = structuredClone(raw(LAST).validators) as { validators: { pub_key: { type: string } }[] };
    badKey.validators[1]!.pub_key.type = 'tendermint/PubKeySecp256k1';
    expect(expectAinError(() => validatorSetFromRpc(badKey), ErrMalformed).message).toContain(
      'validators[1].pub_key.type: expected tendermint/PubKeyEd25519',
    );
  });
});
