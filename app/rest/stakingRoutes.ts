/**
 * The staking, distribution and slashing routes of the REST (LCD) API: the gateway paths Keplr-style
 * staking pages and explorers call, answered through the app's in-process ABCI query like the other
 * routes. LegacyDec fields travel in protobuf as integer atomics (value x 10^18); the SDK's gateway
 * prints them as decimals with 18 fraction digits, and so does `stakingGatewayJson` here.
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
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import {
  QueryParamsRequest as SlashingParamsRequest,
  QueryParamsResponse as SlashingParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryParamsRequest as StakingParamsRequest,
  QueryParamsResponse as StakingParamsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import {
  QueryAnnualProvisionsRequest,
  QueryAnnualProvisionsResponse,
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest as MintParamsRequest,
  QueryParamsResponse as MintParamsResponse,
} from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { abciQuery, param } from '../../core/rest.ts';
import type { JsonCodec } from '../../core/protoJson.ts';
import type { RestContext, RestHandler, RestReply, RestRequest } from '../../core/rest.ts';
import type { JsonValue } from '../../core/json.ts';

/** Scalar LegacyDec fields of the staking, distribution and slashing messages. */
const DEC_FIELDS = new Set([
  'delegator_shares',
  'rate',
  'max_rate',
  'max_change_rate',
  'shares',
  'shares_dst',
  'min_commission_rate',
  'community_tax',
  'base_proposer_reward',
  'bonus_proposer_reward',
  'inflation_rate_change',
  'inflation_max',
  'inflation_min',
  'goal_bonded',
]);
/** Slashing's LegacyDec params, declared `bytes` (the atomics as ASCII): base64 in plain proto JSON. */
const DEC_BYTES_FIELDS = new Set([
  'min_signed_per_window',
  'slash_fraction_double_sign',
  'slash_fraction_downtime',
  'inflation',
  'annual_provisions',
]);

/** "100000000000000000" -> "0.100000000000000000"; anything else is left as it is. */
function fixed18(atomics: string): string {
  if (!/^[0-9]+$/.test(atomics)) return atomics;
  const padded = atomics.padStart(19, '0');
  return `${padded.slice(0, -18).replace(/^0+(?=[0-9])/, '')}.${padded.slice(-18)}`;
}

/**
 * Prints what plain proto3 JSON gets wrong for these modules as the SDK's gateway does: LegacyDec values
 * (the scalar fields above, slashing's byte-encoded params, and the `amount` of every DecCoin: an
 * object of exactly `denom` and `amount` under a key other than `balance`, which holds whole coins)
 * with 18 fraction digits, and `google.protobuf.Duration`s (params) as "600s".
 * @example stakingGatewayJson({ rate: '100000000000000000', unbonding_time: { seconds: '60', nanos: 0 } })
 * // { rate: '0.100000000000000000', unbonding_time: '60s' }
 */
export function stakingGatewayJson(json: JsonValue, key = ''): JsonValue {
  if (Array.isArray(json)) return json.map((item) => stakingGatewayJson(item, key));
  if (json === null || typeof json !== 'object') {
    if (typeof json === 'string' && DEC_FIELDS.has(key)) return fixed18(json);
    if (typeof json === 'string' && DEC_BYTES_FIELDS.has(key)) return fixed18(Buffer.from(json, 'base64').toString('latin1'));
    return json;
  }
  const keys = Object.keys(json);
  if (keys.length === 2 && 'seconds' in json && 'nanos' in json) {
    const nanos = Number(json['nanos']);
    return nanos === 0 ? `${json['seconds']}s` : `${json['seconds']}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}s`;
  }
  const decCoin = keys.length === 2 && 'denom' in json && 'amount' in json && key !== 'balance' && key !== 'amount';
  const out: { [field: string]: JsonValue } = {};
  for (const [field, value] of Object.entries(json)) {
    out[field] = decCoin && field === 'amount' && typeof value === 'string' ? fixed18(value) : stakingGatewayJson(value, field);
  }
  return out;
}

async function query<T>(
  context: RestContext,
  request: RestRequest,
  path: string,
  data: Uint8Array,
  codec: JsonCodec<T>,
): Promise<RestReply> {
  const reply = await abciQuery(context, request, path, data, codec);
  return { ...reply, body: stakingGatewayJson(reply.body) };
}

const search = (request: RestRequest, name: string): string => request.searchParams.get(name) ?? '';

// ---- cosmos.staking.v1beta1

/** `GET /cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED` (all validators without `status`). */
export const getValidators: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Validators',
    QueryValidatorsRequest.encode({ status: search(r, 'status') }).finish(),
    QueryValidatorsResponse,
  );
/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}` */
export const getValidator: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Validator',
    QueryValidatorRequest.encode({ validatorAddr: param(r, 0) }).finish(),
    QueryValidatorResponse,
  );
/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations` */
export const getValidatorDelegations: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/ValidatorDelegations',
    QueryValidatorDelegationsRequest.encode({ validatorAddr: param(r, 0) }).finish(),
    QueryValidatorDelegationsResponse,
  );
/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}` */
export const getDelegation: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Delegation',
    QueryDelegationRequest.encode({ validatorAddr: param(r, 0), delegatorAddr: param(r, 1) }).finish(),
    QueryDelegationResponse,
  );
/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation` */
export const getUnbondingDelegation: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/UnbondingDelegation',
    QueryUnbondingDelegationRequest.encode({ validatorAddr: param(r, 0), delegatorAddr: param(r, 1) }).finish(),
    QueryUnbondingDelegationResponse,
  );
