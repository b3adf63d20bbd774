/**
 * The auth module's subtree: `/accounts/<address>/{number,sequence,pub_key,vesting}` and
 * `/auth/next_account_number`. (`/accounts/<address>/balance/...` belongs to bank.)
 */
export const ACCOUNTS_ROOT = '/accounts';
export const NEXT_ACCOUNT_NUMBER_PATH = '/auth/next_account_number';
export const AUTH_ROOT = '/auth';

export const accountNumberPath = (address: string): string => `/accounts/${address}/number`;
export const accountSequencePath = (address: string): string => `/accounts/${address}/sequence`;
export const accountPubkeyPath = (address: string): string => `/accounts/${address}/pub_key`;
/** A vesting account's schedule and delegation tracking (no leaf for any other account). */
export const accountVestingPath = (address: string): string => `/accounts/${address}/vesting`;
/** The module account that collects fees (distribution pays them to validators and delegators). */
export const FEE_COLLECTOR = 'fee_collector';
