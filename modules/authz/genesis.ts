/**
 * `app_state.authz` in the Cosmos SDK's JSON shape: `{"authorization": [{granter, grantee,
 * authorization: {"@type", ...}, expiration}]}`. Every grant is imported as it is, expired or not
 * (the end of block prunes those), so an exported state starts again with the same app hash.
 */
import { ainError, type ModuleGenesis, parseAddress, parseTimestamp } from '../../core/index.ts';
import { checkAuthorization, msgTypeUrlOf } from './authorizations.ts';
import { ErrGranteeIsGranter, ErrInvalidGenesis } from './errors.ts';
import type { AuthzKeeper, GrantEntry } from './keeper.ts';

export interface AuthzGenesisJson {
  authorization: GrantEntry[];
}

export function defaultAuthzGenesis(): AuthzGenesisJson {
  return { authorization: [] };
}

/** The section's grants, checked, each with its canonical authorization and its message type URL. */
function checkedGrants(genesis: AuthzGenesisJson): Array<[GrantEntry, string]> {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.authorization ?? []))
    throw ainError(ErrInvalidGenesis, 'genesis authz must be {"authorization": [{granter, grantee, authorization, expiration}]}');
  const seen = new Set<string>();
  return (genesis.authorization ?? []).map((entry, i): [GrantEntry, string] => {
    const field = `genesis authz.authorization[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      throw ainError(ErrInvalidGenesis, `${field} must be {granter, grantee, authorization, expiration}`, { field });
    parseAddress(entry.granter, `${field}.granter`);
    parseAddress(entry.grantee, `${field}.grantee`);
    if (entry.granter === entry.grantee)
      throw ainError(ErrGranteeIsGranter, `${field} grants ${entry.granter} to itself`, { field: `${field}.grantee` });
    const authorization = checkAuthorization(entry.authorization, `${field}.authorization`);
    const expiration = entry.expiration ?? null;
    if (expiration !== null && (typeof expiration !== 'string' || parseTimestamp(expiration) === undefined))
      throw ainError(ErrInvalidGenesis, `${field}.expiration is ${JSON.stringify(expiration)}; expected RFC 3339 time or null`, {
        field: `${field}.expiration`,
      });
    const typeUrl = msgTypeUrlOf(authorization);
    const key = `${entry.granter}/${entry.grantee}/${typeUrl}`;
    if (seen.has(key))
      throw ainError(ErrInvalidGenesis, `${field} duplicates the grant from ${entry.granter} to ${entry.grantee} for ${typeUrl}`, {
        field,
      });
    seen.add(key);
    return [{ granter: entry.granter, grantee: entry.grantee, authorization, expiration }, typeUrl];
  });
}

/** The authz module's part of the genesis contract. */
export function authzGenesis(keeper: AuthzKeeper): ModuleGenesis<AuthzGenesisJson> {
  return {
    defaultGenesis: defaultAuthzGenesis,
    validate: (genesis) => {
      checkedGrants(genesis);
    },
    init: (ctx, genesis) => {
      if (!genesis) return undefined;
      for (const [{ granter, grantee, authorization, expiration }, typeUrl] of checkedGrants(genesis))
        keeper.importGrant(ctx.state, granter, grantee, typeUrl, { authorization, expiration });
      return undefined;
    },
    exportGenesis: (state) => ({
      authorization: keeper.allGrants(state).map(({ granter, grantee, authorization, expiration }) => ({
        granter,
        grantee,
        authorization,
        expiration,
      })),
    }),
  };
}
