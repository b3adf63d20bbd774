import { Command } from 'commander';
import { ainError, ErrInvalidRequest, formatCoins } from '../../core/index.ts';
import { writeFileSync } from 'node:fs';
import {
  addGenesisAccountToHome,
  addGenesisValidatorToHome,
  applyEconomicsToHome,
  exportGenesis,
  resolveHome,
  validateHomeGenesis,
} from '../../home/index.ts';
import {
  homeOption,
  type KeyringFlags,
  keyringBackendOption,
  keyringOf,
  type OutputFormat,
  outputOption,
  printResult,
} from '../common/index.ts';

/**
 * `aind genesis add-account ADDRESS_OR_KEY_NAME COINS --home DIR`,
 * `aind genesis export --home DIR [--output-document FILE]` and
 * `aind genesis add-validator --home DIR (--key NAME | --address ADDR) --amount 1000000uain [--moniker M] [--commission-rate 0.10] [--pubkey BASE64]`,
 * `aind genesis economics --plan FILE --home DIR` and `aind genesis validate --home DIR [--economics]`
 * @example aind genesis add-account alice 1000000000uain --home ~/.aind
 * @example aind genesis add-validator --key alice --amount 100000000000uain --home ~/.aind
 */
export function genesisCommand(): Command {
  const genesis = new Command('genesis').description("Edit the genesis file before the chain starts, or export a chain's state as genesis");
  genesis
    .command('add-account')
    .description('Add a funded account to genesis.json')
    .argument('<address_or_key_name>', 'an ain1... address, or the name of a key in the keyring')
    .argument('<coins>', 'initial balance, e.g. 1000000uain')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(outputOption())
    .action((addressOrKey: string, coins: string, flags: KeyringFlags & { home: string; output: OutputFormat }) => {
      const home = resolveHome(flags.home);
      const keyring = flags.keyringBackend === undefined ? undefined : keyringOf(home, flags);
      const result = addGenesisAccountToHome(home, addressOrKey, coins, keyring);
      const json = { address: result.address, coins: result.coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() })) };
      printResult(json, flags.output, () => `added ${result.address} with ${formatCoins(result.coins)} to genesis`);
    });
  genesis
    .command('add-validator')
    .description("Add a validator to genesis: its self-delegation moves from the operator's genesis balance into the bonded pool")
    .option('--key <name>', 'the operator: a keyring key (a funded genesis account)')
    .option('--address <ain1...>', 'the operator: an address (a funded genesis account)')
    .requiredOption('--amount <coin>', 'self-delegation, e.g. 1000000uain (at least 1 unit of power, 10^6 uain)')
    .option('--moniker <name>', "validator name (default: the node's moniker in config.toml)")
    .option('--commission-rate <decimal>', 'commission rate (max rate: the larger of 0.20 and it; max change 0.01)', '0.10')
    .option('--pubkey <base64>', 'ed25519 consensus public key (default: HOME/config/priv_validator_key.json)')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(outputOption())
    .action(
      (
        flags: KeyringFlags & {
          home: string;
          output: OutputFormat;
          key?: string;
          address?: string;
          amount: string;
          moniker?: string;
          commissionRate: string;
          pubkey?: string;
        },
      ) => {
        const home = resolveHome(flags.home);
        const result = addGenesisValidatorToHome(home, {
          key: flags.key,
          keyring: flags.keyringBackend === undefined ? undefined : keyringOf(home, flags),
          address: flags.address,
          amount: flags.amount,
          moniker: flags.moniker,
          commissionRate: flags.commissionRate,
          pubkey: flags.pubkey,
        });
        printResult(
          result,
          flags.output,
          () => `added validator ${result.validator} (${result.moniker}) with ${result.amount} self-delegated to genesis`,
        );
      },
    );
  genesis
    .command('economics')
    .description(
      'Write the AIN genesis supply into genesis.json: 700,000,000 AIN, the public 60% to plain accounts and the reserved 40% to vesting accounts (developers continuous over N years, early participants delayed to a cliff), from a plan file',
    )
    .requiredOption(
      '--plan <file>',
      'JSON {"public":[{"address","amount"}], "developers":{"vesting_years":N,"accounts":[...]}, "early_participants":{"cliff_days":N,"accounts":[...]}}, amounts in uain',
    )
    .addOption(homeOption())
    .addOption(outputOption())
    .action((flags: { home: string; plan: string; output: OutputFormat }) => {
      const totals = applyEconomicsToHome(resolveHome(flags.home), flags.plan);
      const json = { supply: totals.supply.toString(), public: totals.free.toString(), vesting: totals.vesting.toString() };
      printResult(
        json,
        flags.output,
        () => `genesis supply ${totals.supply}uain: ${totals.free}uain public, ${totals.vesting}uain vesting`,
      );
    });
  genesis
    .command('validate')
    .description("Check genesis.json's app_state as InitChain would, and that every vesting account's balance covers its original vesting")
    .option('--economics', 'also check the AIN totals: supply exactly 700,000,000 AIN, 60% public and 40% vesting')
    .addOption(homeOption())
    .addOption(outputOption())
    .action((flags: { home: string; economics?: boolean; output: OutputFormat }) => {
      const totals = validateHomeGenesis(resolveHome(flags.home), flags.economics === true);
      const json = totals
        ? { valid: true, supply: totals.supply.toString(), public: totals.free.toString(), vesting: totals.vesting.toString() }
        : { valid: true };
      printResult(json, flags.output, () =>
        totals ? `genesis is valid: ${json.supply}uain, ${json.public}uain public, ${json.vesting}uain vesting` : 'genesis is valid',
      );
    });
  genesis
    .command('export')
    .description("Write the node's committed state as a genesis document (the next height's), to stdout or --output-document")
    .option('--output-document <file>', 'write the document to this file instead of stdout')
    .option('--height <height>', "export the state at this height (one app.toml's [state] keep_recent retains; default: the latest)")
    .addOption(homeOption())
    .action(async (flags: { home: string; outputDocument?: string; height?: string }) => {
      if (flags.height !== undefined && !/^[1-9][0-9]*$/.test(flags.height)) {
        throw ainError(ErrInvalidRequest, `--height "${flags.height}" must be a positive integer`);
      }
      const { height, genesis: doc } = await exportGenesis(
        resolveHome(flags.home),
        flags.height === undefined ? undefined : BigInt(flags.height),
      );
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (flags.outputDocument === undefined) process.stdout.write(text);
      else {
        writeFileSync(flags.outputDocument, text);
        console.error(`exported height ${height} to ${flags.outputDocument} (initial_height ${doc.initial_height})`);
      }
    });
  return genesis;
}
