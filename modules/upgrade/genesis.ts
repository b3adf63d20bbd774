/**
 * `app_state.upgrade` (optional): empty, as the Cosmos SDK's x/upgrade genesis is; the module keeps no
 * state, so export writes `{}` and a chain started from it has the same app hash.
 */
import { ainError, ErrInvalidRequest, type ModuleGenesis } from '../../core/index.ts';

export type UpgradeGenesisJson = Record<string, never>;

function validateUpgradeGenesis(genesis: UpgradeGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis) || Object.keys(genesis).length > 0)
    throw ainError(ErrInvalidRequest, 'genesis upgrade must be {} (plans are scheduled by governance, not genesis)');
}

export function upgradeGenesis(): ModuleGenesis<UpgradeGenesisJson> {
  return {
    defaultGenesis: () => ({}),
    validate: validateUpgradeGenesis,
    init: (_ctx, genesis) => {
      if (genesis !== undefined) validateUpgradeGenesis(genesis);
      return undefined;
    },
    exportGenesis: () => ({}),
  };
}
