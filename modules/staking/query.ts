import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryParamsResponse,
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
  bondStatusToJSON,
  type DelegationResponse,
  type RedelegationResponse,
  type UnbondingDelegation,
} from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import {
  decodeQueryRequest,
  ainError,
  comparePathKeys,
  ErrInvalidRequest,
  paginate,
  parseAddress,
  decToAtomics,
} from '../../core/index.ts';
import type { PageRequest, QueryRegistrar, ReadableState } from '../../core/index.ts';
import { parseValoper } from './address.ts';
import { ErrNoDelegation, ErrNoRedelegation, ErrNoUnbondingDelegation } from './errors.ts';
import type { DelegationRecord, RedelegationRecord, StakingKeeper, UnbondingRecord } from './keeper.ts';
import { tokensFromShares, validatorToProto } from './validator.ts';

const STATUSES = ['BOND_STATUS_BONDED', 'BOND_STATUS_UNBONDING', 'BOND_STATUS_UNBONDED'];

/** One page of `items` keyed by `keyOf` (sorted here, so every list pages in one key order). */
function page<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest | undefined) {
  const sorted = [...items].sort((a, b) => comparePathKeys(keyOf(a), keyOf(b)));
  return paginate(sorted, keyOf, request);
}
const timestamp = (seconds: bigint) => ({ seconds, nanos: 0 });

/**
 * The standard `cosmos.staking.v1beta1.Query` paths CosmJS's staking extension and wallets call. Lists
 * are paged as the SDK pages them (`pagination`: key or offset, limit 100 by default and at most 1,000),
 * each over its bounded list (validators at most 1,000; a validator's delegations at most 1,000). Not
 * served: HistoricalInfo (no historical entries are kept).
 */
