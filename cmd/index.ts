import type { Command } from 'commander';
import { cliProgram, runCli } from './common/cli.ts';

/**
 * The top-level commands, in help order: their names (the first is the command, the rest aliases)
 * and how each is mounted. Each is loaded only when used (`import()`), so `aind --version` and a
 * query do not load the node, the executor or the storage backends; `aind --help` loads them all.
 */
const COMMANDS: ReadonlyArray<{ readonly names: readonly string[]; readonly mount: (program: Command) => Promise<unknown> }> = [
  { names: ['init'], mount: async (p) => p.addCommand((await import('./init/index.ts')).initCommand()) },
  { names: ['genesis'], mount: async (p) => p.addCommand((await import('./genesis/index.ts')).genesisCommand()) },
  { names: ['keys'], mount: async (p) => p.addCommand((await import('./keys/index.ts')).keysCommand()) },
  { names: ['tx'], mount: async (p) => p.addCommand((await import('./tx/index.ts')).txCommand()) },
  { names: ['query', 'q'], mount: async (p) => p.addCommand((await import('./query/index.ts')).queryCommand()) },
  { names: ['chain-info'], mount: async (p) => p.addCommand((await import('./chain-info/index.ts')).chainInfoCommand()) },
  { names: ['status'], mount: async (p) => p.addCommand((await import('./status/index.ts')).statusCommand()) },
  { names: ['dev'], mount: async (p) => p.addCommand((await import('./dev/index.ts')).devCommand()) },
  { names: ['storage'], mount: async (p) => p.addCommand((await import('./storage/index.ts')).storageCommand()) },
  { names: ['executor'], mount: async (p) => p.addCommand((await import('./executor/index.ts')).executorCommand()) },
  { names: ['job'], mount: async (p) => p.addCommand((await import('./job/index.ts')).jobCommand()) },
  { names: ['console'], mount: async (p) => p.addCommand((await import('./console/index.ts')).consoleCommand()) },
  { names: ['localnet'], mount: async (p) => p.addCommand((await import('./localnet/index.ts')).localnetCommand()) },
  { names: ['shard'], mount: async (p) => p.addCommand((await import('./shard/index.ts')).shardCommand()) },
  { names: ['start'], mount: async (p) => (await import('./start/index.ts')).registerStartCommand(p) },
];

/**
 * The `aind` program: one subcommand per folder of cmd/, or only those `names` (or aliases) name.
 * @example await (await buildProgram()).parseAsync(['node', 'aind', 'keys', 'list'])
 */
export async function buildProgram(names?: readonly string[]): Promise<Command> {
  const program = cliProgram();
  for (const command of COMMANDS) {
    if (names === undefined || command.names.some((name) => names.includes(name))) await command.mount(program);
  }
  return program;
}

/**
 * The commands a run needs: the one argv names (its first word that is not an option), none for a
 * bare `--version`, every command otherwise (help, an unknown command).
 * @example commandsFor(['node', 'aind', 'q', 'bank', 'balances', 'ain1...']) // ['q']
 */
export function commandsFor(argv: readonly string[]): readonly string[] | undefined {
  const args = argv.slice(2);
  const word = args.find((arg) => !arg.startsWith('-'));
  if (word === undefined) return args.includes('--version') || args.includes('-V') ? [] : undefined;
  return COMMANDS.some((command) => command.names.includes(word)) ? [word] : undefined;
}

/**
 * Runs the CLI: errors become one `Error: ...` line on stderr and exit code 1 (usage errors keep
 * commander's own message and code).
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await runCli(await buildProgram(commandsFor(argv)), argv);
}
