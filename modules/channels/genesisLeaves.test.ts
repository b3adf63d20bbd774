/**
 * The channels genesis check on claim leaves: a contract's claims are refused unless each sits under a
 * seq label as the keeper writes it (canonical decimal, 1..2^64-1, which the claim queries' walk
 * relies on) and is one the keeper could have taken (while active, inside the period, claimed after
 * its deadline), a settled contract's `slashed` is the settlement's, and its seq index holds exactly
 * its claims (or, for a contract from before the index, nothing). The round trip of a real
 * export is in test/app/contractClaims.app.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { encodeRecord, moduleAddress, type SubtreeLeaves } from '../../core/index.ts';
import type { StoredClaim, StoredContract } from './contracts.ts';
import { checkChannelsLeaves } from './genesisLeaves.ts';
import { indexLabel } from './claimIndex.ts';

const CLIENT = moduleAddress('client');
const EXECUTOR = moduleAddress('executor');
const contract: StoredContract = {
  id: 1n,
  client: CLIENT,
  clientPubkey: 'AA==',
  executor: EXECUTOR,
  executorPubkey: 'AA==',
  requestsPerSecond: 1,
  gpus: 0,
  price: 1000n,
  deposit: 100n,
  penaltyPerMiss: 30n,
  durationSeconds: 100n,
  disputeSeconds: 50n,
  startsAt: 1000n,
  endsAt: 1100n,
  refunded: 0n,
  claims: 2n,
  disputed: 0n,
  slashed: 0n,
  status: 'active',
};
const claim: StoredClaim = { deadline: 1010n, requestHash: 'AA==', claimedAt: 1020n, disputed: false };
/** What an active contract holds in escrow: the price not refunded and the deposit. */
const HELD = 1100n;

/** Contract 1 (as given) with claims at these seq labels, its index entries and escrow. */
function leaves(seqs: readonly string[], record: StoredContract = contract, each: StoredClaim = claim): SubtreeLeaves {
  const held = record.status === 'active' ? HELD : record.status === 'proposed' ? record.price : 0n;
  return {
    '/channels/next_contract_id': '2',
    '/channels/escrow_total': held.toString(),
    '/channels/contracts/1': encodeRecord(record),
    [`/channels/contracts_by_client/${CLIENT}/1`]: true,
    [`/channels/contracts_by_executor/${EXECUTOR}/1`]: true,
    ...Object.fromEntries(seqs.map((seq) => [`/channels/claims/1/${seq}`, encodeRecord(each)])),
  };
}
const check =
  (given: SubtreeLeaves, escrow = BigInt(given['/channels/escrow_total'] as string)) =>
  () =>
    checkChannelsLeaves(given, escrow);

describe('channels genesis: claim leaves', () => {
  it('takes claims under canonical seq labels, up to 2^64 - 1', () => {
    expect(check(leaves(['1', '18446744073709551615']))).not.toThrow();
  });

  it('refuses a seq label the keeper never writes, naming the leaf and the form expected', () => {
    for (const label of ['007', '0', '1e3', '18446744073709551616', '-1', ' 7', 'x'])
      expect(check(leaves(['1', label])), label).toThrow(
        `genesis channels.leaves["/channels/claims/1/${label}"] has seq label "${label}"; expected a seq as the keeper writes it: decimal from 1 to 18446744073709551615, no leading zeros`,
      );
  });

  it('still refuses a count that differs from the claim leaves, and claims of no contract', () => {
    expect(check(leaves(['1']))).toThrow('has claims 2 and disputed 0; its claim leaves are 1, 0 disputed');
    const stray = { ...leaves(['1', '2']), '/channels/claims/2/1': encodeRecord(claim) };
    expect(check(stray)).toThrow('["/channels/claims/2"] holds claims of no contract');
  });

  it('refuses claims of a contract that never ran, or outside what the keeper takes', () => {
    const proposed = { ...contract, status: 'proposed' as const };
    expect(check(leaves(['1', '2'], proposed))).toThrow('["/channels/contracts/1"] is proposed and has 2 claim leaves; expected none');
    expect(check(leaves(['1', '2'], contract, { ...claim, deadline: 999n }))).toThrow(
      '["/channels/claims/1/1"] has deadline 999; expected inside its contract\'s period 1000..1100',
    );
    expect(check(leaves(['1', '2'], contract, { ...claim, claimedAt: 1010n }))).toThrow(
      'has claimedAt 1010; expected after its deadline 1010 and at most 1150',
    );
    expect(check(leaves(['1', '2'], contract, { ...claim, claimedAt: 1151n }))).toThrow('has claimedAt 1151');
  });

  it("refuses a slashed amount that is not the settlement's", () => {
    // Settled: 2 misses at 30 slash 60 of the deposit of 100 (and hold nothing).
    const settled = { ...contract, status: 'settled' as const, slashed: 60n };
    expect(check(leaves(['1', '2'], settled))).not.toThrow();
    expect(check(leaves(['1', '2'], { ...settled, slashed: 50n }))).toThrow(
      '["/channels/contracts/1"] has slashed 50; expected 60 (settled, 2 misses at 30, deposit 100)',
    );
    expect(check(leaves(['1', '2'], { ...contract, slashed: 10n }))).toThrow('has slashed 10; expected 0');
  });
});

