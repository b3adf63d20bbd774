/**
 * The shapes of the gov module's leaves, which InitChain checks in exported genesis leaves: the end of
 * each block walks the deposit and voting queues, reads each due proposal, its deposits (refunded from
 * or burned in the gov account) and its votes (tallied by the voters' stake), so a hand-edited record
 * not as the keeper writes it, a queue entry without its proposal, or deposits the gov account does
 * not hold would throw there and halt the chain. Each shape is the JSON of a record type of the keeper
 * (bigints as decimal strings); the compile-time checks below keep the two the same.
 */
import { VoteOption, voteOptionToJSON } from 'cosmjs-types/cosmos/gov/v1/gov';
import { z } from 'zod';
import {
  ainError,
  type Coin,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  type RecordJson,
  checkIndexEntries,
  DEC_ONE,
} from '../../core/index.ts';
import {
  CONSTITUTION_PATH,
  DEPOSIT_QUEUE_ROOT,
  DEPOSITS_ROOT,
  depositQueuePath,
  NEXT_PROPOSAL_ID_PATH,
  PROPOSALS_ROOT,
  pad20,
  VOTES_ROOT,
  VOTING_QUEUE_ROOT,
  votingQueuePath,
} from './keys.ts';
import type { StoredVote } from './keeper.ts';
import { type ProposalRecord, ProposalStatus } from './proposal.ts';
import type { Tally } from './tally.ts';

const { uint, flag, address } = leafShapes;
const FIELD = 'genesis gov.leaves';
const PADDED = /^[0-9]{20}$/;

/** A deposit's amount is moved by the bank at settlement: a valid denom and a positive amount. */
const coin = z.strictObject({
  amount: uint.refine((text) => text !== '0', 'expected a positive amount'),
  denom: leafShapes.denom,
});
const coins = z.array(coin);

const tally = z.strictObject({ yes: uint, abstain: uint, no: uint, noWithVeto: uint });

const status = z
  .enum(ProposalStatus)
  .refine(
    (s) => s >= ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && s <= ProposalStatus.PROPOSAL_STATUS_FAILED,
    'expected a status 1 to 5',
  );

const proposal = z.strictObject({
  id: uint,
  messages: z.array(z.strictObject({ typeUrl: z.string(), value: z.base64() })),
  status,
  finalTally: tally.exactOptional(),
  submitTime: uint,
  depositEndTime: uint,
  totalDeposit: coins,
  votingStartTime: uint,
  votingEndTime: uint,
  metadata: z.string(),
  title: z.string(),
  summary: z.string(),
  proposer: address,
  failedReason: z.string(),
  expedited: z.literal(true).exactOptional(),
});

/**
 * A vote's options as `validateVoteWeighted` (msgs.ts) lets a tx store them: each option once, in
 * ascending order of option (a tx's list is stored sorted, so another order would give the imported
 * chain another app hash than the one that exported it), each weight above 0, the weights adding up to
 * exactly 1 (10^18 atomics). A tally reads them without checking: weights adding up to more or less
 * would count the voter's stake more or less than once.
 */
const ORDER = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO]
  .map(voteOptionToJSON)
  .join(', ');

const options = z
  .array(
    z.strictObject({
      option: z
        .enum(VoteOption)
        .refine((o) => o >= VoteOption.VOTE_OPTION_YES && o <= VoteOption.VOTE_OPTION_NO_WITH_VETO, 'expected an option 1 to 4'),
      weight: uint,
    }),
  )
  .min(1)
  .superRefine((list, ctx) => {
    // The weights' own issue (not a decimal) is reported already; no sum of them.
    if (!list.every(({ weight }) => uint.safeParse(weight).success)) return;
    const seen = new Set<VoteOption>();
    let sum = 0n;
    for (const [i, { option, weight }] of list.entries()) {
      if (seen.has(option))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'option'],
          message: `${voteOptionToJSON(option)} is given twice; each option at most once`,
        });
      const previous = list[i - 1]?.option;
      if (previous !== undefined && option < previous)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'option'],
          message: `${voteOptionToJSON(option)} after ${voteOptionToJSON(previous)}; expected the options in ascending order (${ORDER}), as a tx stores them`,
        });
      seen.add(option);
      if (weight === '0') ctx.addIssue({ code: 'custom', path: [i, 'weight'], message: '0; expected above 0' });
      sum += BigInt(weight);
    }
    if (sum !== DEC_ONE) ctx.addIssue({ code: 'custom', message: `weights add up to ${sum}; expected exactly 1 (10^18)` });
  });

const vote = z.strictObject({ options, metadata: z.string() });

/** `encodeRecord` leaves out a tally not set yet. */
type StoredProposal = Omit<ProposalRecord, 'finalTally'> & { finalTally?: Tally };
// A field added to a record type and not here (or the other way round) fails to compile.
const shapesMatchRecords: [
  SameType<z.infer<typeof coins>, RecordJson<Coin[]>>,
  SameType<z.infer<typeof proposal>, RecordJson<StoredProposal>>,
  SameType<z.infer<typeof vote>, RecordJson<StoredVote>>,
] = [true, true, true];
void shapesMatchRecords;

