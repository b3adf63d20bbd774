/**
 * The money of requests. Every live request's escrow (rewards, the evaluator's deposit, a challenge
 * fee) sits in the jobs module account: escrowing into it, paying out of it (with the payout event
 * and the earned and paid counts), the running escrow total, and the ways a request ends: refunded,
 * settled by a final ranking, or closed once its escrow is empty.
 */
import { ainError, ErrLogic, BASE_DENOM } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import { payoutEvent, requestClosedEvent } from './events.ts';
import type { BankKeeper, ClosedRequest } from './expected_keepers.ts';
import { deadlinePath, ESCROW_TOTAL_PATH } from './keys.ts';
import {
  bump,
  type FinalStatus,
  type JobsContext,
  type PayoutKind,
  putRequest,
  putResult,
  resultsOf,
  type StoredRequest,
  type StoredResult,
  updateJobStats,
} from './records.ts';
import { rate } from './reputation.ts';
import { splitReward } from './rewards.ts';

/** Where escrow is held: the bank that moves coins, and the module account holding them; who hears of closed requests. */
export interface EscrowAccount {
  readonly bank: BankKeeper;
  readonly moduleAddress: string;
  /** Tells the hooks of other modules that a request is final (`JobsKeeper.addHooks`). */
  readonly closed?: (ctx: JobsContext, request: ClosedRequest) => void;
}

const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];

/** uain the module account holds for live requests (kept equal to its balance and to the sum of the requests' escrow). */
export function readEscrowTotal(state: ReadableState): bigint {
  const total = state.get(ESCROW_TOTAL_PATH);
  return typeof total === 'string' ? BigInt(total) : 0n;
}

/** Moves `amount` from `from` into the request's escrow (sdk/5 when short). */
export function escrowIn(ctx: JobsContext, account: EscrowAccount, request: StoredRequest, from: string, amount: bigint): void {
  if (amount === 0n) return;
  account.bank.sendCoins(ctx, from, account.moduleAddress, uain(amount));
  request.escrow += amount;
  addEscrowTotal(ctx, amount);
}

/** Pays `amount` out of the request's escrow (never more than it holds: that would be a broken invariant). */
export function payOut(
  ctx: JobsContext,
  account: EscrowAccount,
  request: StoredRequest,
  to: string,
  amount: bigint,
  kind: PayoutKind,
): void {
  if (amount === 0n) return;
  if (amount < 0n || amount > request.escrow || to === '')
    throw ainError(
      ErrLogic,
      `request ${request.id} would pay ${amount} (${kind}) to ${to || 'nobody'} out of an escrow of ${request.escrow}`,
    );
  account.bank.sendCoins(ctx, account.moduleAddress, to, uain(amount));
  request.escrow -= amount;
  addEscrowTotal(ctx, -amount);
  ctx.events.emit(payoutEvent({ jobId: request.jobId, requestId: request.id, recipient: to, amount: amount.toString(), kind }));
  if (kind !== 'refund' && kind !== 'deposit_return') bump(ctx, request.jobId, to, { earned: amount });
  updateJobStats(ctx, request.jobId, (s) => {
    if (kind === 'worker_reward') s.paidWorkers += amount;
    else if (kind === 'evaluator_reward') s.paidEvaluators += amount;
    else if (kind === 'refund') s.refunded += amount;
  });
}

function addEscrowTotal(ctx: JobsContext, delta: bigint): void {
  const total = readEscrowTotal(ctx.state) + delta;
  if (total < 0n) throw ainError(ErrLogic, `the jobs escrow total would be ${total}`);
  ctx.state.set(ESCROW_TOTAL_PATH, total === 0n ? null : total.toString());
}

/**
 * The request is final: its escrow must be empty; it leaves the deadline index; the hooks hear of it
 * last (with `rankedBy`, whose ranking settled it, empty when nobody's did).
 */
