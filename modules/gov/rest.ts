/**
 * The gov module's REST (LCD) routes at the SDK gateway's paths, in both versions
 * (`/cosmos/gov/v1/...` and `/cosmos/gov/v1beta1/...`), answered through the app's in-process ABCI
 * query and printed as the gateway prints them (durations "172800s", decimals with 18 digits).
 */
import { proposalStatusFromJSON } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as v1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import {
  abciQuery,
  ainError,
  decToFixed18,
  ErrInvalidRequest,
  type JsonCodec,
  type JsonValue,
  pageRequestOf,
  param,
  type RestContext,
  type RestHandler,
  type RestReply,
  type RestRequest,
  type RestRoute,
  search,
} from '../../core/index.ts';
import { legacyDecsForGateway } from './legacyDec.ts';

/** "100000000000000000" -> "0.100000000000000000"; anything but atomics stays as it is. */
function fixed18(atomics: string): string {
  return /^[0-9]+$/.test(atomics) ? decToFixed18(BigInt(atomics)) : atomics;
}

/** v1beta1 carries LegacyDecs as atomics (`weight`) or as their ASCII in bytes (the tally params); the gateway prints both as decimals. */
function v1beta1Decimals(json: JsonValue, key = ''): JsonValue {
  if (Array.isArray(json)) return json.map((item) => v1beta1Decimals(item, key));
  if (json !== null && typeof json === 'object' && '@type' in json) return json; // a message: printed by its own fields
  if (json === null || typeof json !== 'object') {
    if (typeof json === 'string' && key === 'weight') return fixed18(json);
    if (typeof json === 'string' && ['quorum', 'threshold', 'veto_threshold'].includes(key))
      return json === '' ? '0.000000000000000000' : fixed18(Buffer.from(json, 'base64').toString('latin1'));
    return json;
  }
  return Object.fromEntries(Object.entries(json).map(([field, value]) => [field, v1beta1Decimals(value, field)]));
}

/**
 * Prints gov's messages as the SDK gateway does: `google.protobuf.Duration`s as "172800s" (coins and
 * v1's Dec text are already right; v1beta1's LegacyDecs are fixed by `v1beta1Decimals`).
 * @example govGatewayJson({ voting_period: { seconds: '60', nanos: 0 } }) // { voting_period: '60s' }
 */
export function govGatewayJson(json: JsonValue): JsonValue {
  if (Array.isArray(json)) return json.map(govGatewayJson);
  if (json === null || typeof json !== 'object') return json;
  const keys = Object.keys(json);
  if (keys.length === 2 && 'seconds' in json && 'nanos' in json) {
    const nanos = Number(json['nanos']);
    return nanos === 0 ? `${json['seconds']}s` : `${json['seconds']}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}s`;
  }
  return Object.fromEntries(Object.entries(json).map(([field, value]) => [field, govGatewayJson(value)]));
}

async function query<T>(c: RestContext, r: RestRequest, path: string, data: Uint8Array, codec: JsonCodec<T>): Promise<RestReply> {
  const reply = await abciQuery(c, r, path, data, codec);
  const body = legacyDecsForGateway(govGatewayJson(reply.body));
  return { ...reply, body: path.startsWith('/cosmos.gov.v1beta1.') ? v1beta1Decimals(body) : body };
}

function proposalId(request: RestRequest): bigint {
  const id = param(request, 0);
  if (!/^[0-9]{1,20}$/.test(id))
    throw ainError(ErrInvalidRequest, `proposal id "${id}" is not an unsigned integer`, { field: 'proposal_id' });
  return BigInt(id);
}

function proposalStatus(request: RestRequest): number {
  const text = search(request, 'proposal_status');
  if (text === '') return 0;
  const status = /^[0-9]+$/.test(text) ? Number(text) : proposalStatusFromJSON(text);
  if (status < 0 || status > 5)
    throw ainError(ErrInvalidRequest, `proposal_status "${text}" is not a proposal status`, { field: 'proposal_status' });
  return status;
}

/** The same eight routes for one version, with that version's codecs. */
function routes(version: 'v1' | 'v1beta1', q: typeof v1 | typeof v1beta1): RestRoute[] {
  const path = (method: string) => `/cosmos.gov.${version}.Query/${method}`;
  const base = `/cosmos/gov/${version}`;
  const handlers: Array<[string, RestHandler]> = [
    [
      '/proposals',
      (c, r) =>
        query(
          c,
          r,
          path('Proposals'),
          q.QueryProposalsRequest.encode({
            proposalStatus: proposalStatus(r),
            voter: search(r, 'voter'),
            depositor: search(r, 'depositor'),
            pagination: pageRequestOf(r),
          }).finish(),
          q.QueryProposalsResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}',
      (c, r) =>
        query(
          c,
          r,
          path('Proposal'),
          q.QueryProposalRequest.encode({ proposalId: proposalId(r) }).finish(),
          q.QueryProposalResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}/tally',
      (c, r) =>
        query(
          c,
          r,
          path('TallyResult'),
          q.QueryTallyResultRequest.encode({ proposalId: proposalId(r) }).finish(),
          q.QueryTallyResultResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}/votes',
      (c, r) =>
        query(
          c,
          r,
          path('Votes'),
          q.QueryVotesRequest.encode({ proposalId: proposalId(r), pagination: pageRequestOf(r) }).finish(),
          q.QueryVotesResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}/votes/{voter}',
      (c, r) =>
        query(
          c,
          r,
          path('Vote'),
          q.QueryVoteRequest.encode({ proposalId: proposalId(r), voter: param(r, 1) }).finish(),
          q.QueryVoteResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}/deposits',
      (c, r) =>
        query(
          c,
          r,
          path('Deposits'),
          q.QueryDepositsRequest.encode({ proposalId: proposalId(r), pagination: pageRequestOf(r) }).finish(),
          q.QueryDepositsResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/proposals/{proposal_id}/deposits/{depositor}',
      (c, r) =>
        query(
          c,
          r,
          path('Deposit'),
          q.QueryDepositRequest.encode({ proposalId: proposalId(r), depositor: param(r, 1) }).finish(),
          q.QueryDepositResponse as JsonCodec<unknown>,
        ),
    ],
    [
      '/params/{params_type}',
      (c, r) =>
        query(
          c,
          r,
          path('Params'),
          q.QueryParamsRequest.encode({ paramsType: param(r, 0) }).finish(),
          q.QueryParamsResponse as JsonCodec<unknown>,
        ),
    ],
  ];
  return handlers.map(([tail, handler]) => ({ method: 'GET', path: `${base}${tail}`, handler }));
}

/** `/cosmos/gov/v1/constitution` (v1 only, as the SDK's gateway). */
const constitutionRoute: RestRoute = {
  method: 'GET',
  path: '/cosmos/gov/v1/constitution',
  handler: (c, r) =>
    query(
      c,
      r,
      '/cosmos.gov.v1.Query/Constitution',
      v1.QueryConstitutionRequest.encode({}).finish(),
      v1.QueryConstitutionResponse as JsonCodec<unknown>,
    ),
};

/** The gov module's REST routes, v1 then v1beta1. */
export const govRestRoutes: readonly RestRoute[] = [...routes('v1', v1), constitutionRoute, ...routes('v1beta1', v1beta1)];
