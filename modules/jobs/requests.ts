/**
 * The state machine of a request, one message at a time: request (escrowing the rewards), accept
 * (the evaluator posts its deposit; workers join), submit a commitment, reveal results and test data,
 * rank, accept the result, challenge and resolve. Each step checks the phase and its deadline; the
 * end of a block moves requests whose deadline passed (deadlines.ts).
 */
import { ainError } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type {
  MsgAcceptJob,
  MsgAcceptResult,
  MsgChallenge,
  MsgRank,
  MsgRequestJob,
  MsgResolveChallenge,
  MsgRevealResult,
  MsgRevealTestData,
  MsgSubmitResult,
} from '../../proto/gen/ain/jobs/v1/tx.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { resultCommitment, testDataCommitment } from './commitment.ts';
import {
  ErrAlreadyDone,
  ErrCommitmentMismatch,
  ErrDeadlinePassed,
  ErrInvalidInput,
  ErrInvalidOutput,
  ErrInvalidRanking,
  ErrNoHigherAdmin,
  ErrNotAllowed,
  ErrUnauthorized,
  ErrWrongPhase,
} from './errors.ts';
import {
  challengeFiledEvent,
  challengeResolvedEvent,
  jobAcceptedEvent,
  jobRequestedEvent,
  resultRevealedEvent,
  resultSubmittedEvent,
  resultsRankedEvent,
  testDataRevealedEvent,
  workerJoinedEvent,
} from './events.ts';
import { type EscrowAccount, escrowIn, payOut, settle } from './escrow.ts';
import { NEXT_REQUEST_ID_PATH, requestInputPath, requestTestDataPath } from './keys.ts';
import { parseInlineJson } from './msgs.ts';
import { readJobsParams } from './params.ts';
import {
  bump,
  getResult,
  type JobsContext,
  nextId,
  openPhase,
  putRequest,
  putResult,
  requireJob,
  requireRequest,
  type Status,
  type StoredRequest,
  type StoredResult,
  updateJobStats,
} from './records.ts';
import { adminAbove, requireRole } from './reputation.ts';
import { rewardFunctionName } from './rewards.ts';
import { checkJson, parseSchema } from './schema.ts';

/**
 * MsgRequestJob: checks the request against the job and the params, escrows worker_reward +
 * evaluator_reward from the client, and opens it for evaluators until block time + accept_window
 * (with skip_evaluation it runs at once). `origin` names a module posting it on the client's behalf
 * (stored only when given). Returns the request id.
 */
