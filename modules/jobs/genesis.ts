/**
 * `app_state.jobs` (optional): the params (missing ones take their defaults) and, in an exported
 * genesis, every leaf of `/jobs` (jobs, reputation trees, requests, deadlines, escrow) as stored.
 */
import { ainError, exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import type { ModuleGenesis } from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { checkJobsLeaves } from './genesisLeaves.ts';
import type { JobsKeeper } from './keeper.ts';
import { JOBS_ROOT } from './keys.ts';
import { type JobsParamsJson, jobsParamsFromJson, jobsParamsToJson, readJobsParams, writeJobsParams } from './params.ts';

export interface JobsGenesisJson {
  params?: JobsParamsJson;
  leaves?: SubtreeLeaves;
}

function validateJobsGenesis(genesis: JobsGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidParams, 'genesis jobs must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'leaves')
      throw ainError(ErrInvalidParams, `genesis jobs.${key} is not known; expected only "params" (and "leaves" in an export)`);
  jobsParamsFromJson(genesis.params);
}

/**
 * The jobs module's part of the genesis contract: params checked (jobs/18 names the field) and written
 * at `/params/jobs/<name>`; exported leaves checked against what the keeper writes (bank's balances,
 * imported before, hold the escrow).
 */
export const jobsGenesis = (keeper: JobsKeeper): ModuleGenesis<JobsGenesisJson> => ({
  defaultGenesis: () => ({}),
  validate: validateJobsGenesis,
  init(ctx, genesis) {
    if (genesis !== undefined) validateJobsGenesis(genesis);
    writeJobsParams(ctx.state, jobsParamsFromJson(genesis?.params));
    importSubtrees(ctx.state, genesis?.leaves, [JOBS_ROOT], 'genesis jobs.leaves');
    if (genesis?.leaves !== undefined) checkJobsLeaves(genesis.leaves, keeper.escrowBalance(ctx.state));
    return undefined;
  },
  exportGenesis: (state) => ({ params: jobsParamsToJson(readJobsParams(state)), leaves: exportSubtrees(state, [JOBS_ROOT]) }),
});
