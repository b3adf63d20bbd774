/**
 * The standard `cosmos.feegrant.v1beta1.Query` paths: one allowance, a grantee's allowances, and the
 * allowances a granter issued, the lists paged as the SDK pages them (`pagination`: key or offset,
 * limit 100 by default and at most 1,000).
 */
import type { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import type { QueryRegistrar } from '../../core/index.ts';
import { ainError, decodeQueryRequest, parseAddress } from '../../core/index.ts';
import { allowanceFromJson, allowanceToAny, type GrantJson } from './codec.ts';
import { ErrNoAllowance } from './errors.ts';
import type { FeegrantKeeper } from './keeper.ts';

/** A stored grant as the queries' `Grant`. */
export const grantToProto = (grant: GrantJson): Grant => ({
  granter: grant.granter,
  grantee: grant.grantee,
  allowance: allowanceToAny(allowanceFromJson(grant.allowance)),
});

export function registerFeegrantQueries(router: QueryRegistrar, keeper: FeegrantKeeper): void {
  router.register('/cosmos.feegrant.v1beta1.Query/Allowance', (state, data) => {
    const request = decodeQueryRequest(QueryAllowanceRequest, data);
    parseAddress(request.granter, 'granter');
    parseAddress(request.grantee, 'grantee');
    const allowance = keeper.getAllowance(state, request.granter, request.grantee);
    if (!allowance)
      throw ainError(ErrNoAllowance, `no fee grant from granter ${request.granter} to grantee ${request.grantee}; fee-grant not found`);
    return QueryAllowanceResponse.encode({
      allowance: { granter: request.granter, grantee: request.grantee, allowance: allowanceToAny(allowance) },
    }).finish();
  });
  router.register('/cosmos.feegrant.v1beta1.Query/Allowances', (state, data) => {
    const request = decodeQueryRequest(QueryAllowancesRequest, data);
    parseAddress(request.grantee, 'grantee');
    const page = keeper.granteePage(state, request.grantee, request.pagination);
    return QueryAllowancesResponse.encode({ allowances: page.items.map(grantToProto), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.feegrant.v1beta1.Query/AllowancesByGranter', (state, data) => {
    const request = decodeQueryRequest(QueryAllowancesByGranterRequest, data);
    parseAddress(request.granter, 'granter');
    const page = keeper.granterPage(state, request.granter, request.pagination);
    return QueryAllowancesByGranterResponse.encode({ allowances: page.items.map(grantToProto), pagination: page.pagination }).finish();
  });
}
