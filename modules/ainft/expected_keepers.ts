/**
 * What the ainft module needs of other modules, as narrow interfaces: bank moves the payer's coins to
 * each owner; jobs reads requests and their accepted results, posts re-runs and tells when they
 * close; state hands a token's state path to its owner through owner configs.
 */
import type { BlockContext, Coin, CoinContext, ReadableState } from '../../core/index.ts';
import type { MsgRequestJob } from '../../proto/gen/ain/jobs/v1/tx.ts';
import type { Job, Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { JobsHooks } from '../jobs/index.ts';

/** The context a keeper call runs in: a tx's or the end of a block's (state, gas, events, height, time). */
export type AinftContext = BlockContext;

export interface BankKeeper {
  getBalance(state: ReadableState, address: string, denom: string): bigint;
  /** What of `balances` the address may spend at block time `time` (a vesting account's locked coins excluded). */
  spendableCoins(state: ReadableState, address: string, balances: readonly Coin[], time: bigint): Coin[];
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
}

export interface JobsKeeper {
  getJob(state: ReadableState, id: bigint): Job | undefined;
  getRequest(state: ReadableState, id: bigint): Request | undefined;
  /** Posts a request for its signer (the client, who pays); `origin` marks it as the module's. */
  requestJob(ctx: AinftContext, msg: MsgRequestJob, origin: string): bigint;
  addHooks(hooks: JobsHooks): void;
}

export interface StateKeeper {
  /** MsgSetOwner's check and write, as `signer`: what a minter may do at a path. */
  setOwner(ctx: AinftContext, signer: string, path: string, ownerText: string): void;
  ownerConfigsUnder(state: ReadableState, path: string, limit: number): string[];
  /** The owner config at `path` gives `owner` everything; those below go. No permission check. */
  assignOwner(ctx: AinftContext, path: string, owner: string, by: string, maxBelow: number): void;
}
