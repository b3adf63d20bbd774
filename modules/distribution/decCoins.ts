/**
 * DecCoins: amounts per denom with 18 fraction digits (LegacyDec atomics, bigint), as the SDK's
 * sdk.DecCoins. Lists are sorted by denom and hold no zero amounts. Stored as text
 * "<atomics><denom>,..." (e.g. "1500000000000000000uain" = 1.5 uain); "" is empty.
 */
import { ainError, ErrLogic, DEC_SCALE } from '../../core/index.ts';
import type { Coin } from '../../core/index.ts';

export interface DecCoin {
  readonly denom: string;
  /** Amount x 10^18. */
  readonly amount: bigint;
}

export type DecCoins = readonly DecCoin[];

const ENTRY = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/;

function normalize(map: Map<string, bigint>): DecCoin[] {
  return [...map.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

const toMap = (coins: DecCoins): Map<string, bigint> => new Map(coins.map((c) => [c.denom, c.amount]));

export function decCoinsToText(coins: DecCoins): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** Parses stored text; a malformed value is a broken invariant. */
export function decCoinsFromText(text: string | undefined): DecCoin[] {
  if (text === undefined || text === '') return [];
  return text.split(',').map((entry) => {
    const match = ENTRY.exec(entry);
    if (!match) throw ainError(ErrLogic, `stored dec coins "${text}" are malformed`);
    return { denom: match[2]!, amount: BigInt(match[1]!) };
  });
}

/** Whole coins as DecCoins (x 10^18). */
export function decCoinsFromCoins(coins: readonly Coin[]): DecCoin[] {
  return normalize(new Map(coins.map((c) => [c.denom, c.amount * DEC_SCALE])));
}

export function addDecCoins(a: DecCoins, b: DecCoins): DecCoin[] {
  const map = toMap(a);
  for (const c of b) map.set(c.denom, (map.get(c.denom) ?? 0n) + c.amount);
  return normalize(map);
}

/** a - b; a negative result is a broken invariant (`sdk/35`). */
export function subDecCoins(a: DecCoins, b: DecCoins): DecCoin[] {
  const map = toMap(a);
  for (const c of b) {
    const left = (map.get(c.denom) ?? 0n) - c.amount;
    if (left < 0n) throw ainError(ErrLogic, `dec coins ${decCoinsToText(a)} minus ${decCoinsToText(b)} would be negative`);
    map.set(c.denom, left);
  }
  return normalize(map);
}

/** Each amount times `dec` (atomics), truncated. */
export function mulDecTruncate(coins: DecCoins, dec: bigint): DecCoin[] {
  return normalize(new Map(coins.map((c) => [c.denom, (c.amount * dec) / DEC_SCALE])));
}

/** Per denom, the smaller of the two (a denom missing from either counts as zero). */
export function intersectDecCoins(a: DecCoins, b: DecCoins): DecCoin[] {
  const other = toMap(b);
  return normalize(new Map(a.map((c) => [c.denom, c.amount < (other.get(c.denom) ?? 0n) ? c.amount : (other.get(c.denom) ?? 0n)])));
}

/** Splits into whole coins (truncated) and the fractional remainder. */
export function truncateDecCoins(coins: DecCoins): { coins: Coin[]; remainder: DecCoin[] } {
  const whole = coins.map((c) => ({ denom: c.denom, amount: c.amount / DEC_SCALE })).filter((c) => c.amount > 0n);
  const remainder = normalize(new Map(coins.map((c) => [c.denom, c.amount % DEC_SCALE])));
  return { coins: whole, remainder };
}

export const isZero = (coins: DecCoins): boolean => coins.length === 0;
