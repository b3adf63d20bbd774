import type { CoinContext, ReadableState, WritableState, Coin, Page, PageRequest } from '../../core/index.ts';
import { ainError, decodeRecord, encodeRecord, ErrInsufficientFunds, paginateList } from '../../core/index.ts';
import { burnEvent, coinbaseEvent, coinReceivedEvent, coinSpentEvent, messageSenderEvent, transferEvent } from './events.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import { balancePath, balancesPath, DENOM_METADATA_ROOT, denomMetadataPath, labelToDenom, SUPPLY_ROOT, supplyPath } from './keys.ts';
import type { DenomMetadataJson } from './metadata.ts';

/** What moving coins needs of a context: state to write and a place for events (block hooks have no gas meter). */

/** Bound on denoms listed for one account or for the supply. */
export const MAX_DENOMS_LISTED = 1000;

function readAmount(state: ReadableState, path: string): bigint {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : 0n;
}

function writeAmount(state: WritableState, path: string, amount: bigint): void {
  state.set(path, amount === 0n ? null : amount.toString());
}

/** A balance or supply leaf (one item of a listed subtree) as a coin. */
const coinOf = (item: { key: string; leaves: Array<[string, unknown]> }): Coin => ({
  denom: labelToDenom(item.key),
  amount: BigInt(item.leaves[0]![1] as string),
});

/** The only code that reads or writes balances, supply and denom metadata. */
export class BankKeeper {
  constructor(private readonly accounts: AccountKeeper) {}

  getBalance(state: ReadableState, address: string, denom: string): bigint {
    return readAmount(state, balancePath(address, denom));
  }

