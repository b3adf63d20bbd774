/**
 * The compute module: compute-driven supply. Each epoch it measures the compute delivered on the
 * chain's own records (completed off-chain function calls and accepted job results, weighted by the
 * resources they declared), keeps a
 * moving average, mints past a growth threshold (paying workers and validators in stated shares) and
 * burns from fees past a fall threshold; governance sets its params. Off until they are set. The face
 * of `modules/compute/`.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { FEE_COLLECTOR } from '../auth/index.ts';
import type { BankKeeper, JobsKeeper, JobsModuleKeeper, TriggersModuleKeeper } from './expected_keepers.ts';
import { type ComputeGenesisJson, computeGenesis } from './genesis.ts';
import { ComputeKeeper } from './keeper.ts';
import { COMPUTE_ROOT, PARAMS_ROOT } from './keys.ts';
import { computeMsgHandlers } from './msg_server.ts';
import { computeParamsToJson, readComputeParams } from './params.ts';
import { registerComputeQueries } from './query.ts';
import { computeRestRoutes } from './rest.ts';

/** End-of-block order: after gov (700), before distribution (800) sweeps the block's fees to validators. */
export const COMPUTE_END_BLOCK_ORDER = 750;

function declaredResources(jobs: JobsModuleKeeper): JobsKeeper {
  return {
    jobResources: (state, jobId) => {
      const resources = jobs.getJob(state, jobId)?.resources;
      return resources ? { cpu: resources.cpu, memoryMb: resources.memoryMb, gpus: resources.gpus } : undefined;
    },
  };
}

export const computeModule: ModuleDefinition<ComputeKeeper, ComputeGenesisJson> = {
  name: 'compute',
  requires: ['bank', 'jobs', 'triggers'],
  create(registry) {
    const jobs = registry.keeper<JobsModuleKeeper>('jobs');
    const keeper = new ComputeKeeper(registry.keeper<BankKeeper>('bank'), declaredResources(jobs), FEE_COLLECTOR);
    jobs.addHooks(keeper.jobsHooks());
    registry.keeper<TriggersModuleKeeper>('triggers').addHooks(keeper.triggersHooks());
    return defineModule({
      name: 'compute',
      keeper,
      subtrees: [COMPUTE_ROOT, PARAMS_ROOT],
      msgHandlers: computeMsgHandlers(keeper),
      queries: queryRoutes((router) => registerComputeQueries(router, keeper)),
      restRoutes: computeRestRoutes,
      jsonTypes: [[`/${MsgUpdateParams.$type}`, MsgUpdateParams as unknown as JsonCodec<unknown>]],
      genesis: computeGenesis,
      params: (state) => {
        const params = readComputeParams(state);
        return params ? { ...computeParamsToJson(params) } : {};
      },
      endBlock: {
        order: COMPUTE_END_BLOCK_ORDER,
        run: (ctx) => {
          keeper.endBlock(ctx);
          return undefined;
        },
      },
    });
  },
};

export type { ComputeGenesisJson } from './genesis.ts';
export { computeAnnualProvisions, epochOutcome, restartsAverage, unitsOf } from './keeper.ts';
export type { ComputeKeeper, EpochRecord, EpochRestart } from './keeper.ts';
export { computeParamsFromJson, defaultComputeParams } from './params.ts';
export type { ComputeParams, ComputeParamsJson } from './params.ts';
