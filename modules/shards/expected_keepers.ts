/**
 * What the shards module needs of other modules, as narrow interfaces: bank moves the relayers'
 * fees, escrows this chain's own denoms sent over a link and mints and burns vouchers; state
 * answers whether the brancher administers the app and takes the guard that refuses writes under
 * branched paths.
 */
import type { BlockContext, Coin, CoinContext, Context, ReadableState } from '../../core/index.ts';
import type { JsonValue } from '../../core/index.ts';

/** The context a keeper call runs in: a tx's (with the chain id) or genesis's. */
export type ShardsContext = Context;
export type ShardsBlockContext = BlockContext;

export interface BankKeeper {
  getBalance(state: ReadableState, address: string, denom: string): bigint;
  getAllBalances(state: ReadableState, address: string): Coin[];
  getSupply(state: ReadableState, denom: string): bigint;
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  mintCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
  burnCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
}

/** The guard the state keeper asks before a write under `/apps` (see modules/state `BranchGuard`). */
export interface BranchGuard {
  checkWrite(state: ReadableState, path: string): void;
  childValuePath(shard: string, path: string): string;
}

export interface StateKeeper {
  /** The JSON view of any path (`/manage_app/<app>/config/admin/<addr>` is `true` for an admin). */
  getValue(state: ReadableState, path: string, depth?: number): JsonValue;
  setBranchGuard(guard: BranchGuard): void;
}
