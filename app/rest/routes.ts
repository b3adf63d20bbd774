/**
 * The route table of the REST (LCD) server: the Cosmos SDK gateway paths wallets and explorers call,
 * each bound to its handler. The first route whose method and path match wins, so fixed segments
 * (`blocks/latest`, `supply/by_denom`) come before the `{param}` routes that would also match them.
 */
import {
  getAccount,
  getAllBalances,
  getAuthParams,
  getBalance,
  getSpendableBalances,
  getSupplyOf,
  getTotalSupply,
  simulate,
} from './abciRoutes.ts';
import { broadcastTx, getBlockByHeight, getLatestBlock, getNodeInfo, getSyncing, getTx } from './cometRoutes.ts';
import {
  getCommunityPool,
  getDelegation,
  getDelegationRewards,
  getDelegationTotalRewards,
  getDelegatorDelegations,
  getDelegatorUnbondingDelegations,
  getDelegatorValidators,
  getDistributionDelegatorValidators,
  getDistributionParams,
  getMintAnnualProvisions,
  getMintInflation,
  getMintParams,
  getRedelegations,
  getSigningInfo,
  getSigningInfos,
  getSlashingParams,
  getStakingParams,
  getStakingPool,
  getUnbondingDelegation,
  getValidator,
  getValidatorCommission,
  getValidatorDelegations,
  getValidatorOutstandingRewards,
  getValidators,
  getValidatorUnbondingDelegations,
  getWithdrawAddress,
} from './stakingRoutes.ts';
import type { RestHandler } from './types.ts';

export type RestMethod = 'GET' | 'POST';

export interface RestRoute {
  readonly method: RestMethod;
  /** The path template, `{name}` standing for one path segment. */
  readonly path: string;
  readonly handler: RestHandler;
}

export interface CompiledRoute extends RestRoute {
  readonly pattern: RegExp;
}

function route(method: RestMethod, path: string, handler: RestHandler): CompiledRoute {
  const source = path
    .split('/')
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, path, handler, pattern: new RegExp(`^${source}$`) };
}

/** Every route served, in matching order. */
export const restRoutes: readonly CompiledRoute[] = [
  route('GET', '/cosmos/base/tendermint/v1beta1/node_info', getNodeInfo),
  route('GET', '/cosmos/base/tendermint/v1beta1/syncing', getSyncing),
  route('GET', '/cosmos/base/tendermint/v1beta1/blocks/latest', getLatestBlock),
  route('GET', '/cosmos/base/tendermint/v1beta1/blocks/{height}', getBlockByHeight),
  route('GET', '/cosmos/auth/v1beta1/accounts/{address}', getAccount),
  route('GET', '/cosmos/auth/v1beta1/params', getAuthParams),
  route('GET', '/cosmos/bank/v1beta1/balances/{address}', getAllBalances),
  route('GET', '/cosmos/bank/v1beta1/balances/{address}/by_denom', getBalance),
  route('GET', '/cosmos/bank/v1beta1/spendable_balances/{address}', getSpendableBalances),
  route('GET', '/cosmos/bank/v1beta1/supply', getTotalSupply),
  route('GET', '/cosmos/bank/v1beta1/supply/by_denom', getSupplyOf),
  route('GET', '/cosmos/bank/v1beta1/supply/{denom}', getSupplyOf),
  route('GET', '/cosmos/staking/v1beta1/validators', getValidators),
  route('GET', '/cosmos/staking/v1beta1/validators/{validator_addr}', getValidator),
  route('GET', '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations', getValidatorDelegations),
  route('GET', '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}', getDelegation),
  route(
    'GET',
    '/cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation',
    getUnbondingDelegation,
  ),
  route('GET', '/cosmos/staking/v1beta1/validators/{validator_addr}/unbonding_delegations', getValidatorUnbondingDelegations),
  route('GET', '/cosmos/staking/v1beta1/delegations/{delegator_addr}', getDelegatorDelegations),
  route('GET', '/cosmos/staking/v1beta1/delegators/{delegator_addr}/unbonding_delegations', getDelegatorUnbondingDelegations),
  route('GET', '/cosmos/staking/v1beta1/delegators/{delegator_addr}/redelegations', getRedelegations),
  route('GET', '/cosmos/staking/v1beta1/delegators/{delegator_addr}/validators', getDelegatorValidators),
  route('GET', '/cosmos/staking/v1beta1/pool', getStakingPool),
  route('GET', '/cosmos/staking/v1beta1/params', getStakingParams),
  route('GET', '/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards', getDelegationTotalRewards),
  route('GET', '/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}', getDelegationRewards),
  route('GET', '/cosmos/distribution/v1beta1/delegators/{delegator_address}/validators', getDistributionDelegatorValidators),
  route('GET', '/cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address', getWithdrawAddress),
  route('GET', '/cosmos/distribution/v1beta1/validators/{validator_address}/commission', getValidatorCommission),
  route('GET', '/cosmos/distribution/v1beta1/validators/{validator_address}/outstanding_rewards', getValidatorOutstandingRewards),
  route('GET', '/cosmos/distribution/v1beta1/community_pool', getCommunityPool),
  route('GET', '/cosmos/distribution/v1beta1/params', getDistributionParams),
  route('GET', '/cosmos/mint/v1beta1/inflation', getMintInflation),
  route('GET', '/cosmos/mint/v1beta1/annual_provisions', getMintAnnualProvisions),
  route('GET', '/cosmos/mint/v1beta1/params', getMintParams),
  route('GET', '/cosmos/slashing/v1beta1/signing_infos', getSigningInfos),
  route('GET', '/cosmos/slashing/v1beta1/signing_infos/{cons_address}', getSigningInfo),
  route('GET', '/cosmos/slashing/v1beta1/params', getSlashingParams),
  route('POST', '/cosmos/tx/v1beta1/simulate', simulate),
  route('POST', '/cosmos/tx/v1beta1/txs', broadcastTx),
  route('GET', '/cosmos/tx/v1beta1/txs/{hash}', getTx),
];

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: CompiledRoute; readonly params: string[] }
  | { readonly kind: 'wrong-method'; readonly allow: RestMethod[] }
  | { readonly kind: 'none' };

/**
 * Finds the route for a request. Params come back still percent-encoded; the caller decodes them.
 *
 * @example
 * matchRoute('GET', '/cosmos/auth/v1beta1/accounts/ain1xyz') // { kind: 'found', route, params: ['ain1xyz'] }
 */
export function matchRoute(method: string, pathname: string, routes: readonly CompiledRoute[] = restRoutes): RouteMatch {
  const allow: RestMethod[] = [];
  for (const candidate of routes) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    if (candidate.method === method) return { kind: 'found', route: candidate, params: match.slice(1) };
    if (!allow.includes(candidate.method)) allow.push(candidate.method);
  }
  return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'none' };
}
