import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { DEFAULT_STORAGE_URL } from '../../storage/index.ts';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { getKey, keySigner, resolveHome } from '../../home/index.ts';
import { homeOption, KEYRING_PASSPHRASE_ENV, type KeyringFlags, keyringBackendOption, keyringOf, nodeOption } from '../common/index.ts';
import { describeError } from '../../executor/index.ts';
import { CONSOLE_HELP, type ConsoleContext, runConsoleLine } from './handler.ts';

interface ConsoleFlags extends KeyringFlags {
  from: string;
  storage: string;
  home: string;
  node: string;
  chainId?: string;
  gasPrices?: string;
}

/**
 * `aind console`: an interactive prompt in the style of the architecture paper's sample session
 * (`registerJob job_schema.proto worker.py evaluator.py`, `stats JOB_ID`, `requestJob {...}`), signing
 * with `--from`. Reads commands from stdin, one per line, so it can be scripted with a pipe; exits 1
 * when a command failed.
 * @example printf 'registerJob job_schema.proto worker.py evaluator.py\nstats 1\n' | aind console --from alice
 */
export function consoleCommand(): Command {
  return new Command('console')
    .description('Interactive job market console: registerJob, stats, requestJob (type help)')
    .requiredOption('--from <key_or_address>', 'key that signs: uploads, registrations and requests')
    .option('--storage <url>', 'Big Storage for the code', DEFAULT_STORAGE_URL)
    .option('--chain-id <id>', "chain id to sign for (default: the node's)")
    .option('--gas-prices <price>', 'price per unit of gas (default: the genesis minimum 0.025uain)')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(nodeOption())
    .action(async (flags: ConsoleFlags) => {
      const home = resolveHome(flags.home);
      const keyring = keyringOf(home, flags);
      if (keyring.backend === 'file') {
        // Stdin carries the commands: a file keyring is unlocked first, from the terminal or the env.
        if (process.stdin.isTTY !== true && process.env[KEYRING_PASSPHRASE_ENV] === undefined) {
          throw ainError(ErrInvalidRequest, `with commands piped on stdin, set ${KEYRING_PASSPHRASE_ENV} to unlock the file keyring`);
        }
        await keySigner(getKey(home, flags.from, keyring), keyring);
      }
      const context: ConsoleContext = {
        home,
        from: flags.from,
        keyring,
        node: flags.node,
        storage: flags.storage,
        chainId: flags.chainId,
        gasPrices: flags.gasPrices,
        gas: 'auto',
        print: (line) => process.stdout.write(`${line}\n`),
      };
      const interactive = process.stdin.isTTY === true;
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: 'AIN> ' });
      if (interactive) process.stdout.write(`Connected to ${flags.node} as ${flags.from}. Type help.\n`);
      let failed = false;
      rl.prompt();
      for await (const line of rl) {
        if (!interactive && line.trim() !== '') process.stdout.write(`${line}\n`);
        try {
          if (!(await runConsoleLine(line, context))) break;
        } catch (error) {
          failed = true;
          process.stdout.write(`Error: ${describeError(error)}\n`);
        }
        rl.prompt();
      }
      rl.close();
      if (!interactive) process.stdout.write('\n');
      if (failed) process.exitCode = 1;
    })
    .addHelpText('after', `\nCommands:\n${CONSOLE_HELP}`);
}
