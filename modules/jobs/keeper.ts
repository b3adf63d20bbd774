import { moduleAddress, paginateList, paginateRange } from '../../core/index.ts';
import type { Page, PageRequest, ReadableState } from '../../core/index.ts';
import type { Job, Node, NodeStats, Request, WorkerResult } from '../../proto/gen/ain/jobs/v1/types.ts';
import { JobStats } from '../../proto/gen/ain/jobs/v1/types.ts';
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
import { endBlock, MAX_DUE_PER_BLOCK } from './deadlines.ts';
import { type EscrowAccount, readEscrowTotal } from './escrow.ts';
import type { BankKeeper, JobsHooks } from './expected_keepers.ts';
import {
  DEADLINES_ROOT,
  jobNodesPath,
  jobSpecPath,
  jobStatsPath,
  NEXT_JOB_ID_PATH,
  NEXT_REQUEST_ID_PATH,
  nodeStatsPath,
  parseDeadlinePath,
  requestInputPath,
  requestRecordPath,
  requestTestDataPath,
} from './keys.ts';
import { type JobsParams, readJobsParams } from './params.ts';
import {
  decodeRecord,
  emptyStats,
  getStoredNode,
  type JobsContext,
  readRecord,
  resultsOf,
  roleOf,
  type Stats,
  type StoredJob,
  type StoredJobStats,
  type StoredNode,
  type StoredRequest,
  type StoredResult,
} from './records.ts';
import { applyJob, approveNode, dropNode, registerJob } from './reputation.ts';
import {
  acceptJob,
  acceptResult,
  challenge,
  rank,
  requestJob,
  resolveChallenge,
  revealResult,
  revealTestData,
  submitResult,
} from './requests.ts';

export { MAX_DUE_PER_BLOCK } from './deadlines.ts';
export type { JobsContext } from './records.ts';

export const JOBS_MODULE = 'jobs';
/** Most jobs, requests or nodes one query lists. */
export const MAX_LISTED = 100;
/** Most nodes a Nodes query scans to find those after `start_after`. */
export const MAX_NODES_SCANNED = 10_000;

/**
 * The only code touching `/jobs`: registered jobs and their reputation trees, requests and their
 * escrow in the module account, the commit-reveal of results and test data, rankings, challenges,
 * the end-of-block deadlines, and the statistics of nodes and jobs. See README.md for the state
 * machine of a request and the money rules. The work is done in reputation.ts, requests.ts,
 * deadlines.ts and escrow.ts (over records.ts); the queries are here.
 */
export class JobsKeeper {
  /** The module account holding every live request's escrow (rewards, deposits, challenge fees). */
  readonly moduleAddress = moduleAddress(JOBS_MODULE);
  private readonly account: EscrowAccount;
  private hooks: readonly JobsHooks[] = [];
  private readonly bank: BankKeeper;

  constructor(bank: BankKeeper) {
    this.bank = bank;
    this.account = {
      bank,
      moduleAddress: this.moduleAddress,
      closed: (ctx, request) => {
        for (const hooks of this.hooks) hooks.afterRequestClosed?.(ctx, request);
      },
    };
  }

  /** Adds another module's hooks (ainft hears when its re-runs close); called in the order added. */
  addHooks(hooks: JobsHooks): void {
    this.hooks = [...this.hooks, hooks];
  }

  params(state: ReadableState): JobsParams {
    return readJobsParams(state);
  }

  // ---- registration and the reputation tree (reputation.ts) ----

  /** MsgRegisterJob: stores the job; the signer becomes its root admin (depth 0). Returns the job id. */
  registerJob(ctx: JobsContext, msg: MsgRegisterJob): bigint {
    return registerJob(ctx, msg);
  }

  /** MsgApplyJob: records the signer's application for a role. */
  applyJob(ctx: JobsContext, msg: MsgApplyJob): void {
    applyJob(ctx, msg);
  }

  /** MsgApproveNode: an approved admin of the job approves a role the node applied for. */
  approveNode(ctx: JobsContext, msg: MsgApproveNode): void {
    approveNode(ctx, msg);
  }

  /** MsgDropNode: an admin drops one of its children. */
  dropNode(ctx: JobsContext, msg: MsgDropNode): void {
    dropNode(ctx, msg);
  }

  // ---- requests (requests.ts) ----

