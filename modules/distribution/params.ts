import type { Params as ParamsProto } from 'cosmjs-types/cosmos/distribution/v1beta1/distribution';
import { ainError, ErrInvalidRequest, parseAmount, DEC_ONE, decFromAtomics, decFromText, decToText } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { PARAMS_ROOT } from './keys.ts';

export interface DistributionParams {
  /** Share of every block's rewards (fees and minted) that goes to the community pool (atomics). */
  readonly communityTax: bigint;
  /** Bond-denom units minted every block as the block reward (inflation: a fixed amount per block). */
  readonly blockReward: bigint;
  readonly withdrawAddrEnabled: boolean;
  /** Expected blocks per year: only for the mint queries' inflation figures (wallets show an APR). */
  readonly blocksPerYear: bigint;
}

/** The Cosmos SDK's default: 5 s blocks. */
export const DEFAULT_BLOCKS_PER_YEAR = 6_311_520n;

/** `app_state.distribution.params` as JSON. */
export interface DistributionParamsJson {
  /** Decimal, e.g. "0.02". */
  community_tax: string;
  /** Integer amount of the bond denom minted per block, e.g. "1000000" (1 AIN). */
  block_reward: string;
  withdraw_addr_enabled: boolean;
  /** Optional (default 6311520): expected blocks per year, for the mint queries' inflation figures. */
  blocks_per_year?: string;
}

export function defaultDistributionParams(): DistributionParamsJson {
  return { community_tax: '0.02', block_reward: '1000000', withdraw_addr_enabled: true };
}

export function distributionParamsFromJson(json: DistributionParamsJson): DistributionParams {
  if (json === null || typeof json !== 'object') throw ainError(ErrInvalidRequest, 'distribution.params must be an object');
  const communityTax = decFromText(String(json.community_tax), 'distribution.params.community_tax');
  if (communityTax > DEC_ONE) throw ainError(ErrInvalidRequest, 'distribution.params.community_tax must be at most 1');
  if (typeof json.withdraw_addr_enabled !== 'boolean') {
    throw ainError(ErrInvalidRequest, 'distribution.params.withdraw_addr_enabled must be true or false');
  }
  const blockReward = parseAmount(String(json.block_reward), 'distribution.params.block_reward');
  if (blockReward > 10n ** 30n) throw ainError(ErrInvalidRequest, 'distribution.params.block_reward must be at most 10^30');
  const blocksPerYear =
    json.blocks_per_year === undefined
      ? DEFAULT_BLOCKS_PER_YEAR
      : parseAmount(String(json.blocks_per_year), 'distribution.params.blocks_per_year');
  if (blocksPerYear === 0n || blocksPerYear > 10n ** 12n)
    throw ainError(ErrInvalidRequest, 'distribution.params.blocks_per_year must be from 1 to 10^12');
  return { communityTax, blockReward, withdrawAddrEnabled: json.withdraw_addr_enabled, blocksPerYear };
}

/** The params as genesis JSON, what `distributionParamsFromJson` reads back. */
export function distributionParamsToJson(params: DistributionParams): DistributionParamsJson {
  return {
    community_tax: decToText(params.communityTax),
    block_reward: params.blockReward.toString(),
    withdraw_addr_enabled: params.withdrawAddrEnabled,
    blocks_per_year: params.blocksPerYear.toString(),
  };
}

export function writeDistributionParams(state: WritableState, params: DistributionParams): void {
  state.set(`${PARAMS_ROOT}/community_tax`, decToText(params.communityTax));
  state.set(`${PARAMS_ROOT}/block_reward`, params.blockReward.toString());
  state.set(`${PARAMS_ROOT}/withdraw_addr_enabled`, params.withdrawAddrEnabled);
  state.set(`${PARAMS_ROOT}/blocks_per_year`, params.blocksPerYear.toString());
}

export function readDistributionParams(state: ReadableState): DistributionParams {
  const read = (name: string) => {
    const value = state.get(`${PARAMS_ROOT}/${name}`);
    if (value === undefined) throw new Error(`state invariant broken: ${PARAMS_ROOT}/${name} is missing`);
    return value;
  };
  return {
    communityTax: decFromText(String(read('community_tax')), 'community_tax'),
    blockReward: BigInt(read('block_reward') as string),
    withdrawAddrEnabled: read('withdraw_addr_enabled') === true,
    // Absent in chains started before the param existed.
    blocksPerYear: BigInt((state.get(`${PARAMS_ROOT}/blocks_per_year`) as string | undefined) ?? DEFAULT_BLOCKS_PER_YEAR),
  };
}

/**
 * The params of a `cosmos.distribution.v1beta1.MsgUpdateParams` (governance): the community tax and
 * whether withdraw addresses may be set; the SDK's deprecated proposer rewards must be zero. The
 * block reward and blocks per year (this chain's mint, not in the SDK's message) stay as they are.
 * @throws AinError sdk/18 naming the field
 */
export function distributionParamsFromProto(proto: ParamsProto, current: DistributionParams): DistributionParams {
  for (const [field, value] of [
    ['params.base_proposer_reward', proto.baseProposerReward],
    ['params.bonus_proposer_reward', proto.bonusProposerReward],
  ] as const)
    if (value !== '' && decFromAtomics(value, field) !== 0n)
      throw ainError(ErrInvalidRequest, `${field} must be 0: proposer rewards are not paid on this chain`, { field });
  const communityTax = decFromAtomics(proto.communityTax, 'params.community_tax');
  return distributionParamsFromJson({
    ...distributionParamsToJson(current),
    community_tax: decToText(communityTax),
    withdraw_addr_enabled: proto.withdrawAddrEnabled,
  });
}
