/**
 * Reproducibility. Anyone may ask for a re-run of a token minted from a job: the chain posts, on
 * the payer's behalf and at the payer's cost, a request of the same job (same worker and evaluator
 * code) with the same input through the job market. When that request closes (the jobs keeper's
 * hook), the token records the outcome: reproduced when the accepted result has the token's weights
 * hash, or when its `reproduce.score_field` is within `reproduce.tolerance` of the original accepted
 * result's; not reproduced otherwise; unfinished when the request ended without an accepted result.
 */
import { ainError, DEC_SCALE, decFromText } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { MsgRequestRerun } from '../../proto/gen/ain/ainft/v1/tx.ts';
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';
import { type ClosedRequest, validateMsgRequestJob } from '../jobs/index.ts';
import { AINFT_MODULE, type AinftEnv } from './env.ts';
import { ErrNotReproducible } from './errors.ts';
import { rerunRequestedEvent, rerunSettledEvent } from './events.ts';
import { rerunPath, tokenLabel, tokenRerunPath } from './keys.ts';
import { acceptedResult, resultHashOf } from './provenance.ts';
import {
  type AinftContext,
  getToken,
  putToken,
  readRecord,
  requireToken,
  type RerunStatus,
  type StoredRerun,
  type StoredToken,
  writeRecord,
} from './records.ts';

/** MsgRequestRerun: posts the re-run as the signer's own request (the signer pays its escrow); returns its id. */
export function requestRerun(ctx: AinftContext, env: AinftEnv, msg: MsgRequestRerun): bigint {
  const token = requireToken(ctx.state, msg);
  if (!token.provenance) throw ainError(ErrNotReproducible, `${tokenLabel(token)} was not minted from a job`);
  const original = env.jobs.getRequest(ctx.state, token.provenance.requestId);
  if (!original) throw ainError(ErrNotReproducible, `${tokenLabel(token)}'s request ${token.provenance.requestId} is gone`);
  const request = {
    signer: msg.signer,
    jobId: original.jobId,
    input: original.input,
    inputHash: original.inputHash,
    workerReward: msg.workerReward,
    rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
    rewardWeights: [],
    evaluatorReward: msg.evaluatorReward,
    evaluatorDeposit: msg.evaluatorDeposit,
    timeLimitSeconds: msg.timeLimitSeconds,
    evaluators: [...msg.evaluators],
    workers: [...msg.workers],
    skipEvaluation: msg.skipEvaluation,
    maxWorkers: msg.maxWorkers,
    testDataCommitment: msg.testDataCommitment,
  };
  // The job market's own checks, as for any request (jobs/1 naming the field).
  validateMsgRequestJob(request);
  const requestId = env.jobs.requestJob(ctx, request, AINFT_MODULE);
  const rerun: StoredRerun = {
    requestId,
    classId: token.classId,
    id: token.id,
    payer: msg.signer,
    status: 'pending',
    how: '',
    resultHash: '',
    score: '',
    originalScore: '',
    requestedAt: ctx.blockTimeSeconds,
    settledAt: 0n,
    ...tokenFigures(token),
  };
  writeRecord(ctx.state, rerunPath(requestId), rerun);
  ctx.state.set(tokenRerunPath(token.classId, token.id, requestId), true);
  token.reproductions.pending += 1;
  putToken(ctx.state, token);
  ctx.events.emit(rerunRequestedEvent({ classId: token.classId, id: token.id, requestId, jobId: original.jobId, payer: msg.signer }));
  return requestId;
}

/**
 * The jobs hook: a request closed. Requests other modules or clients posted are left alone before
 * any state is read (their gas and writes stay what they were); a re-run's outcome is recorded.
 */
export function settleRerun(ctx: AinftContext, env: AinftEnv, closed: ClosedRequest): void {
  if (closed.origin !== AINFT_MODULE) return;
  const rerun = readRecord<StoredRerun>(ctx.state, rerunPath(closed.id));
  if (rerun?.status !== 'pending') return;
  // The token that asked for the re-run, if it still exists: a burn deletes its re-run entries, and a
  // token minted later with the same id did not ask.
  const asked = ctx.state.get(tokenRerunPath(rerun.classId, rerun.id, rerun.requestId)) === true;
  const token = asked ? getToken(ctx.state, rerun) : undefined;
  // A re-run recorded before re-runs kept their token's figures is judged against the token that asked.
  if (rerun.weightsHash === undefined && token) Object.assign(rerun, tokenFigures(token));
  const outcome = judge(ctx.state, env, closed, rerun);
  rerun.status = outcome;
  rerun.settledAt = ctx.blockTimeSeconds;
  writeRecord(ctx.state, rerunPath(closed.id), rerun);
  if (token) {
    const counts = token.reproductions;
    counts.pending = Math.max(0, counts.pending - 1);
    if (outcome === 'reproduced') counts.reproduced += 1;
    else if (outcome === 'not_reproduced') counts.notReproduced += 1;
    else counts.unfinished += 1;
    putToken(ctx.state, token);
  }
  ctx.events.emit(
    rerunSettledEvent({
      classId: rerun.classId,
      id: rerun.id,
      requestId: rerun.requestId,
      outcome: rerun.status,
      how: rerun.how,
      resultHash: rerun.resultHash,
    }),
  );
}

