import type { Command } from 'commander';
import { cliProgram, runCli } from './common/index.ts';
import { consoleCommand } from './console/index.ts';
import { devCommand } from './dev/index.ts';
import { executorCommand } from './executor/index.ts';
import { genesisCommand } from './genesis/index.ts';
import { initCommand } from './init/index.ts';
import { jobCommand } from './job/index.ts';
import { keysCommand } from './keys/index.ts';
import { localnetCommand } from './localnet/index.ts';
import { queryCommand } from './query/index.ts';
import { registerStartCommand } from './start/index.ts';
import { shardCommand } from './shard/index.ts';
import { statusCommand } from './status/index.ts';
import { storageCommand } from './storage/index.ts';
import { txCommand } from './tx/index.ts';

/**
 * The `aind` program: one subcommand per folder of cmd/.
 * @example await buildProgram().parseAsync(['node', 'aind', 'keys', 'list'])
 */
export function buildProgram(): Command {
  const program = cliProgram(
    initCommand(),
    genesisCommand(),
    keysCommand(),
    txCommand(),
    queryCommand(),
    statusCommand(),
    devCommand(),
    storageCommand(),
    executorCommand(),
    jobCommand(),
    consoleCommand(),
    localnetCommand(),
    shardCommand(),
  );
  registerStartCommand(program);
  return program;
}

/**
 * Runs the CLI: errors become one `Error: ...` line on stderr and exit code 1 (usage errors keep
 * commander's own message and code).
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await runCli(buildProgram(), argv);
}
