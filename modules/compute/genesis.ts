/**
 * `app_state.compute` (optional): `params` turns compute-driven supply on (every param stored, missing
 * ones at their defaults); an exported genesis carries every leaf of `/compute` and `/params/compute`.
 * A genesis without the section writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { checkComputeLeaves } from './genesisLeaves.ts';
import { COMPUTE_ROOT, PARAMS_ROOT } from './keys.ts';
import { type ComputeParamsJson, computeParamsFromJson, writeComputeParams } from './params.ts';

export interface ComputeGenesisJson {
  params?: ComputeParamsJson;
  leaves?: SubtreeLeaves;
}

function validateComputeGenesis(genesis: ComputeGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidParams, 'genesis compute must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'leaves')
      throw ainError(ErrInvalidParams, `genesis compute.${key} is not known; expected only "params" (and "leaves" in an export)`, {
        field: key,
      });
  computeParamsFromJson(genesis.params);
}

export const computeGenesis: ModuleGenesis<ComputeGenesisJson> = {
  defaultGenesis: () => ({}),
  validate: validateComputeGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateComputeGenesis(genesis);
    if (genesis.params) writeComputeParams(ctx.state, computeParamsFromJson(genesis.params));
    importSubtrees(ctx.state, genesis.leaves, [COMPUTE_ROOT, PARAMS_ROOT], 'genesis compute.leaves');
    if (genesis.leaves !== undefined) checkComputeLeaves(genesis.leaves);
    return undefined;
  },
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [COMPUTE_ROOT, PARAMS_ROOT]) }),
};
