import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsResponse,
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
  QueryAnnualProvisionsResponse,
  QueryInflationResponse,
  QueryParamsResponse as MintParamsResponse,
} from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { decodeQueryRequest, ainError, parseAddress, DEC_ONE, decToAtomics, paginate } from '../../core/index.ts';
import type { QueryRegistrar, ReadableState } from '../../core/index.ts';
import { parseValoper, valoperToAccount } from '../staking/index.ts';
import { addDecCoins, type DecCoin, type DecCoins } from './decCoins.ts';
import { computeAnnualProvisions } from '../compute/index.ts';
import { ErrNoDelegationExists, ErrNoValidatorExists } from './errors.ts';
import type { StakingKeeper } from './expected_keepers.ts';
import type { DistributionKeeper } from './keeper.ts';

/** DecCoins in protobuf form (LegacyDec atomics, as the SDK's wire carries them). */
const toProto = (coins: DecCoins) => coins.map((c) => ({ denom: c.denom, amount: decToAtomics(c.amount) }));

/**
 * The standard `cosmos.distribution.v1beta1.Query` paths (CosmJS's distribution extension, wallets'
 * reward pages). ValidatorSlashes answers an empty list: rewards here are per share, so slashes need no
 * bookkeeping (see README.md).
 */
export function registerDistributionQueries(router: QueryRegistrar, keeper: DistributionKeeper, staking: StakingKeeper): void {
  const requireValidator = (state: ReadableState, valoper: string) => {
    parseValoper(valoper, 'validator_address');
    if (!staking.getValidator(state, valoper)) throw ainError(ErrNoValidatorExists, `validator ${valoper} does not exist`);
  };

  router.register('/cosmos.distribution.v1beta1.Query/Params', (state) => {
    const params = keeper.params(state);
    return QueryParamsResponse.encode({
      params: {
        communityTax: decToAtomics(params.communityTax),
        baseProposerReward: '0',
        bonusProposerReward: '0',
        withdrawAddrEnabled: params.withdrawAddrEnabled,
      },
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/DelegationRewards', (state, data) => {
    const { delegatorAddress, validatorAddress } = decodeQueryRequest(QueryDelegationRewardsRequest, data);
    parseAddress(delegatorAddress, 'delegator_address');
    requireValidator(state, validatorAddress);
    if (staking.getDelegation(state, delegatorAddress, validatorAddress) === undefined) {
      throw ainError(ErrNoDelegationExists, `${delegatorAddress} has no delegation to ${validatorAddress}`);
    }
    return QueryDelegationRewardsResponse.encode({
      rewards: toProto(keeper.delegationRewards(state, delegatorAddress, validatorAddress)),
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/DelegationTotalRewards', (state, data) => {
    const { delegatorAddress } = decodeQueryRequest(QueryDelegationTotalRewardsRequest, data);
    parseAddress(delegatorAddress, 'delegator_address');
    let total: DecCoin[] = [];
    const rewards = staking.delegatorDelegations(state, delegatorAddress).map((d) => {
      const reward = keeper.delegationRewards(state, delegatorAddress, d.validator);
      total = addDecCoins(total, reward);
      return { validatorAddress: d.validator, reward: toProto(reward) };
    });
    return QueryDelegationTotalRewardsResponse.encode({ rewards, total: toProto(total) }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards', (state, data) => {
    const { validatorAddress } = decodeQueryRequest(QueryValidatorOutstandingRewardsRequest, data);
    requireValidator(state, validatorAddress);
    return QueryValidatorOutstandingRewardsResponse.encode({
      rewards: { rewards: toProto(keeper.outstanding(state, validatorAddress)) },
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/ValidatorCommission', (state, data) => {
    const { validatorAddress } = decodeQueryRequest(QueryValidatorCommissionRequest, data);
    requireValidator(state, validatorAddress);
    return QueryValidatorCommissionResponse.encode({
      commission: { commission: toProto(keeper.commission(state, validatorAddress)) },
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo', (state, data) => {
    const { validatorAddress } = decodeQueryRequest(QueryValidatorDistributionInfoRequest, data);
    requireValidator(state, validatorAddress);
    return QueryValidatorDistributionInfoResponse.encode({
      operatorAddress: valoperToAccount(validatorAddress),
      selfBondRewards: toProto(keeper.delegationRewards(state, valoperToAccount(validatorAddress), validatorAddress)),
      commission: toProto(keeper.commission(state, validatorAddress)),
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/ValidatorSlashes', (state, data) => {
    const { validatorAddress, pagination } = decodeQueryRequest(QueryValidatorSlashesRequest, data);
    requireValidator(state, validatorAddress);
    // No slash events are kept (see README.md): an empty list, paged as any other.
    const page = paginate([] as string[], (key) => key, pagination);
    return QueryValidatorSlashesResponse.encode({ slashes: [], pagination: page.pagination }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/CommunityPool', (state) =>
    QueryCommunityPoolResponse.encode({ pool: toProto(keeper.communityPool(state)) }).finish(),
  );
  router.register('/cosmos.distribution.v1beta1.Query/DelegatorValidators', (state, data) => {
    const { delegatorAddress } = decodeQueryRequest(QueryDelegatorValidatorsRequest, data);
    parseAddress(delegatorAddress, 'delegator_address');
    return QueryDelegatorValidatorsResponse.encode({
      validators: staking.delegatorDelegations(state, delegatorAddress).map((d) => d.validator),
    }).finish();
  });
  router.register('/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress', (state, data) => {
    const { delegatorAddress } = decodeQueryRequest(QueryDelegatorWithdrawAddressRequest, data);
    parseAddress(delegatorAddress, 'delegator_address');
    return QueryDelegatorWithdrawAddressResponse.encode({ withdrawAddress: keeper.withdrawAddress(state, delegatorAddress) }).finish();
  });
}

/**
 * The `cosmos.mint.v1beta1.Query` paths wallets call for an APR. This chain mints a fixed
 * `block_reward` per block (no inflation curve), so: annual provisions = block_reward x
 * blocks_per_year; inflation = annual provisions / the bond denom's supply (18-decimal LegacyDec,
 * rounded down); params report that inflation as min = max with no rate change.
 */
export function registerMintQueries(
  router: QueryRegistrar,
  keeper: DistributionKeeper,
  bondDenom: (state: ReadableState) => string,
  supplyOf: (state: ReadableState, denom: string) => bigint,
): void {
  const figures = (state: ReadableState) => {
    const params = keeper.params(state);
    // The fixed block reward, plus compute-driven supply at its last epoch's rate (0 while it is off).
    const annualProvisions = params.blockReward * params.blocksPerYear + computeAnnualProvisions(state, params.blocksPerYear);
    const supply = supplyOf(state, bondDenom(state));
    const inflation = supply === 0n ? 0n : (annualProvisions * DEC_ONE) / supply;
    return { params, annualProvisions, inflation };
  };
  const decBytes = (atomics: bigint) => new TextEncoder().encode(atomics.toString());
  router.register('/cosmos.mint.v1beta1.Query/Inflation', (state) =>
    QueryInflationResponse.encode({ inflation: decBytes(figures(state).inflation) }).finish(),
  );
  router.register('/cosmos.mint.v1beta1.Query/AnnualProvisions', (state) =>
    QueryAnnualProvisionsResponse.encode({ annualProvisions: decBytes(figures(state).annualProvisions * DEC_ONE) }).finish(),
  );
  router.register('/cosmos.mint.v1beta1.Query/Params', (state) => {
    const { params, inflation } = figures(state);
    return MintParamsResponse.encode({
      params: {
        mintDenom: bondDenom(state),
        inflationRateChange: '0',
        inflationMax: inflation.toString(),
        inflationMin: inflation.toString(),
        goalBonded: '0',
        blocksPerYear: params.blocksPerYear,
      },
    }).finish();
  });
}
