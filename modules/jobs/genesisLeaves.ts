/**
 * The shapes of the jobs module's leaves, which InitChain checks in exported genesis leaves: the end
 * of each block reads due requests (their records, results, nodes and statistics) by their deadline
 * entries, so a hand-edited record that is not what the keeper writes would throw there and halt the
 * chain. Each shape is the JSON of a record type in `records.ts` (bigints as decimal strings); the
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
  checkIndexEntries,
} from '../../core/index.ts';
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';
import { DEADLINES_ROOT, deadlinePath, ESCROW_TOTAL_PATH, NEXT_JOB_ID_PATH, NEXT_REQUEST_ID_PATH, REQUESTS_ROOT } from './keys.ts';
import {
  FINAL,
  LIVE,
  ROLE_NAMES,
  type RateRecord,
  type RoleName,
  type Stats,
  type Status,
  type StoredJob,
  type StoredJobStats,
  type StoredNode,
  type StoredRequest,
  type StoredResult,
} from './records.ts';

const { uint, count, flag, address, addressOrNone } = leafShapes;
const role = z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]);

const stats = z.strictObject({
  jobs: count,
  acceptances: count,
  rejections: count,
  challengesWon: count,
  challengesLost: count,
  timeouts: count,
  responseSeconds: uint,
  responses: count,
  earned: uint,
  approvals: count,
  drops: count,
});

const job = z.strictObject({
  id: uint,
  name: z.string(),
  admin: address,
  schema: z.string(),
  workerRpc: z.string(),
  evaluatorRpc: z.string(),
  inputType: z.string(),
  outputType: z.string(),
  workerCodeHash: z.string(),
  evaluatorCodeHash: z.string(),
  runtime: z.string(),
  resources: z.strictObject({ cpu: count, memoryMb: uint, gpus: count, gpuMemoryMb: uint }),
  delegation: z.strictObject({ adminDepth: count, maxChildren: count }),
  description: z.string(),
  registeredAt: uint,
  height: uint,
  requires: z.array(z.string()).exactOptional(),
});

const node = z.strictObject({
  address,
  roles: z.array(role),
  applied: z.array(role),
  parent: addressOrNone,
  depth: count,
  status: z.enum(['applied', 'approved', 'dropped']),
  children: count,
  rating: uint,
  stats,
});

const request = z.strictObject({
  id: uint,
  jobId: uint,
  client: address,
  inputHash: z.string(),
  workerReward: uint,
  rewardFunction: z.enum(RewardFunction),
  rewardWeights: z.array(count),
  evaluatorReward: uint,
  evaluatorDeposit: uint,
  timeLimit: uint,
  evaluators: z.array(address),
  workers: z.array(address),
  skipEvaluation: z.boolean(),
  maxWorkers: count,
  testDataCommitment: z.string(),
  testDataHash: z.string(),
  testDataRevealed: z.boolean(),
  status: z.enum([...LIVE, ...FINAL] as [Status, ...Status[]]),
  deadline: uint,
  phaseAt: uint,
  evaluator: addressOrNone,
  joined: z.array(address),
  ranking: z.array(address),
  requestedAt: uint,
  acceptedAt: uint,
  rankedAt: uint,
  settledAt: uint,
  escrow: uint,
  challenger: addressOrNone,
  resolver: addressOrNone,
  challengeLevel: count,
  challengeFee: uint,
  outcome: z.string(),
  height: uint,
  origin: z.string().exactOptional(),
});

const result = z.strictObject({
  worker: address,
  joinedAt: uint,
  commitment: z.string(),
  committedAt: uint,
  output: z.string(),
  outputHash: z.string(),
  revealedAt: uint,
  paid: uint,
});

const jobStats = z.strictObject({
  requests: count,
  completed: count,
  expired: count,
  failed: count,
  challenges: count,
  challengesUpheld: count,
  paidWorkers: uint,
  paidEvaluators: uint,
  refunded: uint,
  settleSeconds: uint,
  firstRequestAt: uint,
  lastSettledAt: uint,
});

const rate = z.strictObject({ window: uint, approvals: count, drops: count });

// A field added to a record type and not here (or the other way round) fails to compile.
const shapesMatchRecords: [
  SameType<z.infer<typeof stats>, RecordJson<Stats>>,
  SameType<z.infer<typeof job>, RecordJson<StoredJob>>,
  SameType<z.infer<typeof node>, RecordJson<StoredNode>>,
  SameType<z.infer<typeof request>, RecordJson<StoredRequest>>,
  SameType<z.infer<typeof result>, RecordJson<StoredResult>>,
  SameType<z.infer<typeof jobStats>, RecordJson<StoredJobStats>>,
  SameType<z.infer<typeof rate>, RecordJson<RateRecord>>,
] = [true, true, true, true, true, true, true];
void shapesMatchRecords;

const JOBS_LEAVES: readonly LeafKind[] = [
  { path: NEXT_JOB_ID_PATH, schema: uint },
  { path: NEXT_REQUEST_ID_PATH, schema: uint },
  { path: ESCROW_TOTAL_PATH, schema: uint },
  { path: '/jobs/jobs/*/spec', schema: job, record: true },
  { path: '/jobs/jobs/*/stats', schema: jobStats, record: true },
  { path: '/jobs/jobs/*/nodes/*', schema: node, record: true },
  { path: '/jobs/jobs/*/rate/*', schema: rate, record: true },
  { path: '/jobs/requests/*/record', schema: request, record: true },
  { path: '/jobs/requests/*/results/*', schema: result, record: true },
  { path: '/jobs/deadlines/*/*', schema: flag },
  { path: '/jobs/node_stats/*', schema: stats, record: true },
];

