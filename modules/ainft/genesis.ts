/**
 * `app_state.ainft` (optional): params (only those given are stored; the rest take their defaults)
 * and, in an exported genesis, every leaf of `/ainft` and `/params/ainft` as stored. A genesis
 * without the section writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import type { ModuleGenesis } from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { checkAinftLeaves } from './genesisLeaves.ts';
import { AINFT_ROOT, PARAMS_ROOT } from './keys.ts';
import { type AinftParamsJson, ainftParamsFromJson, writeAinftParams } from './params.ts';

export interface AinftGenesisJson {
  params?: AinftParamsJson;
  leaves?: SubtreeLeaves;
}

function validateAinftGenesis(genesis: AinftGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidParams, 'genesis ainft must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'leaves')
      throw ainError(ErrInvalidParams, `genesis ainft.${key} is not known; expected only "params" (and "leaves" in an export)`);
  ainftParamsFromJson(genesis.params);
}

export const ainftGenesis: ModuleGenesis<AinftGenesisJson> = {
  defaultGenesis: () => ({}),
  validate: validateAinftGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateAinftGenesis(genesis);
    writeAinftParams(ctx.state, genesis.params);
    importSubtrees(ctx.state, genesis.leaves, [AINFT_ROOT, PARAMS_ROOT], 'genesis ainft.leaves');
    if (genesis.leaves !== undefined) checkAinftLeaves(genesis.leaves);
    return undefined;
  },
  // Params travel as the leaves they are, so an import writes exactly what was stored.
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [AINFT_ROOT, PARAMS_ROOT]) }),
};
