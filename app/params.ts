import { readAuthParams, type AuthParams } from '../modules/auth/params.ts';
import type { ReadableState } from '../core/state.ts';

/** The parameters every tx needs, read from the tree once per block (and after each commit). */
export interface ChainParams {
  readonly auth: AuthParams;
}

export function readChainParams(state: ReadableState): ChainParams {
  return { auth: readAuthParams(state) };
}