  getAllBalances(state: ReadableState, address: string): Coin[] {
    const prefix = `${balancesPath(address)}/`;
    return state
      .list(balancesPath(address), MAX_DENOMS_LISTED)
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, value]) => ({ denom: labelToDenom(path.slice(prefix.length)), amount: BigInt(value as string) }));
  }

  /** One page of an account's balances, in denom order (queries; at most MAX_DENOMS_LISTED read). */
  balancesPage(state: ReadableState, address: string, page: PageRequest | undefined): Page<Coin> {
    const listed = paginateList(state, balancesPath(address), page, { scan: MAX_DENOMS_LISTED });
    return { items: listed.items.map(coinOf), pagination: listed.pagination };
  }

  /** One page of the supply, in denom order (queries). */
  supplyPage(state: ReadableState, page: PageRequest | undefined): Page<Coin> {
    const listed = paginateList(state, SUPPLY_ROOT, page, { scan: MAX_DENOMS_LISTED });
    return { items: listed.items.map(coinOf), pagination: listed.pagination };
  }

  getDenomMetadata(state: ReadableState, denom: string): DenomMetadataJson | undefined {
    const text = state.get(denomMetadataPath(denom));
    return typeof text === 'string' ? decodeRecord<DenomMetadataJson>(text) : undefined;
  }

  /** Genesis only: a denom's metadata (checked by the caller). */
  setDenomMetadata(state: WritableState, metadata: DenomMetadataJson): void {
    state.set(denomMetadataPath(metadata.base), encodeRecord(metadata));
  }

  /** One page of the denoms' metadata, in base denom order (queries; export reads every page). */
  denomMetadataPage(state: ReadableState, page: PageRequest | undefined): Page<DenomMetadataJson> {
    const listed = paginateList(state, DENOM_METADATA_ROOT, page, { scan: MAX_DENOMS_LISTED });
    return {
      items: listed.items.map((item) => decodeRecord<DenomMetadataJson>(item.leaves[0]![1] as string)),
      pagination: listed.pagination,
    };
  }

  getSupply(state: ReadableState, denom: string): bigint {
    return readAmount(state, supplyPath(denom));
  }

  getTotalSupply(state: ReadableState): Coin[] {
    const prefix = `${SUPPLY_ROOT}/`;
    return state
      .list(SUPPLY_ROOT, MAX_DENOMS_LISTED)
      .map(([path, value]) => ({ denom: labelToDenom(path.slice(prefix.length)), amount: BigInt(value as string) }));
  }

  /**
   * Moves coins between accounts, creating the recipient's account on first receipt. Refuses with
   * `sdk/5 insufficient funds` naming the short coin before writing anything.
   */
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void {
    this.subtractCoins(ctx, from, coins);
    this.addCoins(ctx, to, coins);
    ctx.events.emit(transferEvent(from, to, coins));
    ctx.events.emit(messageSenderEvent(from));
  }

  /** Whether `address` is a vesting account (some of its coins may be locked). */
  isVestingAccount(state: ReadableState, address: string): boolean {
    return this.accounts.vestingLock(state, address) !== undefined;
  }

  /**
   * Coins `address` may spend at block time `time`: its balances less what of them is still vesting
   * and not delegated (a non-vesting account's whole balance).
   */
  spendableCoins(state: ReadableState, address: string, balances: readonly Coin[], time: bigint): Coin[] {
    const lock = this.accounts.vestingLock(state, address);
    if (!lock) return [...balances];
    return balances
      .map((coin) => {
        const locked = lock.lockedAmount(coin.denom, time);
        return { denom: coin.denom, amount: coin.amount > locked ? coin.amount - locked : 0n };
      })
      .filter((coin) => coin.amount > 0n);
  }

  /**
   * The one place coins leave an account (sends, fees, deposits, escrows, burns): refuses with
   * `sdk/5 insufficient funds` naming the spendable amount. A vesting account's locked coins are not
   * spendable (`spendable = balance - max(0, still vesting(block time) - delegated vesting)`) unless
   * `delegation` is set: a delegation may stake locked coins, and the auth keeper tracks it.
   */
  private subtractCoins(ctx: CoinContext, address: string, coins: readonly Coin[], delegation = false): void {
    const balances = coins.map((coin) => this.getBalance(ctx.state, address, coin.denom));
    const lock = this.accounts.vestingLock(ctx.state, address);
    coins.forEach((coin, i) => {
      const locked = lock && !delegation ? lock.lockedAmount(coin.denom, ctx.blockTimeSeconds) : 0n;
      const spendable = balances[i]! > locked ? balances[i]! - locked : 0n;
      if (spendable < coin.amount) {
        const still = locked > 0n ? ` (balance ${balances[i]}${coin.denom}, ${locked}${coin.denom} still vesting)` : '';
        throw ainError(
          ErrInsufficientFunds,
          `spendable balance ${spendable}${coin.denom}${still} is smaller than ${coin.amount}${coin.denom}`,
          {
            address,
            denom: coin.denom,
          },
        );
      }
    });
    if (lock && delegation) this.accounts.trackDelegation(ctx.state, address, coins, ctx.blockTimeSeconds);
    coins.forEach((coin, i) => writeAmount(ctx.state, balancePath(address, coin.denom), balances[i]! - coin.amount));
    ctx.events.emit(coinSpentEvent(address, coins));
  }

  /**
   * Staking: moves a delegation from the delegator to a pool (the SDK's DelegateCoins). Like
   * {@link sendCoins}, with the same events, but a vesting account may stake its locked coins and
   * the delegation is tracked (`delegated_vesting` first, then `delegated_free`).
   */
  delegateCoins(ctx: CoinContext, delegator: string, pool: string, coins: readonly Coin[]): void {
    this.subtractCoins(ctx, delegator, coins, true);
    this.addCoins(ctx, pool, coins);
    ctx.events.emit(transferEvent(delegator, pool, coins));
    ctx.events.emit(messageSenderEvent(delegator));
  }

  /**
   * Staking: a matured undelegation pays the delegator from a pool (the SDK's UndelegateCoins). Like
   * {@link sendCoins}; a vesting delegator's coins come back free first, then still-vesting (locked).
   */
  undelegateCoins(ctx: CoinContext, pool: string, delegator: string, coins: readonly Coin[]): void {
    this.subtractCoins(ctx, pool, coins);
    this.addCoins(ctx, delegator, coins);
    this.accounts.trackUndelegation(ctx.state, delegator, coins);
    ctx.events.emit(transferEvent(pool, delegator, coins));
    ctx.events.emit(messageSenderEvent(pool));
  }

  private addCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void {
    if (!this.accounts.hasAccount(ctx.state, address)) this.accounts.createAccount(ctx.state, address);
    for (const coin of coins) {
      const path = balancePath(address, coin.denom);
      writeAmount(ctx.state, path, readAmount(ctx.state, path) + coin.amount);
    }
    ctx.events.emit(coinReceivedEvent(address, coins));
  }

  /**
   * Creates coins in `address`'s balance and adds them to the supply (block rewards: the
   * distribution module mints into `fee_collector`). Event `coinbase{minter, amount}`.
   */
  mintCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void {
    this.addCoins(ctx, address, coins);
    for (const coin of coins) writeAmount(ctx.state, supplyPath(coin.denom), readAmount(ctx.state, supplyPath(coin.denom)) + coin.amount);
    ctx.events.emit(coinbaseEvent(address, coins));
  }

  /**
   * Destroys coins of `address`'s balance and removes them from the supply (slashed stake). Refuses
   * with `sdk/5` when the balance is short. Event `burn{burner, amount}`.
   */
  burnCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void {
    this.subtractCoins(ctx, address, coins);
    for (const coin of coins) writeAmount(ctx.state, supplyPath(coin.denom), readAmount(ctx.state, supplyPath(coin.denom)) - coin.amount);
    ctx.events.emit(burnEvent(address, coins));
  }

  /** Genesis only: credits a balance and the supply together, so supply always equals the sum of balances. */
  mintGenesis(state: WritableState, address: string, coins: readonly Coin[]): void {
    for (const coin of coins) {
      const path = balancePath(address, coin.denom);
      writeAmount(state, path, readAmount(state, path) + coin.amount);
      writeAmount(state, supplyPath(coin.denom), readAmount(state, supplyPath(coin.denom)) + coin.amount);
    }
  }
}
