import { Command } from 'commander';
import { formatCoins } from '../../modules/bank/coins.ts';
import { resolveHome } from '../common/home.ts';
import { homeOption, outputOption } from '../common/options.ts';
import { type OutputFormat, printResult } from '../common/output.ts';
import { addGenesisAccountToHome } from './handler.ts';

/**
 * `aind genesis add-account ADDRESS_OR_KEY_NAME COINS --home DIR`
 * @example aind genesis add-account alice 1000000000uain --home ~/.aind
 */
export function genesisCommand(): Command {
  const genesis = new Command('genesis').description('Edit the genesis file before the chain starts');
  genesis
    .command('add-account')
    .description('Add a funded account to genesis.json')
    .argument('<address_or_key_name>', 'an ain1... address, or the name of a key in the keyring')
    .argument('<coins>', 'initial balance, e.g. 1000000uain')
    .addOption(homeOption())
    .addOption(outputOption())
    .action((addressOrKey: string, coins: string, flags: { home: string; output: OutputFormat }) => {
      const result = addGenesisAccountToHome(resolveHome(flags.home), addressOrKey, coins);
      const json = { address: result.address, coins: result.coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() })) };
      printResult(json, flags.output, () => `added ${result.address} with ${formatCoins(result.coins)} to genesis`);
    });
  return genesis;
}
