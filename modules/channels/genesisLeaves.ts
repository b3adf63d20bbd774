/**
 * The shapes of the channels module's leaves, which InitChain checks in exported genesis leaves: the
 * records are read back as `StoredChannel`, `StoredContract` and `StoredClaim` and paid out of the
 * `channels` account, so a hand-edited record (a bigint as 0x10, a dropped field, an unknown status)
 * or an amount that no longer adds up would be imported and make later txs fail or pay out another
 * record's coins. Each shape is the JSON of a record type (bigints as decimal strings); the
 * compile-time checks below keep the two the same.
 */
import { z } from 'zod';
import {
  ainError,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  type RecordJson,
} from '../../core/index.ts';
import { isIndexLabel, seqIndexEntryPath } from './claimIndex.ts';
import { isSeqLabel, MAX_SEQ } from './claimSeqs.ts';
import type { StoredClaim, StoredContract } from './contracts.ts';
import type { StoredChannel } from './keeper.ts';
import { CHANNELS_ROOT, claimPath, ESCROW_TOTAL_PATH, NEXT_CHANNEL_ID_PATH, NEXT_CONTRACT_ID_PATH, seqIndexCompletePath } from './keys.ts';

const { uint, count, flag, address } = leafShapes;
const FIELD = 'genesis channels.leaves';

const channel = z.strictObject({
  id: uint,
  payer: address,
  payerPubkey: z.base64(),
  executor: address,
  deposit: uint,
  redeemed: uint,
  nonce: uint,
  expiresAt: uint,
  status: z.enum(['open', 'closed']),
});

const contract = z.strictObject({
  id: uint,
  client: address,
  clientPubkey: z.base64(),
  executor: address,
  executorPubkey: z.base64(),
  requestsPerSecond: count,
  gpus: count,
  price: uint,
  deposit: uint,
  penaltyPerMiss: uint,
  durationSeconds: uint,
  disputeSeconds: uint,
  startsAt: uint,
  endsAt: uint,
  refunded: uint,
  claims: uint,
  disputed: uint,
  slashed: uint,
  status: z.enum(['proposed', 'active', 'settled', 'cancelled']),
});

const claim = z.strictObject({ deadline: uint, requestHash: z.base64(), claimedAt: uint, disputed: z.boolean() });

// A field added to a record type and not here (or the other way round) fails to compile.
const shapesMatchRecords: [
  SameType<z.infer<typeof channel>, RecordJson<StoredChannel>>,
  SameType<z.infer<typeof contract>, RecordJson<StoredContract>>,
  SameType<z.infer<typeof claim>, RecordJson<StoredClaim>>,
] = [true, true, true];
void shapesMatchRecords;

const CHANNELS_LEAVES: readonly LeafKind[] = [
  { path: NEXT_CHANNEL_ID_PATH, schema: uint },
  { path: NEXT_CONTRACT_ID_PATH, schema: uint },
  { path: ESCROW_TOTAL_PATH, schema: uint },
  { path: '/channels/channels/*', schema: channel, record: true },
  { path: '/channels/contracts/*', schema: contract, record: true },
  { path: '/channels/claims/*/*', schema: claim, record: true },
  { path: '/channels/by_payer/*/*', schema: flag },
  { path: '/channels/by_executor/*/*', schema: flag },
  { path: '/channels/contracts_by_client/*/*', schema: flag },
  { path: '/channels/contracts_by_executor/*/*', schema: flag },
  { path: '/channels/seq_index/*/*', schema: flag },
  { path: '/channels/seq_index_complete/*', schema: flag },
];

type Channel = z.infer<typeof channel>;
type Contract = z.infer<typeof contract>;
type Claim = z.infer<typeof claim>;

/** uain a record holds in the `channels` account: what its payer or parties have not been paid back yet. */
function held(record: Channel | Contract): bigint {
  if ('payer' in record) return record.status === 'open' ? BigInt(record.deposit) - BigInt(record.redeemed) : 0n;
  if (record.status === 'proposed') return BigInt(record.price);
  if (record.status === 'active') return BigInt(record.price) - BigInt(record.refunded) + BigInt(record.deposit);
  return 0n;
}

