import type { CoinContext, ReadableState, WritableState, Coin } from '../../core/index.ts';
import { ainError, ErrInsufficientFunds } from '../../core/index.ts';
import { burnEvent, coinbaseEvent, coinReceivedEvent, coinSpentEvent, messageSenderEvent, transferEvent } from './events.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import { balancePath, balancesPath, labelToDenom, SUPPLY_ROOT, supplyPath } from './keys.ts';

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

/** The only code that reads or writes balances and supply. */
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

  private subtractCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void {
    const balances = coins.map((coin) => this.getBalance(ctx.state, address, coin.denom));
    coins.forEach((coin, i) => {
      if (balances[i]! < coin.amount) {
        throw ainError(ErrInsufficientFunds, `spendable balance ${balances[i]}${coin.denom} is smaller than ${coin.amount}${coin.denom}`, {
          address,
          denom: coin.denom,
        });
      }
    });
    coins.forEach((coin, i) => writeAmount(ctx.state, balancePath(address, coin.denom), balances[i]! - coin.amount));
    ctx.events.emit(coinSpentEvent(address, coins));
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
