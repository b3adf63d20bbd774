/**
 * `app_state.slashing`: params, and in an exported genesis every leaf of `/slashing` (signing infos,
 * missed-block windows) as stored.
 */
import type { ModuleGenesis } from '../../core/index.ts';
import { exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import { SLASHING_ROOT } from './keys.ts';
import {
  defaultSlashingParams,
  readSlashingParams,
  type SlashingParamsJson,
  slashingParamsFromJson,
  slashingParamsToJson,
  writeSlashingParams,
} from './params.ts';

export interface SlashingGenesisJson {
  params: SlashingParamsJson;
  leaves?: SubtreeLeaves;
}

export function defaultSlashingGenesis(): SlashingGenesisJson {
  return { params: defaultSlashingParams() };
}

/** The slashing module's part of the genesis contract (defaults when the section is absent). */
export const slashingGenesis: ModuleGenesis<SlashingGenesisJson> = {
  defaultGenesis: defaultSlashingGenesis,
  validate: (genesis) => void slashingParamsFromJson(genesis.params),
  init(ctx, genesis) {
    const json = genesis ?? defaultSlashingGenesis();
    writeSlashingParams(ctx.state, slashingParamsFromJson(json.params));
    importSubtrees(ctx.state, json.leaves, [SLASHING_ROOT], 'genesis slashing.leaves');
    return undefined;
  },
  exportGenesis: (state) => ({ params: slashingParamsToJson(readSlashingParams(state)), leaves: exportSubtrees(state, [SLASHING_ROOT]) }),
};
