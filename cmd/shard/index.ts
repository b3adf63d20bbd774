/**
 * `aind shard init|relay`: the child side of sharding. `init` makes a child node's home (genesis and
 * block time) from the shard's registration on the parent, checking the genesis hash the branch
 * recorded; `relay` reports each chain's signed headers on the other and carries transfers.
 */
import { Command, Option } from 'commander';
import { resolveHome } from '../../home/index.ts';
import {
  homeOption,
  type KeyringFlags,
  keyringBackendOption,
  keyringOf,
  type OutputFormat,
  outputOption,
  parseCount,
  printResult,
} from '../common/index.ts';
import { shardInit, shardRelay } from './handler.ts';

/**
 * @example aind shard init --home ~/.chat0 --parent http://127.0.0.1:26657 --path /apps/chat
 * @example aind shard relay --parent http://127.0.0.1:26657 --child http://127.0.0.1:26757 --key relayer
 */
export function shardCommand(): Command {
  const shard = new Command('shard').description('Child chains: make a child node home from its registration, relay headers and transfers');
  shard
    .command('init')
    .description("Write a child node's home (genesis, block time) from the shard's registration on the parent")
    .requiredOption('--parent <url>', "the parent chain's RPC")
    .requiredOption('--path <path>', 'the branched path, /apps/<name>')
    .option('--moniker <name>', 'node name (a new home only)')
    .addOption(homeOption())
    .addOption(outputOption('json'))
    .action(async (flags: { parent: string; path: string; moniker?: string; home: string; output: OutputFormat }) => {
      const result = await shardInit({ home: resolveHome(flags.home), parent: flags.parent, path: flags.path, moniker: flags.moniker });
      printResult(result, flags.output);
    });
  shard
    .command('relay')
    .description("Report each chain's headers on the other and carry transfers, until stopped (Ctrl-C)")
    .requiredOption('--parent <url>', "the parent chain's RPC")
    .requiredOption('--child <url>', "the child chain's RPC")
    .requiredOption('--key <name>', 'keyring key that signs on both chains (it pays fees on both; the parent pays it per report)')
    .addOption(
      new Option('--interval <ms>', 'pause between rounds, in ms (at least 100)').default(1000).argParser(parseCount('--interval')),
    )
    .option('--gas-prices <price>', 'gas price on both chains (default 0.025uain)')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .action(
      async (flags: KeyringFlags & { parent: string; child: string; key: string; interval: number; gasPrices?: string; home: string }) => {
        const home = resolveHome(flags.home);
        await shardRelay({
          home,
          keyring: keyringOf(home, flags),
          parent: flags.parent,
          child: flags.child,
          key: flags.key,
          intervalMs: Math.max(100, flags.interval),
          gasPrices: flags.gasPrices,
        });
      },
    );
  return shard;
}
