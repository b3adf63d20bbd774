import { ainError, paramsFieldsOf } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import type { Params as ParamsProto } from '../../proto/gen/ain/jobs/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';
import { PARAMS_ROOT, paramPath } from './keys.ts';

/** The jobs module's params: windows in seconds of block time, amounts in uain. */
export interface JobsParams {
  readonly acceptWindow: bigint;
  readonly revealWindow: bigint;
  readonly rankWindow: bigint;
  readonly acceptanceWindow: bigint;
  readonly resolveWindow: bigint;
  readonly minTimeLimit: bigint;
  readonly maxTimeLimit: bigint;
  readonly challengeFee: bigint;
  readonly minEvaluatorDeposit: bigint;
  readonly rateWindow: bigint;
  readonly maxApprovals: number;
  readonly maxDrops: number;
  readonly maxWorkersPerRequest: number;
  readonly maxTreeDepth: number;
  readonly maxChildrenPerAdmin: number;
}

/** `app_state.jobs.params` as JSON: every value decimal integer text (or a JSON integer). */
export type JobsParamsJson = { [K in ParamName]?: string | number };

/** Longest window and time limit: one year. */
const MAX_WINDOW = 365n * 24n * 3600n;
/** Bounds of the count params. */
export const MAX_WORKERS_BOUND = 256;
export const MAX_TREE_DEPTH_BOUND = 16;
export const MAX_CHILDREN_BOUND = 100_000;
export const MAX_RATE_COUNT_BOUND = 10_000;

type ParamName =
  | 'accept_window'
  | 'reveal_window'
  | 'rank_window'
  | 'acceptance_window'
  | 'resolve_window'
  | 'min_time_limit'
  | 'max_time_limit'
  | 'challenge_fee'
  | 'min_evaluator_deposit'
  | 'rate_window'
  | 'max_approvals'
  | 'max_drops'
  | 'max_workers_per_request'
  | 'max_tree_depth'
  | 'max_children_per_admin';

/** Each param: its name in JSON and the tree, its key in {@link JobsParams}, and its bounds. */
const SPECS: ReadonlyArray<{ name: ParamName; key: keyof JobsParams; min: bigint; max: bigint; count: boolean }> = [
  { name: 'accept_window', key: 'acceptWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'reveal_window', key: 'revealWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'rank_window', key: 'rankWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'acceptance_window', key: 'acceptanceWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'resolve_window', key: 'resolveWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'min_time_limit', key: 'minTimeLimit', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'max_time_limit', key: 'maxTimeLimit', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'challenge_fee', key: 'challengeFee', min: 0n, max: 10n ** 30n, count: false },
  { name: 'min_evaluator_deposit', key: 'minEvaluatorDeposit', min: 1n, max: 10n ** 30n, count: false },
  { name: 'rate_window', key: 'rateWindow', min: 1n, max: MAX_WINDOW, count: false },
  { name: 'max_approvals', key: 'maxApprovals', min: 1n, max: BigInt(MAX_RATE_COUNT_BOUND), count: true },
  { name: 'max_drops', key: 'maxDrops', min: 1n, max: BigInt(MAX_RATE_COUNT_BOUND), count: true },
  { name: 'max_workers_per_request', key: 'maxWorkersPerRequest', min: 1n, max: BigInt(MAX_WORKERS_BOUND), count: true },
  { name: 'max_tree_depth', key: 'maxTreeDepth', min: 1n, max: BigInt(MAX_TREE_DEPTH_BOUND), count: true },
  { name: 'max_children_per_admin', key: 'maxChildrenPerAdmin', min: 1n, max: BigInt(MAX_CHILDREN_BOUND), count: true },
];

/** The params a chain gets when genesis says nothing: minutes-long windows, a 1 AIN challenge fee. */
export function defaultJobsParams(): JobsParams {
  return {
    acceptWindow: 600n,
    revealWindow: 300n,
    rankWindow: 600n,
    acceptanceWindow: 600n,
    resolveWindow: 600n,
    minTimeLimit: 1n,
    maxTimeLimit: 7n * 24n * 3600n,
    challengeFee: 1_000_000n,
    minEvaluatorDeposit: 2_000_000n,
    rateWindow: 3600n,
    maxApprovals: 20,
    maxDrops: 5,
    maxWorkersPerRequest: 32,
    maxTreeDepth: 8,
    maxChildrenPerAdmin: 1000,
  };
}

function parseParam(value: unknown, field: string, min: bigint, max: bigint): bigint {
  let text: string;
  if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
  else if (typeof value === 'string') text = value;
  else throw ainError(ErrInvalidParams, `${field} must be a decimal integer; got ${JSON.stringify(value)}`, { field });
  if (!/^(0|[1-9][0-9]{0,30})$/.test(text))
    throw ainError(ErrInvalidParams, `${field} ${JSON.stringify(text)} is not a non-negative decimal integer`, { field });
  const parsed = BigInt(text);
  if (parsed < min || parsed > max) throw ainError(ErrInvalidParams, `${field} ${parsed} must be in [${min}, ${max}]`, { field });
  return parsed;
}

/**
 * Checked params from genesis JSON: missing names take their default, unknown names are refused,
 * and min_time_limit <= max_time_limit, min_evaluator_deposit > challenge_fee (so a deposit always
 * covers the fee of a challenge that proves the evaluator wrong).
 * @throws AinError jobs/18 naming the field
 */
export function jobsParamsFromJson(json: JobsParamsJson | undefined): JobsParams {
  const params: Record<string, bigint | number> = { ...defaultJobsParams() };
  if (json !== undefined) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ainError(ErrInvalidParams, 'jobs.params must be an object');
    for (const name of Object.keys(json)) {
      if (!SPECS.some((spec) => spec.name === name))
        throw ainError(ErrInvalidParams, `jobs.params.${name} is not a param; expected ${SPECS.map((s) => s.name).join(', ')}`);
    }
    for (const spec of SPECS) {
      const value = json[spec.name];
      if (value === undefined) continue;
      const parsed = parseParam(value, `jobs.params.${spec.name}`, spec.min, spec.max);
      params[spec.key] = spec.count ? Number(parsed) : parsed;
    }
  }
  return checkParams(params as unknown as JobsParams);
}

