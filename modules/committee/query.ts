/**
 * `ain.committee.v1.Query`: the committee (members, threshold, total weight), a proposal, the
 * proposals in id order (paged as every list query, `core/pagination.ts`), the developer fund's
 * address and balances, the params.
 */
import { decodeQueryRequest, coinsToProto, type QueryRegistrar } from '../../core/index.ts';
import {
  QueryCommitteeResponse,
  QueryFundResponse,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/committee/v1/query.ts';
import type { CommitteeKeeper } from './keeper.ts';

export function registerCommitteeQueries(router: QueryRegistrar, keeper: CommitteeKeeper): void {
  router.register(`/${QueryServiceName}/Committee`, (state) => {
    const committee = keeper.committee(state);
    if (!committee) return QueryCommitteeResponse.encode({ committee: undefined }).finish();
    const totalWeight = committee.members.reduce((sum, m) => sum + m.weight, 0n);
    return QueryCommitteeResponse.encode({ committee: { ...committee, members: [...committee.members], totalWeight } }).finish();
  });
  router.register(`/${QueryServiceName}/Proposal`, (state, data) => {
    const { proposalId } = decodeQueryRequest(QueryProposalRequest, data);
    return QueryProposalResponse.encode({ proposal: keeper.toProto(keeper.requireProposal(state, proposalId)) }).finish();
  });
  router.register(`/${QueryServiceName}/Proposals`, (state, data) => {
    const { pagination } = decodeQueryRequest(QueryProposalsRequest, data);
    const page = keeper.proposalsPage(state, pagination);
    return QueryProposalsResponse.encode({ proposals: page.items.map((p) => keeper.toProto(p)), pagination: page.pagination }).finish();
  });
  router.register(`/${QueryServiceName}/Fund`, (state) =>
    QueryFundResponse.encode({ address: keeper.moduleAddress, balances: coinsToProto(keeper.fundBalances(state)) }).finish(),
  );
  router.register(`/${QueryServiceName}/Params`, (state) =>
    QueryParamsResponse.encode({ params: { votingPeriod: keeper.params(state).votingPeriod } }).finish(),
  );
}
