/**
 * The route table of the REST (LCD) server: the Cosmos SDK gateway paths wallets and explorers call,
 * each bound to its handler. The first route whose method and path match wins, so fixed segments
 * (`blocks/latest`, `supply/by_denom`) come before the `{param}` routes that would also match them.
 */
import { simulate } from './txRoutes.ts';
import { broadcastTx, getBlockByHeight, getLatestBlock, getNodeInfo, getSyncing, getTx } from './cometRoutes.ts';
import { PARAMS_ROUTES } from './paramsRoutes.ts';
import { getBlockWithTxs, getTxsEvent } from './txSearch.ts';
import { getLatestValidatorSet, getValidatorSetByHeight } from './validatorSets.ts';
import type { RestHandler, RestMethod, RestRoute } from '../../core/index.ts';

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

/** The node's own routes before the modules' (CometBFT's node, syncing, blocks and validator sets; legacy params). */
const NODE_ROUTES: readonly RestRoute[] = [
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/node_info', handler: getNodeInfo },
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/syncing', handler: getSyncing },
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/blocks/latest', handler: getLatestBlock },
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/blocks/{height}', handler: getBlockByHeight },
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/validatorsets/latest', handler: getLatestValidatorSet },
  { method: 'GET', path: '/cosmos/base/tendermint/v1beta1/validatorsets/{height}', handler: getValidatorSetByHeight },
  ...PARAMS_ROUTES,
];

/** The tx service's routes after the modules'. */
const TX_ROUTES: readonly RestRoute[] = [
  { method: 'POST', path: '/cosmos/tx/v1beta1/simulate', handler: simulate },
  { method: 'GET', path: '/cosmos/tx/v1beta1/txs', handler: getTxsEvent },
  { method: 'POST', path: '/cosmos/tx/v1beta1/txs', handler: broadcastTx },
  { method: 'GET', path: '/cosmos/tx/v1beta1/txs/block/{height}', handler: getBlockWithTxs },
  { method: 'GET', path: '/cosmos/tx/v1beta1/txs/{hash}', handler: getTx },
];

/**
 * Every route served, in matching order: the node's, the modules' (from their descriptors), the
 * tx service's.
 */
export function restRoutes(moduleRoutes: readonly RestRoute[]): CompiledRoute[] {
  return [...NODE_ROUTES, ...moduleRoutes, ...TX_ROUTES].map(({ method, path, handler }) => route(method, path, handler));
}

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
export function matchRoute(method: string, pathname: string, routes: readonly CompiledRoute[]): RouteMatch {
  const allow: RestMethod[] = [];
  for (const candidate of routes) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    if (candidate.method === method) return { kind: 'found', route: candidate, params: match.slice(1) };
    if (!allow.includes(candidate.method)) allow.push(candidate.method);
  }
  return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'none' };
}