function checkParams(params: JobsParams): JobsParams {
  if (params.minTimeLimit > params.maxTimeLimit)
    throw ainError(ErrInvalidParams, `jobs.params.min_time_limit ${params.minTimeLimit} exceeds max_time_limit ${params.maxTimeLimit}`);
  if (params.minEvaluatorDeposit <= params.challengeFee)
    throw ainError(
      ErrInvalidParams,
      `jobs.params.min_evaluator_deposit ${params.minEvaluatorDeposit} must exceed challenge_fee ${params.challengeFee}`,
    );
  return params;
}

/** Writes the params at `/params/jobs/<name>` (decimal text). */
export function writeJobsParams(state: WritableState, params: JobsParams): void {
  for (const spec of SPECS) state.set(paramPath(spec.name), String(params[spec.key]));
}

/** Reads the params back (one list of `/params/jobs`); a chain that stored none has the defaults. */
export function readJobsParams(state: ReadableState): JobsParams {
  const stored = new Map(state.list(PARAMS_ROOT, SPECS.length + 1).map(([path, value]) => [path.slice(PARAMS_ROOT.length + 1), value]));
  if (stored.size === 0) return defaultJobsParams();
  const json: Record<string, string | number> = {};
  for (const [name, value] of stored) if (typeof value === 'string') json[name] = value;
  return jobsParamsFromJson(json as JobsParamsJson);
}

/** The params as genesis JSON (decimal text), what `jobsParamsFromJson` reads back. */
export function jobsParamsToJson(params: JobsParams): JobsParamsJson {
  return Object.fromEntries(SPECS.map((spec) => [spec.name, String(params[spec.key])])) as JobsParamsJson;
}

/** The params as their proto message (queries). */
export function jobsParamsToProto(params: JobsParams): ParamsProto {
  return {
    acceptWindow: params.acceptWindow,
    revealWindow: params.revealWindow,
    rankWindow: params.rankWindow,
    acceptanceWindow: params.acceptanceWindow,
    resolveWindow: params.resolveWindow,
    minTimeLimit: params.minTimeLimit,
    maxTimeLimit: params.maxTimeLimit,
    challengeFee: params.challengeFee.toString(),
    minEvaluatorDeposit: params.minEvaluatorDeposit.toString(),
    rateWindow: params.rateWindow,
    maxApprovals: params.maxApprovals,
    maxDrops: params.maxDrops,
    maxWorkersPerRequest: params.maxWorkersPerRequest,
    maxTreeDepth: params.maxTreeDepth,
    maxChildrenPerAdmin: params.maxChildrenPerAdmin,
  };
}

/**
 * The params of a MsgUpdateParams (the gov authority's): every field of the message, checked as in
 * genesis (an absent message is refused naming `params`).
 * @throws AinError naming the field
 */
export function jobsParamsFromProto(proto: ParamsProto | undefined): JobsParams {
  const fields = paramsFieldsOf(
    proto,
    SPECS.map((spec) => spec.name),
  );
  if (!fields) throw ainError(ErrInvalidParams, 'params is missing', { field: 'params' });
  return jobsParamsFromJson(fields as JobsParamsJson);
}
