import { Command, Option } from 'commander';
import { resolveHome } from '../../home/index.ts';
import { homeOption } from '../common/index.ts';
import { writeChainInfo } from './handler.ts';

/**
 * `aind chain-info --home DIR [--out DIR] [--rpc URL] [--rest URL]`: writes Keplr's chain info and the
 * chain registry's chain.json and assetlist.json for the home's chain.
 * @example aind chain-info --home ~/.aind-dev --rpc https://rpc.example.org --rest https://api.example.org
 */
export function chainInfoCommand(): Command {
  return new Command('chain-info')
    .description("Write wallet and explorer metadata for the home's chain: Keplr chain info, chain-registry chain.json and assetlist.json")
    .addOption(homeOption())
    .addOption(new Option('--out <dir>', 'folder to write the three files into (default: HOME/chain-info)'))
    .addOption(new Option('--rpc <url>', "public CometBFT RPC URL (default: the home's [rpc] laddr)"))
    .addOption(new Option('--rest <url>', "public REST URL (default: the home's [api] address)"))
    .addOption(new Option('--chain-name <name>', 'chain-registry chain_name (default: from the chain id, e.g. aindev)'))
    .addOption(
      new Option('--network-type <type>', 'chain-registry network_type (default: from the chain id)').choices([
        'mainnet',
        'testnet',
        'devnet',
      ]),
    )
    .action(
      (flags: {
        home?: string;
        out?: string;
        rpc?: string;
        rest?: string;
        chainName?: string;
        networkType?: 'mainnet' | 'testnet' | 'devnet';
      }) => {
        const home = resolveHome(flags.home);
        const paths = writeChainInfo(home, flags.out ?? `${home}/chain-info`, {
          ...(flags.rpc !== undefined ? { rpc: flags.rpc } : {}),
          ...(flags.rest !== undefined ? { rest: flags.rest } : {}),
          ...(flags.chainName !== undefined ? { chainName: flags.chainName } : {}),
          ...(flags.networkType !== undefined ? { networkType: flags.networkType } : {}),
        });
        for (const path of Object.values(paths)) process.stdout.write(`${path}\n`);
      },
    );
}
