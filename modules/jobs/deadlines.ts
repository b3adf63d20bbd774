/**
 * The end of a block: every live request whose deadline passed moves on (earliest deadline first, a
 * bounded number per block). Submission closes into reveals, reveals into ranking (or straight to a
 * ranking by commitment time when evaluation is skipped), and the timeouts of evaluators and
 * resolvers are settled. Sits above the request state machine (it reopens rankings like it does).
 */
import { ainError, ErrLogic } from '../../core/index.ts';
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';
import { challengeResolvedEvent, rankingOpenedEvent, resultsRankedEvent, submissionClosedEvent } from './events.ts';
import { type EscrowAccount, close, payOut, payWorker, refundAll, settle } from './escrow.ts';
import { DEADLINES_ROOT, parseDeadlinePath, requestRecordPath } from './keys.ts';
import { readJobsParams } from './params.ts';
import { adminAbove } from './reputation.ts';
import { reopenRanking } from './requests.ts';
import { splitReward } from './rewards.ts';
import { bump, type JobsContext, LIVE, openPhase, readRecord, resultsOf, type StoredRequest, type StoredResult } from './records.ts';

/** Most due requests the end of one block handles; the rest wait for the next block. */
export const MAX_DUE_PER_BLOCK = 1000;

/**
 * End of block: every live request whose deadline is below the block's time moves on, earliest
 * deadline first, at most {@link MAX_DUE_PER_BLOCK} (the rest in the next block). See README.md.
 */
export function endBlock(ctx: JobsContext, account: EscrowAccount): void {
  for (const [path] of ctx.state.list(DEADLINES_ROOT, MAX_DUE_PER_BLOCK)) {
    const { deadline, id } = parseDeadlinePath(path);
    if (deadline >= ctx.blockTimeSeconds) break;
    const request = readRecord<StoredRequest>(ctx.state, requestRecordPath(id));
    if (!request || request.deadline !== deadline || !LIVE.includes(request.status))
      throw ainError(ErrLogic, `deadline index ${path} names no live request with that deadline`);
    switch (request.status) {
      case 'open':
        refundAll(ctx, account, request, 'expired', 'no_evaluator');
        break;
      case 'running':
        closeSubmission(ctx, account, request);
        break;
      case 'revealing':
        closeReveal(ctx, account, request);
        break;
      case 'evaluating':
        evaluatorTimeout(ctx, account, request);
        break;
      case 'ranked':
        settle(ctx, account, request, request.ranking, 'auto_accepted', true);
        break;
      case 'challenged':
        resolverTimeout(ctx, account, request);
        break;
      default:
        break;
    }
  }
}

/** Submission closed: with no commitment the request ends; otherwise workers (and the client) reveal. */
function closeSubmission(ctx: JobsContext, account: EscrowAccount, request: StoredRequest): void {
  const results = resultsOf(ctx.state, request);
  if (!results.some((r) => r.commitment !== '')) {
    closeWithoutResults(ctx, account, request, 'no_commitments');
    return;
  }
  openPhase(ctx, request, 'revealing', readJobsParams(ctx.state).revealWindow);
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
function closeReveal(ctx: JobsContext, account: EscrowAccount, request: StoredRequest): void {
  const revealed = byCommitTime(resultsOf(ctx.state, request).filter((r) => r.revealedAt !== 0n));
  if (request.testDataCommitment !== '' && !request.testDataRevealed) {
    const shares = splitReward(request.workerReward, RewardFunction.REWARD_FUNCTION_EVEN_SPLIT, [], revealed.length);
    revealed.forEach((result, i) => payWorker(ctx, account, request, result, shares[i]!));
    payOut(ctx, account, request, request.client, request.escrow - request.evaluatorReward - request.evaluatorDeposit, 'refund');
    payOut(ctx, account, request, request.evaluator, request.evaluatorReward, 'evaluator_reward');
    payOut(ctx, account, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
    close(ctx, account, request, 'cancelled', 'test_data_not_revealed');
    return;
  }
  if (revealed.length === 0) {
    closeWithoutResults(ctx, account, request, 'no_reveals');
    return;
  }
  const params = readJobsParams(ctx.state);
  if (request.skipEvaluation) {
    request.ranking = revealed.map((r) => r.worker);
    request.rankedAt = ctx.blockTimeSeconds;
    openPhase(ctx, request, 'ranked', params.acceptanceWindow);
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
  openPhase(ctx, request, 'evaluating', params.rankWindow);
  ctx.events.emit(
    rankingOpenedEvent({ jobId: request.jobId, requestId: request.id, evaluator: request.evaluator, rankDeadline: request.deadline }),
  );
}

/** No result to rank: the client gets the rewards back, the evaluator its deposit. */
function closeWithoutResults(ctx: JobsContext, account: EscrowAccount, request: StoredRequest, outcome: string): void {
  payOut(ctx, account, request, request.client, request.workerReward + request.evaluatorReward, 'refund');
  payOut(ctx, account, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
  for (const result of resultsOf(ctx.state, request)) bump(ctx, request.jobId, result.worker, { counters: { rejections: 1 } });
  close(ctx, account, request, 'no_results', outcome);
}

/** The evaluator did not rank in time: its deposit goes to the client and the client is refunded. */
function evaluatorTimeout(ctx: JobsContext, account: EscrowAccount, request: StoredRequest): void {
  payOut(ctx, account, request, request.client, request.evaluatorDeposit, 'deposit_forfeit');
  bump(ctx, request.jobId, request.evaluator, { counters: { timeouts: 1 } });
  refundAll(ctx, account, request, 'evaluator_timeout', 'evaluator_did_not_rank');
}

/** The resolver let its window pass: the challenge moves one admin up, or, at the top, lapses (fee refunded). */
function resolverTimeout(ctx: JobsContext, account: EscrowAccount, request: StoredRequest): void {
  bump(ctx, request.jobId, request.resolver, { counters: { timeouts: 1 } });
  const next = adminAbove(ctx.state, request, request.resolver, request.challenger);
  if (next) {
    request.resolver = next;
    request.challengeLevel += 1;
    openPhase(ctx, request, 'challenged', readJobsParams(ctx.state).resolveWindow);
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
  payOut(ctx, account, request, request.challenger, request.challengeFee, 'refund');
  request.challengeFee = 0n;
  reopenRanking(ctx, request, request.resolver, 'unresolved');
}

/** Results in commitment order (ties: join order), as the skip-evaluation ranking and the cancel split use. */
function byCommitTime(results: readonly StoredResult[]): StoredResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) =>
      a.result.committedAt === b.result.committedAt ? a.index - b.index : a.result.committedAt < b.result.committedAt ? -1 : 1,
    )
    .map(({ result }) => result);
}