/** What a re-run is judged against: the asking token's weights hash, the job it came from, its score rule. */
function tokenFigures(token: StoredToken): Pick<StoredRerun, 'weightsHash' | 'fromJob' | 'reproduce'> {
  return {
    weightsHash: token.metadata.model?.weightsHash ?? '',
    ...(token.provenance ? { fromJob: token.provenance.requestId } : {}),
    ...(token.reproduce ? { reproduce: { ...token.reproduce } } : {}),
  };
}

/**
 * The re-run's outcome, against the token as it was when it asked (kept on the re-run: a token burnt
 * meanwhile is judged all the same); records on it how it was decided and the figures it was decided on.
 */
function judge(state: ReadableState, env: AinftEnv, closed: ClosedRequest, rerun: StoredRerun): RerunStatus {
  const request = closed.status === 'completed' ? env.jobs.getRequest(state, closed.id) : undefined;
  const result = request && acceptedResult(request);
  if (!result) {
    rerun.how = closed.outcome;
    return 'unfinished';
  }
  rerun.resultHash = resultHashOf(result);
  let status: RerunStatus = 'not_reproduced';
  if (rerun.weightsHash === rerun.resultHash) {
    status = 'reproduced';
    rerun.how = 'hash';
  } else if (rerun.reproduce && rerun.fromJob !== undefined) {
    const original = env.jobs.getRequest(state, rerun.fromJob);
    const originalResult = original && acceptedResult(original);
    const field = rerun.reproduce.scoreField;
    const before = originalResult ? scoreOf(originalResult.output, field) : undefined;
    const after = scoreOf(result.output, field);
    rerun.score = after === undefined ? '' : decimalText(after);
    rerun.originalScore = before === undefined ? '' : decimalText(before);
    if (before !== undefined && after !== undefined) {
      const gap = before > after ? before - after : after - before;
      if (gap <= decFromText(rerun.reproduce.tolerance, 'reproduce.tolerance')) {
        status = 'reproduced';
        rerun.how = 'score';
      }
    }
  }
  return status;
}

/**
 * The number at `field` of an output's inline JSON as 18-digit fixed point (a JSON number, or
 * decimal text); undefined when the output is not inline JSON or the field is not a number.
 * @example scoreOf('{"score_ppm": 431250}', 'score_ppm') // 431250n * 10n ** 18n
 */
export function scoreOf(output: string, field: string): bigint | undefined {
  if (output === '') return undefined;
  let value: unknown;
  try {
    value = (JSON.parse(output) as Record<string, unknown>)?.[field];
  } catch {
    return undefined;
  }
  // A JS number prints the same shortest decimal on every node (ECMAScript's Number::toString).
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : undefined;
  return text === undefined ? undefined : parseScore(text);
}

/** Decimal text with an optional sign and exponent, truncated to 18 fraction digits. */
export function parseScore(text: string): bigint | undefined {
  const match = /^(-?)([0-9]{1,40})(?:\.([0-9]{1,40}))?(?:[eE]([+-]?[0-9]{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const digits = `${match[2]}${match[3] ?? ''}`;
  // The point sits after the integer digits, moved by the exponent; 18 fraction digits are kept.
  const point = match[2]!.length + Number(match[4] ?? '0');
  const scaled = point + 18;
  const atomics = scaled <= 0 ? 0n : BigInt(scaled >= digits.length ? digits.padEnd(scaled, '0') : digits.slice(0, scaled));
  return match[1] === '-' ? -atomics : atomics;
}

function decimalText(atomics: bigint): string {
  const sign = atomics < 0n ? '-' : '';
  const abs = atomics < 0n ? -atomics : atomics;
  const fraction = (abs % DEC_SCALE).toString().padStart(18, '0').replace(/0+$/, '');
  return `${sign}${abs / DEC_SCALE}${fraction === '' ? '' : `.${fraction}`}`;
}