/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/unbonding_delegations` */
export const getValidatorUnbondingDelegations: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations',
    QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: param(r, 0) }).finish(),
    QueryValidatorUnbondingDelegationsResponse,
  );
/** `GET /cosmos/staking/v1beta1/delegations/{delegator_addr}` */
export const getDelegatorDelegations: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorDelegations',
    QueryDelegatorDelegationsRequest.encode({ delegatorAddr: param(r, 0) }).finish(),
    QueryDelegatorDelegationsResponse,
  );
/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/unbonding_delegations` */
export const getDelegatorUnbondingDelegations: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations',
    QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: param(r, 0) }).finish(),
    QueryDelegatorUnbondingDelegationsResponse,
  );
/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/redelegations?src_validator_addr=&dst_validator_addr=` */
export const getRedelegations: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Redelegations',
    QueryRedelegationsRequest.encode({
      delegatorAddr: param(r, 0),
      srcValidatorAddr: search(r, 'src_validator_addr'),
      dstValidatorAddr: search(r, 'dst_validator_addr'),
    }).finish(),
    QueryRedelegationsResponse,
  );
/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/validators` */
export const getDelegatorValidators: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorValidators',
    QueryDelegatorValidatorsRequest.encode({ delegatorAddr: param(r, 0) }).finish(),
    QueryDelegatorValidatorsResponse,
  );
/** `GET /cosmos/staking/v1beta1/pool` */
export const getStakingPool: RestHandler = (c, r) =>
  query(c, r, '/cosmos.staking.v1beta1.Query/Pool', QueryPoolRequest.encode({}).finish(), QueryPoolResponse);
/** `GET /cosmos/staking/v1beta1/params` */
export const getStakingParams: RestHandler = (c, r) =>
  query(c, r, '/cosmos.staking.v1beta1.Query/Params', StakingParamsRequest.encode({}).finish(), StakingParamsResponse);

// ---- cosmos.distribution.v1beta1

/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards` */
export const getDelegationTotalRewards: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
    QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    QueryDelegationTotalRewardsResponse,
  );
/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}` */
export const getDelegationRewards: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegationRewards',
    QueryDelegationRewardsRequest.encode({ delegatorAddress: param(r, 0), validatorAddress: param(r, 1) }).finish(),
    QueryDelegationRewardsResponse,
  );
/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/validators` */
export const getDistributionDelegatorValidators: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegatorValidators',
    DistributionDelegatorValidatorsRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    DistributionDelegatorValidatorsResponse,
  );
/** `GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address` */
export const getWithdrawAddress: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress',
    QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: param(r, 0) }).finish(),
    QueryDelegatorWithdrawAddressResponse,
  );
/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}/commission` */
export const getValidatorCommission: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorCommission',
    QueryValidatorCommissionRequest.encode({ validatorAddress: param(r, 0) }).finish(),
    QueryValidatorCommissionResponse,
  );
/** `GET /cosmos/distribution/v1beta1/validators/{validator_address}/outstanding_rewards` */
export const getValidatorOutstandingRewards: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards',
    QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: param(r, 0) }).finish(),
    QueryValidatorOutstandingRewardsResponse,
  );
/** `GET /cosmos/distribution/v1beta1/community_pool` */
export const getCommunityPool: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.distribution.v1beta1.Query/CommunityPool',
    QueryCommunityPoolRequest.encode({}).finish(),
    QueryCommunityPoolResponse,
  );
/** `GET /cosmos/distribution/v1beta1/params` */
export const getDistributionParams: RestHandler = (c, r) =>
  query(c, r, '/cosmos.distribution.v1beta1.Query/Params', DistributionParamsRequest.encode({}).finish(), DistributionParamsResponse);

// ---- cosmos.mint.v1beta1 (figures derived from distribution's fixed block reward)

/** `GET /cosmos/mint/v1beta1/inflation` */
export const getMintInflation: RestHandler = (c, r) =>
  query(c, r, '/cosmos.mint.v1beta1.Query/Inflation', QueryInflationRequest.encode({}).finish(), QueryInflationResponse);
/** `GET /cosmos/mint/v1beta1/annual_provisions` */
export const getMintAnnualProvisions: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.mint.v1beta1.Query/AnnualProvisions',
    QueryAnnualProvisionsRequest.encode({}).finish(),
    QueryAnnualProvisionsResponse,
  );
/** `GET /cosmos/mint/v1beta1/params` */
export const getMintParams: RestHandler = (c, r) =>
  query(c, r, '/cosmos.mint.v1beta1.Query/Params', MintParamsRequest.encode({}).finish(), MintParamsResponse);

// ---- cosmos.slashing.v1beta1

/** `GET /cosmos/slashing/v1beta1/signing_infos` */
export const getSigningInfos: RestHandler = (c, r) =>
  query(c, r, '/cosmos.slashing.v1beta1.Query/SigningInfos', QuerySigningInfosRequest.encode({}).finish(), QuerySigningInfosResponse);
/** `GET /cosmos/slashing/v1beta1/signing_infos/{cons_address}` */
export const getSigningInfo: RestHandler = (c, r) =>
  query(
    c,
    r,
    '/cosmos.slashing.v1beta1.Query/SigningInfo',
    QuerySigningInfoRequest.encode({ consAddress: param(r, 0) }).finish(),
    QuerySigningInfoResponse,
  );
/** `GET /cosmos/slashing/v1beta1/params` */
export const getSlashingParams: RestHandler = (c, r) =>
  query(c, r, '/cosmos.slashing.v1beta1.Query/Params', SlashingParamsRequest.encode({}).finish(), SlashingParamsResponse);
