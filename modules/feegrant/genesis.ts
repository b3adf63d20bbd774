/**
 * `app_state.feegrant` in the Cosmos SDK's JSON shape: `{"allowances": [{"granter", "grantee",
 * "allowance": {"@type", ...}}]}`. InitChain writes each allowance as it is (with what is left of its
 * limits, so an exported chain restarts with the same app hash), creating a grantee's account when
 * auth's section has none, as the SDK's InitGenesis does.
 */
import type { ModuleGenesis, ReadableState } from '../../core/index.ts';
import { ainError, ErrInvalidAddress, ErrInvalidRequest, parseAddress } from '../../core/index.ts';
import { validateAllowance } from './allowance.ts';
import { allowanceFromJson, type GrantJson } from './codec.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import type { FeegrantKeeper, Grant } from './keeper.ts';

export interface FeegrantGenesisJson {
  allowances: GrantJson[];
}

export function defaultFeegrantGenesis(): FeegrantGenesisJson {
  return { allowances: [] };
}

/**
 * The grants of a section, checked as messages are: valid and different addresses, a valid allowance,
 * no pair twice.
 * @throws AinError naming `genesis feegrant.allowances[i]` and its field
 */
function grantsOf(genesis: FeegrantGenesisJson): Grant[] {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.allowances))
    throw ainError(ErrInvalidRequest, 'genesis feegrant must be {"allowances": [...]}');
  const seen = new Set<string>();
  return genesis.allowances.map((entry, i) => {
    const field = `genesis feegrant.allowances[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      throw ainError(ErrInvalidRequest, `${field} must be {"granter", "grantee", "allowance"}`);
    parseAddress(entry.granter, `${field}.granter`);
    parseAddress(entry.grantee, `${field}.grantee`);
    if (entry.granter === entry.grantee)
      throw ainError(ErrInvalidAddress, `${field}: granter and grantee are both ${entry.granter}; cannot self-grant fee authorization`);
    const pair = `${entry.granter}/${entry.grantee}`;
    if (seen.has(pair))
      throw ainError(ErrInvalidRequest, `${field} duplicates the allowance of granter ${entry.granter} to grantee ${entry.grantee}`);
    seen.add(pair);
    const allowance = allowanceFromJson(entry.allowance, `${field}.allowance`);
    validateAllowance(allowance, `${field}.allowance`);
    return { granter: entry.granter, grantee: entry.grantee, allowance };
  });
}

/** The feegrant module's part of the genesis contract. */
export function feegrantGenesis(keeper: FeegrantKeeper, accounts: AccountKeeper): ModuleGenesis<FeegrantGenesisJson> {
  return {
    defaultGenesis: defaultFeegrantGenesis,
    validate: (genesis) => void grantsOf(genesis),
    init: (ctx, genesis) => {
      for (const grant of grantsOf(genesis ?? defaultFeegrantGenesis())) {
        if (!accounts.hasAccount(ctx.state, grant.grantee)) accounts.createAccount(ctx.state, grant.grantee);
        keeper.setGrant(ctx.state, grant);
      }
      return undefined;
    },
    exportGenesis: (state: ReadableState) => ({ allowances: keeper.allGrants(state) }),
  };
}
