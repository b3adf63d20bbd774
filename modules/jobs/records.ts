/**
 * The records jobs keeps under `/jobs` (jobs, nodes, requests, results, statistics, rate windows),
 * their codec (which fields are bigints), and the small helpers that read and write them: the id
 * counters, the deadline index, opening a request's next phase, and the counts of nodes and jobs.
 * Every other jobs file builds on this one; it imports none of them.
 */
import type { Context, ReadableState } from '../../core/index.ts';
import { ainError, decodeRecord as decodeJobRecord, encodeRecord, readRecord as readJobRecord } from '../../core/index.ts';
import { type RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { ErrJobNotFound, ErrRequestNotFound } from './errors.ts';
import { deadlinePath, jobNodePath, jobSpecPath, jobStatsPath, nodeStatsPath, requestRecordPath, resultPath } from './keys.ts';

/** What the keeper needs of a tx's (or the end of a block's) context. */
export type JobsContext = Pick<Context, 'state' | 'gas' | 'events' | 'height' | 'blockTimeSeconds'>;

export type RoleName = 'admin' | 'evaluator' | 'worker';
export const ROLE_NAMES: readonly RoleName[] = ['admin', 'evaluator', 'worker'];
export const roleName = (role: Role): RoleName =>
  role === Role.ROLE_ADMIN ? 'admin' : role === Role.ROLE_EVALUATOR ? 'evaluator' : 'worker';
export const roleOf = (name: RoleName): Role =>
  name === 'admin' ? Role.ROLE_ADMIN : name === 'evaluator' ? Role.ROLE_EVALUATOR : Role.ROLE_WORKER;

/** Live statuses: the request holds escrow and a deadline. */
export type LiveStatus = 'open' | 'running' | 'revealing' | 'evaluating' | 'ranked' | 'challenged';
export type FinalStatus = 'completed' | 'expired' | 'evaluator_timeout' | 'no_results' | 'cancelled';
export type Status = LiveStatus | FinalStatus;
export type PayoutKind = 'worker_reward' | 'evaluator_reward' | 'deposit_return' | 'deposit_forfeit' | 'challenge_fee' | 'refund';
export const LIVE: readonly Status[] = ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'];
export const FINAL: readonly Status[] = ['completed', 'expired', 'evaluator_timeout', 'no_results', 'cancelled'];

export interface StoredJob {
  id: bigint;
  name: string;
  admin: string;
  schema: string;
  workerRpc: string;
  evaluatorRpc: string;
  inputType: string;
  outputType: string;
  workerCodeHash: string;
  evaluatorCodeHash: string;
  runtime: string;
  resources: { cpu: number; memoryMb: bigint; gpus: number; gpuMemoryMb: bigint };
  delegation: { adminDepth: number; maxChildren: number };
  description: string;
  registeredAt: bigint;
  height: bigint;
  /** Packages the runtime must have; absent when none (records from before it stay as they were). */
  requires?: string[];
}

export interface Stats {
  jobs: number;
  acceptances: number;
  rejections: number;
  challengesWon: number;
  challengesLost: number;
  timeouts: number;
  responseSeconds: bigint;
  responses: number;
  earned: bigint;
  approvals: number;
  drops: number;
}
type Counter = 'jobs' | 'acceptances' | 'rejections' | 'challengesWon' | 'challengesLost' | 'timeouts' | 'approvals' | 'drops';

export interface StoredNode {
  address: string;
  roles: RoleName[];
  applied: RoleName[];
  parent: string;
  depth: number;
  status: 'applied' | 'approved' | 'dropped';
  children: number;
  rating: bigint;
  stats: Stats;
}

export interface StoredRequest {
  id: bigint;
  jobId: bigint;
  client: string;
  inputHash: string;
  workerReward: bigint;
  rewardFunction: RewardFunction;
  rewardWeights: number[];
  evaluatorReward: bigint;
  evaluatorDeposit: bigint;
  timeLimit: bigint;
  evaluators: string[];
  workers: string[];
  skipEvaluation: boolean;
  maxWorkers: number;
  testDataCommitment: string;
  testDataHash: string;
  testDataRevealed: boolean;
  status: Status;
  deadline: bigint;
  /** When the current phase began (response times are measured from it). */
  phaseAt: bigint;
  evaluator: string;
  /** Workers in the order they joined. */
  joined: string[];
  ranking: string[];
  requestedAt: bigint;
  acceptedAt: bigint;
  rankedAt: bigint;
  settledAt: bigint;
  escrow: bigint;
  challenger: string;
  resolver: string;
  challengeLevel: number;
  /** The fee of the challenge in progress (0 otherwise). */
  challengeFee: bigint;
  outcome: string;
  height: bigint;
  /** The module that posted it on the client's behalf (`ainft` re-runs); absent for a client's own, so their records stay as they were. */
  origin?: string;
}

export interface StoredResult {
  worker: string;
  joinedAt: bigint;
  commitment: string;
  committedAt: bigint;
  output: string;
  outputHash: string;
  revealedAt: bigint;
  paid: bigint;
}

export interface StoredJobStats {
  requests: number;
  completed: number;
  expired: number;
  failed: number;
  challenges: number;
  challengesUpheld: number;
  paidWorkers: bigint;
  paidEvaluators: bigint;
  refunded: bigint;
  settleSeconds: bigint;
  firstRequestAt: bigint;
  lastSettledAt: bigint;
}

export interface RateRecord {
  window: bigint;
  approvals: number;
  drops: number;
}

/** Record fields held as bigint (stored as decimal text). */
const BIGINT_KEYS = new Set([
  'id',
  'jobId',
  'workerReward',
  'evaluatorReward',
  'evaluatorDeposit',
  'timeLimit',
  'deadline',
  'phaseAt',
  'requestedAt',
  'acceptedAt',
  'rankedAt',
  'settledAt',
  'escrow',
  'challengeFee',
  'height',
  'joinedAt',
  'committedAt',
  'revealedAt',
  'paid',
  'earned',
  'rating',
  'responseSeconds',
  'registeredAt',
  'memoryMb',
  'gpuMemoryMb',
  'paidWorkers',
  'paidEvaluators',
  'refunded',
  'settleSeconds',
  'firstRequestAt',
  'lastSettledAt',
  'window',
]);

export const decodeRecord = <T>(text: string): T => decodeJobRecord<T>(text, BIGINT_KEYS);
export const readRecord = <T>(state: ReadableState, path: string): T | undefined => readJobRecord<T>(state, path, BIGINT_KEYS);

export const emptyStats = (): Stats => ({
  jobs: 0,
  acceptances: 0,
  rejections: 0,
  challengesWon: 0,
  challengesLost: 0,
  timeouts: 0,
  responseSeconds: 0n,
  responses: 0,
  earned: 0n,
  approvals: 0,
  drops: 0,
});

export const emptyJobStats = (): StoredJobStats => ({
  requests: 0,
  completed: 0,
  expired: 0,
  failed: 0,
  challenges: 0,
  challengesUpheld: 0,
  paidWorkers: 0n,
  paidEvaluators: 0n,
  refunded: 0n,
  settleSeconds: 0n,
  firstRequestAt: 0n,
  lastSettledAt: 0n,
});

/** A change of a node's counts. */
export interface StatsChange {
  readonly counters?: Partial<Record<Counter, number>>;
  readonly responseSeconds?: bigint;
  readonly earned?: bigint;
}

// ---- reads and writes ----

export function nextId(ctx: JobsContext, path: string): bigint {
  const next = ctx.state.get(path);
  const id = typeof next === 'string' ? BigInt(next) : 1n;
  ctx.state.set(path, (id + 1n).toString());
  return id;
}

export function requireJob(state: ReadableState, id: bigint): StoredJob {
  const job = readRecord<StoredJob>(state, jobSpecPath(id));
  if (!job) throw ainError(ErrJobNotFound, `no job ${id}`, { jobId: id.toString() });
  return job;
}

export function requireRequest(state: ReadableState, id: bigint): StoredRequest {
  const request = readRecord<StoredRequest>(state, requestRecordPath(id));
  if (!request) throw ainError(ErrRequestNotFound, `no request ${id}`, { requestId: id.toString() });
  return request;
}

export function getStoredNode(state: ReadableState, jobId: bigint, address: string): StoredNode | undefined {
  return readRecord<StoredNode>(state, jobNodePath(jobId, address));
}

export function putNode(ctx: JobsContext, jobId: bigint, node: StoredNode): void {
  ctx.state.set(jobNodePath(jobId, node.address), encodeRecord(node));
}

export function putRequest(ctx: JobsContext, request: StoredRequest): void {
  ctx.state.set(requestRecordPath(request.id), encodeRecord(request));
}

export function getResult(state: ReadableState, requestId: bigint, worker: string): StoredResult | undefined {
  return readRecord<StoredResult>(state, resultPath(requestId, worker));
}

export function putResult(ctx: JobsContext, requestId: bigint, result: StoredResult): void {
  ctx.state.set(resultPath(requestId, result.worker), encodeRecord(result));
}

/** The results of the workers that joined, in join order. */
export function resultsOf(state: ReadableState, request: StoredRequest): StoredResult[] {
  return request.joined.map((worker) => getResult(state, request.id, worker)!);
}

// ---- phases ----

/** Moves a live request to a new deadline in the index. */
export function setDeadline(ctx: JobsContext, request: StoredRequest, deadline: bigint): void {
  if (request.deadline !== 0n) ctx.state.set(deadlinePath(request.deadline, request.id), null);
  request.deadline = deadline;
  ctx.state.set(deadlinePath(deadline, request.id), true);
}

/** Opens the request's next phase: `status` from now for `window` seconds; the request is stored. */
export function openPhase(ctx: JobsContext, request: StoredRequest, status: LiveStatus, window: bigint): void {
  const now = ctx.blockTimeSeconds;
  request.status = status;
  request.phaseAt = now;
  setDeadline(ctx, request, now + window);
  putRequest(ctx, request);
}

// ---- statistics ----

/** Adds to a node's counts: across jobs always, in the job's tree when it is a member. */
export function bump(ctx: JobsContext, jobId: bigint, address: string, change: StatsChange): void {
  const apply = (stats: Stats) => {
    for (const [counter, amount] of Object.entries(change.counters ?? {}) as [Counter, number][]) stats[counter] += amount;
    if (change.responseSeconds !== undefined) {
      stats.responseSeconds += change.responseSeconds;
      stats.responses += 1;
    }
    if (change.earned !== undefined) stats.earned += change.earned;
  };
  const overall = readRecord<Stats>(ctx.state, nodeStatsPath(address)) ?? emptyStats();
  apply(overall);
  ctx.state.set(nodeStatsPath(address), encodeRecord(overall));
  const node = getStoredNode(ctx.state, jobId, address);
  if (node) {
    apply(node.stats);
    putNode(ctx, jobId, node);
  }
}

export function updateJobStats(ctx: JobsContext, jobId: bigint, update: (stats: StoredJobStats) => void): void {
  const stats = readRecord<StoredJobStats>(ctx.state, jobStatsPath(jobId)) ?? emptyJobStats();
  update(stats);
  ctx.state.set(jobStatsPath(jobId), encodeRecord(stats));
}
