/**
 * `app_state.gov` (optional): params (only those given are stored), the constitution (the SDK v0.50's
 * genesis text a chain's builders set once; stored only when not empty) and, in an exported genesis, every
 * leaf of `/gov` and `/params/gov` as stored (`core/subtrees.ts`). A genesis without the section
 * writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidGenesis } from './errors.ts';
import { checkGovLeaves } from './genesisLeaves.ts';
import type { GovKeeper } from './keeper.ts';
import { CONSTITUTION_PATH, GOV_ROOT, PARAMS_ROOT } from './keys.ts';
import { type GovParamsJson, govParamsFromJson, readGovParams, writeGovParams } from './params.ts';

export interface GovGenesisJson {
  params?: GovParamsJson;
  constitution?: string;
  leaves?: SubtreeLeaves;
}

function validateGovGenesis(genesis: GovGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidGenesis, 'genesis gov must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'constitution' && key !== 'leaves')
      throw ainError(
        ErrInvalidGenesis,
        `genesis gov.${key} is not known; expected only "params", "constitution" (and "leaves" in an export)`,
        {
          field: key,
        },
      );
  govParamsFromJson(genesis.params);
  if (genesis.constitution !== undefined && typeof genesis.constitution !== 'string')
    throw ainError(ErrInvalidGenesis, 'genesis gov.constitution must be a string', { field: 'constitution' });
  // An export carries the constitution in its leaves; both at once could disagree.
  if (genesis.constitution && genesis.leaves !== undefined)
    throw ainError(ErrInvalidGenesis, 'genesis gov.constitution and gov.leaves are both set; an export carries it in its leaves', {
      field: 'constitution',
    });
}

/**
 * The gov module's part of the genesis contract: params checked and written; exported leaves checked
 * against what the keeper writes (bank's balances, imported before, hold the deposits) and the params
 * they carry read as each block will.
 */
export const govGenesis = (keeper: GovKeeper): ModuleGenesis<GovGenesisJson> => ({
  defaultGenesis: () => ({}),
  validate: validateGovGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateGovGenesis(genesis);
    if (genesis.params) writeGovParams(ctx.state, genesis.params);
    if (genesis.constitution) ctx.state.set(CONSTITUTION_PATH, genesis.constitution);
    importSubtrees(ctx.state, genesis.leaves, [GOV_ROOT, PARAMS_ROOT], 'genesis gov.leaves');
    if (genesis.leaves !== undefined) {
      checkGovLeaves(genesis.leaves, keeper.heldDeposits(ctx.state));
      readGovParams(ctx.state);
    }
    return undefined;
  },
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [GOV_ROOT, PARAMS_ROOT]) }),
});
