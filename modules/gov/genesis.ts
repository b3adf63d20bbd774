/**
 * `app_state.gov` (optional): params (only those given are stored) and, in an exported genesis, every
 * leaf of `/gov` and `/params/gov` as stored (`core/subtrees.ts`). A genesis without the section
 * writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidGenesis } from './errors.ts';
import { GOV_ROOT, PARAMS_ROOT } from './keys.ts';
import { type GovParamsJson, govParamsFromJson, writeGovParams } from './params.ts';

export interface GovGenesisJson {
  params?: GovParamsJson;
  leaves?: SubtreeLeaves;
}

function validateGovGenesis(genesis: GovGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidGenesis, 'genesis gov must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'leaves')
      throw ainError(ErrInvalidGenesis, `genesis gov.${key} is not known; expected only "params" (and "leaves" in an export)`, {
        field: key,
      });
  govParamsFromJson(genesis.params);
}

export const govGenesis: ModuleGenesis<GovGenesisJson> = {
  defaultGenesis: () => ({}),
  validate: validateGovGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateGovGenesis(genesis);
    if (genesis.params) writeGovParams(ctx.state, genesis.params);
    importSubtrees(ctx.state, genesis.leaves, [GOV_ROOT, PARAMS_ROOT], 'genesis gov.leaves');
    return undefined;
  },
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [GOV_ROOT, PARAMS_ROOT]) }),
};
