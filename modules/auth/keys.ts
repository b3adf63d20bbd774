/**
 * The auth module's subtree: `/accounts/<address>/{number,sequence,pub_key,vesting}` and
 * `/auth/next_account_number`. (`/accounts/<address>/balance/...` belongs to bank.)
 */
import { RecentResults } from '../../core/index.ts';
import { keepCanonicalPath } from '../../tree/index.ts';

export const ACCOUNTS_ROOT = '/accounts';
export const NEXT_ACCOUNT_NUMBER_PATH = '/auth/next_account_number';
export const AUTH_ROOT = '/auth';

export const accountNumberPath = (address: string): string => accountPaths(address).number;
export const accountSequencePath = (address: string): string => accountPaths(address).sequence;
export const accountPubkeyPath = (address: string): string => accountPaths(address).pubkey;
/** A vesting account's schedule and delegation tracking (no leaf for any other account). */
export const accountVestingPath = (address: string): string => accountPaths(address).vesting;

interface AccountPaths {
  readonly number: string;
  readonly sequence: string;
  readonly pubkey: string;
  readonly vesting: string;
}

/**
 * The paths of the accounts used lately, each built once. A send reads or writes its two accounts'
 * paths some 18 times in each of CheckTx, recheck and FinalizeBlock; a path built anew is flattened,
 * checked and hashed again by each of them, where the same string is checked once and hashed once.
 */
const recentAccountPaths = new RecentResults<AccountPaths>(8192);

function accountPaths(address: string): AccountPaths {
  return (
    recentAccountPaths.get(address) ??
    recentAccountPaths.remember(address, {
      number: keepCanonicalPath(`/accounts/${address}/number`),
      sequence: keepCanonicalPath(`/accounts/${address}/sequence`),
      pubkey: keepCanonicalPath(`/accounts/${address}/pub_key`),
      vesting: keepCanonicalPath(`/accounts/${address}/vesting`),
    })
  );
}

/** The module account that collects fees (distribution pays them to validators and delegators). */
export const FEE_COLLECTOR = 'fee_collector';
