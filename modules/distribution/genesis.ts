/**
 * `app_state.distribution`: params, and in an exported genesis every leaf of `/distribution` (the
 * community pool, what each validator and delegation is owed) as stored.
 */
import type { ModuleGenesis } from '../../core/index.ts';
import { exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import { DISTRIBUTION_ROOT } from './keys.ts';
import {
  type DistributionParamsJson,
  defaultDistributionParams,
  distributionParamsFromJson,
  distributionParamsToJson,
  readDistributionParams,
  writeDistributionParams,
} from './params.ts';

export interface DistributionGenesisJson {
  params: DistributionParamsJson;
  leaves?: SubtreeLeaves;
}

export function defaultDistributionGenesis(): DistributionGenesisJson {
  return { params: defaultDistributionParams() };
}

/** The distribution module's part of the genesis contract (defaults when the section is absent). */
export const distributionGenesis: ModuleGenesis<DistributionGenesisJson> = {
  defaultGenesis: defaultDistributionGenesis,
  validate: (genesis) => void distributionParamsFromJson(genesis.params),
  init(ctx, genesis) {
    const json = genesis ?? defaultDistributionGenesis();
    writeDistributionParams(ctx.state, distributionParamsFromJson(json.params));
    importSubtrees(ctx.state, json.leaves, [DISTRIBUTION_ROOT], 'genesis distribution.leaves');
    return undefined;
  },
  exportGenesis: (state) => ({
    params: distributionParamsToJson(readDistributionParams(state)),
    leaves: exportSubtrees(state, [DISTRIBUTION_ROOT]),
  }),
};
