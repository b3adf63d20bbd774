import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { queryJobNodes } from '../../client/index.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import {
  connectCometClient,
  formatRunSummary,
  type JobRunTerms,
  parseId,
  putFileCommand,
  queryJobsStats,
  runFailure,
  runJob,
  type SendOptions,
  sendJobsTx,
} from '../common/index.ts';

/** What the console signs and talks to: the `aind console` flags. */
export interface ConsoleContext extends SendOptions {
  /** Big Storage the code is uploaded to. */
  readonly storage: string;
  /** Prints a line of output. */
  readonly print: (line: string) => void;
}

/** The console's commands, as `help` lists them. */
export const CONSOLE_HELP = [
  'registerJob SCHEMA WORKER EVALUATOR [NAME]   upload the worker and evaluator code to Big Storage and register the job',
  '                                             (runtime from the extension: .py python3, .js node; NAME: the folder of SCHEMA;',
  '                                             packages the job requires: requirements.txt beside SCHEMA, one per line)',
  'stats JOB_ID                                 approved evaluators and workers, requests and payouts of a job',
  'requestJob {job_id: 1, job_input: {y: 4}, reward: [10, 10], time_limit: 3000}',
  '                                             request a run and follow it to its result; also evaluator_deposit,',
  '                                             reward_function, evaluator_node, worker_node, skip_evaluation, max_workers,',
  '                                             test_data (keys may be unquoted; time_limit in milliseconds, as in the paper)',
  'help                                         this list',
  'exit                                         leave (also quit, or end of input)',
].join('\n');

/** Most characters of one console line. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Runs one console line; returns false for `exit`. A failing command throws (the console prints the
 * error and goes on).
 * @example await runConsoleLine('stats 1', context)
 */
export async function runConsoleLine(line: string, context: ConsoleContext): Promise<boolean> {
  const text = line.trim();
  if (text.length > MAX_LINE_CHARS) throw ainError(ErrInvalidRequest, `the line has ${text.length} characters; at most ${MAX_LINE_CHARS}`);
  if (text === '' || text.startsWith('#')) return true;
  const space = text.search(/\s/);
  const command = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  switch (command) {
    case 'exit':
    case 'quit':
      return false;
    case 'help':
      context.print(CONSOLE_HELP);
      return true;
    case 'registerJob': {
      const jobId = await registerJob(
        rest.split(/\s+/).filter((a) => a !== ''),
        context,
      );
      context.print(`Registration complete. Job ID is ${jobId}.`);
      return true;
    }
    case 'stats':
      context.print(await jobStatsText(rest, context));
      return true;
    case 'requestJob': {
      const result = await runJob({ ...context, terms: parseRequestJob(rest), progress: (e) => context.print(`  ${e.message}`) });
      context.print(formatRunSummary(result));
      const failure = runFailure(result);
      if (failure) throw ainError(ErrInvalidRequest, failure);
      return true;
    }
    default:
      throw ainError(ErrInvalidRequest, `unknown command "${command}"; type help`);
  }
}

/** `registerJob SCHEMA WORKER EVALUATOR [NAME]`: uploads both programs (`aind storage put`) and registers (`aind tx jobs register`). */
export async function registerJob(args: readonly string[], context: ConsoleContext): Promise<string> {
  const [schema, worker, evaluator, name, extra] = args;
  if (!schema || !worker || !evaluator || extra !== undefined)
    throw ainError(ErrInvalidRequest, 'usage: registerJob SCHEMA WORKER EVALUATOR [NAME]');
  const runtime = runtimeOf(worker);
  if (runtimeOf(evaluator) !== runtime) throw ainError(ErrInvalidRequest, `${worker} and ${evaluator} must be in the same language`);
  const workerCode = await putFileCommand(context.home, worker, context.from, context.storage, 0, context.keyring);
  const evaluatorCode = await putFileCommand(context.home, evaluator, context.from, context.storage, 0, context.keyring);
  const { ok, response } = await sendJobsTx({
    ...context,
    gas: context.gas ?? 'auto',
    command: 'register',
    args: [name ?? jobNameOf(schema), schema],
    flags: { workerCodeHash: workerCode.hash, evaluatorCodeHash: evaluatorCode.hash, runtime, requires: requirementsOf(schema) },
  });
  if (!ok) throw ainError(ErrInvalidRequest, `registration refused: ${response.raw_log} [${response.codespace}/${response.code}]`);
  const jobId = response.events.find((e) => e.type === 'ain.jobs.v1.EventJobRegistered')?.attributes.find((a) => a.key === 'job_id')?.value;
  if (!jobId) throw ainError(ErrInvalidRequest, `tx ${response.txhash} registered no job`);
  return jobId;
}