export function requestJob(ctx: JobsContext, account: EscrowAccount, msg: MsgRequestJob, origin = ''): bigint {
  const job = requireJob(ctx.state, msg.jobId);
  const params = readJobsParams(ctx.state);
  const now = ctx.blockTimeSeconds;
  if (msg.timeLimitSeconds < params.minTimeLimit || msg.timeLimitSeconds > params.maxTimeLimit)
    throw ainError(
      ErrNotAllowed,
      `time_limit_seconds ${msg.timeLimitSeconds} must be in [${params.minTimeLimit}, ${params.maxTimeLimit}]`,
      { field: 'time_limit_seconds' },
    );
  const deposit = BigInt(msg.evaluatorDeposit || '0');
  if (!msg.skipEvaluation && deposit < params.minEvaluatorDeposit)
    throw ainError(ErrNotAllowed, `evaluator_deposit ${deposit} is below the chain's min_evaluator_deposit ${params.minEvaluatorDeposit}`, {
      field: 'evaluator_deposit',
    });
  const maxWorkers = msg.maxWorkers || params.maxWorkersPerRequest;
  if (maxWorkers > params.maxWorkersPerRequest)
    throw ainError(ErrNotAllowed, `max_workers ${maxWorkers} exceeds the chain's max_workers_per_request ${params.maxWorkersPerRequest}`, {
      field: 'max_workers',
    });
  if (msg.input !== '') checkJson(parseSchema(job.schema), job.inputType, parseInlineJson(msg.input, 'input'), 'input', ErrInvalidInput);
  msg.evaluators.forEach((address, i) => requireRole(ctx.state, job.id, address, 'evaluator', `evaluators[${i}]`));
  msg.workers.forEach((address, i) => requireRole(ctx.state, job.id, address, 'worker', `workers[${i}]`));
  const id = nextId(ctx, NEXT_REQUEST_ID_PATH);
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
    ...(origin === '' ? {} : { origin }),
  };
  escrowIn(ctx, account, request, msg.signer, request.workerReward + request.evaluatorReward);
  if (msg.input !== '') ctx.state.set(requestInputPath(id), msg.input);
  updateJobStats(ctx, job.id, (s) => {
    s.requests += 1;
    if (s.firstRequestAt === 0n) s.firstRequestAt = now;
  });
  bump(ctx, job.id, msg.signer, { counters: { jobs: 1 } });
  if (msg.skipEvaluation) {
    request.acceptedAt = now;
    openPhase(ctx, request, 'running', request.timeLimit);
  } else {
    openPhase(ctx, request, 'open', params.acceptWindow);
  }
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
export function acceptJob(ctx: JobsContext, account: EscrowAccount, msg: MsgAcceptJob): void {
  const request = requireRequest(ctx.state, msg.requestId);
  const now = ctx.blockTimeSeconds;
  if (msg.signer === request.client) throw ainError(ErrNotAllowed, `${msg.signer} is the client of request ${request.id}`);
  if (msg.role === Role.ROLE_EVALUATOR) {
    if (request.skipEvaluation) throw ainError(ErrNotAllowed, `request ${request.id} skips evaluation`);
    requireLive(ctx, request, ['open'], 'accepting as evaluator');
    requireRole(ctx.state, request.jobId, msg.signer, 'evaluator', 'signer');
    if (request.evaluators.length > 0 && !request.evaluators.includes(msg.signer))
      throw ainError(ErrNotAllowed, `${msg.signer} is not among the evaluators request ${request.id} lists`);
    escrowIn(ctx, account, request, msg.signer, request.evaluatorDeposit);
    request.evaluator = msg.signer;
    request.acceptedAt = now;
    openPhase(ctx, request, 'running', request.timeLimit);
    bump(ctx, request.jobId, msg.signer, { counters: { jobs: 1 }, responseSeconds: now - request.requestedAt });
    ctx.events.emit(
      jobAcceptedEvent({ jobId: request.jobId, requestId: request.id, evaluator: msg.signer, submitDeadline: request.deadline }),
    );
    return;
  }
  requireLive(ctx, request, ['running'], 'joining as worker');
  requireRole(ctx.state, request.jobId, msg.signer, 'worker', 'signer');
  if (msg.signer === request.evaluator)
    throw ainError(ErrNotAllowed, `${msg.signer} evaluates request ${request.id}; it cannot also work on it`);
  if (request.workers.length > 0 && !request.workers.includes(msg.signer))
    throw ainError(ErrNotAllowed, `${msg.signer} is not among the workers request ${request.id} lists`);
  if (request.joined.includes(msg.signer)) throw ainError(ErrAlreadyDone, `${msg.signer} already joined request ${request.id}`);
  if (request.joined.length >= request.maxWorkers)
    throw ainError(ErrNotAllowed, `request ${request.id} has its ${request.maxWorkers} workers (max_workers)`);
  request.joined.push(msg.signer);
  putRequest(ctx, request);
  putResult(ctx, request.id, {
    worker: msg.signer,
    joinedAt: now,
    commitment: '',
    committedAt: 0n,
    output: '',
    outputHash: '',
    revealedAt: 0n,
    paid: 0n,
  });
  bump(ctx, request.jobId, msg.signer, { counters: { jobs: 1 } });
  ctx.events.emit(workerJoinedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer }));
}

/** MsgSubmitResult: a joined worker commits to its result (once) until the submission deadline. */
export function submitResult(ctx: JobsContext, msg: MsgSubmitResult): void {
  const request = requireRequest(ctx.state, msg.requestId);
  requireLive(ctx, request, ['running'], 'submitting a result');
  const result = requireJoined(ctx.state, request, msg.signer);
  if (result.commitment !== '') throw ainError(ErrAlreadyDone, `${msg.signer} already committed to a result of request ${request.id}`);
  result.commitment = msg.commitment;
  result.committedAt = ctx.blockTimeSeconds;
  putResult(ctx, request.id, result);
  bump(ctx, request.jobId, msg.signer, { responseSeconds: ctx.blockTimeSeconds - request.acceptedAt });
  ctx.events.emit(resultSubmittedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer, commitment: msg.commitment }));
}