/** Amounts a record may not exceed: the keeper never pays out more than was put in. */
function checkBounds(path: string, record: Channel | Contract): void {
  const over = (field: string, value: string, limit: string, of: string) => {
    if (BigInt(value) > BigInt(limit)) throw refuse(path, `has ${field} ${value}, above its ${of} ${limit}`);
  };
  if ('payer' in record) return over('redeemed', record.redeemed, record.deposit, 'deposit');
  over('refunded', record.refunded, record.price, 'price');
  over('slashed', record.slashed, record.deposit, 'deposit');
  over('disputed', record.disputed, record.claims, 'claims');
}

const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);

/**
 * A contract's claims as the keeper takes them: only while it is active (a proposed or cancelled one
 * has none), each for a deadline inside the period that had passed when claimed, claimed no later than
 * one dispute window after the end; and its `slashed` the settlement's (misses x penalty, capped at
 * the deposit), 0 before it settles.
 */
function checkClaims(path: string, contract: Contract, own: ReadonlyArray<readonly [string, Claim]>): void {
  if (own.length > 0 && (contract.status === 'proposed' || contract.status === 'cancelled'))
    throw refuse(path, `is ${contract.status} and has ${own.length} claim leaves; expected none (claims are taken while active)`);
  const [startsAt, endsAt, window] = [contract.startsAt, contract.endsAt, contract.disputeSeconds].map(BigInt) as [bigint, bigint, bigint];
  for (const [claimPath, claim] of own) {
    const [deadline, claimedAt] = [BigInt(claim.deadline), BigInt(claim.claimedAt)];
    if (deadline < startsAt || deadline > endsAt)
      throw refuse(claimPath, `has deadline ${deadline}; expected inside its contract's period ${startsAt}..${endsAt}`);
    if (claimedAt <= deadline || claimedAt > endsAt + window)
      throw refuse(claimPath, `has claimedAt ${claimedAt}; expected after its deadline ${deadline} and at most ${endsAt + window}`);
  }
  const misses = BigInt(contract.claims) - BigInt(contract.disputed);
  const penalty = misses * BigInt(contract.penaltyPerMiss);
  const deposit = BigInt(contract.deposit);
  const slashed = contract.status !== 'settled' ? 0n : penalty < deposit ? penalty : deposit;
  if (BigInt(contract.slashed) !== slashed)
    throw refuse(
      path,
      `has slashed ${contract.slashed}; expected ${slashed} (${contract.status}, ${misses} misses at ${contract.penaltyPerMiss}, deposit ${deposit})`,
    );
}

/**
 * A contract's seq index as the keeper keeps it (`claimIndex.ts`): complete (`seq_index_complete`)
 * with exactly one entry per claim, or, for a contract with claims from before the index, no entry
 * at all (its claims are paged by a label walk).
 */
function checkSeqIndex(path: string, id: bigint, seqs: readonly bigint[], complete: boolean, entries: Set<bigint>): void {
  if (!complete) {
    for (const seq of entries)
      throw refuse(
        seqIndexEntryPath(id, seq),
        `indexes a claim of contract ${id}, whose index is not complete (no "${seqIndexCompletePath(id)}": true); expected no entry`,
      );
    return;
  }
  for (const seq of seqs)
    if (!entries.delete(seq))
      throw ainError(
        ErrInvalidRequest,
        `${FIELD} lacks "${seqIndexEntryPath(id, seq)}": true, the seq index entry of ${claimPath(id, seq)} (${path} is indexed)`,
      );
  for (const seq of entries) throw refuse(seqIndexEntryPath(id, seq), `indexes seq ${seq}, which contract ${id} has no claim for`);
}

