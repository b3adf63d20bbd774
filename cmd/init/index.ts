import { Command } from 'commander';
import { initHome, resolveHome } from '../../home/index.ts';
import { homeOption, printResult } from '../common/index.ts';

interface InitFlags {
  home: string;
  chainId?: string;
  moniker?: string;
  overwrite?: boolean;
}

/**
 * `aind init [moniker] --home DIR --chain-id ID [--moniker M] [--overwrite]`
 * @example aind init node0 --home ~/.aind --chain-id ain-local-1
 */
export function initCommand(): Command {
  return new Command('init')
    .description("Initialize a node home: CometBFT's config, node and validator keys, and a genesis.json with the default app_state")
    .argument('[moniker]', 'node name (default: --moniker, else the host name)')
    .addOption(homeOption())
    .option('--chain-id <id>', 'genesis chain id (default: a random test-chain-XXXXXX)')
    .option('--moniker <name>', 'node name, same as the positional argument')
    .option('-o, --overwrite', 'replace an existing genesis.json (node and validator keys are kept)')
    .action((monikerArg: string | undefined, flags: InitFlags) => {
      const moniker = monikerArg ?? flags.moniker;
      const result = initHome({
        home: resolveHome(flags.home),
        ...(flags.chainId !== undefined && { chainId: flags.chainId }),
        ...(moniker !== undefined && { moniker }),
        overwrite: flags.overwrite === true,
      });
      printResult(result, 'json');
    });
}
