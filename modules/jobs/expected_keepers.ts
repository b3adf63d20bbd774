import type { CoinContext, ReadableState, Coin } from '../../core/index.ts';

/** What moving coins needs of a context: bank reads and writes state and emits events, nothing else. */

/** What jobs needs from bank: to move coins into and out of escrow, and to read balances. */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}
