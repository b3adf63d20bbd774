/**
 * The gov module's ABCI queries in both versions, `cosmos.gov.v1.Query` and `cosmos.gov.v1beta1.Query`:
 * Proposal, Proposals (filtered by status, voter and depositor, paged), Vote, Votes, Deposit,
 * Deposits, TallyResult and Params (and v1's Constitution), read from committed state through the keeper.
 */
import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as v1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import {
  decodeQueryRequest,
  ainError,
  coinsToProto,
  decToAtomics,
  ErrInvalidRequest,
  ErrNotFound,
  paginate,
  type PageRequest,
  type QueryRegistrar,
  type ReadableState,
} from '../../core/index.ts';
import { ErrUnknownProposal } from './errors.ts';
import type { GovKeeper } from './keeper.ts';
import { pad20 } from './keys.ts';
import { validateProposalId } from './msgs.ts';
import { govParamsToProto } from './params.ts';
import { type ProposalRecord, proposalToV1, proposalToV1beta1, voteToV1, voteToV1beta1 } from './proposal.ts';
import { tallyTokens } from './tally.ts';

const PARAMS_TYPES = ['voting', 'tallying', 'deposit'];

function proposalOf(keeper: GovKeeper, state: ReadableState, id: bigint): ProposalRecord {
  validateProposalId(id);
  const proposal = keeper.getProposal(state, id);
  if (!proposal) throw ainError(ErrUnknownProposal, `rpc error: code = NotFound desc = proposal ${id} doesn't exist`);
  return proposal;
}

/** The proposals matching the filters (status 0: any), one page of them in id order. */
function proposalsPage(
  keeper: GovKeeper,
  state: ReadableState,
  request: { proposalStatus: ProposalStatus; voter: string; depositor: string; pagination?: PageRequest | undefined },
) {
  const matching = keeper
    .proposals(state)
    .filter((p) => request.proposalStatus === ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED || p.status === request.proposalStatus)
    .filter((p) => request.voter === '' || keeper.getVote(state, p.id, request.voter) !== undefined)
    .filter((p) => request.depositor === '' || keeper.getDeposit(state, p.id, request.depositor) !== undefined);
  return paginate(matching, (p) => pad20(p.id), request.pagination);
}

function paramsType(type: string): void {
  if (!PARAMS_TYPES.includes(type)) throw ainError(ErrInvalidRequest, `${type} is not a valid parameter type`, { field: 'params_type' });
}