/**
 * The packages a job requires: `requirements.txt` beside its schema, one requirement per line
 * (`numpy`, `torch>=2.4`; blank lines and `#` comments skipped); none when there is no such file.
 */
export function requirementsOf(schema: string): string[] {
  const file = join(dirname(resolve(schema)), 'requirements.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** The runtime of a program file by its extension. */
export function runtimeOf(file: string): 'python3' | 'node' {
  const ext = extname(file);
  if (ext === '.py') return 'python3';
  if (ext === '.js' || ext === '.cjs') return 'node';
  throw ainError(ErrInvalidRequest, `${file}: the runtime is read from the extension: .py (python3) or .js (node)`);
}

/** A job's default name: the folder of `job_schema.proto`, else the schema file's name without extension. */
export function jobNameOf(schema: string): string {
  const file = basename(schema);
  return file === 'job_schema.proto' ? basename(dirname(resolve(schema))) : basename(file, extname(file));
}

/** `stats JOB_ID`: the paper's "3 evaluators, 100 workers running", with the job's figures. */
export async function jobStatsText(arg: string, context: ConsoleContext): Promise<string> {
  const jobId = parseId(arg, 'JOB_ID');
  const stats = (await queryJobsStats(context.node, jobId.toString())) as { job: Record<string, string>; mean_payout: string };
  const { comet } = await connectCometClient(context.node);
  let evaluators = 0;
  let workers = 0;
  let waiting = 0;
  try {
    let after = '';
    for (let page = 0; page < 10; page++) {
      const { nodes } = await queryJobNodes(comet, jobId, after, 100);
      for (const node of nodes) {
        after = node.address;
        if (node.status === 'approved') {
          if (node.roles.includes(Role.ROLE_EVALUATOR)) evaluators += 1;
          if (node.roles.includes(Role.ROLE_WORKER)) workers += 1;
        }
        if (node.applied.length > 0) waiting += 1;
      }
      if (nodes.length < 100) break;
    }
  } finally {
    comet.disconnect();
  }
  const job = stats.job;
  return [
    `${evaluators} evaluator${evaluators === 1 ? '' : 's'}, ${workers} worker${workers === 1 ? '' : 's'} approved (${waiting} application${waiting === 1 ? '' : 's'} waiting).`,
    `${job['requests']} requests: ${job['completed']} completed, ${job['expired']} expired, ${job['failed']} failed; ${job['challenges']} challenged (${job['challenges_upheld']} upheld).`,
    `Paid ${job['paid_workers']} uain to workers, ${job['paid_evaluators']} to evaluators (mean ${stats.mean_payout} per completed request); refunded ${job['refunded']}.`,
  ].join('\n');
}

const REQUEST_KEYS = [
  'job_id',
  'job_input',
  'reward',
  'time_limit',
  'evaluator_deposit',
  'reward_function',
  'reward_weights',
  'evaluator_node',
  'worker_node',
  'skip_evaluation',
  'max_workers',
  'test_data',
] as const;

/**
 * The terms of `requestJob {...}`: the paper's keys (`job_id`, `job_input`, `reward: [worker,
 * evaluator]` or one number for the workers, `time_limit` in milliseconds, rounded up to seconds,
 * `evaluator_node`, `worker_node`, `skip_evaluation`) and ours (`evaluator_deposit`,
 * `reward_function`, `reward_weights`, `max_workers`, `test_data`). Keys may be unquoted.
 * @example parseRequestJob('{job_id: 1, job_input: {y: 4}, reward: [10, 10], time_limit: 3000}')
 * // { jobId: '1', input: '{"y":4}', reward: '10', evaluatorReward: '10', timeLimit: '3' }
 */
export function parseRequestJob(text: string): JobRunTerms {
  const value = relaxedJson(text, 'requestJob');
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw ainError(
      ErrInvalidRequest,
      'requestJob takes an object, e.g. {job_id: 1, job_input: {y: 4}, reward: [10, 10], time_limit: 3000}',
    );
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !(REQUEST_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw ainError(ErrInvalidRequest, `requestJob: unknown key ${unknown.join(', ')} (known: ${REQUEST_KEYS.join(', ')})`);
  if (fields['job_input'] === undefined) throw ainError(ErrInvalidRequest, 'requestJob: job_input is required');
  const reward = fields['reward'];
  const rewards = Array.isArray(reward) ? reward : [reward];
  if (rewards.length < 1 || rewards.length > 2 || rewards.some((r) => !isAmount(r)))
    throw ainError(ErrInvalidRequest, 'requestJob: reward must be [worker, evaluator] or one amount for the workers (uain, integers)');
  const timeLimitMs = fields['time_limit'];
  if (timeLimitMs !== undefined && !(Number.isSafeInteger(timeLimitMs) && (timeLimitMs as number) > 0))
    throw ainError(ErrInvalidRequest, 'requestJob: time_limit must be a positive integer (milliseconds)');
  const list = (key: string): string | undefined => {
    const v = fields[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((item) => typeof item !== 'string'))
      throw ainError(ErrInvalidRequest, `requestJob: ${key} must be a list of addresses or key names`);
    return v.join(',');
  };
  const text_ = (key: string): string | undefined => (fields[key] === undefined ? undefined : String(fields[key]));
  const weights = fields['reward_weights'];
  if (weights !== undefined && (!Array.isArray(weights) || weights.some((w) => !isAmount(w))))
    throw ainError(ErrInvalidRequest, 'requestJob: reward_weights must be a list of positive integers');
  return {
    jobId: text_('job_id') ?? '',
    input: JSON.stringify(fields['job_input']),
    reward: String(rewards[0]),
    evaluatorReward: rewards[1] === undefined ? undefined : String(rewards[1]),
    evaluatorDeposit: text_('evaluator_deposit'),
    timeLimit: timeLimitMs === undefined ? undefined : String(Math.ceil((timeLimitMs as number) / 1000)),
    rewardFunction: text_('reward_function'),
    weights: weights === undefined ? undefined : (weights as unknown[]).join(','),
    evaluators: list('evaluator_node'),
    workers: list('worker_node'),
    maxWorkers: text_('max_workers'),
    skipEvaluation: fields['skip_evaluation'] === undefined ? undefined : fields['skip_evaluation'] === true,
    testData: fields['test_data'] === undefined ? undefined : JSON.stringify(fields['test_data']),
  };
}

function isAmount(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && /^\d{1,30}$/.test(value))
  );
}

/**
 * JSON that may leave object keys unquoted, as the paper's console does (`{job_id: 1, job_input: {y: 4}}`):
 * a bare identifier followed by `:` outside a string is quoted, then the text is parsed as JSON.
 * @example relaxedJson('{y: 4, s: "a: b"}', 'x') // { y: 4, s: 'a: b' }
 */
export function relaxedJson(text: string, what: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      let k = j;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      out += text[k] === ':' ? JSON.stringify(word) : word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${what}: not JSON (${(cause as Error).message})`);
  }
}
