import type { Page, PageRequest, ReadableState, WritableState } from '../../core/index.ts';
import { paginateList } from '../../core/index.ts';
import { ACCOUNTS_ROOT, accountNumberPath, accountPubkeyPath, accountSequencePath, NEXT_ACCOUNT_NUMBER_PATH } from './keys.ts';

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
