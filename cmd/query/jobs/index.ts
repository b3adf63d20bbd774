import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, parseLimit, printResult, queryJobsStats } from '../../common/index.ts';
import { queryJobsJob, queryJobsNode, queryJobsParamsJson, queryJobsRequest, queryJobsRequests } from './handler.ts';

interface Flags {
  node: string;
  output: OutputFormat;
  job?: string;
  limit: string;
}

/**
 * `aind query jobs job|request|requests|node|stats|params`: the job market's records and dashboard.
 * @example aind query jobs request 7 --output json
 * @example aind query jobs node 1 ain1... && aind query jobs stats 1
 */
export function jobsQueryCommand(): Command {
  const jobs = new Command('jobs').description('The job market: jobs, requests, the reputation tree, statistics');
  withFlags(
    jobs.command('job').description('A registered job: schema, code hashes, runtime, delegation').argument('<job_id>', 'job id'),
  ).action(async (id: string, flags: Flags) => printResult(await queryJobsJob(flags.node, id), flags.output));
  withFlags(
    jobs
      .command('request')
      .description("A request: its phase, deadline, escrow, workers' results, ranking")
      .argument('<request_id>', 'request id'),
  ).action(async (id: string, flags: Flags) => printResult(await queryJobsRequest(flags.node, id), flags.output));
  withFlags(
    jobs
      .command('requests')
      .description('Live requests, earliest deadline first')
      .option('--job <job_id>', 'only this job')
      .option('--limit <n>', 'at most this many (1-100)', '100'),
  ).action(async (flags: Flags) => printResult(await queryJobsRequests(flags.node, flags.job, parseLimit(flags.limit, 100)), flags.output));
  withFlags(
    jobs
      .command('node')
      .description("A node's place in a job's reputation tree, its Elo rating and counts, and its counts across all jobs")
      .argument('<job_id>', 'job id (0: only the counts across jobs)')
      .argument('<address>', 'ain1... address'),
  ).action(async (job: string, address: string, flags: Flags) => printResult(await queryJobsNode(flags.node, job, address), flags.output));
  withFlags(
    jobs
      .command('stats')
      .description("A job's figures (requests, completions, payouts, mean payout and settle time, throughput) and the chain's")
      .argument('[job_id]', 'job id (default: only the chain-wide figures)'),
  ).action(async (job: string | undefined, flags: Flags) => printResult(await queryJobsStats(flags.node, job), flags.output));
  withFlags(jobs.command('params').description('Windows, challenge fee, least deposit, rate limits, bounds')).action(async (flags: Flags) =>
    printResult(await queryJobsParamsJson(flags.node), flags.output),
  );
  return jobs;
}

function withFlags(command: Command): Command {
  return command.addOption(nodeOption()).addOption(outputOption());
}
