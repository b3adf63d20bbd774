import { Command } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { resolveHome } from '../../home/index.ts';
import { formatText, homeOption, type OutputFormat, outputOption, printResult } from '../common/index.ts';
import { addKeyCommand, deleteKeyCommand, formatAddedKey, listKeysCommand, readMnemonic, showKeyCommand } from './handler.ts';

interface KeysFlags {
  home: string;
  output: OutputFormat;
}

/**
 * `aind keys add|list|show|delete`: the "test" keyring backend (unencrypted files in
 * HOME/keyring-test; development and tests only), HD path m/44'/412'/0'/0/0, addresses ain1...
 * @example aind keys add alice --home ~/.aind
 * @example echo "$MNEMONIC" | aind keys add bob --recover
 * @example aind keys show alice -a
 */
export function keysCommand(): Command {
  const keys = new Command('keys').description(
    'Manage keys in the test keyring (HOME/keyring-test, UNENCRYPTED: for development and tests only)',
  );

  keys
    .command('add')
    .description('Add a key from a new 24-word mnemonic (printed once), or recover one with --recover')
    .argument('<name>', 'key name')
    .option('--recover', 'read a bip39 mnemonic from stdin instead of generating one')
    .option('--keyring-backend <backend>', 'accepted for simd compatibility; only "test" exists', 'test')
    .addOption(homeOption())
    .addOption(outputOption())
    .action(async (name: string, flags: KeysFlags & { recover?: boolean; keyringBackend: string }) => {
      checkBackend(flags.keyringBackend);
      const mnemonic = flags.recover ? await readMnemonic() : undefined;
      const key = await addKeyCommand(resolveHome(flags.home), name, mnemonic);
      printResult(key, flags.output, () => formatAddedKey(key));
    });

  keys
    .command('list')
    .description('List all keys')
    .option('--keyring-backend <backend>', 'accepted for simd compatibility; only "test" exists', 'test')
    .addOption(homeOption())
    .addOption(outputOption())
    .action((flags: KeysFlags & { keyringBackend: string }) => {
      checkBackend(flags.keyringBackend);
      const list = listKeysCommand(resolveHome(flags.home));
      printResult(list, flags.output);
    });

  keys
    .command('show')
    .description('Show a key by name or address')
    .argument('<name_or_address>', 'key name or ain1... address')
    .option('-a, --address', 'print the address only')
    .option('--keyring-backend <backend>', 'accepted for simd compatibility; only "test" exists', 'test')
    .addOption(homeOption())
    .addOption(outputOption())
    .action((nameOrAddress: string, flags: KeysFlags & { address?: boolean; keyringBackend: string }) => {
      checkBackend(flags.keyringBackend);
      const key = showKeyCommand(resolveHome(flags.home), nameOrAddress);
      if (flags.address) process.stdout.write(`${key.address}\n`);
      else printResult(key, flags.output, () => formatText(key));
    });

  keys
    .command('delete')
    .description('Delete a key (no confirmation prompt; -y is accepted for simd compatibility)')
    .argument('<name_or_address>', 'key name or ain1... address')
    .option('-y, --yes', 'skip confirmation (never asked)')
    .option('--keyring-backend <backend>', 'accepted for simd compatibility; only "test" exists', 'test')
    .addOption(homeOption())
    .addOption(outputOption())
    .action((nameOrAddress: string, flags: KeysFlags & { keyringBackend: string }) => {
      checkBackend(flags.keyringBackend);
      const key = deleteKeyCommand(resolveHome(flags.home), nameOrAddress);
      printResult(key, flags.output, () => `key "${key.name}" (${key.address}) deleted`);
    });

  return keys;
}

function checkBackend(backend: string): void {
  if (backend !== 'test') {
    throw ainError(
      ErrInvalidRequest,
      `--keyring-backend ${backend} is not supported; only "test" (unencrypted files, development only) exists`,
    );
  }
}