export function registerStakingQueries(router: QueryRegistrar, keeper: StakingKeeper): void {
  const denomOf = (state: ReadableState) => keeper.params(state).bondDenom;
  const delegationResponse = (state: ReadableState, record: DelegationRecord): DelegationResponse => {
    const validator = keeper.getValidator(state, record.validator);
    const tokens = validator ? tokensFromShares(validator, record.shares) : 0n;
    return {
      delegation: { delegatorAddress: record.delegator, validatorAddress: record.validator, shares: decToAtomics(record.shares) },
      balance: { denom: denomOf(state), amount: tokens.toString() },
    };
  };
  const unbondingResponse = (record: UnbondingRecord): UnbondingDelegation => ({
    delegatorAddress: record.delegator,
    validatorAddress: record.validator,
    entries: record.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTime: timestamp(e.completionTime),
      initialBalance: e.initialBalance.toString(),
      balance: e.balance.toString(),
      unbondingId: e.unbondingId,
      unbondingOnHoldRefCount: 0n,
    })),
  });
  const redelegationResponse = (state: ReadableState, record: RedelegationRecord): RedelegationResponse => {
    const dst = keeper.getValidator(state, record.dst);
    const entries = record.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTime: timestamp(e.completionTime),
      initialBalance: e.initialBalance.toString(),
      sharesDst: decToAtomics(e.sharesDst),
      unbondingId: e.unbondingId,
      unbondingOnHoldRefCount: 0n,
    }));
    return {
      redelegation: { delegatorAddress: record.delegator, validatorSrcAddress: record.src, validatorDstAddress: record.dst, entries },
      entries: record.entries.map((e, i) => ({
        redelegationEntry: entries[i]!,
        balance: (dst ? tokensFromShares(dst, e.sharesDst) : 0n).toString(),
      })),
    };
  };

  router.register('/cosmos.staking.v1beta1.Query/Validators', (state, data) => {
    const { status, pagination } = decodeQueryRequest(QueryValidatorsRequest, data);
    if (status !== '' && !STATUSES.includes(status)) {
      throw ainError(ErrInvalidRequest, `status "${status}" is not one of ${STATUSES.join(', ')} (or empty for all)`);
    }
    const matching = keeper.validators(state).filter((v) => status === '' || bondStatusToJSON(v.status) === status);
    const found = page(matching, (v) => v.operatorAddress, pagination);
    return QueryValidatorsResponse.encode({ validators: found.items.map(validatorToProto), pagination: found.pagination }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/Validator', (state, data) => {
    const { validatorAddr } = decodeQueryRequest(QueryValidatorRequest, data);
    parseValoper(validatorAddr, 'validator_addr');
    return QueryValidatorResponse.encode({ validator: validatorToProto(keeper.requireValidator(state, validatorAddr)) }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/ValidatorDelegations', (state, data) => {
    const { validatorAddr, pagination } = decodeQueryRequest(QueryValidatorDelegationsRequest, data);
    parseValoper(validatorAddr, 'validator_addr');
    const found = page(keeper.validatorDelegations(state, validatorAddr), (d) => d.delegator, pagination);
    return QueryValidatorDelegationsResponse.encode({
      delegationResponses: found.items.map((d) => delegationResponse(state, d)),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations', (state, data) => {
    const { validatorAddr, pagination } = decodeQueryRequest(QueryValidatorUnbondingDelegationsRequest, data);
    parseValoper(validatorAddr, 'validator_addr');
    const found = page(keeper.validatorUnbondings(state, validatorAddr), (u) => u.delegator, pagination);
    return QueryValidatorUnbondingDelegationsResponse.encode({
      unbondingResponses: found.items.map(unbondingResponse),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/Delegation', (state, data) => {
    const { delegatorAddr, validatorAddr } = decodeQueryRequest(QueryDelegationRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    parseValoper(validatorAddr, 'validator_addr');
    const shares = keeper.getDelegation(state, delegatorAddr, validatorAddr);
    if (shares === undefined) {
      throw ainError(
        ErrNoDelegation,
        `rpc error: code = NotFound desc = delegation with delegator ${delegatorAddr} not found for validator ${validatorAddr}`,
      );
    }
    const found = delegationResponse(state, { delegator: delegatorAddr, validator: validatorAddr, shares });
    return QueryDelegationResponse.encode({ delegationResponse: found }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/UnbondingDelegation', (state, data) => {
    const { delegatorAddr, validatorAddr } = decodeQueryRequest(QueryUnbondingDelegationRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    parseValoper(validatorAddr, 'validator_addr');
    const record = keeper.getUnbonding(state, delegatorAddr, validatorAddr);
    if (!record) {
      throw ainError(
        ErrNoUnbondingDelegation,
        `rpc error: code = NotFound desc = unbonding delegation with delegator ${delegatorAddr} not found for validator ${validatorAddr}`,
      );
    }
    return QueryUnbondingDelegationResponse.encode({ unbond: unbondingResponse(record) }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/DelegatorDelegations', (state, data) => {
    const { delegatorAddr, pagination } = decodeQueryRequest(QueryDelegatorDelegationsRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    const found = page(keeper.delegatorDelegations(state, delegatorAddr), (d) => d.validator, pagination);
    return QueryDelegatorDelegationsResponse.encode({
      delegationResponses: found.items.map((d) => delegationResponse(state, d)),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations', (state, data) => {
    const { delegatorAddr, pagination } = decodeQueryRequest(QueryDelegatorUnbondingDelegationsRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    const found = page(keeper.delegatorUnbondings(state, delegatorAddr), (u) => u.validator, pagination);
    return QueryDelegatorUnbondingDelegationsResponse.encode({
      unbondingResponses: found.items.map(unbondingResponse),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/Redelegations', (state, data) => {
    const { delegatorAddr, srcValidatorAddr, dstValidatorAddr, pagination } = decodeQueryRequest(QueryRedelegationsRequest, data);
    if (delegatorAddr !== '') parseAddress(delegatorAddr, 'delegator_addr');
    if (srcValidatorAddr !== '') parseValoper(srcValidatorAddr, 'src_validator_addr');
    if (dstValidatorAddr !== '') parseValoper(dstValidatorAddr, 'dst_validator_addr');
    let records: RedelegationRecord[];
    if (delegatorAddr !== '' && srcValidatorAddr !== '' && dstValidatorAddr !== '') {
      const record = keeper.getRedelegation(state, delegatorAddr, srcValidatorAddr, dstValidatorAddr);
      if (!record)
        throw ainError(ErrNoRedelegation, `rpc error: code = NotFound desc = redelegation not found for delegator ${delegatorAddr}`);
      records = [record];
    } else if (delegatorAddr !== '') {
      records = keeper
        .delegatorRedelegations(state, delegatorAddr)
        .filter((r) => (srcValidatorAddr === '' || r.src === srcValidatorAddr) && (dstValidatorAddr === '' || r.dst === dstValidatorAddr));
    } else if (srcValidatorAddr !== '') {
      records = keeper.srcRedelegations(state, srcValidatorAddr).filter((r) => dstValidatorAddr === '' || r.dst === dstValidatorAddr);
    } else {
      throw ainError(ErrInvalidRequest, 'give delegator_addr or src_validator_addr');
    }
    const found = page(records, (r) => `${r.delegator}/${r.src}/${r.dst}`, pagination);
    return QueryRedelegationsResponse.encode({
      redelegationResponses: found.items.map((r) => redelegationResponse(state, r)),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/DelegatorValidators', (state, data) => {
    const { delegatorAddr, pagination } = decodeQueryRequest(QueryDelegatorValidatorsRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    const validators = keeper
      .delegatorDelegations(state, delegatorAddr)
      .map((d) => keeper.getValidator(state, d.validator))
      .filter((v) => v !== undefined);
    const found = page(validators, (v) => v.operatorAddress, pagination);
    return QueryDelegatorValidatorsResponse.encode({
      validators: found.items.map(validatorToProto),
      pagination: found.pagination,
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/DelegatorValidator', (state, data) => {
    const { delegatorAddr, validatorAddr } = decodeQueryRequest(QueryDelegatorValidatorRequest, data);
    parseAddress(delegatorAddr, 'delegator_addr');
    parseValoper(validatorAddr, 'validator_addr');
    if (keeper.getDelegation(state, delegatorAddr, validatorAddr) === undefined) {
      throw ainError(
        ErrNoDelegation,
        `rpc error: code = NotFound desc = delegation with delegator ${delegatorAddr} not found for validator ${validatorAddr}`,
      );
    }
    return QueryDelegatorValidatorResponse.encode({ validator: validatorToProto(keeper.requireValidator(state, validatorAddr)) }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/Pool', (state) => {
    const pool = keeper.pool(state);
    return QueryPoolResponse.encode({
      pool: { bondedTokens: pool.bonded.toString(), notBondedTokens: pool.notBonded.toString() },
    }).finish();
  });
  router.register('/cosmos.staking.v1beta1.Query/Params', (state) => {
    const params = keeper.params(state);
    return QueryParamsResponse.encode({
      params: {
        unbondingTime: { seconds: params.unbondingTime, nanos: 0 },
        maxValidators: params.maxValidators,
        maxEntries: params.maxEntries,
        historicalEntries: 0,
        bondDenom: params.bondDenom,
        minCommissionRate: decToAtomics(params.minCommissionRate),
      },
    }).finish();
  });
}