export function registerGovQueries(router: QueryRegistrar, keeper: GovKeeper): void {
  // ---- v1
  router.register('/cosmos.gov.v1.Query/Proposal', (state, data) => {
    const { proposalId } = decodeQueryRequest(v1.QueryProposalRequest, data);
    return v1.QueryProposalResponse.encode({ proposal: proposalToV1(proposalOf(keeper, state, proposalId)) }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Proposals', (state, data) => {
    const page = proposalsPage(keeper, state, decodeQueryRequest(v1.QueryProposalsRequest, data));
    return v1.QueryProposalsResponse.encode({ proposals: page.items.map(proposalToV1), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Vote', (state, data) => {
    const { proposalId, voter } = decodeQueryRequest(v1.QueryVoteRequest, data);
    proposalOf(keeper, state, proposalId);
    const vote = keeper.getVote(state, proposalId, voter);
    if (!vote) throw ainError(ErrNotFound, `voter: ${voter} not found for proposal: ${proposalId}`);
    return v1.QueryVoteResponse.encode({ vote: voteToV1(proposalId, voter, vote.options, vote.metadata) }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Votes', (state, data) => {
    const { proposalId, pagination } = decodeQueryRequest(v1.QueryVotesRequest, data);
    validateProposalId(proposalId);
    const page = paginate(keeper.votes(state, proposalId), (v) => v.voter, pagination);
    const votes = page.items.map((v) => voteToV1(proposalId, v.voter, v.vote.options, v.vote.metadata));
    return v1.QueryVotesResponse.encode({ votes, pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Params', (state, data) => {
    const { paramsType: type } = decodeQueryRequest(v1.QueryParamsRequest, data);
    if (type !== '') paramsType(type);
    const params = govParamsToProto(keeper.params(state));
    return v1.QueryParamsResponse.encode(
      v1.QueryParamsResponse.fromPartial({
        params,
        ...(type === 'voting' ? { votingParams: { votingPeriod: params.votingPeriod! } } : {}),
        ...(type === 'deposit' ? { depositParams: { minDeposit: params.minDeposit, maxDepositPeriod: params.maxDepositPeriod! } } : {}),
        ...(type === 'tallying'
          ? { tallyParams: { quorum: params.quorum, threshold: params.threshold, vetoThreshold: params.vetoThreshold } }
          : {}),
      }),
    ).finish();
  });
  router.register('/cosmos.gov.v1.Query/Deposit', (state, data) => {
    const { proposalId, depositor } = decodeQueryRequest(v1.QueryDepositRequest, data);
    proposalOf(keeper, state, proposalId);
    const amount = keeper.getDeposit(state, proposalId, depositor);
    if (!amount) throw ainError(ErrNotFound, `depositer: ${depositor} not found for proposal: ${proposalId}`);
    return v1.QueryDepositResponse.encode({ deposit: { proposalId, depositor, amount: coinsToProto(amount) } }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Deposits', (state, data) => {
    const { proposalId, pagination } = decodeQueryRequest(v1.QueryDepositsRequest, data);
    validateProposalId(proposalId);
    const page = paginate(keeper.deposits(state, proposalId), (d) => d.depositor, pagination);
    const deposits = page.items.map((d) => ({ proposalId, depositor: d.depositor, amount: coinsToProto(d.amount) }));
    return v1.QueryDepositsResponse.encode({ deposits, pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1.Query/Constitution', (state, data) => {
    decodeQueryRequest(v1.QueryConstitutionRequest, data);
    return v1.QueryConstitutionResponse.encode({ constitution: keeper.constitution(state) }).finish();
  });
  router.register('/cosmos.gov.v1.Query/TallyResult', (state, data) => {
    const { proposalId } = decodeQueryRequest(v1.QueryTallyResultRequest, data);
    proposalOf(keeper, state, proposalId);
    const t = tallyTokens(keeper.tally(state, proposalId));
    return v1.QueryTallyResultResponse.encode({
      tally: { yesCount: t.yes, abstainCount: t.abstain, noCount: t.no, noWithVetoCount: t.noWithVeto },
    }).finish();
  });

  // ---- v1beta1
  router.register('/cosmos.gov.v1beta1.Query/Proposal', (state, data) => {
    const { proposalId } = decodeQueryRequest(v1beta1.QueryProposalRequest, data);
    return v1beta1.QueryProposalResponse.encode({ proposal: proposalToV1beta1(proposalOf(keeper, state, proposalId)) }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Proposals', (state, data) => {
    const page = proposalsPage(keeper, state, decodeQueryRequest(v1beta1.QueryProposalsRequest, data));
    return v1beta1.QueryProposalsResponse.encode({ proposals: page.items.map(proposalToV1beta1), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Vote', (state, data) => {
    const { proposalId, voter } = decodeQueryRequest(v1beta1.QueryVoteRequest, data);
    proposalOf(keeper, state, proposalId);
    const vote = keeper.getVote(state, proposalId, voter);
    if (!vote) throw ainError(ErrNotFound, `voter: ${voter} not found for proposal: ${proposalId}`);
    return v1beta1.QueryVoteResponse.encode({ vote: voteToV1beta1(proposalId, voter, vote.options) }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Votes', (state, data) => {
    const { proposalId, pagination } = decodeQueryRequest(v1beta1.QueryVotesRequest, data);
    validateProposalId(proposalId);
    const page = paginate(keeper.votes(state, proposalId), (v) => v.voter, pagination);
    const votes = page.items.map((v) => voteToV1beta1(proposalId, v.voter, v.vote.options));
    return v1beta1.QueryVotesResponse.encode({ votes, pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Params', (state, data) => {
    const { paramsType: type } = decodeQueryRequest(v1beta1.QueryParamsRequest, data);
    paramsType(type);
    const params = keeper.params(state);
    const proto = govParamsToProto(params);
    const ascii = (atomics: bigint) => new Uint8Array(Buffer.from(decToAtomics(atomics), 'latin1'));
    // v1beta1's three are not nullable: all print, the unasked ones zero-valued.
    return v1beta1.QueryParamsResponse.encode(
      v1beta1.QueryParamsResponse.fromPartial({
        votingParams: { votingPeriod: type === 'voting' ? proto.votingPeriod! : { seconds: 0n, nanos: 0 } },
        depositParams:
          type === 'deposit'
            ? { minDeposit: proto.minDeposit, maxDepositPeriod: proto.maxDepositPeriod! }
            : { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
        tallyParams:
          type === 'tallying'
            ? { quorum: ascii(params.quorum), threshold: ascii(params.threshold), vetoThreshold: ascii(params.vetoThreshold) }
            : {},
      }),
    ).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Deposit', (state, data) => {
    const { proposalId, depositor } = decodeQueryRequest(v1beta1.QueryDepositRequest, data);
    proposalOf(keeper, state, proposalId);
    const amount = keeper.getDeposit(state, proposalId, depositor);
    if (!amount) throw ainError(ErrNotFound, `depositer: ${depositor} not found for proposal: ${proposalId}`);
    return v1beta1.QueryDepositResponse.encode({ deposit: { proposalId, depositor, amount: coinsToProto(amount) } }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/Deposits', (state, data) => {
    const { proposalId, pagination } = decodeQueryRequest(v1beta1.QueryDepositsRequest, data);
    validateProposalId(proposalId);
    const page = paginate(keeper.deposits(state, proposalId), (d) => d.depositor, pagination);
    const deposits = page.items.map((d) => ({ proposalId, depositor: d.depositor, amount: coinsToProto(d.amount) }));
    return v1beta1.QueryDepositsResponse.encode({ deposits, pagination: page.pagination }).finish();
  });
  router.register('/cosmos.gov.v1beta1.Query/TallyResult', (state, data) => {
    const { proposalId } = decodeQueryRequest(v1beta1.QueryTallyResultRequest, data);
    proposalOf(keeper, state, proposalId);
    return v1beta1.QueryTallyResultResponse.encode({ tally: tallyTokens(keeper.tally(state, proposalId)) }).finish();
  });
}
