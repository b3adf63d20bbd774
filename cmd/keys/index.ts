import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { resolveHome } from '../../home/index.ts';
import {
  formatText,
  homeOption,
  type KeyringFlags,
  keyringBackendOption,
  keyringOf,
  type OutputFormat,
  outputOption,
  printResult,
} from '../common/index.ts';
import {
  addKeyCommand,
  deleteKeyCommand,
  exportKeyCommand,
  formatAddedKey,
  importKeyCommand,
  listKeysCommand,
  readMnemonic,
  showKeyCommand,
} from './handler.ts';

interface KeysFlags extends KeyringFlags {
  home: string;
  output: OutputFormat;
}

/**
 * `aind keys add|list|show|delete|export|import`, HD path m/44'/412'/0'/0/0, addresses ain1...
 * Backends as in simd: `file` (HOME/keyring-file, encrypted with a passphrase; the default) and `test`
 * (HOME/keyring-test, unencrypted; localnets and `aind dev` use it). Export and import use the Cosmos
 * SDK's armored format, so keys move to and from `simd` / `gaiad`.
 * @example aind keys add alice --home ~/.aind
 * @example echo "$MNEMONIC" | AIND_KEYRING_PASSPHRASE=... aind keys add bob --recover
 * @example aind keys export alice > alice.armor && simd keys import alice alice.armor
 */
export function keysCommand(): Command {
  const keys = new Command('keys').description(
    'Manage keys: the file keyring (encrypted with a passphrase; the default) or the test keyring (unencrypted; development only)',
  );
  const common = (command: Command) => command.addOption(keyringBackendOption()).addOption(homeOption()).addOption(outputOption());

  common(
    keys
      .command('add')
      .description('Add a key from a new 24-word mnemonic (printed once), or recover one with --recover')
      .argument('<name>', 'key name')
      .option('--recover', 'read a bip39 mnemonic (the first line of stdin, or a prompt) instead of generating one'),
  ).action(async (name: string, flags: KeysFlags & { recover?: boolean }) => {
    const home = resolveHome(flags.home);
    const keyring = keyringOf(home, flags);
    const mnemonic = flags.recover ? await readMnemonic() : undefined;
    const key = await addKeyCommand(home, name, mnemonic, keyring);
    printResult(key, flags.output, () => formatAddedKey(key, keyring));
  });

  common(keys.command('list').description('List all keys (no passphrase needed)')).action((flags: KeysFlags) => {
    const home = resolveHome(flags.home);
    printResult(listKeysCommand(home, keyringOf(home, flags)), flags.output);
  });

  common(
    keys
      .command('show')
      .description('Show a key by name or address (no passphrase needed)')
      .argument('<name_or_address>', 'key name or ain1... address')
      .option('-a, --address', 'print the address only'),
  ).action((nameOrAddress: string, flags: KeysFlags & { address?: boolean }) => {
    const home = resolveHome(flags.home);
    const key = showKeyCommand(home, nameOrAddress, keyringOf(home, flags));
    if (flags.address) process.stdout.write(`${key.address}\n`);
    else printResult(key, flags.output, () => formatText(key));
  });

  common(
    keys
      .command('delete')
      .description('Delete a key (the file keyring asks its passphrase; -y is accepted for simd compatibility)')
      .argument('<name_or_address>', 'key name or ain1... address')
      .option('-y, --yes', 'skip confirmation (never asked)'),
  ).action(async (nameOrAddress: string, flags: KeysFlags) => {
    const home = resolveHome(flags.home);
    const key = await deleteKeyCommand(home, nameOrAddress, keyringOf(home, flags));
    printResult(key, flags.output, () => `key "${key.name}" (${key.address}) deleted`);
  });

  keys
    .command('export')
    .description("Export a key's private key armored and encrypted with a new passphrase, as simd keys export does")
    .argument('<name>', 'key name or ain1... address')
    .option('--output-document <file>', 'write the armor to this file (mode 0600) instead of stdout')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .action(async (name: string, flags: KeyringFlags & { home: string; outputDocument?: string }) => {
      const home = resolveHome(flags.home);
      const armored = await exportKeyCommand(home, name, keyringOf(home, flags));
      if (flags.outputDocument !== undefined) writeFileSync(flags.outputDocument, `${armored}\n`, { mode: 0o600 });
      else process.stdout.write(`${armored}\n`);
    });

  common(
    keys
      .command('import')
      .description('Import a key armored by simd / gaiad / aind keys export (kdf bcrypt or argon2)')
      .argument('<name>', 'name for the key in this keyring')
      .argument('<file>', 'the armored key'),
  ).action(async (name: string, file: string, flags: KeysFlags) => {
    const home = resolveHome(flags.home);
    const key = await importKeyCommand(home, name, file, keyringOf(home, flags));
    printResult(key, flags.output, () => formatText(key));
  });

  return keys;
}
