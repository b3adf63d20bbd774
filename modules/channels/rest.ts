/**
 * The channels module's REST (LCD) routes, answered through the app's in-process ABCI query and printed
 * as proto3 JSON: a channel, a payer's or an executor's channels, a contract with its lowest claims, a
 * contract's claims page by page, a client's or an executor's contracts.
 */
import { abciQuery, ainError, pageRequestOf, param, type RestHandler, type RestRequest, type RestRoute, search } from '../../core/index.ts';
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryContractClaimsRequest,
  QueryContractClaimsResponse,
  QueryContractRequest,
  QueryContractResponse,
  QueryContractsRequest,
  QueryContractsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/channels/v1/query.ts';
import { ErrInvalidChannelMsg } from './errors.ts';

const path = (method: string) => `/${QueryServiceName}/${method}`;

/** The `index`-th path parameter as an id (decimal digits), or a channels/1 naming it. */
function idParam(request: RestRequest, index: number, field: string): bigint {
  const text = param(request, index);
  if (!/^[0-9]{1,20}$/.test(text))
    throw ainError(ErrInvalidChannelMsg, `${field} ${JSON.stringify(text.slice(0, 40))} must be a decimal id`, { field });
  return BigInt(text);
}

/** `GET /ain/channels/v1/channels/{channel_id}` */
const getChannel: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Channel'),
    QueryChannelRequest.encode({ channelId: idParam(request, 0, 'channel_id') }).finish(),
    QueryChannelResponse,
  );

/** `GET /ain/channels/v1/channels?payer=&executor=&pagination.*` */
const getChannels: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Channels'),
    QueryChannelsRequest.encode({
      payer: search(request, 'payer'),
      executor: search(request, 'executor'),
      pagination: pageRequestOf(request),
    }).finish(),
    QueryChannelsResponse,
  );

/** `GET /ain/channels/v1/contracts/{contract_id}` */
const getContract: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Contract'),
    QueryContractRequest.encode({ contractId: idParam(request, 0, 'contract_id') }).finish(),
    QueryContractResponse,
  );

/** `GET /ain/channels/v1/contracts/{contract_id}/claims?pagination.*` */
const getContractClaims: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('ContractClaims'),
    QueryContractClaimsRequest.encode({
      contractId: idParam(request, 0, 'contract_id'),
      pagination: pageRequestOf(request),
    }).finish(),
    QueryContractClaimsResponse,
  );

/** `GET /ain/channels/v1/contracts?client=&executor=&pagination.*` */
const getContracts: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    path('Contracts'),
    QueryContractsRequest.encode({
      client: search(request, 'client'),
      executor: search(request, 'executor'),
      pagination: pageRequestOf(request),
    }).finish(),
    QueryContractsResponse,
  );

/** The routes, in matching order (fixed segments before `{param}` ones). */
export const channelsRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/ain/channels/v1/channels', handler: getChannels },
  { method: 'GET', path: '/ain/channels/v1/channels/{channel_id}', handler: getChannel },
  { method: 'GET', path: '/ain/channels/v1/contracts', handler: getContracts },
  { method: 'GET', path: '/ain/channels/v1/contracts/{contract_id}', handler: getContract },
  { method: 'GET', path: '/ain/channels/v1/contracts/{contract_id}/claims', handler: getContractClaims },
];
