import { Command } from 'commander';
import { resolveHome } from '../../home/index.ts';
import { exitAfterShutdown, homeOption, runNode } from '../common/index.ts';
import { DEV_HOME, formatDevBanner, prepareDevHome } from './handler.ts';
import { startDevServices } from './services.ts';

/**
 * `aind dev [--home ~/.aind-dev]` (what `npm start` runs): initialise a single-validator dev chain
 * with a funded `dev` key when the home is new, then run the node (app and CometBFT), a Big Storage
 * server on 7070 and an executor daemon (`cmd/dev/services.ts`).
 * @example aind dev
 */
export function devCommand(): Command {
  return new Command('dev')
    .description('Run a single-validator dev chain, creating it (chain ain-dev-1, funded key "dev") on first use')
    .addOption(homeOption(DEV_HOME))
    .action(async (flags: { home: string }) => {
      const dev = await prepareDevHome(resolveHome(flags.home));
      process.stdout.write(`${formatDevBanner(dev)}\n`);
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      await runNode({
        home: dev.home,
        withComet: true,
        companions: (rpcUrl, signal) => startDevServices({ home: dev.home, rpcUrl, log, signal }),
      });
      exitAfterShutdown();
    });
}
