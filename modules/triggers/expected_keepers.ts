import type { CoinContext, ReadableState, Coin } from '../../core/index.ts';
import type { StateContext, Writer, WriteReport } from '../state/index.ts';

/** What moving coins needs of a context: bank reads and writes state and emits events, nothing else. */

/** What triggers needs from bank: to move coins (escrow, payment, refund, native transfer). */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}

/** What triggers needs from state: to write a function's output as the function (rules see `auth.fid`). */
export interface StateWriter {
  setValue(ctx: StateContext, writer: Writer, path: string, valueText: string): WriteReport;
}
