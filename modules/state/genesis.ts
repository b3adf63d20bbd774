import { ainError, ErrInvalidRequest } from '../../core/errors.ts';
import { EventCollector } from '../../core/events.ts';
import { GasMeter } from '../../core/gas.ts';
import type { AppState } from '../../app/genesis.ts';
import type { WritableState } from '../../core/state.ts';
import { parseAddress } from '../../core/address.ts';
import type { StateKeeper } from './keeper.ts';
import { checkApp } from './msgs.ts';

/** One app of `app_state.state.apps`: MsgCreateApp's fields; `signer` (the recorded creator) defaults to the first admin. */
export interface GenesisAppJson {
  name: string;
  admins: string[];
  public: boolean;
  signer?: string;
}

/** `app_state.state`: optional; apps created at genesis, in order. */
export interface StateGenesisJson {
  apps: GenesisAppJson[];
}

export function defaultStateGenesis(): StateGenesisJson {
  return { apps: [] };
}

/**
 * Creates the genesis apps exactly as MsgCreateApp would (same checks, same writes), without a
 * signature or gas. A missing section creates nothing.
 */
export function initStateGenesis(state: WritableState, keeper: StateKeeper, genesis: AppState['state']): void {
  if (genesis === undefined || genesis === null) return;
  if (typeof genesis !== 'object' || !Array.isArray(genesis.apps))
    throw ainError(ErrInvalidRequest, 'genesis state must be {"apps": [...]}');
  const ctx = { state, gas: new GasMeter(0), events: new EventCollector(), height: 0n, blockTimeSeconds: 0n };
  genesis.apps.forEach((app, i) => {
    const field = `genesis state.apps[${i}]`;
    if (typeof app !== 'object' || app === null || typeof app.public !== 'boolean')
      throw ainError(ErrInvalidRequest, `${field} needs name, admins and public (a boolean)`);
    checkApp(app.name, app.admins, field);
    const creator = app.signer ?? app.admins[0]!;
    parseAddress(creator, `${field}.signer`);
    keeper.createApp(ctx, creator, app.name, app.admins, app.public);
  });
}
