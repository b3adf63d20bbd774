/**
 * The staking module's REST (LCD) routes: the Cosmos SDK gateway paths wallets and explorers call,
 * answered through the app's in-process ABCI query and printed as proto3 JSON.
 */
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
  abciQuery,
  pageRequestOf,
  param,
  search,
  type RestHandler,
  type RestRoute,
  type RestContext,
  type RestReply,
  type RestRequest,
} from '../../core/index.ts';
import type { JsonCodec, JsonValue } from '../../core/index.ts';

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

/** An ABCI query printed as the SDK gateway prints these modules (LegacyDec, Duration). */
export async function stakingGatewayQuery<T>(
  context: RestContext,
  request: RestRequest,
  path: string,
  data: Uint8Array,
  codec: JsonCodec<T>,
): Promise<RestReply> {
  const reply = await abciQuery(context, request, path, data, codec);
  return { ...reply, body: stakingGatewayJson(reply.body) };
}

/** `GET /cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED` (all validators without `status`). */
const getValidators: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Validators',
    QueryValidatorsRequest.encode({ status: search(r, 'status'), pagination: pageRequestOf(r) }).finish(),
    QueryValidatorsResponse,
  );

/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}` */
const getValidator: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Validator',
    QueryValidatorRequest.encode({ validatorAddr: param(r, 0) }).finish(),
    QueryValidatorResponse,
  );

/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations` */
const getValidatorDelegations: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/ValidatorDelegations',
    QueryValidatorDelegationsRequest.encode({ validatorAddr: param(r, 0), pagination: pageRequestOf(r) }).finish(),
    QueryValidatorDelegationsResponse,
  );

/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}` */
const getDelegation: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Delegation',
    QueryDelegationRequest.encode({ validatorAddr: param(r, 0), delegatorAddr: param(r, 1) }).finish(),
    QueryDelegationResponse,
  );

/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation` */
const getUnbondingDelegation: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/UnbondingDelegation',
    QueryUnbondingDelegationRequest.encode({ validatorAddr: param(r, 0), delegatorAddr: param(r, 1) }).finish(),
    QueryUnbondingDelegationResponse,
  );

/** `GET /cosmos/staking/v1beta1/validators/{validator_addr}/unbonding_delegations` */
const getValidatorUnbondingDelegations: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations',
    QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: param(r, 0), pagination: pageRequestOf(r) }).finish(),
    QueryValidatorUnbondingDelegationsResponse,
  );

/** `GET /cosmos/staking/v1beta1/delegations/{delegator_addr}` */
const getDelegatorDelegations: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorDelegations',
    QueryDelegatorDelegationsRequest.encode({ delegatorAddr: param(r, 0), pagination: pageRequestOf(r) }).finish(),
    QueryDelegatorDelegationsResponse,
  );

/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/unbonding_delegations` */
const getDelegatorUnbondingDelegations: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations',
    QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: param(r, 0), pagination: pageRequestOf(r) }).finish(),
    QueryDelegatorUnbondingDelegationsResponse,
  );

/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/redelegations?src_validator_addr=&dst_validator_addr=` */
const getRedelegations: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/Redelegations',
    QueryRedelegationsRequest.encode({
      delegatorAddr: param(r, 0),
      srcValidatorAddr: search(r, 'src_validator_addr'),
      dstValidatorAddr: search(r, 'dst_validator_addr'),
      pagination: pageRequestOf(r),
    }).finish(),
    QueryRedelegationsResponse,
  );

/** `GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/validators` */
const getDelegatorValidators: RestHandler = (c, r) =>
  stakingGatewayQuery(
    c,
    r,
    '/cosmos.staking.v1beta1.Query/DelegatorValidators',
    QueryDelegatorValidatorsRequest.encode({ delegatorAddr: param(r, 0), pagination: pageRequestOf(r) }).finish(),
    QueryDelegatorValidatorsResponse,
  );

/** `GET /cosmos/staking/v1beta1/pool` */
const getStakingPool: RestHandler = (c, r) =>
  stakingGatewayQuery(c, r, '/cosmos.staking.v1beta1.Query/Pool', QueryPoolRequest.encode({}).finish(), QueryPoolResponse);

/** `GET /cosmos/staking/v1beta1/params` */
const getStakingParams: RestHandler = (c, r) =>
  stakingGatewayQuery(c, r, '/cosmos.staking.v1beta1.Query/Params', StakingParamsRequest.encode({}).finish(), StakingParamsResponse);

/** The staking module's REST (LCD) routes, in matching order (fixed segments before `{param}` ones). */
export const stakingRestRoutes: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/staking/v1beta1/validators', handler: getValidators },
  { method: 'GET', path: '/cosmos/staking/v1beta1/validators/{validator_addr}', handler: getValidator },
  { method: 'GET', path: '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations', handler: getValidatorDelegations },
  { method: 'GET', path: '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}', handler: getDelegation },
  {
    method: 'GET',
    path: '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation',
    handler: getUnbondingDelegation,
  },
  {
    method: 'GET',
    path: '/cosmos/staking/v1beta1/validators/{validator_addr}/unbonding_delegations',
    handler: getValidatorUnbondingDelegations,
  },
  { method: 'GET', path: '/cosmos/staking/v1beta1/delegations/{delegator_addr}', handler: getDelegatorDelegations },
  {
    method: 'GET',
    path: '/cosmos/staking/v1beta1/delegators/{delegator_addr}/unbonding_delegations',
    handler: getDelegatorUnbondingDelegations,
  },
  { method: 'GET', path: '/cosmos/staking/v1beta1/delegators/{delegator_addr}/redelegations', handler: getRedelegations },
  { method: 'GET', path: '/cosmos/staking/v1beta1/delegators/{delegator_addr}/validators', handler: getDelegatorValidators },
  { method: 'GET', path: '/cosmos/staking/v1beta1/pool', handler: getStakingPool },
  { method: 'GET', path: '/cosmos/staking/v1beta1/params', handler: getStakingParams },
];
