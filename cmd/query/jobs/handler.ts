import { queryJob, queryJobNode, queryJobRequest, queryJobStats, queryJobsParams, queryLiveRequests } from '../../../client/queryJobs.ts';
import { RewardFunction, Role } from '../../../proto/gen/ain/jobs/v1/types.ts';
import { withCometClient } from '../../common/client.ts';
import { parseId } from '../../tx/jobs/handler.ts';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const ROLE_NAMES: Readonly<Record<number, string>> = {
  [Role.ROLE_ADMIN]: 'admin',
  [Role.ROLE_EVALUATOR]: 'evaluator',
  [Role.ROLE_WORKER]: 'worker',
};
const REWARD_FUNCTION_NAMES: Readonly<Record<number, string>> = {
  [RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL]: 'winner-takes-all',
  [RewardFunction.REWARD_FUNCTION_EVEN_SPLIT]: 'even-split',
  [RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS]: 'ranked-weights',
};

/**
 * A jobs proto message as the CLI prints it: snake_case keys, 64-bit integers as decimal text, roles
 * and reward functions by name, every field shown (defaults too).
 * @example jobsJson({ jobId: 1n, roles: [3] }) // { job_id: '1', roles: ['worker'] }
 */
export function jobsJson(value: unknown, key = ''): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (key === 'roles' || key === 'applied') return (value as number[]).map((role) => ROLE_NAMES[role] ?? String(role));
  if (key === 'rewardFunction') return REWARD_FUNCTION_NAMES[value as number] ?? 'unspecified';
  if (Array.isArray(value)) return value.map((item) => jobsJson(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [snake(k), jobsJson(v, k)]),
    );
  return value;
}

/** `query jobs job ID`. Throws `jobs/3` for an unknown job. */
export async function queryJobsJob(node: string, id: string): Promise<unknown> {
  const jobId = parseId(id, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const { job, height } = await queryJob(comet, jobId);
    return { job: jobsJson(job), height: String(height) };
  });
}

/** `query jobs request ID`: the request, its phase and deadline, its workers' results. Throws `jobs/4` for an unknown request. */
export async function queryJobsRequest(node: string, id: string): Promise<unknown> {
  const requestId = parseId(id, 'REQUEST_ID');
  return withCometClient(node, async (comet) => {
    const { request, height } = await queryJobRequest(comet, requestId);
    return { request: jobsJson(request), height: String(height) };
  });
}

/** `query jobs requests [--job ID]`: live requests, earliest deadline first. */
export async function queryJobsRequests(node: string, job: string | undefined, limit: number): Promise<unknown> {
  const jobId = job === undefined ? 0n : parseId(job, '--job');
  return withCometClient(node, async (comet) => {
    const { requests, height } = await queryLiveRequests(comet, jobId, limit);
    return { requests: jobsJson(requests), height: String(height) };
  });
}

/** `query jobs node JOB_ID ADDRESS`: the node's place in the job's tree (JOB_ID 0: none) and its counts across jobs. */
export async function queryJobsNode(node: string, job: string, address: string): Promise<unknown> {
  const jobId = job === '0' ? 0n : parseId(job, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const answer = await queryJobNode(comet, jobId, address);
    return { node: answer.node ? jobsJson(answer.node) : null, overall: jobsJson(answer.overall), height: String(answer.height) };
  });
}

/** `query jobs stats [JOB_ID]`: a job's dashboard figures and the chain-wide ones. */
export async function queryJobsStats(node: string, job: string | undefined): Promise<unknown> {
  const jobId = job === undefined ? 0n : parseId(job, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const { height, ...stats } = await queryJobStats(comet, jobId);
    return { ...(jobsJson(stats) as object), height: String(height) };
  });
}

/** `query jobs params`. */
export async function queryJobsParamsJson(node: string): Promise<unknown> {
  return withCometClient(node, async (comet) => {
    const { params, height } = await queryJobsParams(comet);
    return { params: jobsJson(params), height: String(height) };
  });
}
