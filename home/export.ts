/**
 * `aind genesis export`: a node's committed state as a genesis document that starts a new chain with
 * the same state (the path of a chain upgrade or a fork for testing). The app state is every module's
 * export; the document keeps the home's chain id, genesis time and consensus params, and starts at
 * the next height, so the new chain's first block carries the exported state's app hash.
 */
import { existsSync } from 'node:fs';
import { AinApplication } from '../app/index.ts';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { openCommittedState } from '../tree/lmdb/index.ts';
import { type GenesisDoc, readGenesis } from './genesisFile.ts';
import { readNodeSettings } from './nodeConfig.ts';
import { homePaths } from './paths.ts';

/** The exported document and the height it was read at. */
export interface ExportedGenesis {
  readonly height: bigint;
  readonly genesis: GenesisDoc;
}

/**
 * Reads HOME's committed state (a running node may keep running: lmdb readers do not block it), at
 * the latest height or at `height`, one of the heights app.toml's `[state] keep_recent` retains.
 * Refuses state written by a newer major version of aind, as `aind start` does.
 * @throws AinError sdk/18 when the home has no state or no block was committed; the store's error
 *   when `height` is not retained
 * @example const { height, genesis } = await exportGenesis('/root/.aind', 41n);
 */
export async function exportGenesis(home: string, height?: bigint): Promise<ExportedGenesis> {
  const paths = homePaths(home);
  if (!existsSync(paths.applicationDb)) throw ainError(ErrInvalidRequest, `${paths.applicationDb} does not exist; nothing to export`);
  const base = readGenesis(home);
  const state = openCommittedState(paths.applicationDb, { keepRecent: readNodeSettings(home).keepRecent });
  try {
    if (state.height === 0n) throw ainError(ErrInvalidRequest, `${paths.applicationDb} has no committed block yet`);
    const at = height ?? state.height;
    const appState = new AinApplication(state).exportGenesis(at === state.height ? state : state.stateAt(at));
    const genesis: GenesisDoc = {
      ...base,
      initial_height: (at + 1n).toString(),
      // InitChain returns the validator set from the exported staking state.
      validators: [],
      app_hash: '',
      app_state: appState as unknown as NonNullable<GenesisDoc['app_state']>,
    };
    return { height: at, genesis };
  } finally {
    await state.close();
  }
}
