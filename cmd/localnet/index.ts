import { Command, Option } from 'commander';
import { type OutputFormat, outputOption, printResult } from '../common/index.ts';
import { resolveHome } from '../../home/index.ts';
import { DEFAULT_BASE_PORT, DEFAULT_CHAIN_ID, DEFAULT_TIMEOUT_COMMIT, DEFAULT_VALIDATORS } from '../../localnet/index.ts';
import {
  DEFAULT_LOCALNET_DIR,
  ensureLocalnet,
  formatLocalnet,
  formatStatus,
  localnetStatus,
  parseBasePort,
  parseShards,
  parseValidators,
  runLocalnetStart,
  runLocalnetStop,
} from './handler.ts';

interface CreateFlags {
  dir: string;
  validators?: number;
  chainId?: string;
  basePort: number;
  timeoutCommit?: string;
  reset?: boolean;
  shards?: number;
}

function dirOption(): Option {
  return new Option('--dir <dir>', 'localnet folder (node homes, keys, logs, pid file)').default(DEFAULT_LOCALNET_DIR);
}

/** The options that shape a new localnet (ignored, except --validators as a check, when DIR holds one). */
function withCreateOptions(command: Command): Command {
  return command
    .addOption(dirOption())
    .addOption(
      new Option('--validators <n>', `genesis validators, 1-16 (default ${DEFAULT_VALIDATORS} for a new localnet)`).argParser(
        parseValidators,
      ),
    )
    .option('--chain-id <id>', `chain id of a new localnet (default ${DEFAULT_CHAIN_ID})`)
    .addOption(
      new Option('--base-port <port>', 'ports of a new localnet: storage on P, node i on P+10i+6..9 (p2p, RPC, ABCI, REST); 0 = free ports')
        .default(DEFAULT_BASE_PORT)
        .argParser(parseBasePort),
    )
    .option('--timeout-commit <duration>', `CometBFT timeout_commit of a new localnet (default ${DEFAULT_TIMEOUT_COMMIT})`)
    .option('--reset', 'delete the localnet in --dir first (refused while it runs)')
    .addOption(
      new Option('--shards <n>', 'child chains branched off the localnet (/apps/shard1, ...), each one node with its relayer').argParser(
        parseShards,
      ),
    );
}

/**
 * `aind localnet init|start|stop|status`: N validators, Big Storage and an executor on one machine.
 * @example aind localnet start --validators 4
 * @example aind localnet start --detach && aind localnet status && aind localnet stop
 * @example aind localnet init --dir /data --validators 4 --docker   # the homes docker-compose.yml runs
 */
export function localnetCommand(): Command {
  const localnet = new Command('localnet').description(
    'Run N validators, Big Storage and an executor on this machine (or write them for docker compose)',
  );

  withCreateOptions(localnet.command('init'))
    .description('Write a localnet (homes, keys, shared genesis, peers, ports) without starting it; keeps a matching one')
    .option('--docker', 'use container host names (node0, node1, ..., storage) and in-container ports, for docker-compose.yml')
    .addOption(outputOption())
    .action(async (flags: CreateFlags & { docker?: boolean; output: OutputFormat }) => {
      const dir = resolveHome(flags.dir);
      const { manifest, created } = await ensureLocalnet({ ...flags, dir });
      printResult({ dir, created, ...manifest }, flags.output, () => `${created ? 'created' : 'kept'} ${formatLocalnet(dir, manifest)}`);
    });

  withCreateOptions(localnet.command('start'))
    .description('Start the localnet in --dir (creating it when absent); prints where each node listens; Ctrl-C stops everything')
    .option('--detach', 'return once it runs and leave it running (stop it with aind localnet stop)')
    .option('--insecure-sandbox', "let the executor run programs without bubblewrap namespaces (see aind executor's flag)")
    .action(async (flags: CreateFlags & { detach?: boolean; insecureSandbox?: boolean }) => {
      await runLocalnetStart({ ...flags, dir: resolveHome(flags.dir) });
    });

  localnet
    .command('stop')
    .description('Stop every process of the localnet in --dir (from any shell) and check that none is left')
    .addOption(dirOption())
    .addOption(outputOption())
    .action(async (flags: { dir: string; output: OutputFormat }) => {
      const stopped = await runLocalnetStop(resolveHome(flags.dir));
      printResult({ stopped }, flags.output, () => (stopped.length === 0 ? 'nothing was running' : `stopped ${stopped.join(', ')}`));
    });

  localnet
    .command('status')
    .description('Each process of the localnet in --dir (running or not, pid) and each node height')
    .addOption(dirOption())
    .addOption(outputOption())
    .action(async (flags: { dir: string; output: OutputFormat }) => {
      const status = await localnetStatus(resolveHome(flags.dir));
      printResult(status, flags.output, () => formatStatus(status));
    });

  return localnet;
}