/**
 * MsgRevealResult: after submission closed, the worker reveals what it committed to. The reveal
 * must hash to the commitment (which binds the request and the worker), and an inline output must
 * conform to the job's output type.
 */
export function revealResult(ctx: JobsContext, msg: MsgRevealResult): void {
  const request = requireRequest(ctx.state, msg.requestId);
  requireLive(ctx, request, ['revealing'], 'revealing a result');
  const result = requireJoined(ctx.state, request, msg.signer);
  if (result.commitment === '') throw ainError(ErrNotAllowed, `${msg.signer} made no commitment to request ${request.id}`);
  if (result.revealedAt !== 0n) throw ainError(ErrAlreadyDone, `${msg.signer} already revealed its result of request ${request.id}`);
  const expected = resultCommitment(request.id, msg.signer, msg.salt, msg.output, msg.outputHash);
  if (expected !== result.commitment)
    throw ainError(ErrCommitmentMismatch, `the reveal of ${msg.signer} hashes to ${expected}, not its commitment ${result.commitment}`);
  if (msg.output !== '') {
    const job = requireJob(ctx.state, request.jobId);
    checkJson(parseSchema(job.schema), job.outputType, parseInlineJson(msg.output, 'output'), 'output', ErrInvalidOutput);
  }
  result.output = msg.output;
  result.outputHash = msg.outputHash;
  result.revealedAt = ctx.blockTimeSeconds;
  putResult(ctx, request.id, result);
  ctx.events.emit(resultRevealedEvent({ jobId: request.jobId, requestId: request.id, worker: msg.signer }));
}

/** MsgRevealTestData: after submission closed, the client reveals the test data it committed to. */
export function revealTestData(ctx: JobsContext, msg: MsgRevealTestData): void {
  const request = requireRequest(ctx.state, msg.requestId);
  if (msg.signer !== request.client)
    throw ainError(ErrUnauthorized, `only the client ${request.client} reveals request ${request.id}'s test data`);
  if (request.testDataCommitment === '') throw ainError(ErrNotAllowed, `request ${request.id} committed to no test data`);
  requireLive(ctx, request, ['revealing'], 'revealing test data');
  if (request.testDataRevealed) throw ainError(ErrAlreadyDone, `request ${request.id}'s test data is already revealed`);
  const expected = testDataCommitment(request.jobId, request.client, msg.salt, msg.data, msg.dataHash);
  if (expected !== request.testDataCommitment)
    throw ainError(ErrCommitmentMismatch, `the test data hashes to ${expected}, not the commitment ${request.testDataCommitment}`);
  request.testDataRevealed = true;
  request.testDataHash = msg.dataHash;
  if (msg.data !== '') ctx.state.set(requestTestDataPath(request.id), msg.data);
  putRequest(ctx, request);
  ctx.events.emit(testDataRevealedEvent({ jobId: request.jobId, requestId: request.id, client: request.client }));
}

/**
 * MsgRank: the evaluator ranks the revealed results, best first (workers it leaves out are
 * rejected). The client then has acceptance_window to accept or challenge.
 */
