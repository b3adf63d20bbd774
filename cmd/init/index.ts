import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { type GenesisDoc, initHome, resolveHome } from '../../home/index.ts';
import { homeOption, printResult } from '../common/index.ts';

interface InitFlags {
  home: string;
  chainId?: string;
  moniker?: string;
  overwrite?: boolean;
  genesis?: string;
}

/**
 * `aind init [moniker] --home DIR --chain-id ID [--moniker M] [--overwrite]`
 * @example aind init node0 --home ~/.aind --chain-id ain-local-1
 * @example aind init node0 --home ~/.aind-new --genesis exported.json   # restart an exported chain
 */
export function initCommand(): Command {
  return new Command('init')
    .description("Initialize a node home: CometBFT's config, node and validator keys, and a genesis.json with the default app_state")
    .argument('[moniker]', 'node name (default: --moniker, else the host name)')
    .addOption(homeOption())
    .option('--chain-id <id>', 'genesis chain id (default: a random test-chain-XXXXXX)')
    .option('--moniker <name>', 'node name, same as the positional argument')
    .option('-o, --overwrite', 'replace an existing genesis.json (node and validator keys are kept)')
    .option(
      '--genesis <file>',
      'start from this genesis document (e.g. from `aind genesis export`) instead of the default one; its app_state is checked as `aind genesis validate` checks one, before anything is written',
    )
    .action((monikerArg: string | undefined, flags: InitFlags) => {
      const moniker = monikerArg ?? flags.moniker;
      const result = initHome({
        home: resolveHome(flags.home),
        ...(flags.chainId !== undefined && { chainId: flags.chainId }),
        ...(moniker !== undefined && { moniker }),
        overwrite: flags.overwrite === true,
        ...(flags.genesis !== undefined && { genesis: readGenesisFile(flags.genesis) }),
      });
      printResult(result, 'json');
    });
}

/** A genesis document from a file: JSON with a chain id and an app_state. */
function readGenesisFile(file: string): GenesisDoc {
  let doc: Partial<GenesisDoc>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<GenesisDoc>;
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `--genesis ${file}: ${(cause as Error).message}`);
  }
  if (typeof doc.chain_id !== 'string' || typeof doc.app_state !== 'object' || doc.app_state === null) {
    throw ainError(ErrInvalidRequest, `--genesis ${file} is not a genesis document (no chain_id or app_state)`);
  }
  return doc as GenesisDoc;
}
