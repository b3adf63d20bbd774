/**
 * The bank module's subtree: balances at `/accounts/<address>/balance/<denom>` and the supply at
 * `/bank/supply/<denom>`, decimal strings. A zero balance is no leaf at all. Denom metadata (how a
 * denom is displayed) at `/bank/denom_metadata/<base denom>`, canonical JSON.
 * Denoms may hold `/` (`ibc/...`), which is not allowed in a label, so it is written as `%2F`
 * (`%` itself is not a denom character, so the mapping is one to one).
 */
export const SUPPLY_ROOT = '/bank/supply';
export const DENOM_METADATA_ROOT = '/bank/denom_metadata';
/** Balances sit under each account's node (`/accounts/<address>/balance`); the rest of it is auth's. */
export const ACCOUNTS_ROOT = '/accounts';

export const denomToLabel = (denom: string): string => denom.replaceAll('/', '%2F');
export const labelToDenom = (label: string): string => label.replaceAll('%2F', '/');

export const balancesPath = (address: string): string => `/accounts/${address}/balance`;
export const balancePath = (address: string, denom: string): string => `/accounts/${address}/balance/${denomToLabel(denom)}`;
export const supplyPath = (denom: string): string => `${SUPPLY_ROOT}/${denomToLabel(denom)}`;
export const denomMetadataPath = (denom: string): string => `${DENOM_METADATA_ROOT}/${denomToLabel(denom)}`;