export function rank(ctx: JobsContext, msg: MsgRank): void {
  const request = requireRequest(ctx.state, msg.requestId);
  if (msg.signer !== request.evaluator)
    throw ainError(ErrUnauthorized, `only the evaluator ${request.evaluator || '(none)'} ranks request ${request.id}`);
  requireLive(ctx, request, ['evaluating'], 'ranking');
  checkRanking(ctx.state, request, msg.ranking);
  const now = ctx.blockTimeSeconds;
  const params = readJobsParams(ctx.state);
  bump(ctx, request.jobId, msg.signer, { responseSeconds: now - request.phaseAt });
  request.ranking = [...msg.ranking];
  request.rankedAt = now;
  openPhase(ctx, request, 'ranked', params.acceptanceWindow);
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
export function acceptResult(ctx: JobsContext, account: EscrowAccount, msg: MsgAcceptResult): void {
  const request = requireRequest(ctx.state, msg.requestId);
  if (msg.signer !== request.client)
    throw ainError(ErrUnauthorized, `only the client ${request.client} accepts request ${request.id}'s result`);
  requireLive(ctx, request, ['ranked'], 'accepting the result');
  settle(ctx, account, request, request.ranking, 'accepted', true);
}

/**
 * MsgChallenge: the client, or a worker that revealed, disputes the ranking and pays the
 * challenge fee into escrow. The resolver is the nearest admin (not dropped) above the evaluator,
 * or above the last resolver when the ranking was already challenged.
 */
export function challenge(ctx: JobsContext, account: EscrowAccount, msg: MsgChallenge): void {
  const request = requireRequest(ctx.state, msg.requestId);
  if (request.skipEvaluation) throw ainError(ErrNotAllowed, `request ${request.id} skipped evaluation: there is no ranking to challenge`);
  requireLive(ctx, request, ['ranked'], 'challenging');
  if (msg.signer !== request.client) {
    const result = getResult(ctx.state, request.id, msg.signer);
    if (!result || result.revealedAt === 0n)
      throw ainError(ErrUnauthorized, `only the client or a worker that revealed a result challenges request ${request.id}`);
  }
  const below = request.challengeLevel === 0 ? request.evaluator : request.resolver;
  const resolver = adminAbove(ctx.state, request, below, msg.signer);
  if (!resolver)
    throw ainError(ErrNoHigherAdmin, `no admin of job ${request.jobId} is above ${below}; the ranking of request ${request.id} is final`);
  const params = readJobsParams(ctx.state);
  escrowIn(ctx, account, request, msg.signer, params.challengeFee);
  request.challengeFee = params.challengeFee;
  request.challenger = msg.signer;
  request.resolver = resolver;
  request.challengeLevel += 1;
  openPhase(ctx, request, 'challenged', params.resolveWindow);
  updateJobStats(ctx, request.jobId, (s) => {
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
export function resolveChallenge(ctx: JobsContext, account: EscrowAccount, msg: MsgResolveChallenge): void {
  const request = requireRequest(ctx.state, msg.requestId);
  requireLive(ctx, request, ['challenged'], 'resolving the challenge');
  if (msg.signer !== request.resolver)
    throw ainError(ErrUnauthorized, `${request.resolver} resolves the challenge of request ${request.id}, not ${msg.signer}`);
  if (msg.uphold) checkRanking(ctx.state, request, msg.ranking);
  const now = ctx.blockTimeSeconds;
  bump(ctx, request.jobId, msg.signer, { responseSeconds: now - request.phaseAt });
  payOut(ctx, account, request, msg.signer, request.challengeFee, 'challenge_fee');
  request.challengeFee = 0n;
  if (msg.uphold) {
    payOut(ctx, account, request, request.challenger, request.evaluatorDeposit, 'deposit_forfeit');
    bump(ctx, request.jobId, request.challenger, { counters: { challengesWon: 1 } });
    bump(ctx, request.jobId, request.evaluator, { counters: { challengesLost: 1, rejections: 1 } });
    updateJobStats(ctx, request.jobId, (s) => {
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
    settle(ctx, account, request, [...msg.ranking], 'challenge_upheld', false);
    return;
  }
  bump(ctx, request.jobId, request.challenger, { counters: { challengesLost: 1 } });
  bump(ctx, request.jobId, request.evaluator, { counters: { challengesWon: 1 } });
  reopenRanking(ctx, request, msg.signer, 'rejected');
}

/** The ranking stands again after a challenge: a new acceptance window. */
export function reopenRanking(ctx: JobsContext, request: StoredRequest, resolver: string, outcome: 'rejected' | 'unresolved'): void {
  openPhase(ctx, request, 'ranked', readJobsParams(ctx.state).acceptanceWindow);
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

/** The request must be in one of `statuses` and the block time at or before its deadline. */
function requireLive(ctx: JobsContext, request: StoredRequest, statuses: readonly Status[], action: string): void {
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

function requireJoined(state: ReadableState, request: StoredRequest, worker: string): StoredResult {
  const result = getResult(state, request.id, worker);
  if (!result) throw ainError(ErrNotAllowed, `${worker} has not joined request ${request.id}`);
  return result;
}

/** A ranking: distinct workers of the request that revealed a result. */
function checkRanking(state: ReadableState, request: StoredRequest, ranking: readonly string[]): void {
  ranking.forEach((worker, i) => {
    const result = getResult(state, request.id, worker);
    if (!result || result.revealedAt === 0n)
      throw ainError(ErrInvalidRanking, `ranking[${i}] ${worker} revealed no result for request ${request.id}`, {
        field: `ranking[${i}]`,
      });
  });
}