  /**
   * MsgRequestJob: escrows the rewards and opens the request. Returns the request id. `origin` names
   * a module posting it on the client's behalf (stored on the request; its hooks recognise it at close).
   */
  requestJob(ctx: JobsContext, msg: MsgRequestJob, origin = ''): bigint {
    return requestJob(ctx, this.account, msg, origin);
  }

  /** MsgAcceptJob: an evaluator takes an open request, or a worker joins a running one. */
  acceptJob(ctx: JobsContext, msg: MsgAcceptJob): void {
    acceptJob(ctx, this.account, msg);
  }

  submitResult(ctx: JobsContext, msg: MsgSubmitResult): void {
    submitResult(ctx, msg);
  }

  revealResult(ctx: JobsContext, msg: MsgRevealResult): void {
    revealResult(ctx, msg);
  }

  revealTestData(ctx: JobsContext, msg: MsgRevealTestData): void {
    revealTestData(ctx, msg);
  }

  rank(ctx: JobsContext, msg: MsgRank): void {
    rank(ctx, msg);
  }

  acceptResult(ctx: JobsContext, msg: MsgAcceptResult): void {
    acceptResult(ctx, this.account, msg);
  }

  challenge(ctx: JobsContext, msg: MsgChallenge): void {
    challenge(ctx, this.account, msg);
  }

  resolveChallenge(ctx: JobsContext, msg: MsgResolveChallenge): void {
    resolveChallenge(ctx, this.account, msg);
  }

  // ---- end of block (deadlines.ts) ----

  /** Moves on every live request whose deadline is below the block's time (at most {@link MAX_DUE_PER_BLOCK}). */
  endBlock(ctx: JobsContext): void {
    endBlock(ctx, this.account);
  }

  // ---- queries ----

  /** uain the module account holds for live requests (kept equal to its balance and to the sum of the requests' escrow). */
  escrowTotal(state: ReadableState): bigint {
    return readEscrowTotal(state);
  }

  /** The module account's uain balance (what `escrowTotal` must equal). */
  escrowBalance(state: ReadableState): bigint {
    return this.bank.getBalance(state, this.moduleAddress, 'uain');
  }

  getJob(state: ReadableState, id: bigint): Job | undefined {
    const job = readRecord<StoredJob>(state, jobSpecPath(id));
    return job && toJob(job);
  }

  /** One page of the jobs by id (key: the id in decimal; queries). */
  jobsPage(state: ReadableState, page: PageRequest | undefined): Page<Job> {
    const next = state.get(NEXT_JOB_ID_PATH);
    const ids = paginateRange(1n, typeof next === 'string' ? BigInt(next) : 1n, page, { maxLimit: MAX_LISTED });
    return { items: ids.items.flatMap((id) => this.getJob(state, id) ?? []), pagination: ids.pagination };
  }

  /** One page of the live requests of one job (or all for 0), earliest deadline first (key `<deadline>/<id>`; queries). */
  liveRequestsPage(state: ReadableState, jobId: bigint, page: PageRequest | undefined): Page<Request> {
    const idOf = (path: string) => parseDeadlinePath(path).id;
    const listed = paginateList(state, DEADLINES_ROOT, page, {
      scan: MAX_DUE_PER_BLOCK,
      depth: 2,
      maxLimit: MAX_LISTED,
      accept: (item) =>
        jobId === 0n || String(readRecord<StoredRequest>(state, requestRecordPath(idOf(item.leaves[0]![0])))?.jobId) === String(jobId),
    });
    return { items: listed.items.map((item) => this.getRequest(state, idOf(item.leaves[0]![0]))!), pagination: listed.pagination };
  }

  /** One page of a job's nodes in address order (queries). */
  nodesPage(state: ReadableState, jobId: bigint, page: PageRequest | undefined): Page<Node> {
    const listed = paginateList(state, jobNodesPath(jobId), page, { scan: MAX_NODES_SCANNED, maxLimit: MAX_LISTED });
    return {
      items: listed.items.map((item) => toNode(jobId, decodeRecord<StoredNode>(item.leaves[0]![1] as string))),
      pagination: listed.pagination,
    };
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
      resultsOf(state, request),
    );
  }

  getNode(state: ReadableState, jobId: bigint, address: string): Node | undefined {
    const node = getStoredNode(state, jobId, address);
    return node && toNode(jobId, node);
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
    requires: job.requires ?? [],
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
