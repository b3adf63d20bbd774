import { type Command, Option } from 'commander';
import { resolveHome } from '../../home/index.ts';
import { exitAfterShutdown, homeOption, runNode } from '../common/index.ts';

/** `aind start --home DIR [--with-comet=false]` */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the node: the ABCI application and, by default, its CometBFT child')
    .addOption(homeOption())
    .addOption(new Option('--with-comet <bool>', 'also run and supervise CometBFT').default('true').choices(['true', 'false']))
    .action(async (flags: { home?: string; withComet: string }) => {
      await runNode({ home: resolveHome(flags.home), withComet: flags.withComet !== 'false' });
      exitAfterShutdown();
    });
}
