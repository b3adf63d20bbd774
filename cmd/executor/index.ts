import { Command, Option } from 'commander';
import { DEFAULT_EXECUTOR_MEMORY_MB, DEFAULT_EXECUTOR_TIMEOUT_MS, DEFAULT_FALLBACK_DELAY_MS } from '../../executor/daemon.ts';
import { DEFAULT_STORAGE_URL } from '../../storage/client.ts';
import { resolveHome } from '../common/home.ts';
import { homeOption, nodeOption } from '../common/options.ts';
import { parsePositive, parsePrice, parseRuntimes, runExecutor, runUntilSignal } from './handler.ts';

/**
 * `aind executor`: runs an off-chain executor for AIN Functions. It registers KEY on chain, listens
 * to the node's websocket for calls of its runtimes, runs them in the sandbox with code fetched (and
 * hash-checked) from Big Storage, and broadcasts the results. Its cursor is HOME/executor-cursor.json.
 * @example aind executor --home ~/.aind --key bob --node tcp://127.0.0.1:26657 --storage http://127.0.0.1:7070
 */
export function executorCommand(): Command {
  return new Command('executor')
    .description('Run an off-chain executor: register on chain, run the function calls of its runtimes, submit the results')
    .requiredOption('--key <name>', 'keyring key (name or address) that registers and signs results')
    .option('--storage <url>', 'Big Storage node the code is fetched from', DEFAULT_STORAGE_URL)
    .addOption(
      new Option('--runtimes <list>', 'runtimes to run, comma-separated')
        .default(['node', 'python3'], 'node,python3')
        .argParser(parseRuntimes),
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
    .addOption(homeOption())
    .addOption(nodeOption())
    .action(
      async (flags: {
        key: string;
        storage: string;
        runtimes: ('node' | 'python3')[];
        price: string;
        timeoutMs: number;
        memoryMb: number;
        fallbackMs: number;
        concurrency?: number;
        home: string;
        node: string;
      }) => {
        const executor = await runExecutor({ ...flags, home: resolveHome(flags.home) });
        await runUntilSignal(executor);
      },
    );
}
