/**
 * The slashing module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  QueryParamsRequest as SlashingParamsRequest,
  QueryParamsResponse as SlashingParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { pageRequestOf, param, type RestHandler, type RestRoute } from '../../core/index.ts';
import { stakingGatewayQuery } from '../staking/index.ts';

/** `GET /cosmos/slashing/v1beta1/signing_infos` */
const getSigningInfos: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.slashing.v1beta1.Query/SigningInfos',
    QuerySigningInfosRequest.encode({ pagination: pageRequestOf(r) }).finish(),
    QuerySigningInfosResponse,
  );

/** `GET /cosmos/slashing/v1beta1/signing_infos/{cons_address}` */
const getSigningInfo: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.slashing.v1beta1.Query/SigningInfo',
    QuerySigningInfoRequest.encode({ consAddress: param(r, 0) }).finish(),
    QuerySigningInfoResponse,
  );

/** `GET /cosmos/slashing/v1beta1/params` */
const getSlashingParams: RestHandler = (c, r) =>
  stakingGatewayQuery(c, r, '/cosmos.slashing.v1beta1.Query/Params', SlashingParamsRequest.encode({}).finish(), SlashingParamsResponse);

/** The slashing module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const slashingRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/slashing/v1beta1/signing_infos', handler: getSigningInfos },
  { method: 'GET', path: '/cosmos/slashing/v1beta1/signing_infos/{cons_address}', handler: getSigningInfo },
  { method: 'GET', path: '/cosmos/slashing/v1beta1/params', handler: getSlashingParams },
];