const GOV_LEAVES: readonly LeafKind[] = [
  { path: NEXT_PROPOSAL_ID_PATH, schema: uint },
  { path: CONSTITUTION_PATH, schema: z.string() },
  { path: `${PROPOSALS_ROOT}/*`, schema: proposal, record: true },
  { path: `${DEPOSITS_ROOT}/*/*`, schema: coins, record: true },
  { path: `${VOTES_ROOT}/*/*`, schema: vote, record: true },
  { path: `${DEPOSIT_QUEUE_ROOT}/*/*`, schema: flag },
  { path: `${VOTING_QUEUE_ROOT}/*/*`, schema: flag },
];

const DEPOSIT_PERIOD = ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD;
const VOTING_PERIOD = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;

/**
 * Checks the gov leaves of a genesis against the shapes the keeper writes, then their index and money
 * as the keeper keeps them: each proposal under its own id (below `/gov/next_proposal_id`); one queue
 * entry per proposal in its deposit or voting period, at its end time, and none other; deposits and
 * votes only of such proposals (votes only while voting), by account addresses; each proposal's total
 * deposit the sum of its deposits, and the gov account (`held`, its balances) holding them all.
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkGovLeaves(leaves: SubtreeLeaves, held: readonly Coin[]): void {
  checkLeafKinds(leaves, GOV_LEAVES, FIELD);
  const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);
  const proposals = new Map<string, z.infer<typeof proposal>>();
  const queues = new Set<string>();
  const nextId = leaves[NEXT_PROPOSAL_ID_PATH] === undefined ? 1n : BigInt(leaves[NEXT_PROPOSAL_ID_PATH] as string);
  for (const [path, value] of Object.entries(leaves)) {
    if (!path.startsWith(`${PROPOSALS_ROOT}/`)) continue;
    const record = JSON.parse(value as string) as z.infer<typeof proposal>;
    const label = path.slice(PROPOSALS_ROOT.length + 1);
    if (label !== pad20(BigInt(record.id))) throw refuse(path, `has id ${record.id}; expected the proposal under ${label}`);
    if (BigInt(record.id) >= nextId) throw refuse(path, `has id ${record.id}; ${NEXT_PROPOSAL_ID_PATH} is ${nextId}`);
    proposals.set(label, record);
    if (record.status === DEPOSIT_PERIOD) queues.add(depositQueuePath(BigInt(record.depositEndTime), BigInt(record.id)));
    if (record.status === VOTING_PERIOD) queues.add(votingQueuePath(BigInt(record.votingEndTime), BigInt(record.id)));
  }
  const deposited = new Map<string, Map<string, bigint>>();
  const owed = new Map<string, bigint>();
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    const deposit = path.startsWith(`${DEPOSITS_ROOT}/`);
    if (!deposit && !path.startsWith(`${VOTES_ROOT}/`)) continue;
    const id = labels[3]!;
    const record = PADDED.test(id) ? proposals.get(id) : undefined;
    const live = record !== undefined && (record.status === VOTING_PERIOD || (deposit && record.status === DEPOSIT_PERIOD));
    if (!live) throw refuse(path, `belongs to no proposal in its ${deposit ? 'deposit or voting' : 'voting'} period`);
    if (!leafShapes.address.safeParse(labels[4]).success) throw refuse(path, `is not under an account address (${labels[4]})`);
    if (!deposit) continue;
    const sums = deposited.get(id) ?? new Map<string, bigint>();
    for (const c of JSON.parse(value as string) as z.infer<typeof coins>) {
      sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
      owed.set(c.denom, (owed.get(c.denom) ?? 0n) + BigInt(c.amount));
    }
    deposited.set(id, sums);
  }
  checkIndexEntries(leaves, [DEPOSIT_QUEUE_ROOT, VOTING_QUEUE_ROOT], queues, FIELD, {
    stray: 'is not the queue entry of a proposal in that period, at its end time',
    missing: 'the queue entry of a live proposal',
  });
  for (const [id, record] of proposals) {
    if (record.status !== DEPOSIT_PERIOD && record.status !== VOTING_PERIOD) continue;
    const sums = deposited.get(id) ?? new Map<string, bigint>();
    const total = new Map(record.totalDeposit.map((c) => [c.denom, BigInt(c.amount)]));
    if (total.size !== record.totalDeposit.length || total.size !== sums.size || [...sums].some(([denom, sum]) => total.get(denom) !== sum))
      throw refuse(
        `${PROPOSALS_ROOT}/${id}`,
        `has totalDeposit ${JSON.stringify(record.totalDeposit)}; its deposits add up to ${show(sums)}`,
      );
  }
  for (const [denom, sum] of owed) {
    const balance = held.find((c) => c.denom === denom)?.amount ?? 0n;
    if (balance < sum)
      throw ainError(ErrInvalidRequest, `${FIELD}: the gov account holds ${balance}${denom}; the deposits add up to ${sum}${denom}`);
  }
}

const show = (sums: Map<string, bigint>): string => [...sums].map(([denom, amount]) => `${amount}${denom}`).join(',') || 'nothing';
