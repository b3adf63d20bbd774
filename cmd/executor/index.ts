import { homeOption, type KeyringFlags, keyringBackendOption, keyringOf, nodeOption, stopSignal } from '../common/index.ts';
import { Command, Option } from 'commander';
import { DEFAULT_EXECUTOR_MEMORY_MB, DEFAULT_EXECUTOR_TIMEOUT_MS, DEFAULT_FALLBACK_DELAY_MS } from '../../executor/index.ts';
import { DEFAULT_STORAGE_URL } from '../../storage/index.ts';
import { resolveHome } from '../../home/index.ts';
import type { JobRole } from '../../executor/index.ts';
import type { RuntimeSpec } from '../../executor/index.ts';
import {
  collectJobCode,
  collectRuntime,
  parseJobIds,
  parseJobRoles,
  parsePort,
  parsePositive,
  parsePrice,
  parseRuntimes,
  runExecutor,
} from './handler.ts';

/**
 * `aind executor`: runs an off-chain executor for AIN Functions. It registers KEY on chain, listens
 * to the node's websocket for calls of its runtimes, runs them in the sandbox with code fetched (and
 * hash-checked) from Big Storage, and broadcasts the results. Its cursor is HOME/executor-cursor.json.
 * With `--jobs worker,evaluator` it also takes those roles in the job market (executor/jobs/roles.ts):
 * applies for the jobs it can run, then works on, evaluates and ranks their requests; commitments
 * wait for their reveal in HOME/executor-jobs.json. Runtimes besides python3 and node are declared in
 * HOME/executor.toml or with `--runtime NAME=PATH`; it refuses to start without bubblewrap namespaces
 * unless given `--insecure-sandbox`.
 * @example aind executor --home ~/.aind --key bob --node tcp://127.0.0.1:26657 --storage http://127.0.0.1:7070
 * @example aind executor --key w1 --jobs worker --job-ids 1 --worker-code 1=9f86d0...
 * @example aind executor --key gpu1 --runtime torch=/opt/torch/.venv/bin/python3
 * With `--http PORT` it also serves the functions whose config has an `http` endpoint, paid per call by
 * vouchers on payment channels and redeemed in batches (executor/httpGateway.ts).
 * @example aind executor --key exec --http 8080
 */
export function executorCommand(): Command {
  return new Command('executor')
    .description('Run an off-chain executor: register on chain, run the function calls of its runtimes, submit the results')
    .requiredOption('--key <name>', 'keyring key (name or address) that registers and signs results')
    .option('--storage <url>', 'Big Storage node the code is fetched from', DEFAULT_STORAGE_URL)
    .addOption(
      new Option('--runtimes <list>', 'runtimes to run, comma-separated (default: python3, node and every declared one)').argParser(
        parseRuntimes,
      ),
    )
    .addOption(
      new Option(
        '--runtime <name=path>',
        'declare a runtime: its name and interpreter, e.g. torch=/opt/torch/.venv/bin/python3 (repeatable; HOME/executor.toml declares more)',
      ).argParser(collectRuntime),
    )
    .addOption(
      new Option(
        '--insecure-sandbox',
        'run programs even where bubblewrap namespaces are not available (no filesystem isolation; every log line says so)',
      ),
    )
    .addOption(new Option('--price <uain>', 'least price per call registered on chain').default('0').argParser(parsePrice))
    .addOption(
      new Option('--timeout-ms <ms>', 'wall-clock limit of one run')
        .default(DEFAULT_EXECUTOR_TIMEOUT_MS)
        .argParser(parsePositive('--timeout-ms')),
    )
    .addOption(
      new Option('--memory-mb <mb>', 'memory of one run when the function does not say')
        .default(DEFAULT_EXECUTOR_MEMORY_MB)
        .argParser(parsePositive('--memory-mb')),
    )
    .addOption(
      new Option('--fallback-ms <ms>', 'wait before taking a call another executor is preferred for (covers a dead or slow one)')
        .default(DEFAULT_FALLBACK_DELAY_MS)
        .argParser(parsePositive('--fallback-ms')),
    )
    .addOption(new Option('--concurrency <n>', 'programs run at once (default: the CPU count)').argParser(parsePositive('--concurrency')))
    .addOption(new Option('--jobs <roles>', 'job market roles to take, comma-separated: worker, evaluator').argParser(parseJobRoles))
    .addOption(new Option('--job-ids <ids>', 'with --jobs: only these jobs (default: every job it can run)').argParser(parseJobIds))
    .addOption(
      new Option(
        '--worker-code <job=hash>',
        "with --jobs: run this code (Big Storage hash) as the job's worker instead of its registered code (repeatable)",
      ).argParser(collectJobCode('--worker-code')),
    )
    .addOption(
      new Option(
        '--evaluator-code <job=hash>',
        "with --jobs: run this code as the job's evaluator instead of its registered code (repeatable)",
      ).argParser(collectJobCode('--evaluator-code')),
    )
    .addOption(
      new Option('--http <port>', 'serve HTTP-triggered functions on this port (0: a free one), paid per call by vouchers').argParser(
        parsePort,
      ),
    )
    .addOption(new Option('--http-host <host>', 'with --http: the interface to listen on (default 127.0.0.1)'))
    .addOption(
      new Option('--redeem-interval-ms <ms>', 'with --http: how often accepted vouchers are redeemed on chain (default 10000)').argParser(
        parsePositive('--redeem-interval-ms'),
      ),
    )
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(nodeOption())
    .action(
      async (
        flags: KeyringFlags & {
          key: string;
          storage: string;
          runtimes?: string[];
          runtime?: RuntimeSpec[];
          insecureSandbox?: boolean;
          price: string;
          timeoutMs: number;
          memoryMb: number;
          fallbackMs: number;
          concurrency?: number;
          jobs?: JobRole[];
          jobIds?: bigint[];
          workerCode?: Map<bigint, string>;
          evaluatorCode?: Map<bigint, string>;
          http?: number;
          httpHost?: string;
          redeemIntervalMs?: number;
          home: string;
          node: string;
        },
      ) => {
        const home = resolveHome(flags.home);
        const executor = await runExecutor({ ...flags, home, keyring: keyringOf(home, flags) });
        await stopSignal();
        await executor.stop();
      },
    );
}
