/**
 * The `aind` program's root and how it runs: errors become one `Error: ...` line on stderr and exit
 * code 1. `cmd/index.ts` mounts every command on it; a command's tests run their own command the
 * same way without the others.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AinError } from '../../core/index.ts';

/** The version `aind --version` prints: package.json's. */
const AIND_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The root `aind` command with `commands` mounted.
 * @example await runCli(cliProgram(keysCommand()), ['node', 'aind', 'keys', 'list'])
 */
export function cliProgram(...commands: Command[]): Command {
  const program = new Command('aind')
    .description('AIN Chain node and CLI: a Cosmos-style chain (TypeScript ABCI app behind CometBFT)')
    .version(AIND_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError();
  for (const command of commands) program.addCommand(command);
  return program;
}

/**
 * Runs a program on `argv`: errors become one `Error: ...` line on stderr and exit code 1 (usage
 * errors keep commander's own message and code).
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.exitOverride().parseAsync([...argv]);
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
