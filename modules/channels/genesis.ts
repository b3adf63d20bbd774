/**
 * `app_state.channels` (optional): in an exported genesis, every leaf of `/channels` as stored
 * (`core/subtrees.ts`), checked against what the keepers write (`genesisLeaves.ts`). A genesis
 * without the section writes nothing, so chains from before the module keep their app hash.
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidGenesis } from './errors.ts';
import { checkChannelsLeaves } from './genesisLeaves.ts';
import type { ChannelsKeeper } from './keeper.ts';
import { CHANNELS_ROOT } from './keys.ts';

export interface ChannelsGenesisJson {
  leaves?: SubtreeLeaves;
}

function validateChannelsGenesis(genesis: ChannelsGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidGenesis, 'genesis channels must be an object ({} or {"leaves": {...}} in an export)');
  for (const key of Object.keys(genesis))
    if (key !== 'leaves') throw ainError(ErrInvalidGenesis, `genesis channels.${key} is not known; expected only "leaves" (in an export)`);
}

/** The channels module's part of the genesis contract (bank's balances, imported before, hold the escrow). */
export const channelsGenesis = (keeper: Pick<ChannelsKeeper, 'escrowBalance'>): ModuleGenesis<ChannelsGenesisJson> => ({
  defaultGenesis: () => ({}),
  validate: validateChannelsGenesis,
  init(ctx, genesis) {
    if (genesis === undefined) return undefined;
    validateChannelsGenesis(genesis);
    importSubtrees(ctx.state, genesis.leaves, [CHANNELS_ROOT], 'genesis channels.leaves');
    if (genesis.leaves !== undefined) checkChannelsLeaves(genesis.leaves, keeper.escrowBalance(ctx.state));
    return undefined;
  },
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [CHANNELS_ROOT]) }),
});
