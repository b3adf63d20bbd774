/**
 * The job market's records as the CLI prints them (`jobsJson`: snake_case, roles and reward
 * functions by name), and the stats query both `aind query jobs stats` and the console's `stats` use.
 */
import { queryJobStats } from '../../client/index.ts';
import { RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { parseId } from './args.ts';
import { withCometClient } from './client.ts';

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

/** `query jobs stats [JOB_ID]`: a job's dashboard figures and the chain-wide ones. */
export async function queryJobsStats(node: string, job: string | undefined): Promise<unknown> {
  const jobId = job === undefined ? 0n : parseId(job, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const { height, ...stats } = await queryJobStats(comet, jobId);
    return { ...(jobsJson(stats) as object), height: String(height) };
  });
}
