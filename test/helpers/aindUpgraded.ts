/**
 * A test build of aind that knows one more software upgrade: `aind start` with the upgrade handler
 * {@link DEMO_UPGRADE} registered (through `runNode`'s `upgradeHandlers`, never the environment), as a
 * new release would register its own in `app/upgrades.ts`. Used by `test/upgradePlan.test.ts` and, on
 * each localnet node through `restartNode`'s `appScript`, by `test/governanceLocalnet.test.ts`:
 *
 *   node --import tsx test/helpers/aindUpgraded.ts start --home HOME [--with-comet=false]
 *
 * Its migration sets staking's `max_validators` to {@link DEMO_MAX_VALIDATORS}, so the test sees that
 * it ran.
 */
import type { UpgradeHandler } from '../../app/index.ts';
import { exitAfterShutdown, runNode } from '../../cmd/common/index.ts';
import { resolveHome } from '../../home/index.ts';
import { readStakingParams, writeStakingParams } from '../../modules/staking/params.ts';

/** The plan name this build has a handler for. */
export const DEMO_UPGRADE = 'ain-demo-upgrade';
/** What the demo migration sets staking's max_validators to. */
export const DEMO_MAX_VALIDATORS = 77;

const demoMigration: UpgradeHandler = (ctx) => {
  writeStakingParams(ctx.state, { ...readStakingParams(ctx.state), maxValidators: DEMO_MAX_VALIDATORS });
};

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const home = rest[rest.indexOf('--home') + 1];
  if (command !== 'start' || !rest.includes('--home') || home === undefined)
    throw new Error('usage: aindUpgraded.ts start --home HOME [--with-comet=false]');
  await runNode({
    home: resolveHome(home),
    withComet: !rest.includes('--with-comet=false'),
    upgradeHandlers: new Map([[DEMO_UPGRADE, demoMigration]]),
  });
  exitAfterShutdown();
}

if (process.argv[1]?.endsWith('aindUpgraded.ts')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
