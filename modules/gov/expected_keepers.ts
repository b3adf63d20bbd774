/** The narrow parts of other modules the gov module uses. */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { BlockContext, Coin, CoinContext, ReadableState, RoutedMsg } from '../../core/index.ts';

/** Deposits move into and out of the gov module account; refused or vetoed ones are burned. */
export interface BankKeeper {
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  burnCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
  getAllBalances(state: ReadableState, address: string): Coin[];
}

/** A validator as the tally needs it: bonded or not, tokens and the shares they back. */
export interface TallyValidator {
  readonly operatorAddress: string;
  readonly tokens: bigint;
  /** LegacyDec atomics. */
  readonly delegatorShares: bigint;
}

/** What the tally reads of staking: the bonded validators and a voter's delegations. */
export interface StakingKeeper {
  /** Every bonded validator (the ones whose stake votes). */
  bondedValidators(state: ReadableState): TallyValidator[];
  /** A delegator's delegations: validator operator and shares (atomics). */
  delegatorDelegations(state: ReadableState, delegator: string): ReadonlyArray<{ readonly validator: string; readonly shares: bigint }>;
  /** Total tokens of bonded validators. */
  totalBondedTokens(state: ReadableState): bigint;
}

/** The distribution module's community pool: where cancellation charges go when `proposal_cancel_dest` names it. */
export interface CommunityPool {
  fundCommunityPool(ctx: BlockContext, depositor: string, coins: readonly Coin[]): void;
}

/** The app's message router: a proposal's messages are checked and run through it. */
export interface MsgRouter {
  route(any: Any, index: number): RoutedMsg;
}