export function close(
  ctx: JobsContext,
  account: EscrowAccount,
  request: StoredRequest,
  status: FinalStatus,
  outcome: string,
  rankedBy = '',
): void {
  if (request.escrow !== 0n) throw ainError(ErrLogic, `request ${request.id} closes ${status} with ${request.escrow} uain still in escrow`);
  ctx.state.set(deadlinePath(request.deadline, request.id), null);
  request.status = status;
  request.outcome = outcome;
  request.settledAt = ctx.blockTimeSeconds;
  putRequest(ctx, request);
  if (status !== 'completed')
    updateJobStats(ctx, request.jobId, (s) => {
      if (status === 'expired') s.expired += 1;
      else s.failed += 1;
    });
  ctx.events.emit(requestClosedEvent({ jobId: request.jobId, requestId: request.id, status, outcome }));
  account.closed?.(ctx, {
    id: request.id,
    jobId: request.jobId,
    client: request.client,
    status,
    outcome,
    origin: request.origin ?? '',
    ranking: [...request.ranking],
    rankedBy,
  });
}

/** Everything left in escrow goes back to the client (rewards, and what else the caller moved there). */
export function refundAll(ctx: JobsContext, account: EscrowAccount, request: StoredRequest, status: FinalStatus, outcome: string): void {
  payOut(ctx, account, request, request.client, request.escrow, 'refund');
  close(ctx, account, request, status, outcome);
}

/**
 * Pays the final ranking: the worker reward split by the reward function (nothing ranked: back
 * to the client); the evaluator its reward and deposit when `evaluatorPaid`, else the evaluator
 * reward goes back to the client (the deposit was already forfeited). Updates counts and ratings.
 */
export function settle(
  ctx: JobsContext,
  account: EscrowAccount,
  request: StoredRequest,
  ranking: readonly string[],
  outcome: string,
  evaluatorPaid: boolean,
): void {
  const results = resultsOf(ctx.state, request);
  const byWorker = new Map(results.map((r) => [r.worker, r]));
  const shares = splitReward(request.workerReward, request.rewardFunction, request.rewardWeights, ranking.length);
  ranking.forEach((worker, i) => payWorker(ctx, account, request, byWorker.get(worker)!, shares[i]!));
  const paidWorkers = shares.reduce((sum, share) => sum + share, 0n);
  payOut(ctx, account, request, request.client, request.workerReward - paidWorkers, 'refund');
  if (!request.skipEvaluation) {
    if (evaluatorPaid) {
      payOut(ctx, account, request, request.evaluator, request.evaluatorReward, 'evaluator_reward');
      payOut(ctx, account, request, request.evaluator, request.evaluatorDeposit, 'deposit_return');
      bump(ctx, request.jobId, request.evaluator, { counters: { acceptances: 1 } });
    } else {
      payOut(ctx, account, request, request.client, request.evaluatorReward, 'refund');
    }
  }
  for (const result of results)
    bump(ctx, request.jobId, result.worker, { counters: ranking.includes(result.worker) ? { acceptances: 1 } : { rejections: 1 } });
  rate(ctx, request, ranking, results);
  request.ranking = [...ranking];
  const now = ctx.blockTimeSeconds;
  updateJobStats(ctx, request.jobId, (s) => {
    s.completed += 1;
    s.settleSeconds += now - request.requestedAt;
    s.lastSettledAt = now;
  });
  // The evaluator's ranking settles it when the evaluator is paid; otherwise the resolver's replaced it.
  const rankedBy = request.skipEvaluation ? '' : evaluatorPaid ? request.evaluator : request.resolver;
  close(ctx, account, request, 'completed', outcome, rankedBy);
}

/** Pays a worker its share and records it on its result. */
export function payWorker(ctx: JobsContext, account: EscrowAccount, request: StoredRequest, result: StoredResult, amount: bigint): void {
  payOut(ctx, account, request, result.worker, amount, 'worker_reward');
  result.paid = amount;
  putResult(ctx, request.id, result);
}
