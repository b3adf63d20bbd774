import { Command } from 'commander';
import { resolveHome } from '../common/home.ts';
import { homeOption } from '../common/options.ts';
import { runStart } from '../start/index.ts';
import { DEV_HOME, formatDevBanner, prepareDevHome } from './handler.ts';

/**
 * `aind dev [--home ~/.aind-dev]` (what `npm start` runs): initialise a single-validator dev chain
 * with a funded `dev` key when the home is new, then run the node (app and CometBFT).
 * @example aind dev
 */
export function devCommand(): Command {
  return new Command('dev')
    .description('Run a single-validator dev chain, creating it (chain ain-dev-1, funded key "dev") on first use')
    .addOption(homeOption(DEV_HOME))
    .action(async (flags: { home: string }) => {
      const dev = await prepareDevHome(resolveHome(flags.home));
      process.stdout.write(`${formatDevBanner(dev)}\n`);
      await runStart({ home: dev.home, withComet: true });
    });
}