/**
 * Checks the jobs leaves of a genesis against the shapes the keeper writes, then their money and index
 * as the keeper keeps them: each record under its own id, each live request's escrow what its terms
 * and phase put in and a closed one's none, `/jobs/escrow_total` their sum and the jobs account's
 * balance (`escrowBalance`), and one deadline entry per live request, at its deadline.
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkJobsLeaves(leaves: SubtreeLeaves, escrowBalance: bigint): void {
  checkLeafKinds(leaves, JOBS_LEAVES, FIELD);
  const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);
  let escrowSum = 0n;
  const deadlines = new Set<string>();
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    if (!path.startsWith(`${REQUESTS_ROOT}/`) || labels.length !== 5 || labels[4] !== 'record') continue;
    const record = JSON.parse(value as string) as z.infer<typeof request>;
    if (record.id !== labels[3]) throw refuse(path, `has id ${record.id}; expected ${labels[3]}`);
    const live = LIVE.includes(record.status);
    const deposit = record.evaluator === '' ? 0n : BigInt(record.evaluatorDeposit);
    const terms = BigInt(record.workerReward) + BigInt(record.evaluatorReward) + deposit + BigInt(record.challengeFee);
    const expected = live ? terms : 0n;
    if (BigInt(record.escrow) !== expected)
      throw refuse(
        path,
        `has escrow ${record.escrow}; a ${record.status} request holds ${expected} (its rewards, deposit and challenge fee${live ? '' : ' paid out'})`,
      );
    escrowSum += expected;
    if (live) deadlines.add(deadlinePath(BigInt(record.deadline), BigInt(record.id)));
  }
  const total = leaves[ESCROW_TOTAL_PATH] === undefined ? 0n : BigInt(leaves[ESCROW_TOTAL_PATH] as string);
  if (total !== escrowSum) throw refuse(ESCROW_TOTAL_PATH, `is ${total}; the live requests' escrows add up to ${escrowSum}`);
  if (escrowBalance !== escrowSum)
    throw ainError(
      ErrInvalidRequest,
      `${FIELD}: the jobs account holds ${escrowBalance}uain; the live requests' escrows add up to ${escrowSum}uain`,
    );
  checkIndexEntries(leaves, [DEADLINES_ROOT], deadlines, FIELD, {
    stray: 'is not the deadline of a live request',
    missing: 'the deadline entry of a live request',
  });
}

const FIELD = 'genesis jobs.leaves';
