/**
 * What the storage module needs of other modules, as narrow interfaces: bank moves a reservation's
 * price into escrow and out to the provider (or back), and reads balances; jobs tells who was
 * accepted on a request (its evaluator, joined workers and resolver) and its phase.
 */
import type { BlockContext, Coin, CoinContext, ReadableState } from '../../core/index.ts';
import type { Request } from '../../proto/gen/ain/jobs/v1/types.ts';

/** The context a keeper call runs in: a tx's or the end of a block's. */
export type StorageContext = BlockContext;

export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}

export interface JobsKeeper {
  getRequest(state: ReadableState, id: bigint): Request | undefined;
}