/**
 * Checks the channels leaves of a genesis against the shapes the keepers write, then their index and
 * money as the keepers keep them: each record under its own id and below its counter, with its two
 * index entries (and no entry without its record), each contract's `claims` and `disputed` its claim
 * leaves (each under a canonical seq label, taken as `checkClaims` says, indexed as `checkSeqIndex`
 * says), and `/channels/escrow_total` both the sum of what the records hold and the `channels`
 * account's balance (`escrowBalance`).
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkChannelsLeaves(leaves: SubtreeLeaves, escrowBalance: bigint): void {
  checkLeafKinds(leaves, CHANNELS_LEAVES, FIELD);
  const records = new Map<string, Channel | Contract>();
  const claims = new Map<string, Array<[string, Claim]>>();
  const indexes = new Set<string>();
  const seqIndexes = new Map<string, Set<bigint>>();
  const complete = new Set<string>();
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    const kind = labels[2];
    if ((kind === 'channels' || kind === 'contracts') && labels.length === 4) records.set(path, JSON.parse(value as string));
    else if (kind === 'claims' && labels.length === 5) {
      // The seq walk of the claim queries finds canonical labels only: "007" would be a claim no query lists.
      if (!isSeqLabel(labels[4]!))
        throw refuse(
          path,
          `has seq label "${labels[4]}"; expected a seq as the keeper writes it: decimal from 1 to ${MAX_SEQ}, no leading zeros`,
        );
      claims.set(labels[3]!, [...(claims.get(labels[3]!) ?? []), [path, JSON.parse(value as string)]]);
    } else if (kind === 'seq_index' && labels.length === 5) {
      if (!isIndexLabel(labels[4]!))
        throw refuse(
          path,
          `has label "${labels[4]}"; expected a seq index label: a seq from 1 to ${MAX_SEQ} padded with zeros to 20 digits`,
        );
      const entries = seqIndexes.get(labels[3]!) ?? new Set<bigint>();
      seqIndexes.set(labels[3]!, entries.add(BigInt(labels[4]!)));
    } else if (kind === 'seq_index_complete' && labels.length === 4) complete.add(labels[3]!);
    else if (kind?.startsWith('by_') || kind?.startsWith('contracts_by_')) indexes.add(path);
    else if (![NEXT_CHANNEL_ID_PATH, NEXT_CONTRACT_ID_PATH, ESCROW_TOTAL_PATH].includes(path))
      throw refuse(path, 'is not a leaf the channels module writes');
  }
  let escrowSum = 0n;
  for (const [path, record] of records) {
    const [, , kind, id] = path.split('/') as [string, string, 'channels' | 'contracts', string];
    if (record.id !== id) throw refuse(path, `has id ${record.id}; expected ${id}`);
    const counter = kind === 'channels' ? NEXT_CHANNEL_ID_PATH : NEXT_CONTRACT_ID_PATH;
    const next = BigInt((leaves[counter] as string | undefined) ?? '1');
    if (BigInt(id) >= next) throw refuse(counter, `is ${next}; expected above the id of ${path}, or the id would be handed out again`);
    checkBounds(path, record);
    const parties: [string, string][] =
      'payer' in record
        ? [
            ['by_payer', record.payer],
            ['by_executor', record.executor],
          ]
        : [
            ['contracts_by_client', record.client],
            ['contracts_by_executor', record.executor],
          ];
    for (const [index, party] of parties) {
      const entry = `${CHANNELS_ROOT}/${index}/${party}/${id}`;
      if (!indexes.delete(entry)) throw ainError(ErrInvalidRequest, `${FIELD} lacks "${entry}": true, the index entry of ${path}`);
    }
    if (!('payer' in record)) {
      const own = claims.get(id) ?? [];
      claims.delete(id);
      const disputed = own.filter(([, c]) => c.disputed).length;
      if (BigInt(record.claims) !== BigInt(own.length) || BigInt(record.disputed) !== BigInt(disputed))
        throw refuse(
          path,
          `has claims ${record.claims} and disputed ${record.disputed}; its claim leaves are ${own.length}, ${disputed} disputed`,
        );
      checkClaims(path, record, own);
      const seqs = own.map(([claim]) => BigInt(claim.slice(claim.lastIndexOf('/') + 1)));
      checkSeqIndex(path, BigInt(id), seqs, complete.delete(id), seqIndexes.get(id) ?? new Set());
      seqIndexes.delete(id);
    }
    escrowSum += held(record);
  }
  for (const path of indexes) throw refuse(path, 'is an index entry of no record with that party');
  for (const id of claims.keys()) throw refuse(`${CHANNELS_ROOT}/claims/${id}`, 'holds claims of no contract');
  for (const id of seqIndexes.keys()) throw refuse(`${CHANNELS_ROOT}/seq_index/${id}`, 'indexes claims of no contract');
  for (const id of complete) throw refuse(`${CHANNELS_ROOT}/seq_index_complete/${id}`, 'marks the seq index of no contract');
  const total = BigInt((leaves[ESCROW_TOTAL_PATH] as string | undefined) ?? '0');
  if (total !== escrowSum) throw refuse(ESCROW_TOTAL_PATH, `is ${total}; the open channels and live contracts hold ${escrowSum}`);
  if (escrowBalance !== escrowSum)
    throw ainError(
      ErrInvalidRequest,
      `${FIELD}: the channels account holds ${escrowBalance}uain; the open channels and live contracts hold ${escrowSum}uain`,
    );
}
