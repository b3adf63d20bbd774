/** The narrow parts of other modules the committee module uses. */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Coin, CoinContext, ReadableState, RoutedMsg } from '../../core/index.ts';

/** The developer fund is the module account's balance: funding moves coins into it. */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getAllBalances(state: ReadableState, address: string): Coin[];
}

/** The app's message router: a proposal's messages are checked at propose time and run through it. */
export interface MsgRouter {
  route(any: Any, index: number): RoutedMsg;
}
