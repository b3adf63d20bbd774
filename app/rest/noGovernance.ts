/**
 * PLACEHOLDER until the governance module exists: the gov REST routes explorers and wallets call, in
 * both versions (`/cosmos/gov/v1/...` and `/cosmos/gov/v1beta1/...`), answered as a chain whose
 * governance is off: no proposals (an empty, paged list; a proposal by id is 404), and params with
 * nothing to deposit or vote on (no minimum deposit, zero periods and thresholds). These routes come
 * after the modules' in the route table, so a gov module's own `rest.ts` routes win as soon as it is
 * listed in `app/modules.ts`; then this file is deleted. REST only: there is no ABCI gov query.
 */
import * as v1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import {
  ainError,
  ErrInvalidRequest,
  ErrNotFound,
  type JsonCodec,
  type JsonValue,
  paginate,
  pageRequestOf,
  param,
  type RestContext,
  type RestHandler,
  type RestRequest,
  type RestRoute,
  toProtoJson,
} from '../../core/index.ts';
import { stakingGatewayJson } from '../../modules/staking/index.ts';

const ZERO_DEC = '0.000000000000000000';
const ZERO_DURATION = { seconds: 0n, nanos: 0 };
const PARAMS_TYPES = ['voting', 'tallying', 'deposit'];

/** Printed as the gateway prints gov's messages (durations as "0s"). */
function reply<T>(context: RestContext, codec: JsonCodec<T>, message: T): { body: JsonValue } {
  return { body: stakingGatewayJson(toProtoJson(codec, message, context.anyTypes)) };
}

/** An empty list, paged as every list (the request's pagination is still checked). */
function emptyPage(request: RestRequest) {
  return paginate([] as string[], (key) => key, pageRequestOf(request)).pagination;
}

function paramsType(request: RestRequest): string {
  const type = param(request, 0);
  if (!PARAMS_TYPES.includes(type)) throw ainError(ErrInvalidRequest, `${type} is not a valid parameter type`);
  return type;
}

const getProposalsV1: RestHandler = async (c, r) =>
  reply(c, v1.QueryProposalsResponse, v1.QueryProposalsResponse.fromPartial({ proposals: [], pagination: emptyPage(r) }));

const getProposalsV1beta1: RestHandler = async (c, r) =>
  reply(c, v1beta1.QueryProposalsResponse, v1beta1.QueryProposalsResponse.fromPartial({ proposals: [], pagination: emptyPage(r) }));

const getParamsV1: RestHandler = async (c, r) => {
  const type = paramsType(r);
  const params = {
    minDeposit: [],
    maxDepositPeriod: ZERO_DURATION,
    votingPeriod: ZERO_DURATION,
    quorum: ZERO_DEC,
    threshold: ZERO_DEC,
    vetoThreshold: ZERO_DEC,
    minInitialDepositRatio: ZERO_DEC,
    proposalCancelRatio: ZERO_DEC,
    expeditedVotingPeriod: ZERO_DURATION,
    expeditedThreshold: ZERO_DEC,
    expeditedMinDeposit: [],
    minDepositRatio: ZERO_DEC,
  };
  return reply(
    c,
    v1.QueryParamsResponse,
    v1.QueryParamsResponse.fromPartial({
      ...(type === 'voting' ? { votingParams: { votingPeriod: ZERO_DURATION } } : {}),
      ...(type === 'deposit' ? { depositParams: { minDeposit: [], maxDepositPeriod: ZERO_DURATION } } : {}),
      ...(type === 'tallying' ? { tallyParams: { quorum: ZERO_DEC, threshold: ZERO_DEC, vetoThreshold: ZERO_DEC } } : {}),
      params,
    }),
  );
};

const getParamsV1beta1: RestHandler = async (c, r) => {
  paramsType(r);
  // v1beta1's three are not nullable: all print, zero-valued (the tally thresholds as null bytes).
  return reply(
    c,
    v1beta1.QueryParamsResponse,
    v1beta1.QueryParamsResponse.fromPartial({
      votingParams: { votingPeriod: ZERO_DURATION },
      depositParams: { minDeposit: [], maxDepositPeriod: ZERO_DURATION },
      tallyParams: {},
    }),
  );
};

/** Any route about one proposal: there is none. */
const noProposal: RestHandler = async (_c, r) => {
  const id = param(r, 0);
  if (!/^[0-9]{1,20}$/.test(id)) throw ainError(ErrInvalidRequest, `proposal id "${id}" is not an unsigned integer`);
  throw ainError(ErrNotFound, `rpc error: code = NotFound desc = proposal ${id} doesn't exist`);
};

const proposalRoutes = (version: string): RestRoute[] =>
  ['', '/tally', '/votes', '/deposits', '/votes/{voter}', '/deposits/{depositor}'].map((tail) => ({
    method: 'GET',
    path: `/cosmos/gov/${version}/proposals/{proposal_id}${tail}`,
    handler: noProposal,
  }));

/** The gov routes of a chain without governance, in both versions (served after the modules' routes). */
export const NO_GOVERNANCE_ROUTES: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/gov/v1/proposals', handler: getProposalsV1 },
  { method: 'GET', path: '/cosmos/gov/v1/params/{params_type}', handler: getParamsV1 },
  ...proposalRoutes('v1'),
  { method: 'GET', path: '/cosmos/gov/v1beta1/proposals', handler: getProposalsV1beta1 },
  { method: 'GET', path: '/cosmos/gov/v1beta1/params/{params_type}', handler: getParamsV1beta1 },
  ...proposalRoutes('v1beta1'),
];
