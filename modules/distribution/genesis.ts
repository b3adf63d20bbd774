import type { WritableState } from '../../core/state.ts';
import { type DistributionParamsJson, defaultDistributionParams, distributionParamsFromJson, writeDistributionParams } from './params.ts';

/** `app_state.distribution`: params only (the pool and rewards start empty). */
export interface DistributionGenesisJson {
  params: DistributionParamsJson;
}

export function defaultDistributionGenesis(): DistributionGenesisJson {
  return { params: defaultDistributionParams() };
}

/** InitChain: checks and writes the params (defaults when the section is absent). */
export function initDistributionGenesis(state: WritableState, genesis: DistributionGenesisJson | undefined): void {
  writeDistributionParams(state, distributionParamsFromJson((genesis ?? defaultDistributionGenesis()).params));
}
