/**
 * The bank module's subtree: balances at `/accounts/<address>/balance/<denom>` and the supply at
 * `/bank/supply/<denom>`, decimal strings. A zero balance is no leaf at all. Denom metadata (how a
 * denom is displayed) at `/bank/denom_metadata/<base denom>`, canonical JSON.
 * Denoms may hold `/` (`ibc/...`), which is not allowed in a label, so it is written as `%2F`
 * (`%` itself is not a denom character, so the mapping is one to one).
 */
import { RecentResults } from '../../core/index.ts';
import { keepCanonicalPath } from '../../tree/index.ts';

export const SUPPLY_ROOT = '/bank/supply';
export const DENOM_METADATA_ROOT = '/bank/denom_metadata';
/** Balances sit under each account's node (`/accounts/<address>/balance`); the rest of it is auth's. */
export const ACCOUNTS_ROOT = '/accounts';

export const denomToLabel = (denom: string): string => denom.replaceAll('/', '%2F');
export const labelToDenom = (label: string): string => label.replaceAll('%2F', '/');

export const balancesPath = (address: string): string => `/accounts/${address}/balance`;
export const balancePath = (address: string, denom: string): string => {
  const paths = recentBalancePaths.get(address) ?? recentBalancePaths.remember(address, new Map());
  const known = paths.get(denom);
  if (known !== undefined) return known;
  const path = `/accounts/${address}/balance/${denomToLabel(denom)}`;
  if (paths.size >= DENOMS_CACHED_PER_ADDRESS) return path;
  // An invalid path (a bad address or denom) comes back as it is: the read or write that uses it fails as before.
  const kept = keepCanonicalPath(path);
  paths.set(denom, kept);
  return kept;
};

/**
 * The balance paths of the accounts used lately, by denom, each built once and kept for the path
 * checks (as auth's account paths: a send reads and writes its balances in each of CheckTx, recheck
 * and FinalizeBlock).
 */
const recentBalancePaths = new RecentResults<Map<string, string>>(8192);
/** An account's paths of more denoms than this are built each time. */
const DENOMS_CACHED_PER_ADDRESS = 16;
export const supplyPath = (denom: string): string => `${SUPPLY_ROOT}/${denomToLabel(denom)}`;
export const denomMetadataPath = (denom: string): string => `${DENOM_METADATA_ROOT}/${denomToLabel(denom)}`;
