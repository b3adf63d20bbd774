/**
 * How the explorer writes numbers, amounts and times, and the per-minute counts of its charts. Pure
 * functions (no DOM), tested in format.test.ts.
 */

/** `1234567uain` as `1.234567 AIN`; other denoms as they are. */
export function coin(amount: string, denom = 'uain'): string {
  if (denom !== 'uain' || !/^[0-9]+$/.test(amount)) return `${amount}${denom}`;
  const whole = amount.length > 6 ? amount.slice(0, -6) : '0';
  const fraction = amount.padStart(7, '0').slice(-6).replace(/0+$/, '');
  return `${BigInt(whole).toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} AIN`;
}

/** Cosmos coins (`[{denom, amount}]`) as text. */
export const coins = (list: ReadonlyArray<{ readonly denom?: string; readonly amount?: string }> | undefined): string =>
  list && list.length > 0 ? list.map((c) => coin(c.amount ?? '0', c.denom ?? '')).join(', ') : '-';

/** A decimal-string coin amount of uain (`"123uain"` or `"123"`). */
export const uain = (text: string): string => (text ? coin(text.replace(/uain$/, '')) : '-');

/** A short form of a long hash or address. */
export const short = (text: string, keep = 10): string => (text.length > keep * 2 + 1 ? `${text.slice(0, keep)}…${text.slice(-6)}` : text);

/** An RFC 3339 time as local `HH:MM:SS`. */
export const clock = (time: string): string => (time ? new Date(time).toLocaleTimeString('en-GB') : '-');

/** Counts of event times (ms) per minute over the last `minutes` minutes ending now: [minute starts (s), counts]. */
export function perMinute(times: readonly number[], minutes: number, now: number): [number[], number[]] {
  const end = Math.floor(now / 60_000) * 60;
  const xs = Array.from({ length: minutes }, (_, i) => end - (minutes - 1 - i) * 60);
  const counts = xs.map(() => 0);
  for (const time of times) {
    const index = xs.indexOf(Math.floor(time / 60_000) * 60);
    if (index >= 0) counts[index]! += 1;
  }
  return [xs, counts];
}
