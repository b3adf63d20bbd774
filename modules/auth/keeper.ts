import type { Coin, Page, PageRequest, ReadableState, WritableState } from '../../core/index.ts';
import { decodeRecord, encodeRecord, paginateList, unmeteredView } from '../../core/index.ts';
import {
  ACCOUNTS_ROOT,
  accountNumberPath,
  accountPubkeyPath,
  accountSequencePath,
  accountVestingPath,
  NEXT_ACCOUNT_NUMBER_PATH,
} from './keys.ts';
import {
  lockedAmount,
  trackDelegation,
  trackUndelegation,
  type Vesting,
  type VestingRecord,
  vestingFromRecord,
  vestingToRecord,
} from './vesting.ts';

/** Most leaves an Accounts query reads under `/accounts` (each account has 2-3, plus its balances). */
export const MAX_ACCOUNT_LEAVES_SCANNED = 200_000;

/** An account as stored: the numbers are uint64 kept as bigint. */
export interface Account {
  readonly address: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Compressed secp256k1 key, known after the account's first signed tx. */
  readonly pubkey: Uint8Array | undefined;
}

function readBigint(state: ReadableState, path: string): bigint | undefined {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : undefined;
}

/** The only code that reads or writes the auth subtree. */
export class AuthKeeper {
  getAccount(state: ReadableState, address: string): Account | undefined {
    const accountNumber = readBigint(state, accountNumberPath(address));
    if (accountNumber === undefined) return undefined;
    const pubkey = state.get(accountPubkeyPath(address));
    return {
      address,
      accountNumber,
      sequence: readBigint(state, accountSequencePath(address)) ?? 0n,
      pubkey: typeof pubkey === 'string' ? Buffer.from(pubkey, 'base64') : undefined,
    };
  }

  hasAccount(state: ReadableState, address: string): boolean {
    return state.get(accountNumberPath(address)) !== undefined;
  }

  /** Creates an account with the next number of the global counter. */
  createAccount(state: WritableState, address: string): Account {
    const accountNumber = readBigint(state, NEXT_ACCOUNT_NUMBER_PATH) ?? 0n;
    state.set(NEXT_ACCOUNT_NUMBER_PATH, (accountNumber + 1n).toString());
    state.set(accountNumberPath(address), accountNumber.toString());
    state.set(accountSequencePath(address), '0');
    return { address, accountNumber, sequence: 0n, pubkey: undefined };
  }

  getSequence(state: ReadableState, address: string): bigint {
    return readBigint(state, accountSequencePath(address)) ?? 0n;
  }

  setSequence(state: WritableState, address: string, sequence: bigint): void {
    state.set(accountSequencePath(address), sequence.toString());
  }

  setPubkey(state: WritableState, address: string, pubkey: Uint8Array): void {
    state.set(accountPubkeyPath(address), Buffer.from(pubkey).toString('base64'));
  }

  /** Genesis: an account with a fixed number and sequence; the counter moves past it. */
  initAccount(state: WritableState, account: Account): void {
    state.set(accountNumberPath(account.address), account.accountNumber.toString());
    state.set(accountSequencePath(account.address), account.sequence.toString());
    if (account.pubkey) this.setPubkey(state, account.address, account.pubkey);
    const next = readBigint(state, NEXT_ACCOUNT_NUMBER_PATH) ?? 0n;
    if (account.accountNumber >= next) state.set(NEXT_ACCOUNT_NUMBER_PATH, (account.accountNumber + 1n).toString());
  }

  nextAccountNumber(state: ReadableState): bigint {
    return readBigint(state, NEXT_ACCOUNT_NUMBER_PATH) ?? 0n;
  }

  /**
   * A vesting account's schedule, or undefined for any other account. The look for the leaf costs no
   * gas (an account without one pays exactly what it paid before vesting existed); reading a found
   * record is charged.
   */
  getVesting(state: ReadableState, address: string): Vesting | undefined {
    const path = accountVestingPath(address);
    if (unmeteredView(state).get(path) === undefined) return undefined;
    const text = state.get(path);
    return typeof text === 'string' ? vestingFromRecord(decodeRecord<VestingRecord>(text)) : undefined;
  }

  /** What bank asks before a spend: the account's lock, undefined (at no gas) for a non-vesting account. */
  vestingLock(state: ReadableState, address: string): { lockedAmount(denom: string, time: bigint): bigint } | undefined {
    const vesting = this.getVesting(state, address);
    return vesting && { lockedAmount: (denom, time) => lockedAmount(vesting, denom, time) };
  }

  /** Genesis: makes an existing account a vesting account. */
  setVesting(state: WritableState, address: string, vesting: Vesting): void {
    state.set(accountVestingPath(address), encodeRecord(vestingToRecord(vesting)));
  }

  /** A delegation of `coins` leaves a vesting account at `time`: tracks delegated_vesting/delegated_free. No-op for other accounts. */
  trackDelegation(state: WritableState, address: string, coins: readonly Coin[], time: bigint): void {
    const vesting = this.getVesting(state, address);
    if (vesting)
      this.setVesting(
        state,
        address,
        coins.reduce((v, coin) => trackDelegation(v, coin, time), vesting),
      );
  }

  /** Coins of an undelegation come back to a vesting account: free ones first, then vesting ones. No-op for other accounts. */
  trackUndelegation(state: WritableState, address: string, coins: readonly Coin[]): void {
    const vesting = this.getVesting(state, address);
    if (vesting)
      this.setVesting(
        state,
        address,
        coins.reduce((v, coin) => trackUndelegation(v, coin), vesting),
      );
  }

  /** One page of the accounts in address order (queries); `/accounts` nodes without a number are balances only, skipped. */
  accountsPage(state: ReadableState, page: PageRequest | undefined): Page<Account> {
    const listed = paginateList(state, ACCOUNTS_ROOT, page, {
      scan: MAX_ACCOUNT_LEAVES_SCANNED,
      accept: (item) => item.leaves.some(([path]) => path === accountNumberPath(item.key)),
    });
    return { items: listed.items.map((item) => this.getAccount(state, item.key)!), pagination: listed.pagination };
  }

  /** Every account (for genesis export); bounded by `limit`. */
  listAccounts(state: ReadableState, limit: number): Account[] {
    const accounts: Account[] = [];
    for (const [path] of state.list('/accounts', limit * 8)) {
      const match = /^\/accounts\/([^/]+)\/number$/.exec(path);
      if (!match) continue;
      const account = this.getAccount(state, match[1]!);
      if (account) accounts.push(account);
      if (accounts.length >= limit) break;
    }
    return accounts;
  }
}
