import type { CoinContext, ReadableState, Coin } from '../../core/index.ts';
import type { JobsContext } from './records.ts';

/** What moving coins needs of a context: bank reads and writes state and emits events, nothing else. */

/** What jobs needs from bank: to move coins into and out of escrow, and to read balances. */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}

/** What a hook learns of a request once it is final (its escrow paid out and its status set). */
export interface ClosedRequest {
  readonly id: bigint;
  readonly jobId: bigint;
  readonly client: string;
  /** completed, expired, evaluator_timeout, no_results or cancelled. */
  readonly status: string;
  readonly outcome: string;
  /** The module that posted the request on its client's behalf (e.g. `ainft` for a re-run); empty for a client's own. */
  readonly origin: string;
  /** The final ranking, best first (empty unless completed). */
  readonly ranking: readonly string[];
  /**
   * Who ranked it, i.e. whose ranking `ranking` is: the evaluator when its ranking stood (accepted, or
   * auto-accepted), the resolver when it upheld a challenge with its own. Empty when not completed,
   * and for skip_evaluation (ranked by commitment time, nobody evaluated).
   */
  readonly rankedBy: string;
}

/**
 * Called by the jobs keeper (`addHooks`, once per module, at app construction). The context is the
 * tx's (an accept or a challenge's resolution) or the end of the block's (a deadline). A hook that
 * does nothing for a request costs it nothing: it reads no state before it knows the request is its own.
 */
export interface JobsHooks {
  afterRequestClosed?(ctx: JobsContext, request: ClosedRequest): void;
}
