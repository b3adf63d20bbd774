import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import type { AppState } from '../app/index.ts';
import { homePaths } from './paths.ts';

/** genesis.json as CometBFT writes it, plus our `app_state`. Unknown fields are kept as they are. */
export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: unknown;
  validators: unknown[];
  app_hash: string;
  app_state?: AppState;
  [field: string]: unknown;
}

/** Reads HOME/config/genesis.json. */
export function readGenesis(home: string): GenesisDoc {
  const path = homePaths(home).genesis;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read ${path} (${(cause as Error).message}); run \`aind init\` first`);
  }
  return JSON.parse(text) as GenesisDoc;
}

/** Writes HOME/config/genesis.json atomically (temp file and rename), 2-space indented like CometBFT. */
export function writeGenesis(home: string, genesis: GenesisDoc): void {
  const path = homePaths(home).genesis;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(genesis, null, 2)}\n`, { mode: 0o644 });
  renameSync(temp, path);
}

/** Reads genesis.json, replaces its app_state with `update(app_state)` and writes it back. */
export function updateAppState(home: string, update: (state: AppState) => AppState): GenesisDoc {
  const genesis = readGenesis(home);
  if (genesis.app_state === undefined) {
    throw ainError(ErrInvalidRequest, `${homePaths(home).genesis} has no app_state; run \`aind init\` first`);
  }
  const next = { ...genesis, app_state: update(genesis.app_state) };
  writeGenesis(home, next);
  return next;
}
