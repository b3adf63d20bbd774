import { readAuthParams, type AuthParams } from '../modules/auth/index.ts';
import type { ReadableState } from '../core/index.ts';

/** The parameters every tx needs, read from the tree once per block (and after each commit). */
export interface ChainParams {
  readonly auth: AuthParams;
}

export function readChainParams(state: ReadableState): ChainParams {
  return { auth: readAuthParams(state) };
}
