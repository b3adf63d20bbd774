import type { Context } from '../../core/context.ts';
import { ainError, ErrLogic } from '../../core/errors.ts';
import type { ReadableState } from '../../core/state.ts';
import type { Job, Node, NodeStats, Request, WorkerResult } from '../../proto/gen/ain/jobs/v1/types.ts';
import { JobStats, RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import type {
  MsgAcceptJob,
  MsgAcceptResult,
  MsgApplyJob,
  MsgApproveNode,
  MsgChallenge,
  MsgDropNode,
  MsgRank,
  MsgRegisterJob,
  MsgRequestJob,
  MsgResolveChallenge,
  MsgRevealResult,
  MsgRevealTestData,
  MsgSubmitResult,
} from '../../proto/gen/ain/jobs/v1/tx.ts';
import { moduleAddress } from '../../core/address.ts';
import { BASE_DENOM } from '../../core/coins.ts';
import { canonicalJson } from '../state/json.ts';
import type { JsonValue } from '../state/rules/types.ts';
import { resultCommitment, testDataCommitment } from './commitment.ts';
import { INITIAL_RATING, updateRatings } from './elo.ts';
import {
  ErrAlreadyDone,
  ErrCommitmentMismatch,
  ErrDeadlinePassed,
  ErrDelegation,
  ErrInvalidInput,
  ErrInvalidOutput,
  ErrInvalidRanking,
  ErrJobNotFound,
  ErrNodeDropped,
  ErrNoHigherAdmin,
  ErrNotAllowed,
  ErrNotMember,
  ErrRateLimited,
  ErrRequestNotFound,
  ErrUnauthorized,
  ErrWrongPhase,
} from './errors.ts';
import {
  challengeFiledEvent,
  challengeResolvedEvent,
  jobAcceptedEvent,
  jobRegisteredEvent,
  jobRequestedEvent,
  nodeAppliedEvent,
  nodeApprovedEvent,
  nodeDroppedEvent,
  payoutEvent,
  rankingOpenedEvent,
  requestClosedEvent,
  resultRevealedEvent,
  resultSubmittedEvent,
  resultsRankedEvent,
  submissionClosedEvent,
  testDataRevealedEvent,
  workerJoinedEvent,
} from './events.ts';
import type { BankKeeper } from './expected_keepers.ts';
import {
  DEADLINES_ROOT,
  deadlinePath,
  ESCROW_TOTAL_PATH,
  jobNodePath,
  jobNodesPath,
  jobSpecPath,
  jobStatsPath,
  NEXT_JOB_ID_PATH,
  NEXT_REQUEST_ID_PATH,
  nodeStatsPath,
  parseDeadlinePath,
  ratePath,
  requestInputPath,
  requestRecordPath,
  requestTestDataPath,
  resultPath,
} from './keys.ts';
import { parseInlineJson, validateMsgRegisterJob } from './msgs.ts';
import { type JobsParams, MAX_TREE_DEPTH_BOUND, readJobsParams } from './params.ts';
import { rewardFunctionName, splitReward } from './rewards.ts';
import { checkJson, parseSchema } from './schema.ts';

export const JOBS_MODULE = 'jobs';
/** Most due requests the end of one block handles; the rest wait for the next block. */
export const MAX_DUE_PER_BLOCK = 1000;
/** Most jobs, requests or nodes one query lists. */
export const MAX_LISTED = 100;
/** Most nodes a Nodes query scans to find those after `start_after`. */
export const MAX_NODES_SCANNED = 10_000;

/** What the keeper needs of a tx's (or the end of a block's) context. */
export type JobsContext = Pick<Context, 'state' | 'gas' | 'events' | 'height' | 'blockTimeSeconds'>;

type RoleName = 'admin' | 'evaluator' | 'worker';
const ROLE_NAMES: readonly RoleName[] = ['admin', 'evaluator', 'worker'];
const roleName = (role: Role): RoleName => (role === Role.ROLE_ADMIN ? 'admin' : role === Role.ROLE_EVALUATOR ? 'evaluator' : 'worker');
const roleOf = (name: RoleName): Role =>
  name === 'admin' ? Role.ROLE_ADMIN : name === 'evaluator' ? Role.ROLE_EVALUATOR : Role.ROLE_WORKER;

/** Live statuses (the request holds escrow and a deadline), then final ones. */
type Status = 'open' | 'running' | 'revealing' | 'evaluating' | 'ranked' | 'challenged' | FinalStatus;
type FinalStatus = 'completed' | 'expired' | 'evaluator_timeout' | 'no_results' | 'cancelled';
type PayoutKind = 'worker_reward' | 'evaluator_reward' | 'deposit_return' | 'deposit_forfeit' | 'challenge_fee' | 'refund';

interface StoredJob {
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
}

interface Stats {
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

interface StoredNode {
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

interface StoredRequest {
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
}

interface StoredResult {
  worker: string;
  joinedAt: bigint;
  commitment: string;
  committedAt: bigint;
  output: string;
  outputHash: string;
  revealedAt: bigint;
  paid: bigint;
}

interface StoredJobStats {
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

interface RateRecord {
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

/** Canonical JSON text of a record, bigints as decimal text. */
function encodeRecord(record: object): string {
  return canonicalJson(JSON.parse(JSON.stringify(record, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue);
}

function decodeRecord<T>(text: string): T {
  return JSON.parse(text, (key, v: unknown) => (BIGINT_KEYS.has(key) && typeof v === 'string' ? BigInt(v) : v)) as T;
}

function readRecord<T>(state: ReadableState, path: string): T | undefined {
  const text = state.get(path);
  return typeof text === 'string' ? decodeRecord<T>(text) : undefined;
}

const emptyStats = (): Stats => ({
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

const emptyJobStats = (): StoredJobStats => ({
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

const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];
const LIVE: readonly Status[] = ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'];

/** A change of a node's counts. */
interface StatsChange {
  readonly counters?: Partial<Record<Counter, number>>;
  readonly responseSeconds?: bigint;
  readonly earned?: bigint;
}

/**
 * The only code touching `/jobs`: registered jobs and their reputation trees, requests and their
 * escrow in the module account, the commit-reveal of results and test data, rankings, challenges,
 * the end-of-block deadlines, and the statistics of nodes and jobs. See README.md for the state
 * machine of a request and the money rules.
 */
export class JobsKeeper {
  /** The module account holding every live request's escrow (rewards, deposits, challenge fees). */
  readonly moduleAddress = moduleAddress(JOBS_MODULE);

  constructor(private readonly bank: BankKeeper) {}

  params(state: ReadableState): JobsParams {
    return readJobsParams(state);
  }

  // ---- registration and the reputation tree ----

  /** MsgRegisterJob: stores the job; the signer becomes its root admin (depth 0). Returns the job id. */
  registerJob(ctx: JobsContext, msg: MsgRegisterJob): bigint {
    const { worker, evaluator } = validateMsgRegisterJob(msg);
    const params = this.params(ctx.state);
    const adminDepth = msg.delegation?.adminDepth ?? 0;
    const maxChildren = msg.delegation?.maxChildren ?? 0;
    if (adminDepth > params.maxTreeDepth)
      throw ainError(ErrDelegation, `delegation.admin_depth ${adminDepth} exceeds the chain's max_tree_depth ${params.maxTreeDepth}`);
    if (maxChildren > params.maxChildrenPerAdmin)
      throw ainError(
        ErrDelegation,
        `delegation.max_children ${maxChildren} exceeds the chain's max_children_per_admin ${params.maxChildrenPerAdmin}`,
      );
    const id = this.nextId(ctx, NEXT_JOB_ID_PATH);
    const job: StoredJob = {
      id,
      name: msg.name,
      admin: msg.signer,
      schema: msg.schema,
      workerRpc: `${worker.service}.${worker.name}`,
      evaluatorRpc: `${evaluator.service}.${evaluator.name}`,
      inputType: worker.inputs[0]!,
      outputType: worker.output,
      workerCodeHash: msg.workerCodeHash,
      evaluatorCodeHash: msg.evaluatorCodeHash,
      runtime: msg.runtime,
      resources: {
        cpu: msg.resources?.cpu ?? 0,
        memoryMb: msg.resources?.memoryMb ?? 0n,
        gpus: msg.resources?.gpus ?? 0,
        gpuMemoryMb: msg.resources?.gpuMemoryMb ?? 0n,
      },
      delegation: { adminDepth, maxChildren },
      description: msg.description,
      registeredAt: ctx.blockTimeSeconds,
      height: ctx.height,
    };
    ctx.state.set(jobSpecPath(id), encodeRecord(job));
    ctx.state.set(jobStatsPath(id), encodeRecord(emptyJobStats()));
    this.putNode(ctx, id, {
      address: msg.signer,
      roles: ['admin'],
      applied: [],
      parent: '',
      depth: 0,
      status: 'approved',
      children: 0,
      rating: INITIAL_RATING,
      stats: emptyStats(),
    });
    ctx.events.emit(
      jobRegisteredEvent({
        jobId: id,
        admin: msg.signer,
        name: msg.name,
        runtime: msg.runtime,
        workerCodeHash: msg.workerCodeHash,
        evaluatorCodeHash: msg.evaluatorCodeHash,
      }),
    );
    return id;
  }

  /** MsgApplyJob: records the signer's application for a role (its node record is created on first apply). */
  applyJob(ctx: JobsContext, msg: MsgApplyJob): void {
    const job = this.requireJob(ctx.state, msg.jobId);
    const role = roleName(msg.role);
    if (role === 'admin' && job.delegation.adminDepth === 0)
      throw ainError(ErrDelegation, `job ${job.id} is centralized (delegation.admin_depth 0): only its root admin is an admin`);
    const node = this.getStoredNode(ctx.state, job.id, msg.signer) ?? {
      address: msg.signer,
      roles: [],
      applied: [],
      parent: '',
      depth: 0,
      status: 'applied' as const,
      children: 0,
      rating: INITIAL_RATING,
      stats: emptyStats(),
    };
    if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${msg.signer} was dropped from job ${job.id}`);
    if (node.roles.includes(role)) throw ainError(ErrAlreadyDone, `${msg.signer} already is ${role} of job ${job.id}`);
    if (node.applied.includes(role)) throw ainError(ErrAlreadyDone, `${msg.signer} already applied as ${role} of job ${job.id}`);
    node.applied = ROLE_NAMES.filter((r) => r === role || node.applied.includes(r));
    this.putNode(ctx, job.id, node);
    ctx.events.emit(nodeAppliedEvent({ jobId: job.id, node: msg.signer, role }));
  }

  /**
   * MsgApproveNode: an approved admin of the job approves a role the node applied for. A node's
   * first approval makes it the admin's child (depth + 1); later roles come from the same parent;
   * an admin may approve its own application for evaluator or worker. Rate-limited per admin.
   */
  approveNode(ctx: JobsContext, msg: MsgApproveNode): void {
    const job = this.requireJob(ctx.state, msg.jobId);
    const params = this.params(ctx.state);
    const admin = this.requireRole(ctx.state, job.id, msg.signer, 'admin', 'signer');
    const role = roleName(msg.role);
    const node = msg.node === msg.signer ? admin : this.getStoredNode(ctx.state, job.id, msg.node);
    if (!node?.applied.includes(role))
      throw ainError(ErrNotMember, `${msg.node} has not applied as ${role} of job ${job.id}`, { node: msg.node, role });
    if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${msg.node} was dropped from job ${job.id}`);
    const self = msg.node === msg.signer;
    if (self && role === 'admin') throw ainError(ErrUnauthorized, 'an admin cannot approve itself as admin');
    const first = !self && node.status === 'applied';
    if (!self && !first && node.parent !== msg.signer)
      throw ainError(ErrUnauthorized, `${msg.node}'s parent in job ${job.id} is ${node.parent || 'none'}; only it approves more roles`);
    const depth = first ? admin.depth + 1 : node.depth;
    if (first && depth > params.maxTreeDepth)
      throw ainError(ErrDelegation, `${msg.node} would be at depth ${depth}; the tree is at most ${params.maxTreeDepth} deep`);
    if (role === 'admin' && depth > job.delegation.adminDepth)
      throw ainError(
        ErrDelegation,
        `${msg.node} would be an admin at depth ${depth}; job ${job.id} delegates admins down to depth ${job.delegation.adminDepth}`,
      );
    const maxChildren = job.delegation.maxChildren || params.maxChildrenPerAdmin;
    if (first && admin.children >= maxChildren)
      throw ainError(ErrDelegation, `admin ${msg.signer} has ${admin.children} children in job ${job.id}; at most ${maxChildren}`);
    this.rateLimit(ctx, job.id, msg.signer, 'approvals', params);
    if (first) {
      node.parent = msg.signer;
      node.depth = depth;
      node.status = 'approved';
      admin.children += 1;
    }
    node.roles = ROLE_NAMES.filter((r) => r === role || node.roles.includes(r));
    node.applied = node.applied.filter((r) => r !== role);
    if (!self) this.putNode(ctx, job.id, admin);
    this.putNode(ctx, job.id, node);
    this.bump(ctx, job.id, msg.signer, { counters: { approvals: 1 } });
    ctx.events.emit(nodeApprovedEvent({ jobId: job.id, node: msg.node, role, admin: msg.signer, depth: node.depth }));
  }

  /**
   * MsgDropNode: an admin drops one of its children. A dropped node accepts and joins no new
   * request of the job (it may finish what it already took on). Rate-limited per admin.
   */
  dropNode(ctx: JobsContext, msg: MsgDropNode): void {
    const job = this.requireJob(ctx.state, msg.jobId);
    const params = this.params(ctx.state);
    const admin = this.requireRole(ctx.state, job.id, msg.signer, 'admin', 'signer');
    const node = this.getStoredNode(ctx.state, job.id, msg.node);
    if (!node || node.status === 'applied') throw ainError(ErrNotMember, `${msg.node} is not an approved node of job ${job.id}`);
    if (node.status === 'dropped') throw ainError(ErrAlreadyDone, `${msg.node} was already dropped from job ${job.id}`);
    if (node.parent !== msg.signer)
      throw ainError(
        ErrUnauthorized,
        `${msg.node}'s parent in job ${job.id} is ${node.parent || 'none (the root)'}; only it drops the node`,
      );
    this.rateLimit(ctx, job.id, msg.signer, 'drops', params);
    node.status = 'dropped';
    admin.children -= 1;
    this.putNode(ctx, job.id, admin);
    this.putNode(ctx, job.id, node);
    this.bump(ctx, job.id, msg.signer, { counters: { drops: 1 } });
    ctx.events.emit(nodeDroppedEvent({ jobId: job.id, node: msg.node, admin: msg.signer, reason: msg.reason }));
  }

  // ---- requests ----

  /**
   * MsgRequestJob: checks the request against the job and the params, escrows worker_reward +
   * evaluator_reward from the client, and opens it for evaluators until block time + accept_window
   * (with skip_evaluation it runs at once). Returns the request id.
   */
  requestJob(ctx: JobsContext, msg: MsgRequestJob): bigint {
    const job = this.requireJob(ctx.state, msg.jobId);
    const params = this.params(ctx.state);
    const now = ctx.blockTimeSeconds;
    if (msg.timeLimitSeconds < params.minTimeLimit || msg.timeLimitSeconds > params.maxTimeLimit)
      throw ainError(
        ErrNotAllowed,
        `time_limit_seconds ${msg.timeLimitSeconds} must be in [${params.minTimeLimit}, ${params.maxTimeLimit}]`,
        { field: 'time_limit_seconds' },
      );
    const deposit = BigInt(msg.evaluatorDeposit || '0');
    if (!msg.skipEvaluation && deposit < params.minEvaluatorDeposit)
      throw ainError(
        ErrNotAllowed,
        `evaluator_deposit ${deposit} is below the chain's min_evaluator_deposit ${params.minEvaluatorDeposit}`,
        {
          field: 'evaluator_deposit',
        },
      );
    const maxWorkers = msg.maxWorkers || params.maxWorkersPerRequest;
    if (maxWorkers > params.maxWorkersPerRequest)
      throw ainError(
        ErrNotAllowed,
        `max_workers ${maxWorkers} exceeds the chain's max_workers_per_request ${params.maxWorkersPerRequest}`,
        {
          field: 'max_workers',
        },
      );
    if (msg.input !== '') checkJson(parseSchema(job.schema), job.inputType, parseInlineJson(msg.input, 'input'), 'input', ErrInvalidInput);
    msg.evaluators.forEach((address, i) => this.requireRole(ctx.state, job.id, address, 'evaluator', `evaluators[${i}]`));
    msg.workers.forEach((address, i) => this.requireRole(ctx.state, job.id, address, 'worker', `workers[${i}]`));
    const id = this.nextId(ctx, NEXT_REQUEST_ID_PATH);
    const request: StoredRequest = {
      id,
      jobId: job.id,
      client: msg.signer,
      inputHash: msg.inputHash,
      workerReward: BigInt(msg.workerReward),
      rewardFunction: msg.rewardFunction,
      rewardWeights: [...msg.rewardWeights],
      evaluatorReward: BigInt(msg.evaluatorReward || '0'),
      evaluatorDeposit: deposit,
      timeLimit: msg.timeLimitSeconds,
      evaluators: [...msg.evaluators],
      workers: [...msg.workers],
      skipEvaluation: msg.skipEvaluation,
      maxWorkers,
      testDataCommitment: msg.testDataCommitment,
      testDataHash: '',
      testDataRevealed: false,
      status: 'open',
      deadline: 0n,
      phaseAt: now,
      evaluator: '',
      joined: [],
      ranking: [],
      requestedAt: now,
      acceptedAt: 0n,
      rankedAt: 0n,
      settledAt: 0n,
      escrow: 0n,
      challenger: '',
      resolver: '',
      challengeLevel: 0,
      challengeFee: 0n,
      outcome: '',
      height: ctx.height,
    };
    this.escrowIn(ctx, request, msg.signer, request.workerReward + request.evaluatorReward);
    if (msg.input !== '') ctx.state.set(requestInputPath(id), msg.input);
    this.updateJobStats(ctx, job.id, (s) => {
      s.requests += 1;
      if (s.firstRequestAt === 0n) s.firstRequestAt = now;
    });
    this.bump(ctx, job.id, msg.signer, { counters: { jobs: 1 } });
    if (msg.skipEvaluation) {
      request.status = 'running';
      request.acceptedAt = now;
      this.setDeadline(ctx, request, now + request.timeLimit);
    } else {
      this.setDeadline(ctx, request, now + params.acceptWindow);
    }
    this.putRequest(ctx, request);
    ctx.events.emit(
      jobRequestedEvent({
        jobId: job.id,
        requestId: id,
        client: msg.signer,
        workerReward: msg.workerReward,
        evaluatorReward: request.evaluatorReward.toString(),
        evaluatorDeposit: deposit.toString(),
        rewardFunction: rewardFunctionName(msg.rewardFunction),
        skipEvaluation: msg.skipEvaluation,
        acceptDeadline: msg.skipEvaluation ? 0n : request.deadline,
        evaluators: [...msg.evaluators],
        workers: [...msg.workers],
      }),
    );
    if (msg.skipEvaluation)
      ctx.events.emit(jobAcceptedEvent({ jobId: job.id, requestId: id, evaluator: '', submitDeadline: request.deadline }));
    return id;
  }

  /**
   * MsgAcceptJob. As evaluator: takes an open request, posting the request's evaluator_deposit into
   * escrow; workers may then join until block time + time_limit. As worker: joins a running request.
   */
  acceptJob(ctx: JobsContext, msg: MsgAcceptJob): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    const now = ctx.blockTimeSeconds;
    if (msg.signer === request.client) throw ainError(ErrNotAllowed, `${msg.signer} is the client of request ${request.id}`);
    if (msg.role === Role.ROLE_EVALUATOR) {
      if (request.skipEvaluation) throw ainError(ErrNotAllowed, `request ${request.id} skips evaluation`);
      this.requireLive(ctx, request, ['open'], 'accepting as evaluator');
      this.requireRole(ctx.state, request.jobId, msg.signer, 'evaluator', 'signer');
      if (request.evaluators.length > 0 && !request.evaluators.includes(msg.signer))
        throw ainError(ErrNotAllowed, `${msg.signer} is not among the evaluators request ${request.id} lists`);
      this.escrowIn(ctx, request, msg.signer, request.evaluatorDeposit);
      request.status = 'running';
      request.evaluator = msg.signer;
      request.acceptedAt = now;
      request.phaseAt = now;
      this.setDeadline(ctx, request, now + request.timeLimit);
      this.putRequest(ctx, request);
      this.bump(ctx, request.jobId, msg.signer, { counters: { jobs: 1 }, responseSeconds: now - request.requestedAt });
      ctx.events.emit(
        jobAcceptedEvent({ jobId: request.jobId, requestId: request.id, evaluator: msg.signer, submitDeadline: request.deadline }),
      );
      return;
    }
    this.requireLive(ctx, request, ['running'], 'joining as worker');
    this.requireRole(ctx.state, request.jobId, msg.signer, 'worker', 'signer');
    if (msg.signer === request.evaluator)
      throw ainError(ErrNotAllowed, `${msg.signer} evaluates request ${request.id}; it cannot also work on it`);
    if (request.workers.length > 0 && !request.workers.includes(msg.signer))
      throw ainError(ErrNotAllowed, `${msg.signer} is not among the workers request ${request.id} lists`);
    if (request.joined.includes(msg.signer)) throw ainError(ErrAlreadyDone, `${msg.signer} already joined request ${request.id}`);
    if (request.joined.length >= request.maxWorkers)
      throw ainError(ErrNotAllowed, `request ${request.id} has its ${request.maxWorkers} workers (max_workers)`);
    request.joined.push(msg.signer);
    this.putRequest(ctx, request);
    this.putResult(ctx, request.id, {
      worker: msg.signer,
      joinedAt: now,
      commitment: '',
      committedAt: 0n,
      output: '',
      outputHash: '',
      revealedAt: 0n,
      paid: 0n,
    });
    this.bump(ctx, request.jobId, msg.signer, { counters: { jobs: 1 } });
    ctx.events.emit(workerJoinedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer }));
  }

  /** MsgSubmitResult: a joined worker commits to its result (once) until the submission deadline. */
  submitResult(ctx: JobsContext, msg: MsgSubmitResult): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    this.requireLive(ctx, request, ['running'], 'submitting a result');
    const result = this.requireJoined(ctx.state, request, msg.signer);
    if (result.commitment !== '') throw ainError(ErrAlreadyDone, `${msg.signer} already committed to a result of request ${request.id}`);
    result.commitment = msg.commitment;
    result.committedAt = ctx.blockTimeSeconds;
    this.putResult(ctx, request.id, result);
    this.bump(ctx, request.jobId, msg.signer, { responseSeconds: ctx.blockTimeSeconds - request.acceptedAt });
    ctx.events.emit(resultSubmittedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer, commitment: msg.commitment }));
  }

  /**
   * MsgRevealResult: after submission closed, the worker reveals what it committed to. The reveal
   * must hash to the commitment (which binds the request and the worker), and an inline output must
   * conform to the job's output type.
   */
  revealResult(ctx: JobsContext, msg: MsgRevealResult): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    this.requireLive(ctx, request, ['revealing'], 'revealing a result');
    const result = this.requireJoined(ctx.state, request, msg.signer);
    if (result.commitment === '') throw ainError(ErrNotAllowed, `${msg.signer} made no commitment to request ${request.id}`);
    if (result.revealedAt !== 0n) throw ainError(ErrAlreadyDone, `${msg.signer} already revealed its result of request ${request.id}`);
    const expected = resultCommitment(request.id, msg.signer, msg.salt, msg.output, msg.outputHash);
    if (expected !== result.commitment)
      throw ainError(ErrCommitmentMismatch, `the reveal of ${msg.signer} hashes to ${expected}, not its commitment ${result.commitment}`);
    if (msg.output !== '') {
      const job = this.requireJob(ctx.state, request.jobId);
      checkJson(parseSchema(job.schema), job.outputType, parseInlineJson(msg.output, 'output'), 'output', ErrInvalidOutput);
    }
    result.output = msg.output;
    result.outputHash = msg.outputHash;
    result.revealedAt = ctx.blockTimeSeconds;
    this.putResult(ctx, request.id, result);
    ctx.events.emit(resultRevealedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer }));
  }

  /** MsgRevealTestData: after submission closed, the client reveals the test data it committed to. */
  revealTestData(ctx: JobsContext, msg: MsgRevealTestData): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    if (msg.signer !== request.client)
      throw ainError(ErrUnauthorized, `only the client ${request.client} reveals request ${request.id}'s test data`);
    if (request.testDataCommitment === '') throw ainError(ErrNotAllowed, `request ${request.id} committed to no test data`);
    this.requireLive(ctx, request, ['revealing'], 'revealing test data');
    if (request.testDataRevealed) throw ainError(ErrAlreadyDone, `request ${request.id}'s test data is already revealed`);
    const expected = testDataCommitment(request.jobId, request.client, msg.salt, msg.data, msg.dataHash);
    if (expected !== request.testDataCommitment)
      throw ainError(ErrCommitmentMismatch, `the test data hashes to ${expected}, not the commitment ${request.testDataCommitment}`);
    request.testDataRevealed = true;
    request.testDataHash = msg.dataHash;
    if (msg.data !== '') ctx.state.set(requestTestDataPath(request.id), msg.data);
    this.putRequest(ctx, request);
    ctx.events.emit(testDataRevealedEvent({ jobId: request.jobId, requestId: request.id, client: request.client }));
  }

  /**
   * MsgRank: the evaluator ranks the revealed results, best first (workers it leaves out are
   * rejected). The client then has acceptance_window to accept or challenge.
   */
  rank(ctx: JobsContext, msg: MsgRank): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    if (msg.signer !== request.evaluator)
      throw ainError(ErrUnauthorized, `only the evaluator ${request.evaluator || '(none)'} ranks request ${request.id}`);
    this.requireLive(ctx, request, ['evaluating'], 'ranking');
    this.checkRanking(ctx.state, request, msg.ranking);
    const now = ctx.blockTimeSeconds;
    const params = this.params(ctx.state);
    this.bump(ctx, request.jobId, msg.signer, { responseSeconds: now - request.phaseAt });
    request.ranking = [...msg.ranking];
    request.rankedAt = now;
    request.status = 'ranked';
    request.phaseAt = now;
    this.setDeadline(ctx, request, now + params.acceptanceWindow);
    this.putRequest(ctx, request);
    ctx.events.emit(
      resultsRankedEvent({
        jobId: request.jobId,
        requestId: request.id,
        evaluator: request.evaluator,
        ranking: [...request.ranking],
        acceptDeadline: request.deadline,
      }),
    );
  }

  /** MsgAcceptResult: the client accepts the ranking; rewards are paid and the request completes. */
  acceptResult(ctx: JobsContext, msg: MsgAcceptResult): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    if (msg.signer !== request.client)
      throw ainError(ErrUnauthorized, `only the client ${request.client} accepts request ${request.id}'s result`);
    this.requireLive(ctx, request, ['ranked'], 'accepting the result');
    this.settle(ctx, request, request.ranking, 'accepted', true);
  }

  /**
   * MsgChallenge: the client, or a worker that revealed, disputes the ranking and pays the
   * challenge fee into escrow. The resolver is the nearest admin (not dropped) above the evaluator,
   * or above the last resolver when the ranking was already challenged.
   */
  challenge(ctx: JobsContext, msg: MsgChallenge): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    if (request.skipEvaluation) throw ainError(ErrNotAllowed, `request ${request.id} skipped evaluation: there is no ranking to challenge`);
    this.requireLive(ctx, request, ['ranked'], 'challenging');
    if (msg.signer !== request.client) {
      const result = this.getResult(ctx.state, request.id, msg.signer);
      if (!result || result.revealedAt === 0n)
        throw ainError(ErrUnauthorized, `only the client or a worker that revealed a result challenges request ${request.id}`);
    }
    const below = request.challengeLevel === 0 ? request.evaluator : request.resolver;
    const resolver = this.adminAbove(ctx.state, request, below, msg.signer);
    if (!resolver)
      throw ainError(ErrNoHigherAdmin, `no admin of job ${request.jobId} is above ${below}; the ranking of request ${request.id} is final`);
    const params = this.params(ctx.state);
    const now = ctx.blockTimeSeconds;
    this.escrowIn(ctx, request, msg.signer, params.challengeFee);
    request.challengeFee = params.challengeFee;
    request.status = 'challenged';
    request.challenger = msg.signer;
    request.resolver = resolver;
    request.challengeLevel += 1;
    request.phaseAt = now;
    this.setDeadline(ctx, request, now + params.resolveWindow);
    this.putRequest(ctx, request);
    this.updateJobStats(ctx, request.jobId, (s) => {
      s.challenges += 1;
    });
    ctx.events.emit(
      challengeFiledEvent({
        jobId: request.jobId,
        requestId: request.id,
        challenger: msg.signer,
        resolver,
        level: request.challengeLevel,
        resolveDeadline: request.deadline,
      }),
    );
  }

  /**
   * MsgResolveChallenge: the resolver is paid the challenge fee and decides. Upheld: the evaluator's
   * deposit goes to the challenger, the evaluator reward back to the client, and the admin's
   * `ranking` is final (rewards paid by it). Rejected: the ranking stands with a new acceptance
   * window, and a further challenge goes one admin higher.
   */
  resolveChallenge(ctx: JobsContext, msg: MsgResolveChallenge): void {
    const request = this.requireRequest(ctx.state, msg.requestId);
    this.requireLive(ctx, request, ['challenged'], 'resolving the challenge');
    if (msg.signer !== request.resolver)
      throw ainError(ErrUnauthorized, `${request.resolver} resolves the challenge of request ${request.id}, not ${msg.signer}`);
    if (msg.uphold) this.checkRanking(ctx.state, request, msg.ranking);
    const now = ctx.blockTimeSeconds;
    this.bump(ctx, request.jobId, msg.signer, { responseSeconds: now - request.phaseAt });
    this.payOut(ctx, request, msg.signer, request.challengeFee, 'challenge_fee');
    request.challengeFee = 0n;
    if (msg.uphold) {
      this.payOut(ctx, request, request.challenger, request.evaluatorDeposit, 'deposit_forfeit');
      this.bump(ctx, request.jobId, request.challenger, { counters: { challengesWon: 1 } });
      this.bump(ctx, request.jobId, request.evaluator, { counters: { challengesLost: 1, rejections: 1 } });
      this.updateJobStats(ctx, request.jobId, (s) => {
        s.challengesUpheld += 1;
      });
      ctx.events.emit(
        challengeResolvedEvent({
          jobId: request.jobId,
          requestId: request.id,
          resolver: msg.signer,
          level: request.challengeLevel,
          outcome: 'upheld',
          acceptDeadline: 0n,
        }),
      );
      this.settle(ctx, request, [...msg.ranking], 'challenge_upheld', false);
      return;
    }
    this.bump(ctx, request.jobId, request.challenger, { counters: { challengesLost: 1 } });
    this.bump(ctx, request.jobId, request.evaluator, { counters: { challengesWon: 1 } });
    this.reopenRanking(ctx, request, msg.signer, 'rejected');
  }

  // ---- end of block ----

  /**
   * End of block: every live request whose deadline is below the block's time moves on, earliest
   * deadline first, at most {@link MAX_DUE_PER_BLOCK} (the rest in the next block). See README.md.
   */
  endBlock(ctx: JobsContext): void {
    for (const [path] of ctx.state.list(DEADLINES_ROOT, MAX_DUE_PER_BLOCK)) {
      const { deadline, id } = parseDeadlinePath(path);
      if (deadline >= ctx.blockTimeSeconds) break;
      const request = readRecord<StoredRequest>(ctx.state, requestRecordPath(id));
      if (!request || request.deadline !== deadline || !LIVE.includes(request.status))
        throw ainError(ErrLogic, `deadline index ${path} names no live request with that deadline`);
      switch (request.status) {
        case 'open':
          this.refundAll(ctx, request, 'expired', 'no_evaluator');
          break;
        case 'running':
          this.closeSubmission(ctx, request);
          break;
        case 'revealing':
          this.closeReveal(ctx, request);
          break;
        case 'evaluating':
          this.evaluatorTimeout(ctx, request);
          break;
        case 'ranked':
          this.settle(ctx, request, request.ranking, 'auto_accepted', true);
          break;
        case 'challenged':
          this.resolverTimeout(ctx, request);
          break;
        default:
          break;
      }
    }
  }

  /** Submission closed: with no commitment the request ends; otherwise workers (and the client) reveal. */
  private closeSubmission(ctx: JobsContext, request: StoredRequest): void {
    const results = this.results(ctx.state, request);
    if (!results.some((r) => r.commitment !== '')) {
      this.closeWithoutResults(ctx, request, 'no_commitments');
      return;
    }
    const now = ctx.blockTimeSeconds;
    request.status = 'revealing';
    request.phaseAt = now;
    this.setDeadline(ctx, request, now + this.params(ctx.state).revealWindow);
    this.putRequest(ctx, request);
    ctx.events.emit(
      submissionClosedEvent({
        jobId: request.jobId,
        requestId: request.id,
        revealDeadline: request.deadline,
        testDataCommitted: request.testDataCommitment !== '',
      }),
    );
  }

  /**
   * Reveals closed. Test data committed but never revealed cancels the request (the client's
   * fault: the evaluator keeps its deposit and is paid, the worker reward is split evenly over the
   * workers that revealed); no reveal ends it without results; a request that skips evaluation is
   * ranked by commitment time; otherwise the evaluator ranks.
   */
  private closeReveal(ctx: JobsContext, request: StoredRequest): void {
    const revealed = this.byCommitTime(this.results(ctx.state, request).filter((r) => r.revealedAt !== 0n));
    const now = ctx.blockTimeSeconds;
    if (request.testDataCommitment !== '' && !request.testDataRevealed) {
      const shares = splitReward(request.workerReward, RewardFunction.REWARD_FUNCTION_EVEN_SPLIT, [], revealed.length);
      revealed.forEach((result, i) => this.payWorker(ctx, request, result, shares[i]!));
      this.payOut(ctx, request, request.client, request.escrow - request.evaluatorReward - request.evaluatorDeposit, 'refund');
      this.payOut(ctx, request, request.evaluator, request.evaluatorReward, 'evaluator_reward');
      this.payOut(ctx, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
      this.close(ctx, request, 'cancelled', 'test_data_not_revealed');
      return;
    }
    if (revealed.length === 0) {
      this.closeWithoutResults(ctx, request, 'no_reveals');
      return;
    }
    const params = this.params(ctx.state);
    request.phaseAt = now;
    if (request.skipEvaluation) {
      request.ranking = revealed.map((r) => r.worker);
      request.rankedAt = now;
      request.status = 'ranked';
      this.setDeadline(ctx, request, now + params.acceptanceWindow);
      this.putRequest(ctx, request);
      ctx.events.emit(
        resultsRankedEvent({
          jobId: request.jobId,
          requestId: request.id,
          evaluator: '',
          ranking: [...request.ranking],
          acceptDeadline: request.deadline,
        }),
      );
      return;
    }
    request.status = 'evaluating';
    this.setDeadline(ctx, request, now + params.rankWindow);
    this.putRequest(ctx, request);
    ctx.events.emit(
      rankingOpenedEvent({ jobId: request.jobId, requestId: request.id, evaluator: request.evaluator, rankDeadline: request.deadline }),
    );
  }

  /** No result to rank: the client gets the rewards back, the evaluator its deposit. */
  private closeWithoutResults(ctx: JobsContext, request: StoredRequest, outcome: string): void {
    this.payOut(ctx, request, request.client, request.workerReward + request.evaluatorReward, 'refund');
    this.payOut(ctx, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
    for (const result of this.results(ctx.state, request)) this.bump(ctx, request.jobId, result.worker, { counters: { rejections: 1 } });
    this.close(ctx, request, 'no_results', outcome);
  }

  /** The evaluator did not rank in time: its deposit goes to the client and the client is refunded. */
  private evaluatorTimeout(ctx: JobsContext, request: StoredRequest): void {
    this.payOut(ctx, request, request.client, request.evaluatorDeposit, 'deposit_forfeit');
    this.bump(ctx, request.jobId, request.evaluator, { counters: { timeouts: 1 } });
    this.refundAll(ctx, request, 'evaluator_timeout', 'evaluator_did_not_rank');
  }

  /** The resolver let its window pass: the challenge moves one admin up, or, at the top, lapses (fee refunded). */
  private resolverTimeout(ctx: JobsContext, request: StoredRequest): void {
    this.bump(ctx, request.jobId, request.resolver, { counters: { timeouts: 1 } });
    const next = this.adminAbove(ctx.state, request, request.resolver, request.challenger);
    if (next) {
      const now = ctx.blockTimeSeconds;
      request.resolver = next;
      request.challengeLevel += 1;
      request.phaseAt = now;
      this.setDeadline(ctx, request, now + this.params(ctx.state).resolveWindow);
      this.putRequest(ctx, request);
      ctx.events.emit(
        challengeResolvedEvent({
          jobId: request.jobId,
          requestId: request.id,
          resolver: next,
          level: request.challengeLevel,
          outcome: 'escalated',
          acceptDeadline: 0n,
        }),
      );
      return;
    }
    this.payOut(ctx, request, request.challenger, request.challengeFee, 'refund');
    request.challengeFee = 0n;
    this.reopenRanking(ctx, request, request.resolver, 'unresolved');
  }

  /** The ranking stands again after a challenge: a new acceptance window. */
  private reopenRanking(ctx: JobsContext, request: StoredRequest, resolver: string, outcome: 'rejected' | 'unresolved'): void {
    const now = ctx.blockTimeSeconds;
    request.status = 'ranked';
    request.phaseAt = now;
    this.setDeadline(ctx, request, now + this.params(ctx.state).acceptanceWindow);
    this.putRequest(ctx, request);
    ctx.events.emit(
      challengeResolvedEvent({
        jobId: request.jobId,
        requestId: request.id,
        resolver,
        level: request.challengeLevel,
        outcome,
        acceptDeadline: request.deadline,
      }),
    );
  }

  // ---- money ----

  /** Everything left in escrow goes back to the client (rewards, and what else the caller moved there). */
  private refundAll(ctx: JobsContext, request: StoredRequest, status: FinalStatus, outcome: string): void {
    this.payOut(ctx, request, request.client, request.escrow, 'refund');
    this.close(ctx, request, status, outcome);
  }

  /**
   * Pays the final ranking: the worker reward split by the reward function (nothing ranked: back
   * to the client); the evaluator its reward and deposit when `evaluatorPaid`, else the evaluator
   * reward goes back to the client (the deposit was already forfeited). Updates counts and ratings.
   */
  private settle(ctx: JobsContext, request: StoredRequest, ranking: readonly string[], outcome: string, evaluatorPaid: boolean): void {
    const results = this.results(ctx.state, request);
    const byWorker = new Map(results.map((r) => [r.worker, r]));
    const shares = splitReward(request.workerReward, request.rewardFunction, request.rewardWeights, ranking.length);
    ranking.forEach((worker, i) => this.payWorker(ctx, request, byWorker.get(worker)!, shares[i]!));
    const paidWorkers = shares.reduce((sum, share) => sum + share, 0n);
    this.payOut(ctx, request, request.client, request.workerReward - paidWorkers, 'refund');
    if (!request.skipEvaluation) {
      if (evaluatorPaid) {
        this.payOut(ctx, request, request.evaluator, request.evaluatorReward, 'evaluator_reward');
        this.payOut(ctx, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
        this.bump(ctx, request.jobId, request.evaluator, { counters: { acceptances: 1 } });
      } else {
        this.payOut(ctx, request, request.client, request.evaluatorReward, 'refund');
      }
    }
    for (const result of results)
      this.bump(ctx, request.jobId, result.worker, { counters: ranking.includes(result.worker) ? { acceptances: 1 } : { rejections: 1 } });
    this.rate(ctx, request, ranking, results);
    request.ranking = [...ranking];
    const now = ctx.blockTimeSeconds;
    this.updateJobStats(ctx, request.jobId, (s) => {
      s.completed += 1;
      s.settleSeconds += now - request.requestedAt;
      s.lastSettledAt = now;
    });
    this.close(ctx, request, 'completed', outcome);
  }

  private payWorker(ctx: JobsContext, request: StoredRequest, result: StoredResult, amount: bigint): void {
    this.payOut(ctx, request, result.worker, amount, 'worker_reward');
    result.paid = amount;
    this.putResult(ctx, request.id, result);
  }

  /** Elo: the ranked workers by place, then those that revealed but were left out, tied last. */
  private rate(ctx: JobsContext, request: StoredRequest, ranking: readonly string[], results: readonly StoredResult[]): void {
    const unranked = results.filter((r) => r.revealedAt !== 0n && !ranking.includes(r.worker)).map((r) => r.worker);
    const players = [...ranking, ...unranked];
    const nodes = players.map((worker) => this.getStoredNode(ctx.state, request.jobId, worker)!);
    const places = players.map((_, i) => Math.min(i, ranking.length));
    const ratings = updateRatings(
      nodes.map((n) => n.rating),
      places,
    );
    nodes.forEach((node, i) => {
      node.rating = ratings[i]!;
      this.putNode(ctx, request.jobId, node);
    });
  }

  /** Moves `amount` from `from` into the request's escrow (sdk/5 when short). */
  private escrowIn(ctx: JobsContext, request: StoredRequest, from: string, amount: bigint): void {
    if (amount === 0n) return;
    this.bank.sendCoins(ctx, from, this.moduleAddress, uain(amount));
    request.escrow += amount;
    this.addEscrowTotal(ctx, amount);
  }

  /** Pays `amount` out of the request's escrow (never more than it holds: that would be a broken invariant). */
  private payOut(ctx: JobsContext, request: StoredRequest, to: string, amount: bigint, kind: PayoutKind): void {
    if (amount === 0n) return;
    if (amount < 0n || amount > request.escrow || to === '')
      throw ainError(
        ErrLogic,
        `request ${request.id} would pay ${amount} (${kind}) to ${to || 'nobody'} out of an escrow of ${request.escrow}`,
      );
    this.bank.sendCoins(ctx, this.moduleAddress, to, uain(amount));
    request.escrow -= amount;
    this.addEscrowTotal(ctx, -amount);
    ctx.events.emit(payoutEvent({ jobId: request.jobId, requestId: request.id, recipient: to, amount: amount.toString(), kind }));
    if (kind !== 'refund' && kind !== 'deposit_return') this.bump(ctx, request.jobId, to, { earned: amount });
    this.updateJobStats(ctx, request.jobId, (s) => {
      if (kind === 'worker_reward') s.paidWorkers += amount;
      else if (kind === 'evaluator_reward') s.paidEvaluators += amount;
      else if (kind === 'refund') s.refunded += amount;
    });
  }

  private addEscrowTotal(ctx: JobsContext, delta: bigint): void {
    const total = this.escrowTotal(ctx.state) + delta;
    if (total < 0n) throw ainError(ErrLogic, `the jobs escrow total would be ${total}`);
    ctx.state.set(ESCROW_TOTAL_PATH, total === 0n ? null : total.toString());
  }

  /** The request is final: its escrow must be empty; it leaves the deadline index. */
  private close(ctx: JobsContext, request: StoredRequest, status: FinalStatus, outcome: string): void {
    if (request.escrow !== 0n)
      throw ainError(ErrLogic, `request ${request.id} closes ${status} with ${request.escrow} uain still in escrow`);
    ctx.state.set(deadlinePath(request.deadline, request.id), null);
    request.status = status;
    request.outcome = outcome;
    request.settledAt = ctx.blockTimeSeconds;
    this.putRequest(ctx, request);
    if (status !== 'completed')
      this.updateJobStats(ctx, request.jobId, (s) => {
        if (status === 'expired') s.expired += 1;
        else s.failed += 1;
      });
    ctx.events.emit(requestClosedEvent({ jobId: request.jobId, requestId: request.id, status, outcome }));
  }

  // ---- helpers ----

  private nextId(ctx: JobsContext, path: string): bigint {
    const next = ctx.state.get(path);
    const id = typeof next === 'string' ? BigInt(next) : 1n;
    ctx.state.set(path, (id + 1n).toString());
    return id;
  }

  /** Moves a live request to a new deadline in the index. */
  private setDeadline(ctx: JobsContext, request: StoredRequest, deadline: bigint): void {
    if (request.deadline !== 0n) ctx.state.set(deadlinePath(request.deadline, request.id), null);
    request.deadline = deadline;
    ctx.state.set(deadlinePath(deadline, request.id), true);
  }

  /** The request must be in one of `statuses` and the block time at or before its deadline. */
  private requireLive(ctx: JobsContext, request: StoredRequest, statuses: readonly Status[], action: string): void {
    if (!statuses.includes(request.status))
      throw ainError(ErrWrongPhase, `${action} needs request ${request.id} to be ${statuses.join(' or ')}; it is ${request.status}`, {
        requestId: request.id.toString(),
        status: request.status,
      });
    if (ctx.blockTimeSeconds > request.deadline)
      throw ainError(
        ErrDeadlinePassed,
        `${action}: request ${request.id} is ${request.status} until block time ${request.deadline}; the block time is ${ctx.blockTimeSeconds}`,
        { requestId: request.id.toString(), deadline: request.deadline.toString() },
      );
  }

  private requireJoined(state: ReadableState, request: StoredRequest, worker: string): StoredResult {
    const result = this.getResult(state, request.id, worker);
    if (!result) throw ainError(ErrNotAllowed, `${worker} has not joined request ${request.id}`);
    return result;
  }

  /** A ranking: distinct workers of the request that revealed a result. */
  private checkRanking(state: ReadableState, request: StoredRequest, ranking: readonly string[]): void {
    ranking.forEach((worker, i) => {
      const result = this.getResult(state, request.id, worker);
      if (!result || result.revealedAt === 0n)
        throw ainError(ErrInvalidRanking, `ranking[${i}] ${worker} revealed no result for request ${request.id}`, {
          field: `ranking[${i}]`,
        });
    });
  }

  /** The node holding `role` in the job, approved and not dropped. */
  private requireRole(state: ReadableState, jobId: bigint, address: string, role: RoleName, field: string): StoredNode {
    const node = this.getStoredNode(state, jobId, address);
    if (!node?.roles.includes(role))
      throw ainError(ErrNotMember, `${field} ${address} is not an approved ${role} of job ${jobId}`, { field, role });
    if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${field} ${address} was dropped from job ${jobId}`, { field });
    return node;
  }

  /**
   * The nearest admin above `address` in the job's tree that may resolve a challenge of the request:
   * not dropped, and no party to it (the client, the challenger, the evaluator, a worker that joined).
   */
  private adminAbove(state: ReadableState, request: StoredRequest, address: string, challenger: string): string | undefined {
    const parties = new Set([request.client, challenger, request.evaluator, ...request.joined]);
    let current = this.getStoredNode(state, request.jobId, address);
    for (let hops = 0; current && current.parent !== '' && hops <= MAX_TREE_DEPTH_BOUND; hops++) {
      const parent = this.getStoredNode(state, request.jobId, current.parent);
      if (parent && parent.status !== 'dropped' && parent.roles.includes('admin') && !parties.has(parent.address)) return parent.address;
      current = parent;
    }
    return undefined;
  }

  /** Approvals and drops per admin per job: at most the param's count in each rate window of block time. */
  private rateLimit(ctx: JobsContext, jobId: bigint, admin: string, kind: 'approvals' | 'drops', params: JobsParams): void {
    const window = ctx.blockTimeSeconds / params.rateWindow;
    const stored = readRecord<RateRecord>(ctx.state, ratePath(jobId, admin));
    const record: RateRecord = stored?.window === window ? stored : { window, approvals: 0, drops: 0 };
    const max = kind === 'approvals' ? params.maxApprovals : params.maxDrops;
    if (record[kind] >= max)
      throw ainError(
        ErrRateLimited,
        `${admin} made ${record[kind]} ${kind} in job ${jobId} since block time ${window * params.rateWindow}; at most ${max} per ${params.rateWindow} s, next from ${(window + 1n) * params.rateWindow}`,
        { admin, kind },
      );
    record[kind] += 1;
    ctx.state.set(ratePath(jobId, admin), encodeRecord(record));
  }

  /** Adds to a node's counts: across jobs always, in the job's tree when it is a member. */
  private bump(ctx: JobsContext, jobId: bigint, address: string, change: StatsChange): void {
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
    const node = this.getStoredNode(ctx.state, jobId, address);
    if (node) {
      apply(node.stats);
      this.putNode(ctx, jobId, node);
    }
  }

  private updateJobStats(ctx: JobsContext, jobId: bigint, update: (stats: StoredJobStats) => void): void {
    const stats = readRecord<StoredJobStats>(ctx.state, jobStatsPath(jobId)) ?? emptyJobStats();
    update(stats);
    ctx.state.set(jobStatsPath(jobId), encodeRecord(stats));
  }

  /** Results in commitment order (ties: join order), as the skip-evaluation ranking and the cancel split use. */
  private byCommitTime(results: readonly StoredResult[]): StoredResult[] {
    return results
      .map((result, index) => ({ result, index }))
      .sort((a, b) =>
        a.result.committedAt === b.result.committedAt ? a.index - b.index : a.result.committedAt < b.result.committedAt ? -1 : 1,
      )
      .map(({ result }) => result);
  }

  private results(state: ReadableState, request: StoredRequest): StoredResult[] {
    return request.joined.map((worker) => this.getResult(state, request.id, worker)!);
  }

  private requireJob(state: ReadableState, id: bigint): StoredJob {
    const job = readRecord<StoredJob>(state, jobSpecPath(id));
    if (!job) throw ainError(ErrJobNotFound, `no job ${id}`, { jobId: id.toString() });
    return job;
  }

  private requireRequest(state: ReadableState, id: bigint): StoredRequest {
    const request = readRecord<StoredRequest>(state, requestRecordPath(id));
    if (!request) throw ainError(ErrRequestNotFound, `no request ${id}`, { requestId: id.toString() });
    return request;
  }

  private getStoredNode(state: ReadableState, jobId: bigint, address: string): StoredNode | undefined {
    return readRecord<StoredNode>(state, jobNodePath(jobId, address));
  }

  private putNode(ctx: JobsContext, jobId: bigint, node: StoredNode): void {
    ctx.state.set(jobNodePath(jobId, node.address), encodeRecord(node));
  }

  private putRequest(ctx: JobsContext, request: StoredRequest): void {
    ctx.state.set(requestRecordPath(request.id), encodeRecord(request));
  }

  private getResult(state: ReadableState, requestId: bigint, worker: string): StoredResult | undefined {
    return readRecord<StoredResult>(state, resultPath(requestId, worker));
  }

  private putResult(ctx: JobsContext, requestId: bigint, result: StoredResult): void {
    ctx.state.set(resultPath(requestId, result.worker), encodeRecord(result));
  }

  // ---- queries ----

  /** uain the module account holds for live requests (kept equal to its balance and to the sum of the requests' escrow). */
  escrowTotal(state: ReadableState): bigint {
    const total = state.get(ESCROW_TOTAL_PATH);
    return typeof total === 'string' ? BigInt(total) : 0n;
  }

  getJob(state: ReadableState, id: bigint): Job | undefined {
    const job = readRecord<StoredJob>(state, jobSpecPath(id));
    return job && toJob(job);
  }

  /** Jobs by id after `startAfter`, at most `limit` (<= {@link MAX_LISTED}). */
  jobs(state: ReadableState, startAfter: bigint, limit: number): Job[] {
    const next = state.get(NEXT_JOB_ID_PATH);
    const end = typeof next === 'string' ? BigInt(next) : 1n;
    const jobs: Job[] = [];
    for (let id = startAfter + 1n; id < end && jobs.length < Math.min(limit, MAX_LISTED); id++) {
      const job = this.getJob(state, id);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  getRequest(state: ReadableState, id: bigint): Request | undefined {
    const request = readRecord<StoredRequest>(state, requestRecordPath(id));
    if (!request) return undefined;
    const input = state.get(requestInputPath(id));
    const testData = state.get(requestTestDataPath(id));
    return toRequest(
      request,
      typeof input === 'string' ? input : '',
      typeof testData === 'string' ? testData : '',
      this.results(state, request),
    );
  }

  /** Live requests, earliest deadline first, of one job (or all for 0), at most `limit` (<= {@link MAX_LISTED}). */
  liveRequests(state: ReadableState, jobId: bigint, limit: number): Request[] {
    const requests: Request[] = [];
    for (const [path] of state.list(DEADLINES_ROOT, MAX_DUE_PER_BLOCK)) {
      if (requests.length >= Math.min(limit, MAX_LISTED)) break;
      const request = this.getRequest(state, parseDeadlinePath(path).id)!;
      if (jobId === 0n || request.jobId === jobId) requests.push(request);
    }
    return requests;
  }

  getNode(state: ReadableState, jobId: bigint, address: string): Node | undefined {
    const node = this.getStoredNode(state, jobId, address);
    return node && toNode(jobId, node);
  }

  /** A job's nodes in address order after `startAfter`, at most `limit` (<= {@link MAX_LISTED}). */
  nodes(state: ReadableState, jobId: bigint, startAfter: string, limit: number): Node[] {
    return state
      .list(jobNodesPath(jobId), MAX_NODES_SCANNED)
      .map(([, text]) => decodeRecord<StoredNode>(text as string))
      .filter((node) => node.address > startAfter)
      .slice(0, Math.min(limit, MAX_LISTED))
      .map((node) => toNode(jobId, node));
  }

  /** A node's counts across all jobs. */
  overallStats(state: ReadableState, address: string): NodeStats {
    return toNodeStats(readRecord<Stats>(state, nodeStatsPath(address)) ?? emptyStats());
  }

  jobStats(state: ReadableState, jobId: bigint): JobStats | undefined {
    const stats = readRecord<StoredJobStats>(state, jobStatsPath(jobId));
    if (!stats) return undefined;
    return JobStats.fromPartial({
      requests: BigInt(stats.requests),
      completed: BigInt(stats.completed),
      expired: BigInt(stats.expired),
      failed: BigInt(stats.failed),
      challenges: BigInt(stats.challenges),
      challengesUpheld: BigInt(stats.challengesUpheld),
      paidWorkers: stats.paidWorkers.toString(),
      paidEvaluators: stats.paidEvaluators.toString(),
      refunded: stats.refunded.toString(),
      settleSeconds: stats.settleSeconds,
      firstRequestAt: stats.firstRequestAt,
      lastSettledAt: stats.lastSettledAt,
    });
  }

  /** Counts of jobs and requests ever made. */
  totals(state: ReadableState): { jobs: bigint; requests: bigint } {
    const count = (path: string) => {
      const next = state.get(path);
      return typeof next === 'string' ? BigInt(next) - 1n : 0n;
    };
    return { jobs: count(NEXT_JOB_ID_PATH), requests: count(NEXT_REQUEST_ID_PATH) };
  }
}

function toJob(job: StoredJob): Job {
  return {
    id: job.id,
    name: job.name,
    admin: job.admin,
    schema: job.schema,
    workerRpc: job.workerRpc,
    evaluatorRpc: job.evaluatorRpc,
    inputType: job.inputType,
    outputType: job.outputType,
    workerCodeHash: job.workerCodeHash,
    evaluatorCodeHash: job.evaluatorCodeHash,
    runtime: job.runtime,
    resources: { ...job.resources },
    delegation: { ...job.delegation },
    description: job.description,
    registeredAt: job.registeredAt,
    height: job.height,
  };
}

function toNodeStats(stats: Stats): NodeStats {
  return {
    jobs: BigInt(stats.jobs),
    acceptances: BigInt(stats.acceptances),
    rejections: BigInt(stats.rejections),
    challengesWon: BigInt(stats.challengesWon),
    challengesLost: BigInt(stats.challengesLost),
    timeouts: BigInt(stats.timeouts),
    responseSeconds: stats.responseSeconds,
    responses: BigInt(stats.responses),
    earned: stats.earned.toString(),
    approvals: BigInt(stats.approvals),
    drops: BigInt(stats.drops),
  };
}

function toNode(jobId: bigint, node: StoredNode): Node {
  return {
    jobId,
    address: node.address,
    roles: node.roles.map(roleOf),
    applied: node.applied.map(roleOf),
    parent: node.parent,
    depth: node.depth,
    status: node.status,
    children: node.children,
    rating: node.rating,
    stats: toNodeStats(node.stats),
  };
}

function toResult(result: StoredResult): WorkerResult {
  return {
    worker: result.worker,
    joinedAt: result.joinedAt,
    commitment: result.commitment,
    committedAt: result.committedAt,
    output: result.output,
    outputHash: result.outputHash,
    revealedAt: result.revealedAt,
    paid: result.paid.toString(),
  };
}

function toRequest(request: StoredRequest, input: string, testData: string, results: readonly StoredResult[]): Request {
  return {
    id: request.id,
    jobId: request.jobId,
    client: request.client,
    input,
    inputHash: request.inputHash,
    workerReward: request.workerReward.toString(),
    rewardFunction: request.rewardFunction,
    rewardWeights: [...request.rewardWeights],
    evaluatorReward: request.evaluatorReward.toString(),
    evaluatorDeposit: request.evaluatorDeposit.toString(),
    timeLimitSeconds: request.timeLimit,
    evaluators: [...request.evaluators],
    workers: [...request.workers],
    skipEvaluation: request.skipEvaluation,
    maxWorkers: request.maxWorkers,
    testDataCommitment: request.testDataCommitment,
    testData,
    testDataHash: request.testDataHash,
    status: request.status,
    deadline: request.deadline,
    evaluator: request.evaluator,
    results: results.map(toResult),
    ranking: [...request.ranking],
    requestedAt: request.requestedAt,
    acceptedAt: request.acceptedAt,
    rankedAt: request.rankedAt,
    settledAt: request.settledAt,
    escrow: request.escrow.toString(),
    challenger: request.challenger,
    resolver: request.resolver,
    challengeLevel: request.challengeLevel,
    outcome: request.outcome,
    height: request.height,
  };
}
