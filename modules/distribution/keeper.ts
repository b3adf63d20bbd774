import type { VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { ainError, ErrUnauthorized, moduleAddress, DEC_ONE, DEC_SCALE } from '../../core/index.ts';
import type { ReadableState, WritableState, Coin } from '../../core/index.ts';
import { valoperToAccount } from '../staking/index.ts';
import type { BlockContext, StakingHooks, Validator } from '../staking/index.ts';
import {
  addDecCoins,
  type DecCoin,
  type DecCoins,
  decCoinsFromCoins,
  decCoinsFromText,
  decCoinsToText,
  intersectDecCoins,
  mulDecTruncate,
  subDecCoins,
  truncateDecCoins,
} from './decCoins.ts';
import { ErrEmptyDelegationDistInfo, ErrNoValidatorCommission, ErrNoValidatorExists, ErrSetWithdrawAddrDisabled } from './errors.ts';
import {
  commissionEvent,
  mintEvent,
  rewardsEvent,
  setWithdrawAddressEvent,
  withdrawCommissionEvent,
  withdrawRewardsEvent,
} from './events.ts';
import type { BankKeeper, StakingKeeper } from './expected_keepers.ts';
import {
  COMMUNITY_POOL_PATH,
  commissionPath,
  entryRatioPath,
  MINTED_PATH,
  outstandingPath,
  ratioPath,
  withdrawAddressPath,
} from './keys.ts';
import { type DistributionParams, readDistributionParams } from './params.ts';

export const DISTRIBUTION_MODULE = 'distribution';

/**
 * The only code touching `/distribution`: block rewards (minted + fees) split among the validators
 * of the last commit by voting power, commission, delegators' rewards by shares (a per-share
 * accumulator: reward = shares x (ratio now - ratio at the period's start)), the community pool.
 * All amounts are integer fixed point (DecCoins, 18 digits, truncated); every remainder is accounted
 * (see README.md "Rounding"), so the module account always holds exactly
 * community pool + the validators' outstanding rewards.
 */
export class DistributionKeeper implements StakingHooks {
  /** Module account holding every reward not yet withdrawn and the community pool. */
  readonly moduleAddress = moduleAddress(DISTRIBUTION_MODULE);

  constructor(
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
    private readonly feeCollector: string,
    /** Module accounts that may not be a withdraw address. */
    private readonly blockedAddresses: ReadonlySet<string>,
  ) {}

  params(state: ReadableState): DistributionParams {
    return readDistributionParams(state);
  }

  communityPool(state: ReadableState): DecCoin[] {
    return decCoinsFromText(state.get(COMMUNITY_POOL_PATH) as string | undefined);
  }

  /** Block rewards minted since genesis (bond denom units). */
  minted(state: ReadableState): bigint {
    return BigInt((state.get(MINTED_PATH) as string | undefined) ?? '0');
  }

  outstanding(state: ReadableState, valoper: string): DecCoin[] {
    return decCoinsFromText(state.get(outstandingPath(valoper)) as string | undefined);
  }

  commission(state: ReadableState, valoper: string): DecCoin[] {
    return decCoinsFromText(state.get(commissionPath(valoper)) as string | undefined);
  }

  /** Where a delegator's rewards are paid: the address set with MsgSetWithdrawAddress, else the delegator. */
  withdrawAddress(state: ReadableState, delegator: string): string {
    const address = state.get(withdrawAddressPath(delegator));
    return typeof address === 'string' ? address : delegator;
  }

  /**
   * The rewards a delegation has earned since its period began: shares x (ratio now - ratio at the
   * start) / 10^18 per denom, truncated. What a withdrawal in the next block pays (whole coins).
   */
  delegationRewards(state: ReadableState, delegator: string, valoper: string): DecCoin[] {
    const shares = this.staking.getDelegation(state, delegator, valoper);
    if (shares === undefined) return [];
    const ratio = this.ratio(state, valoper);
    const start = new Map(this.entryRatio(state, delegator, valoper).map((c) => [c.denom, c.amount]));
    return ratio
      .map((c) => ({ denom: c.denom, amount: (shares * (c.amount - (start.get(c.denom) ?? 0n))) / DEC_SCALE }))
      .filter((c) => c.amount > 0n);
  }

  /**
   * After the block's txs, when the last commit has votes: mints the block reward into the fee
   * collector, moves everything the fee collector holds (fees and the reward) to the distribution
   * module account and splits it: community tax to the pool, the rest among the validators of
   * `votes` (the last commit, signed or not) by power, each share minus commission to the
   * validator's delegators. Shares of validators the chain does not know go to the pool.
   */
  allocateRewards(ctx: BlockContext, votes: readonly VoteInfo[]): void {
    const params = this.params(ctx.state);
    const totalPower = votes.reduce((sum, vote) => sum + vote.validator.power, 0n);
    // Rewards pay the validators that committed the previous block. Without any (block 1, or blocks
    // made without CometBFT, as in-process tests do) nothing is minted and the fees wait in the fee
    // collector for the next block that has them.
    if (totalPower <= 0n) return;
    if (params.blockReward > 0n) {
      const reward = [{ denom: this.staking.params(ctx.state).bondDenom, amount: params.blockReward }];
      this.bank.mintCoins(ctx, this.feeCollector, reward);
      ctx.state.set(MINTED_PATH, (this.minted(ctx.state) + params.blockReward).toString());
      ctx.events.emit(mintEvent(reward));
    }
    const fees = this.bank.getAllBalances(ctx.state, this.feeCollector);
    if (fees.length === 0) return;
    this.bank.sendCoins(ctx, this.feeCollector, this.moduleAddress, fees);
    const collected = decCoinsFromCoins(fees);
    const forValidators = mulDecTruncate(collected, DEC_ONE - params.communityTax);
    let remaining: DecCoins = collected;
    for (const vote of votes) {
      const validator = this.staking.validatorByConsAddress(ctx.state, Buffer.from(vote.validator.address).toString('hex'));
      if (!validator) continue;
      const reward = mulDecTruncate(forValidators, (vote.validator.power * DEC_SCALE) / totalPower);
      if (reward.length === 0) continue;
      this.allocateToValidator(ctx, validator, reward);
      remaining = subDecCoins(remaining, reward);
    }
    // The community tax, the shares of validators no longer known, and every truncation remainder.
    this.setCommunityPool(ctx.state, addDecCoins(this.communityPool(ctx.state), remaining));
  }

  /** `reward` for one validator: commission at its rate (truncated), the rest to its delegators by share. */
  private allocateToValidator(ctx: BlockContext, validator: Validator, reward: DecCoins): void {
    const valoper = validator.operatorAddress;
    const commission = mulDecTruncate(reward, validator.commission.rate);
    const shared = subDecCoins(reward, commission);
    this.set(ctx.state, commissionPath(valoper), addDecCoins(this.commission(ctx.state, valoper), commission));
    if (validator.delegatorShares === 0n) {
      // No delegator to pay (the last one left while the validator still signed): to the community pool.
      this.set(ctx.state, outstandingPath(valoper), addDecCoins(this.outstanding(ctx.state, valoper), commission));
      this.setCommunityPool(ctx.state, addDecCoins(this.communityPool(ctx.state), shared));
    } else {
      this.set(ctx.state, outstandingPath(valoper), addDecCoins(this.outstanding(ctx.state, valoper), reward));
      const perShare = shared.map((c) => ({ denom: c.denom, amount: (c.amount * DEC_SCALE) / validator.delegatorShares }));
      this.set(ctx.state, ratioPath(valoper), addDecCoins(this.ratio(ctx.state, valoper), perShare));
    }
    ctx.events.emit(commissionEvent(valoper, commission));
    ctx.events.emit(rewardsEvent(valoper, reward));
  }

  /**
   * Pays a delegation's rewards (whole coins) to its withdraw address and starts a new period; the
   * fraction below 1 unit goes to the community pool. Returns the coins paid.
   */
  withdrawDelegationRewards(ctx: BlockContext, delegator: string, valoper: string): Coin[] {
    if (!this.staking.getValidator(ctx.state, valoper)) throw ainError(ErrNoValidatorExists, `validator ${valoper} does not exist`);
    if (this.staking.getDelegation(ctx.state, delegator, valoper) === undefined) {
      throw ainError(ErrEmptyDelegationDistInfo, `${delegator} has no delegation to ${valoper}`);
    }
    return this.withdraw(ctx, delegator, valoper);
  }

  /** Pays the validator's accumulated commission (whole coins; the fraction stays) to the operator's withdraw address. */
  withdrawValidatorCommission(ctx: BlockContext, valoper: string): Coin[] {
    if (!this.staking.getValidator(ctx.state, valoper)) throw ainError(ErrNoValidatorExists, `validator ${valoper} does not exist`);
    const { coins, remainder } = truncateDecCoins(this.commission(ctx.state, valoper));
    if (coins.length === 0) throw ainError(ErrNoValidatorCommission, `validator ${valoper} has less than 1 unit of commission`);
    this.set(ctx.state, commissionPath(valoper), remainder);
    this.set(ctx.state, outstandingPath(valoper), subDecCoins(this.outstanding(ctx.state, valoper), decCoinsFromCoins(coins)));
    this.bank.sendCoins(ctx, this.moduleAddress, this.withdrawAddress(ctx.state, valoperToAccount(valoper)), coins);
    ctx.events.emit(withdrawCommissionEvent(valoper, coins));
    return coins;
  }

  /** MsgSetWithdrawAddress: rewards of `delegator` go to `address` from now on (the delegator itself clears it). */
  setWithdrawAddress(ctx: BlockContext, delegator: string, address: string): void {
    if (!this.params(ctx.state).withdrawAddrEnabled) throw ainError(ErrSetWithdrawAddrDisabled, 'withdraw_addr_enabled is false');
    if (this.blockedAddresses.has(address)) {
      throw ainError(ErrUnauthorized, `withdraw_address ${address} is a module account and is not allowed to receive funds`);
    }
    ctx.state.set(withdrawAddressPath(delegator), address === delegator ? null : address);
    ctx.events.emit(setWithdrawAddressEvent(delegator, address));
  }

  /** MsgFundCommunityPool: coins from `depositor` into the community pool. */
  fundCommunityPool(ctx: BlockContext, depositor: string, coins: readonly Coin[]): void {
    this.bank.sendCoins(ctx, depositor, this.moduleAddress, coins);
    this.setCommunityPool(ctx.state, addDecCoins(this.communityPool(ctx.state), decCoinsFromCoins(coins)));
  }

  // ------------------------------------------------------------------------------------------
  // Staking hooks

  /** A delegation's shares are about to change: pay what it earned with the old shares. */
  beforeDelegationSharesModified(ctx: BlockContext, delegator: string, valoper: string): void {
    this.withdraw(ctx, delegator, valoper);
  }

  /** A delegation was created, changed or removed: its new period starts at the current ratio. */
  afterDelegationModified(ctx: BlockContext, delegator: string, valoper: string): void {
    const exists = this.staking.getDelegation(ctx.state, delegator, valoper) !== undefined;
    this.set(ctx.state, entryRatioPath(delegator, valoper), exists ? this.ratio(ctx.state, valoper) : []);
  }

  /**
   * The validator is gone (no delegations are left, each was paid when removed): its commission's
   * whole coins go to the operator, everything else it was still owed (rounding dust, the commission's
   * fraction) to the community pool.
   */
  afterValidatorRemoved(ctx: BlockContext, validator: Validator): void {
    const valoper = validator.operatorAddress;
    const { coins } = truncateDecCoins(this.commission(ctx.state, valoper));
    const outstanding = this.outstanding(ctx.state, valoper);
    if (coins.length > 0) {
      this.bank.sendCoins(ctx, this.moduleAddress, this.withdrawAddress(ctx.state, valoperToAccount(valoper)), coins);
      ctx.events.emit(withdrawCommissionEvent(valoper, coins));
    }
    this.setCommunityPool(ctx.state, addDecCoins(this.communityPool(ctx.state), subDecCoins(outstanding, decCoinsFromCoins(coins))));
    for (const path of [outstandingPath(valoper), commissionPath(valoper), ratioPath(valoper)]) ctx.state.set(path, null);
  }

  // ------------------------------------------------------------------------------------------

  private ratio(state: ReadableState, valoper: string): DecCoin[] {
    return decCoinsFromText(state.get(ratioPath(valoper)) as string | undefined);
  }

  private entryRatio(state: ReadableState, delegator: string, valoper: string): DecCoin[] {
    return decCoinsFromText(state.get(entryRatioPath(delegator, valoper)) as string | undefined);
  }

  private withdraw(ctx: BlockContext, delegator: string, valoper: string): Coin[] {
    // Never more than the validator still holds (a guard; the accumulator's truncation keeps it so).
    const rewards = intersectDecCoins(this.delegationRewards(ctx.state, delegator, valoper), this.outstanding(ctx.state, valoper));
    const { coins, remainder } = truncateDecCoins(rewards);
    if (rewards.length > 0) {
      this.set(ctx.state, outstandingPath(valoper), subDecCoins(this.outstanding(ctx.state, valoper), rewards));
      if (remainder.length > 0) this.setCommunityPool(ctx.state, addDecCoins(this.communityPool(ctx.state), remainder));
      if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress, this.withdrawAddress(ctx.state, delegator), coins);
    }
    this.set(ctx.state, entryRatioPath(delegator, valoper), this.ratio(ctx.state, valoper));
    const paid = coins.length > 0 ? coins : [{ denom: this.staking.params(ctx.state).bondDenom, amount: 0n }];
    ctx.events.emit(withdrawRewardsEvent(valoper, delegator, paid));
    return coins;
  }

  private setCommunityPool(state: WritableState, coins: DecCoins): void {
    this.set(state, COMMUNITY_POOL_PATH, coins);
  }

  /** Writes DecCoins text, or deletes the leaf when empty; skips writes that change nothing. */
  private set(state: WritableState, path: string, coins: DecCoins): void {
    const text = coins.length === 0 ? undefined : decCoinsToText(coins);
    if (state.get(path) !== text) state.set(path, text ?? null);
  }
}
