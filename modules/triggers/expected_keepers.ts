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

/** A call settled with a result (not a failure): who ran it and the resources its function declares. */
export interface SettledCall {
  readonly id: bigint;
  readonly executor: string;
  readonly functionPath: string;
  readonly functionId: string;
  /**
   * The resources the function's config declares now (its `/functions` leaf, read when asked, so a
   * hook that does not ask costs the tx nothing); undefined when it is no longer an off-chain function.
   */
  resources(): { readonly cpu: number; readonly memory_mb: number; readonly gpus: number } | undefined;
}

/** Called by the triggers keeper (`addHooks`, at app construction): compute-driven supply measures calls. */
export interface TriggersHooks {
  afterCallDone?(ctx: StateContext, call: SettledCall): void;
}
