/**
 * `app_state.state`: apps to create at genesis (as MsgCreateApp would), and, in an exported genesis,
 * every leaf of the module's subtrees (values, rules, owners, functions, apps) as stored, checked at
 * InitChain against what the keeper writes (`genesisLeaves.ts`).
 */
import { parseAddress, ainError, ErrInvalidRequest, exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import type { BlockContext, ModuleGenesis } from '../../core/index.ts';
import type { StateKeeper } from './keeper.ts';
import { checkStateLeaves } from './genesisLeaves.ts';
import { APPS_ROOT, FUNCTIONS_ROOT, MANAGE_APP_ROOT, OWNERS_ROOT, RULES_ROOT } from './keys.ts';
import { checkApp } from './msgs.ts';

/** The state module's subtrees. */
export const STATE_SUBTREES = [APPS_ROOT, FUNCTIONS_ROOT, MANAGE_APP_ROOT, OWNERS_ROOT, RULES_ROOT] as const;

/** One app of `app_state.state.apps`: MsgCreateApp's fields; `signer` (the recorded creator) defaults to the first admin. */
export interface GenesisAppJson {
  name: string;
  admins: string[];
  public: boolean;
  signer?: string;
}

/** `app_state.state` (optional): apps created at genesis, in order; `leaves` restores an exported state. */
export interface StateGenesisJson {
  apps: GenesisAppJson[];
  leaves?: SubtreeLeaves;
}

export function defaultStateGenesis(): StateGenesisJson {
  return { apps: [] };
}

function validateStateGenesis(genesis: StateGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.apps))
    throw ainError(ErrInvalidRequest, 'genesis state must be {"apps": [...]}');
  genesis.apps.forEach((app, i) => {
    const field = `genesis state.apps[${i}]`;
    if (typeof app !== 'object' || app === null || typeof app.public !== 'boolean')
      throw ainError(ErrInvalidRequest, `${field} needs name, admins and public (a boolean)`);
    checkApp(app.name, app.admins, field);
    parseAddress(app.signer ?? app.admins[0]!, `${field}.signer`);
  });
}

/**
 * Restores exported leaves (configs and app records checked as their messages store them:
 * `genesisLeaves.ts`), then creates the genesis apps exactly as MsgCreateApp would (same checks,
 * same writes), without a signature or gas. A missing section creates nothing.
 */
function initStateGenesis(ctx: BlockContext, keeper: StateKeeper, genesis: StateGenesisJson | undefined): void {
  if (genesis === undefined || genesis === null) return;
  validateStateGenesis(genesis);
  importSubtrees(ctx.state, genesis.leaves, STATE_SUBTREES, 'genesis state.leaves');
  if (genesis.leaves !== undefined)
    checkStateLeaves(
      genesis.leaves,
      genesis.apps.map((app) => app.name),
    );
  for (const app of genesis.apps) keeper.createApp(ctx, app.signer ?? app.admins[0]!, app.name, app.admins, app.public);
}

/** The state module's part of the genesis contract. */
export function stateGenesis(keeper: StateKeeper): ModuleGenesis<StateGenesisJson> {
  return {
    defaultGenesis: defaultStateGenesis,
    validate: validateStateGenesis,
    init: (ctx, genesis) => {
      initStateGenesis(ctx, keeper, genesis);
      return undefined;
    },
    exportGenesis: (state) => ({ apps: [], leaves: exportSubtrees(state, STATE_SUBTREES) }),
  };
}
