/**
 * The feegrant module's events, as the Cosmos SDK's x/feegrant emits them: `set_feegrant`,
 * `update_feegrant`, `use_feegrant`, `revoke_feegrant` (each with `granter` and `grantee`) and
 * `prune_feegrant` (with `pruner`).
 */
import type { TypedEvent } from '../../core/index.ts';

const pairEvent = (type: string, granter: string, grantee: string): TypedEvent => ({
  type,
  attributes: [
    ['granter', granter],
    ['grantee', grantee],
  ],
});

/** A new allowance (MsgGrantAllowance). */
export const setFeegrantEvent = (granter: string, grantee: string): TypedEvent => pairEvent('set_feegrant', granter, grantee);
/** An allowance paid a tx's fee and was kept, with its spend limits lowered. */
export const updateFeegrantEvent = (granter: string, grantee: string): TypedEvent => pairEvent('update_feegrant', granter, grantee);
/** An allowance paid a tx's fee. */
export const useFeegrantEvent = (granter: string, grantee: string): TypedEvent => pairEvent('use_feegrant', granter, grantee);
/** An allowance removed: revoked, used up, or pruned once expired. */
export const revokeFeegrantEvent = (granter: string, grantee: string): TypedEvent => pairEvent('revoke_feegrant', granter, grantee);
/** MsgPruneAllowances removed expired allowances. */
export const pruneFeegrantEvent = (pruner: string): TypedEvent => ({ type: 'prune_feegrant', attributes: [['pruner', pruner]] });
