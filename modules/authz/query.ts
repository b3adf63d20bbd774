/**
 * The `cosmos.authz.v1beta1.Query` paths CosmJS, wallets and explorers call: Grants (between a
 * granter and a grantee, optionally of one message type), GranterGrants and GranteeGrants, paged as
 * the SDK pages them.
 */
import {
  QueryGranteeGrantsRequest,
  QueryGranteeGrantsResponse,
  QueryGranterGrantsRequest,
  QueryGranterGrantsResponse,
  QueryGrantsRequest,
  QueryGrantsResponse,
} from 'cosmjs-types/cosmos/authz/v1beta1/query';
import type { Grant, GrantAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import type { QueryRegistrar } from '../../core/index.ts';
import { ainError, decodeQueryRequest, parseAddress, parseTimestamp } from '../../core/index.ts';
import { authorizationToAny } from './authorizations.ts';
import { ErrNoAuthorizationFound } from './errors.ts';
import type { AuthzKeeper, GrantEntry, GrantRecord } from './keeper.ts';

function grantOf(record: GrantRecord): Grant {
  const expiration = record.expiration === null ? undefined : parseTimestamp(record.expiration);
  return { authorization: authorizationToAny(record.authorization), ...(expiration ? { expiration } : {}) };
}

const grantAuthorizationOf = (entry: GrantEntry): GrantAuthorization => ({
  granter: entry.granter,
  grantee: entry.grantee,
  ...grantOf(entry),
});

export function registerAuthzQueries(router: QueryRegistrar, keeper: AuthzKeeper): void {
  router.register('/cosmos.authz.v1beta1.Query/Grants', (state, data) => {
    const request = decodeQueryRequest(QueryGrantsRequest, data);
    parseAddress(request.granter, 'granter');
    parseAddress(request.grantee, 'grantee');
    if (request.msgTypeUrl !== '') {
      const record = keeper.getGrant(state, request.granter, request.grantee, request.msgTypeUrl);
      if (!record)
        throw ainError(ErrNoAuthorizationFound, `no authorization found for ${request.msgTypeUrl} type`, { field: 'msg_type_url' });
      return QueryGrantsResponse.encode({ grants: [grantOf(record)] }).finish();
    }
    const page = keeper.pairGrantsPage(state, request.granter, request.grantee, request.pagination);
    return QueryGrantsResponse.encode({ grants: page.items.map(grantOf), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.authz.v1beta1.Query/GranterGrants', (state, data) => {
    const request = decodeQueryRequest(QueryGranterGrantsRequest, data);
    parseAddress(request.granter, 'granter');
    const page = keeper.granterGrantsPage(state, request.granter, request.pagination);
    return QueryGranterGrantsResponse.encode({ grants: page.items.map(grantAuthorizationOf), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.authz.v1beta1.Query/GranteeGrants', (state, data) => {
    const request = decodeQueryRequest(QueryGranteeGrantsRequest, data);
    parseAddress(request.grantee, 'grantee');
    const page = keeper.granteeGrantsPage(state, request.grantee, request.pagination);
    return QueryGranteeGrantsResponse.encode({ grants: page.items.map(grantAuthorizationOf), pagination: page.pagination }).finish();
  });
}
