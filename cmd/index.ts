import { Command, CommanderError } from 'commander';
import { AinError } from '../core/errors.ts';
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
import { statusCommand } from './status/index.ts';
import { storageCommand } from './storage/index.ts';
import { txCommand } from './tx/index.ts';

/**
 * The `aind` program: one subcommand per folder of cmd/.
 * @example await buildProgram().parseAsync(['node', 'aind', 'keys', 'list'])
 */
export function buildProgram(): Command {
  const program = new Command('aind')
    .description('AIN Chain node and CLI: a Cosmos-style chain (TypeScript ABCI app behind CometBFT)')
    .showHelpAfterError();
  program.addCommand(initCommand());
  program.addCommand(genesisCommand());
  program.addCommand(keysCommand());
  program.addCommand(txCommand());
  program.addCommand(queryCommand());
  program.addCommand(statusCommand());
  program.addCommand(devCommand());
  program.addCommand(storageCommand());
  program.addCommand(executorCommand());
  program.addCommand(jobCommand());
  program.addCommand(consoleCommand());
  program.addCommand(localnetCommand());
  registerStartCommand(program);
  return program;
}

/**
 * Runs the CLI: errors become one `Error: ...` line on stderr and exit code 1 (usage errors keep
 * commander's own message and code).
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" exit 0; usage errors were already printed by commander.
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`Error: ${describeError(error)}\n`);
    process.exitCode = 1;
  }
}

function describeError(error: unknown): string {
  if (error instanceof AinError) return `${error.message} [${error.codespace}/${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}
