import { ainError, ErrInvalidCoins } from './errors.ts';

/** A coin amount: integer, never floating point. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

/** The chain's staking and fee token: 1 AIN = 10^6 uain. */
export const BASE_DENOM = 'uain';
/** Cosmos SDK denom syntax: a letter, then 2-127 of letters, digits, `/ : . _ -`. */
const DENOM_PATTERN = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
/** Amounts are capped at 2^256 - 1 as in the SDK's Int. */
const MAX_AMOUNT = (1n << 256n) - 1n;
const MAX_COINS = 64;

export function validateDenom(denom: string, field = 'denom'): void {
  // `test` would read `true` as "true": a denom from JSON must be a string.
  if (typeof denom !== 'string' || !DENOM_PATTERN.test(denom)) {
    throw ainError(
      ErrInvalidCoins,
      `${field} ${JSON.stringify(denom) ?? String(denom)} is not a valid denom; expected ${DENOM_PATTERN.source}`,
    );
  }
}

/** Parses a decimal amount string ("123"); rejects signs, decimals, leading zeros and overflow. */
export function parseAmount(amount: string, field = 'amount'): bigint {
  if (typeof amount !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(amount)) {
    throw ainError(ErrInvalidCoins, `${field} "${String(amount)}" is not a non-negative integer`);
  }
  const value = BigInt(amount);
  if (value > MAX_AMOUNT) throw ainError(ErrInvalidCoins, `${field} exceeds 2^256-1`);
  return value;
}

/**
 * Validates a list of coins the way the SDK's `Coins.Validate` does: positive amounts, valid denoms,
 * sorted by denom, no duplicates.
 */
export function validateCoins(coins: readonly Coin[], field = 'amount', allowEmpty = false): void {
  if (coins.length === 0 && !allowEmpty) throw ainError(ErrInvalidCoins, `${field} is empty; expected at least one coin`);
  if (coins.length > MAX_COINS) throw ainError(ErrInvalidCoins, `${field} has ${coins.length} coins; at most ${MAX_COINS}`);
  let previous = '';
  for (const coin of coins) {
    validateDenom(coin.denom, `${field} denom`);
    if (coin.amount <= 0n) throw ainError(ErrInvalidCoins, `${field} ${coin.amount}${coin.denom} is not positive`);
    if (coin.denom <= previous)
      throw ainError(ErrInvalidCoins, `${field} denoms must be sorted and unique; got "${coin.denom}" after "${previous}"`);
    previous = coin.denom;
  }
}

/** Converts protobuf coins ({denom, amount: string}) to checked `Coin`s; JSON of another shape is refused, naming `field`. */
export function coinsFromProto(coins: readonly { denom: string; amount: string }[], field = 'amount', allowEmpty = false): Coin[] {
  if (!Array.isArray(coins)) throw ainError(ErrInvalidCoins, `${field} must be a list of {"denom", "amount"}`);
  const result = coins.map((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.denom !== 'string')
      throw ainError(ErrInvalidCoins, `${field}[${i}] must be {"denom": string, "amount": string}`);
    return { denom: c.denom, amount: parseAmount(c.amount, `${field} ${c.denom}`) };
  });
  validateCoins(result, field, allowEmpty);
  return result;
}

export function coinsToProto(coins: readonly Coin[]): { denom: string; amount: string }[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

/**
 * Parses "10uain,5foo" (the CLI's coin syntax) into sorted coins.
 * @example parseCoins('1000000uain') // [{ denom: 'uain', amount: 1000000n }]
 */
export function parseCoins(text: string, field = 'coins'): Coin[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const coins = parts.map((part) => {
    const match = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(part);
    if (!match) throw ainError(ErrInvalidCoins, `${field} "${part}" is not of the form <amount><denom>, e.g. 1000uain`);
    return { denom: match[2]!, amount: parseAmount(match[1]!, field) };
  });
  coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  validateCoins(coins, field);
  return coins;
}

/** "10uain,5foo": the SDK's string form of coins (used in events). */
export function formatCoins(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** `a - b` by denom, or undefined when some denom of `b` is short in `a` (the SDK's `SafeSub`); zeros are dropped, denoms sorted. */
export function subtractCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] | undefined {
  const left = new Map(a.map((coin) => [coin.denom, coin.amount]));
  for (const coin of b) {
    const have = left.get(coin.denom) ?? 0n;
    if (have < coin.amount) return undefined;
    left.set(coin.denom, have - coin.amount);
  }
  return [...left]
    .filter(([, amount]) => amount > 0n)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}
