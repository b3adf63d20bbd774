/** What the channels module needs of other modules: bank escrows deposits and pays them out. */
import type { Coin, CoinContext, ReadableState } from '../../core/index.ts';

export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}
