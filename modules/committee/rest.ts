/**
 * The committee module's REST (LCD) routes, answered through the app's in-process ABCI query and
 * printed as proto3 JSON: the committee, its proposals (paged with the `pagination.*` parameters), one
 * proposal, the developer fund, the params.
 */
import { abciQuery, ainError, pageRequestOf, param, type RestHandler, type RestRoute } from '../../core/index.ts';
import {
  QueryCommitteeRequest,
  QueryCommitteeResponse,
  QueryFundRequest,
  QueryFundResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/committee/v1/query.ts';
import { ErrInvalidCommitteeMsg } from './errors.ts';

const path = (method: string) => `/${QueryServiceName}/${method}`;

/** `GET /ain/committee/v1/committee` */
const getCommittee: RestHandler = (context, request) =>
  abciQuery(context, request, path('Committee'), QueryCommitteeRequest.encode({}).finish(), QueryCommitteeResponse);

/** `GET /ain/committee/v1/proposals?pagination.limit=...` */
const getProposals: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Proposals'),
    QueryProposalsRequest.encode({ pagination: pageRequestOf(request) }).finish(),
    QueryProposalsResponse,
  );

/** `GET /ain/committee/v1/proposals/{proposal_id}` */
const getProposal: RestHandler = (context, request) => {
  const text = param(request, 0);
  if (!/^[0-9]{1,20}$/.test(text))
    throw ainError(ErrInvalidCommitteeMsg, `proposal_id ${JSON.stringify(text.slice(0, 40))} must be a decimal id`, {
      field: 'proposal_id',
    });
  return abciQuery(
    context,
    request,
    path('Proposal'),
    QueryProposalRequest.encode({ proposalId: BigInt(text) }).finish(),
    QueryProposalResponse,
  );
};

/** `GET /ain/committee/v1/fund` */
const getFund: RestHandler = (context, request) =>
  abciQuery(context, request, path('Fund'), QueryFundRequest.encode({}).finish(), QueryFundResponse);

/** `GET /ain/committee/v1/params` */
const getParams: RestHandler = (context, request) =>
  abciQuery(context, request, path('Params'), QueryParamsRequest.encode({}).finish(), QueryParamsResponse);

/** The routes, in matching order (fixed segments before `{param}` ones). */
export const committeeRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/ain/committee/v1/committee', handler: getCommittee },
  { method: 'GET', path: '/ain/committee/v1/proposals', handler: getProposals },
  { method: 'GET', path: '/ain/committee/v1/proposals/{proposal_id}', handler: getProposal },
  { method: 'GET', path: '/ain/committee/v1/fund', handler: getFund },
  { method: 'GET', path: '/ain/committee/v1/params', handler: getParams },
];
