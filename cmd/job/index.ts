import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { DEFAULT_STORAGE_URL } from '../../storage/index.ts';
import {
  formatRunSummary,
  formatShardedSummary,
  type JobRunOptions,
  nodeOption,
  type OutputFormat,
  outputOption,
  parseCount,
  printResult,
  progressPrinter,
  runFailure,
  runJob,
  runShardedJob,
  sendOptionsOf,
  type TxFlags,
  withTxFlags,
} from '../common/index.ts';
import { evaluateRequest } from './handler.ts';

interface RunFlags extends TxFlags {
  input: string;
  reward: string;
  evaluatorReward?: string;
  evaluatorDeposit?: string;
  timeLimit?: string;
  rewardFunction?: string;
  weights?: string;
  evaluators?: string;
  workers?: string;
  maxWorkers?: string;
  skipEvaluation?: boolean;
  testData?: string;
  storage: string;
  verify?: boolean;
  encrypt?: boolean;
  autoAccept?: boolean;
  timeout?: number;
  data?: string;
  shards?: number;
  rounds?: number;
}

/**
 * `aind job run|evaluate`: the client's side of the job market in one command.
 * @example aind job run 1 --input input.json --reward 10 --evaluator-reward 10 --time-limit 30 --from carl
 * @example aind job evaluate 7 --storage http://127.0.0.1:7070
 */
export function jobCommand(): Command {
  const job = new Command('job').description('Run jobs of the job market: request, follow, accept; re-evaluate a request');

  withTxFlags(
    job
      .command('run')
      .description(
        'Request a run of a job, follow it (progress on stderr: a live line per worker on a terminal, JSON lines with --output json), accept the ranking and print the result ranked first; exits 1 when the request ends without one',
      )
      .argument('<job_id>', 'job id')
      .requiredOption(
        '--input <file>',
        "file with the input: JSON of the job's input type (over 8 KiB it goes to Big Storage); with --data, every request's input but its shard",
      )
      .requiredOption('--reward <uain>', 'worker reward, split over the ranked workers (with --data: per request)')
      .option('--evaluator-reward <uain>', "the evaluator's reward (default 0)")
      .option('--evaluator-deposit <uain>', "the evaluator's deposit (default: the chain's min_evaluator_deposit)")
      .option('--time-limit <seconds>', 'how long workers have after an evaluator accepts (default 30)')
      .option('--reward-function <name>', 'winner-takes-all (default), even-split or ranked-weights')
      .option('--weights <list>', 'ranked-weights: a weight per rank, best first, e.g. 3,2,1')
      .option('--evaluators <list>', 'only these evaluators (addresses or key names, comma-separated)')
      .option('--workers <list>', 'only these workers (with --data: shard i goes to the i-th, round robin)')
      .option('--max-workers <n>', "most workers that may join (default: the chain's bound)")
      .option('--skip-evaluation', 'no evaluator: results are ranked by submission time')
      .option('--test-data <file>', 'test data (JSON) committed now and revealed after submission closes, for the evaluator')
      .option(
        '--storage <url>',
        'Big Storage for large inputs, data sets, models, outputs revealed by hash and --verify',
        DEFAULT_STORAGE_URL,
      )
      .option('--verify', "re-run the job's evaluator code on the results and challenge a ranking that differs")
      .option(
        '--encrypt',
        'encrypt the input and test data; only the evaluator and workers the chain accepts get the key (test key revealed after submission)',
      )
      .option('--auto-accept', "do not accept: wait for the chain's automatic acceptance (or a worker's challenge)")
      .option(
        '--data <file|hash>',
        'a data set (JSON object, one entry per example in each top-level array; a file is stored in Big Storage) cut into shards: one request per shard, its input the --input object with "shard" set',
      )
      .addOption(
        new Option('--shards <n>', 'with --data: how many shards (default: the number of --workers, else 1)').argParser(
          parseCount('--shards'),
        ),
      )
      .addOption(
        new Option(
          '--rounds <n>',
          'with --data: rounds of training with this client as parameter server (send "weights" and "round", average the results\' weights by "examples"); the model goes to Big Storage',
        ).argParser(parseCount('--rounds')),
      )
      .addOption(new Option('--timeout <seconds>', 'give up following after this long (default 3600)').argParser(parseCount('--timeout'))),
  ).action(async (jobId: string, flags: RunFlags, command: Command) => {
    if ((flags.shards !== undefined || flags.rounds !== undefined) && flags.data === undefined)
      throw ainError(ErrInvalidRequest, '--shards and --rounds need --data: the data set to cut into shards');
    // Progress on stderr: JSON lines when --output json is asked for, else a live block on a terminal, else plain lines.
    const explicitJson = flags.output === 'json' && command.getOptionValueSource('output') === 'cli';
    const printer = progressPrinter(explicitJson ? 'json' : process.stderr.isTTY ? 'live' : 'lines', process.stderr);
    const options: JobRunOptions = {
      ...sendOptionsOf(flags),
      storage: flags.storage,
      verify: flags.verify,
      encrypt: flags.encrypt,
      autoAccept: flags.autoAccept,
      timeoutSeconds: flags.timeout,
      terms: {
        jobId,
        input: readText(flags.input, '--input'),
        reward: flags.reward,
        evaluatorReward: flags.evaluatorReward,
        evaluatorDeposit: flags.evaluatorDeposit,
        timeLimit: flags.timeLimit,
        rewardFunction: flags.rewardFunction,
        weights: flags.weights,
        evaluators: flags.evaluators,
        workers: flags.workers,
        maxWorkers: flags.maxWorkers,
        skipEvaluation: flags.skipEvaluation,
        testData: flags.testData === undefined ? undefined : readText(flags.testData, '--test-data'),
      },
      progress: (event) => printer.print(event),
    };
    let failure: string | undefined;
    try {
      if (flags.data !== undefined) {
        const result = await runShardedJob({ ...options, data: flags.data, shards: flags.shards, rounds: flags.rounds });
        printResult(result, flags.output, () => formatShardedSummary(result));
        failure = result.error;
      } else {
        const result = await runJob(options);
        printResult(result, flags.output, () => formatRunSummary(result));
        failure = runFailure(result);
      }
    } finally {
      printer.close();
    }
    if (failure) {
      process.stderr.write(`Error: ${failure}\n`);
      process.exitCode = 1;
    }
  });

  job
    .command('evaluate')
    .description(
      "Run the job's evaluator code (or --code FILE) on a request's revealed results here, in the sandbox, and print its ranking",
    )
    .argument('<request_id>', 'request id (its reveals closed)')
    .option('--code <file>', "evaluator program to run instead of the job's registered code")
    .option('--storage <url>', 'Big Storage holding the code and outputs revealed by hash', DEFAULT_STORAGE_URL)
    .addOption(nodeOption())
    .addOption(outputOption('json'))
    .action(async (requestId: string, flags: { code?: string; storage: string; node: string; output: OutputFormat }) => {
      const answer = await evaluateRequest(flags.node, flags.storage, requestId, flags.code);
      printResult(answer, flags.output, () => answer.ranking.join(','));
    });

  return job;
}

/** A file's text; `sdk/18` naming the flag when it cannot be read. */
function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read ${flag} ${file} (${(cause as Error).message})`);
  }
}
