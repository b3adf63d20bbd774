/**
 * `app_state.storage` (optional): params (only those given are stored) and, in an exported genesis,
 * every leaf of `/storage` and `/params/storage` as stored (`core/subtrees.ts`). A genesis without
 * the section writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { checkStorageLeaves } from './genesisLeaves.ts';
import type { StorageKeeper } from './keeper.ts';
import { PARAMS_ROOT, STORAGE_ROOT } from './keys.ts';
import { type StorageParamsJson, storageParamsFromJson, writeStorageParams } from './params.ts';

export interface StorageGenesisJson {
  params?: StorageParamsJson;
  leaves?: SubtreeLeaves;
}

function validateStorageGenesis(genesis: StorageGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidParams, 'genesis storage must be {"params": {...}}');
  for (const key of Object.keys(genesis))
    if (key !== 'params' && key !== 'leaves')
      throw ainError(ErrInvalidParams, `genesis storage.${key} is not known; expected only "params" (and "leaves" in an export)`);
  storageParamsFromJson(genesis.params);
}

/**
 * The storage module's part of the genesis contract: params checked and written; exported leaves
 * checked against what the keeper writes (bank's balances, imported before, hold the escrow).
 */
export const storageGenesis = (keeper: StorageKeeper): ModuleGenesis<StorageGenesisJson> => ({
  defaultGenesis: () => ({}),
  validate: validateStorageGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateStorageGenesis(genesis);
    writeStorageParams(ctx.state, genesis.params);
    importSubtrees(ctx.state, genesis.leaves, [STORAGE_ROOT, PARAMS_ROOT], 'genesis storage.leaves');
    if (genesis.leaves !== undefined) checkStorageLeaves(genesis.leaves, keeper.escrowBalance(ctx.state));
    return undefined;
  },
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [STORAGE_ROOT, PARAMS_ROOT]) }),
});
