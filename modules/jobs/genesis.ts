import { ainError } from '../../core/errors.ts';
import type { WritableState } from '../../core/state.ts';
import { ErrInvalidParams } from './errors.ts';
import { type JobsParamsJson, jobsParamsFromJson, writeJobsParams } from './params.ts';

/** `app_state.jobs` (optional): `{"params": {...}}`, each param decimal text; missing ones take their defaults. */
export interface JobsGenesisJson {
  params?: JobsParamsJson;
}

/**
 * Writes the jobs params (checked: jobs/18 names the field) at `/params/jobs/<name>`. Jobs and
 * requests start empty; a missing section gives the defaults.
 */
export function initJobsGenesis(state: WritableState, genesis: JobsGenesisJson | undefined): void {
  if (genesis !== undefined && (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis)))
    throw ainError(ErrInvalidParams, 'genesis jobs must be {"params": {...}}');
  for (const key of Object.keys(genesis ?? {}))
    if (key !== 'params') throw ainError(ErrInvalidParams, `genesis jobs.${key} is not known; expected only "params"`);
  writeJobsParams(state, jobsParamsFromJson(genesis?.params));
}