/** Contract 1's claims at these seqs with its seq index: complete, and an entry per seq of `entries`. */
function withIndex(seqs: readonly string[], entries: readonly string[] = seqs): SubtreeLeaves {
  return {
    ...leaves(seqs),
    '/channels/seq_index_complete/1': true,
    ...Object.fromEntries(entries.map((seq) => [`/channels/seq_index/1/${indexLabel(BigInt(seq))}`, true])),
  };
}
const entry = (seq: bigint) => `/channels/seq_index/1/${indexLabel(seq)}`;

describe('channels genesis: the seq index of claims', () => {
  it('takes a complete index of every claim, and a contract from before the index without one', () => {
    expect(check(withIndex(['7', '18446744073709551615']))).not.toThrow();
    expect(check(leaves(['7', '10']))).not.toThrow();
  });

  it('refuses an index that misses a claim or holds a seq with no claim, naming the entry', () => {
    expect(check(withIndex(['7', '10'], ['7']))).toThrow(
      `genesis channels.leaves lacks "${entry(10n)}": true, the seq index entry of /channels/claims/1/10 (/channels/contracts/1 is indexed)`,
    );
    expect(check(withIndex(['7', '10'], ['7', '10', '11']))).toThrow(`["${entry(11n)}"] indexes seq 11, which contract 1 has no claim for`);
  });

  it('refuses entries of a contract whose index is not complete, of no contract, and labels the keeper never writes', () => {
    const { '/channels/seq_index_complete/1': _, ...unmarked } = withIndex(['7', '10']);
    expect(check(unmarked)).toThrow(
      `["${entry(7n)}"] indexes a claim of contract 1, whose index is not complete (no "/channels/seq_index_complete/1": true); expected no entry`,
    );
    expect(check({ ...withIndex(['7', '10']), '/channels/seq_index/2/00000000000000000001': true })).toThrow(
      '["/channels/seq_index/2"] indexes claims of no contract',
    );
    expect(check({ ...withIndex(['7', '10']), '/channels/seq_index_complete/2': true })).toThrow(
      '["/channels/seq_index_complete/2"] marks the seq index of no contract',
    );
    for (const label of ['7', '00000000000000000000', '18446744073709551616'])
      expect(check({ ...withIndex(['7', '10']), [`/channels/seq_index/1/${label}`]: true }), label).toThrow(
        `["/channels/seq_index/1/${label}"] has label "${label}"; expected a seq index label: a seq from 1 to 18446744073709551615 padded with zeros to 20 digits`,
      );
    expect(check({ ...withIndex(['7', '10']), [entry(7n)]: 'yes' })).toThrow(`["${entry(7n)}"]`);
    expect(check({ ...withIndex(['7', '10']), '/channels/seq_index/1': true })).toThrow('is not a leaf the channels module writes');
  });
});
