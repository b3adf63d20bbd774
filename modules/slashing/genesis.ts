import type { WritableState } from '../../core/state.ts';
import { defaultSlashingParams, type SlashingParamsJson, slashingParamsFromJson, writeSlashingParams } from './params.ts';

/** `app_state.slashing`: params only (signing infos start when validators bond). */
export interface SlashingGenesisJson {
  params: SlashingParamsJson;
}

export function defaultSlashingGenesis(): SlashingGenesisJson {
  return { params: defaultSlashingParams() };
}

/** InitChain: checks and writes the params (defaults when the section is absent). */
export function initSlashingGenesis(state: WritableState, genesis: SlashingGenesisJson | undefined): void {
  writeSlashingParams(state, slashingParamsFromJson((genesis ?? defaultSlashingGenesis()).params));
}
