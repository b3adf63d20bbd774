/**
 * The modules of the chain, in genesis order. Adding a module is adding its folder under `modules/`
 * and one line here. Each is created once, after the modules it `requires`; end-of-block hooks run
 * in their declared order, not this one.
 */
import type { ModuleDefinition } from '../core/index.ts';
import { ainftModule } from '../modules/ainft/index.ts';
import { authModule } from '../modules/auth/index.ts';
import { authzModule } from '../modules/authz/index.ts';
import { bankModule } from '../modules/bank/index.ts';
import { computeModule } from '../modules/compute/index.ts';
import { channelsModule } from '../modules/channels/index.ts';
import { committeeModule } from '../modules/committee/index.ts';
import { distributionModule } from '../modules/distribution/index.ts';
import { feegrantModule } from '../modules/feegrant/index.ts';
import { govModule } from '../modules/gov/index.ts';
import { jobsModule } from '../modules/jobs/index.ts';
import { shardsModule } from '../modules/shards/index.ts';
import { slashingModule } from '../modules/slashing/index.ts';
import { stakingModule } from '../modules/staking/index.ts';
import { stateModule } from '../modules/state/index.ts';
import { storageModule } from '../modules/storage/index.ts';
import { triggersModule } from '../modules/triggers/index.ts';
import { upgradeModule } from '../modules/upgrade/index.ts';

export const MODULES: readonly ModuleDefinition[] = [
  authModule,
  bankModule,
  stateModule,
  triggersModule,
  distributionModule,
  slashingModule,
  stakingModule,
  jobsModule,
  ainftModule,
  shardsModule,
  storageModule,
  channelsModule,
  upgradeModule,
  govModule,
  computeModule,
  committeeModule,
  authzModule,
  feegrantModule,
];
