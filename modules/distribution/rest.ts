/**
 * The distribution module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest as DistributionDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse as DistributionDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsRequest as DistributionParamsRequest,
  QueryParamsResponse as DistributionParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest,
  QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest,
  QueryValidatorSlashesResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import {
  QueryAnnualProvisionsRequest,
  QueryAnnualProvisionsResponse,
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest as MintParamsRequest,
  QueryParamsResponse as MintParamsResponse,
} from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { pageRequestOf, param, type RestHandler, type RestRoute, searchUint } from '../../core/index.ts';
import { stakingGatewayQuery } from '../staking/index.ts';

/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards` */
const getDelegationTotalRewards: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
    QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    QueryDelegationTotalRewardsResponse,
  );

/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}` */
const getDelegationRewards: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegationRewards',
    QueryDelegationRewardsRequest.encode({ delegatorAddress: param(r, 0), validatorAddress: param(r, 1) }).finish(),
    QueryDelegationRewardsResponse,
  );

/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/validators` */
const getDistributionDelegatorValidators: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegatorValidators',
    DistributionDelegatorValidatorsRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    DistributionDelegatorValidatorsResponse,
  );

/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address` */
const getWithdrawAddress: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress',
    QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    QueryDelegatorWithdrawAddressResponse,
  );

/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}/commission` */
const getValidatorCommission: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorCommission',
    QueryValidatorCommissionRequest.encode({ validatorAddress: param(r, 0) }).finish(),
    QueryValidatorCommissionResponse,
  );

/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}/outstanding_rewards` */
const getValidatorOutstandingRewards: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards',
    QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: param(r, 0) }).finish(),
    QueryValidatorOutstandingRewardsResponse,
  );

/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}` */
const getValidatorDistributionInfo: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo',
    QueryValidatorDistributionInfoRequest.encode({ validatorAddress: param(r, 0) }).finish(),
    QueryValidatorDistributionInfoResponse,
  );

/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}/slashes?starting_height=&ending_height=` (paged) */
const getValidatorSlashes: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorSlashes',
    QueryValidatorSlashesRequest.encode({
      validatorAddress: param(r, 0),
      startingHeight: searchUint(r, 'starting_height'),
      endingHeight: searchUint(r, 'ending_height'),
      pagination: pageRequestOf(r),
    }).finish(),
    QueryValidatorSlashesResponse,
  );

/** `GET /cosmos/distribution/v1beta1/community_pool` */
const getCommunityPool: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/CommunityPool',
    QueryCommunityPoolRequest.encode({}).finish(),
    QueryCommunityPoolResponse,
  );

/** `GET /cosmos/distribution/v1beta1/params` */
const getDistributionParams: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/Params',
    DistributionParamsRequest.encode({}).finish(),
    DistributionParamsResponse,
  );

/** `GET /cosmos/mint/v1beta1/inflation` */
const getMintInflation: RestHandler = (c, r) =>
  stakingGatewayQuery(c, r, '/cosmos.mint.v1beta1.Query/Inflation', QueryInflationRequest.encode({}).finish(), QueryInflationResponse);

/** `GET /cosmos/mint/v1beta1/annual_provisions` */
const getMintAnnualProvisions: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.mint.v1beta1.Query/AnnualProvisions',
    QueryAnnualProvisionsRequest.encode({}).finish(),
    QueryAnnualProvisionsResponse,
  );

/** `GET /cosmos/mint/v1beta1/params` */
const getMintParams: RestHandler = (c, r) =>
  stakingGatewayQuery(c, r, '/cosmos.mint.v1beta1.Query/Params', MintParamsRequest.encode({}).finish(), MintParamsResponse);

/** The distribution module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const distributionRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards', handler: getDelegationTotalRewards },
  {
    method: 'GET',
    path: '/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}',
    handler: getDelegationRewards,
  },
  {
    method: 'GET',
    path: '/cosmos/distribution/v1beta1/delegators/{delegator_address}/validators',
    handler: getDistributionDelegatorValidators,
  },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address', handler: getWithdrawAddress },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/validators/{validator_address}/commission', handler: getValidatorCommission },
  {
    method: 'GET',
    path: '/cosmos/distribution/v1beta1/validators/{validator_address}/outstanding_rewards',
    handler: getValidatorOutstandingRewards,
  },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/validators/{validator_address}', handler: getValidatorDistributionInfo },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/validators/{validator_address}/slashes', handler: getValidatorSlashes },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/community_pool', handler: getCommunityPool },
  { method: 'GET', path: '/cosmos/distribution/v1beta1/params', handler: getDistributionParams },
  { method: 'GET', path: '/cosmos/mint/v1beta1/inflation', handler: getMintInflation },
  { method: 'GET', path: '/cosmos/mint/v1beta1/annual_provisions', handler: getMintAnnualProvisions },
  { method: 'GET', path: '/cosmos/mint/v1beta1/params', handler: getMintParams },
];
