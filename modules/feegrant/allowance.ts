/**
 * Fee allowances, pure: the three kinds of the Cosmos SDK's x/feegrant (BasicAllowance,
 * PeriodicAllowance, AllowedMsgAllowance wrapping either), their stateless checks, and `accept`, which
 * judges a fee and a tx's messages against an allowance at a block time and returns the allowance as
 * it is afterwards. Times are nanoseconds since the epoch (bigint), durations nanoseconds; the chain's
 * block time has whole seconds, so a judgement never depends on anything but the block.
 */
import type { Coin } from '../../core/index.ts';
import {
  ainError,
  coinsFromProto,
  ErrInvalidCoins,
  ErrInvalidRequest,
  formatCoins,
  formatTimestamp,
  parseAmount,
  subtractCoins,
  validateDenom,
} from '../../core/index.ts';
import { ErrFeeLimitExceeded, ErrFeeLimitExpired, ErrInvalidDuration, ErrMessageNotAllowed, ErrNoMessages } from './errors.ts';

export const BASIC_ALLOWANCE_TYPE_URL = '/cosmos.feegrant.v1beta1.BasicAllowance';
export const PERIODIC_ALLOWANCE_TYPE_URL = '/cosmos.feegrant.v1beta1.PeriodicAllowance';
export const ALLOWED_MSG_ALLOWANCE_TYPE_URL = '/cosmos.feegrant.v1beta1.AllowedMsgAllowance';

/** Nanoseconds in a second. */
export const NANOS = 1_000_000_000n;

/** A one-time grant of coins (no limit when `spendLimit` is empty) that may expire. */
export interface BasicAllowance {
  readonly kind: 'basic';
  readonly spendLimit: readonly Coin[];
  /** Nanoseconds since the epoch; undefined: never expires. */
  readonly expiration: bigint | undefined;
}

/** A basic allowance that also caps what is spent per period, refilled at `periodReset`. */
export interface PeriodicAllowance {
  readonly kind: 'periodic';
  readonly basic: BasicAllowance;
  /** Nanoseconds, positive. */
  readonly period: bigint;
  readonly periodSpendLimit: readonly Coin[];
  /** What is left to spend in the current period (may hold zero amounts). */
  readonly periodCanSpend: readonly Coin[];
  /** When the current period ends, nanoseconds since the epoch (0 when unset: the first use refills it). */
  readonly periodReset: bigint;
}

/** Another allowance, usable only by txs whose every message has one of `allowedMessages` as type URL. */
export interface AllowedMsgAllowance {
  readonly kind: 'allowed_msg';
  readonly allowance: BasicAllowance | PeriodicAllowance;
  readonly allowedMessages: readonly string[];
}

export type FeeAllowance = BasicAllowance | PeriodicAllowance | AllowedMsgAllowance;

/** What `accept` decided: the allowance afterwards, and whether it is to be removed (used up or expired). */
export interface AcceptResult {
  readonly allowance: FeeAllowance;
  readonly remove: boolean;
}

/** Gas of one step of matching a message against an allowed-message list (the SDK's gasCostPerIteration). */
export const ALLOWED_MSG_GAS_PER_ITERATION = 10;

/** When the allowance expires (nanoseconds), if ever. */
export function expiresAt(allowance: FeeAllowance): bigint | undefined {
  if (allowance.kind === 'basic') return allowance.expiration;
  if (allowance.kind === 'periodic') return allowance.basic.expiration;
  return expiresAt(allowance.allowance);
}

/** Coins that may hold zero amounts (`period_can_spend`): valid denoms, sorted and unique, none negative. */
export function nonNegativeCoins(coins: readonly { denom: string; amount: string }[], field: string): Coin[] {
  if (!Array.isArray(coins)) throw ainError(ErrInvalidCoins, `${field} must be a list of {"denom", "amount"}`);
  let previous = '';
  return coins.map((coin, i) => {
    if (typeof coin !== 'object' || coin === null) throw ainError(ErrInvalidCoins, `${field}[${i}] must be {"denom", "amount"}`);
    validateDenom(coin.denom, `${field} denom`);
    if (coin.denom <= previous)
      throw ainError(ErrInvalidCoins, `${field} denoms must be sorted and unique; got "${coin.denom}" after "${previous}"`);
    previous = coin.denom;
    return { denom: coin.denom, amount: parseAmount(coin.amount, `${field} ${coin.denom}`) };
  });
}

function validateBasicAllowance(allowance: BasicAllowance, field: string): void {
  coinsFromProto(
    allowance.spendLimit.map((c) => ({ denom: c.denom, amount: c.amount.toString() })),
    `${field}.spend_limit`,
    true,
  );
  if (allowance.expiration !== undefined && allowance.expiration < 0n)
    throw ainError(ErrInvalidDuration, `${field}.expiration is before 1970-01-01; expiration time cannot be negative`);
  if (allowance.expiration !== undefined && !inTimestampRange(allowance.expiration))
    throw ainError(ErrInvalidRequest, `${field}.expiration is out of range; expected a time between years 1 and 9999`, {
      field: `${field}.expiration`,
    });
}

/** Whether a time fits protobuf's Timestamp (years 1 to 9999), which the SDK's decoding requires and RFC 3339 can write. */
const inTimestampRange = (nanos: bigint): boolean => formatTimestamp(fromNanos(nanos)) !== '';

/** The longest period: Go's time.Duration, which the SDK decodes a PeriodicAllowance's period into. */
export const MAX_PERIOD_NANOS = 2n ** 63n - 1n;

/**
 * The SDK's `ValidateBasic` of an allowance: positive limits, a positive period, `period_spend_limit`
 * in `spend_limit`'s denoms (when it has any), `period_can_spend` no more than `period_spend_limit`, a
 * period that does not reset after the expiration, an allowed-message list that is not empty.
 * @throws AinError sdk/10 (invalid coins), feegrant/4 (invalid duration), feegrant/6 (no messages)
 */
export function validateAllowance(allowance: FeeAllowance, field = 'allowance'): void {
  if (allowance.kind === 'basic') return validateBasicAllowance(allowance, field);
  if (allowance.kind === 'allowed_msg') {
    if (allowance.allowedMessages.length === 0)
      throw ainError(ErrNoMessages, `${field}.allowed_messages is empty; expected at least one message type URL`);
    allowance.allowedMessages.forEach((url, i) => {
      if (typeof url !== 'string' || url === '')
        throw ainError(
          ErrInvalidRequest,
          `${field}.allowed_messages[${i}] is empty; expected a type URL such as /cosmos.bank.v1beta1.MsgSend`,
        );
    });
    return validateAllowance(allowance.allowance, `${field}.allowance`);
  }
  validateBasicAllowance(allowance.basic, `${field}.basic`);
  if (allowance.periodSpendLimit.length === 0)
    throw ainError(ErrInvalidCoins, `${field}.period_spend_limit is empty; the spend limit must be positive`);
  coinsFromProto(
    allowance.periodSpendLimit.map((c) => ({ denom: c.denom, amount: c.amount.toString() })),
    `${field}.period_spend_limit`,
  );
  const basicDenoms = new Set(allowance.basic.spendLimit.map((c) => c.denom));
  if (basicDenoms.size > 0) {
    const stray = allowance.periodSpendLimit.find((c) => !basicDenoms.has(c.denom));
    if (stray)
      throw ainError(
        ErrInvalidCoins,
        `${field}.period_spend_limit has ${stray.denom}, which ${field}.basic.spend_limit (${formatCoins(allowance.basic.spendLimit)}) lacks; period spend limit has different currency than basic spend limit`,
      );
  }
  if (subtractCoins(allowance.periodSpendLimit, allowance.periodCanSpend) === undefined)
    throw ainError(
      ErrInvalidCoins,
      `${field}.period_can_spend ${formatCoins(allowance.periodCanSpend)} exceeds ${field}.period_spend_limit ${formatCoins(allowance.periodSpendLimit)}`,
    );
  if (allowance.period <= 0n)
    throw ainError(ErrInvalidDuration, `${field}.period is ${formatDuration(allowance.period)}; expected a positive duration`);
  if (allowance.period > MAX_PERIOD_NANOS)
    throw ainError(
      ErrInvalidDuration,
      `${field}.period is ${formatDuration(allowance.period)}; expected at most ${formatDuration(MAX_PERIOD_NANOS)}`,
    );
  if (!inTimestampRange(allowance.periodReset))
    throw ainError(ErrInvalidRequest, `${field}.period_reset is out of range; expected a time between years 1 and 9999`, {
      field: `${field}.period_reset`,
    });
  const expiration = allowance.basic.expiration;
  if (expiration !== undefined && allowance.periodReset > expiration)
    throw ainError(
      ErrInvalidDuration,
      `${field}.period_reset ${formatTime(allowance.periodReset)} is after ${field}.basic.expiration ${formatTime(expiration)}; the period cannot reset after expiration`,
    );
}

/** `accept` of a basic allowance (also the absolute limit of a periodic one, `label` naming which). */
function acceptBasic(allowance: BasicAllowance, fee: readonly Coin[], now: bigint, label: string): AcceptResult {
  if (allowance.expiration !== undefined && allowance.expiration < now)
    throw new ExpiredAllowance(
      ainError(ErrFeeLimitExpired, `${label} expired at ${formatTime(allowance.expiration)}; the block time is ${formatTime(now)}`),
    );
  if (allowance.spendLimit.length === 0) return { allowance, remove: false };
  const left = subtractCoins(allowance.spendLimit, fee);
  if (!left)
    throw ainError(
      ErrFeeLimitExceeded,
      `${label}: fee ${formatCoins(fee)} exceeds the spend limit ${formatCoins(allowance.spendLimit)} left`,
    );
  return { allowance: { ...allowance, spendLimit: left }, remove: left.length === 0 };
}

/**
 * A period that has ended refills: `period_can_spend` becomes the lesser of the spend limit left and
 * `period_spend_limit`, and the next reset is one period after the last one, or one period from the
 * block time when a whole period went by unused.
 */
export function resetPeriod(allowance: PeriodicAllowance, now: bigint): PeriodicAllowance {
  if (now < allowance.periodReset) return allowance;
  const limit = allowance.basic.spendLimit;
  const canSpend = limit.length > 0 && subtractCoins(limit, allowance.periodSpendLimit) === undefined ? limit : allowance.periodSpendLimit;
  let periodReset = allowance.periodReset + allowance.period;
  if (now > periodReset) periodReset = now + allowance.period;
  return { ...allowance, periodCanSpend: canSpend, periodReset };
}

function acceptPeriodic(allowance: PeriodicAllowance, fee: readonly Coin[], now: bigint): AcceptResult {
  const expiration = allowance.basic.expiration;
  if (expiration !== undefined && now > expiration)
    throw new ExpiredAllowance(
      ainError(ErrFeeLimitExpired, `absolute limit expired at ${formatTime(expiration)}; the block time is ${formatTime(now)}`),
    );
  const current = resetPeriod(allowance, now);
  const canSpend = subtractCoins(current.periodCanSpend, fee);
  if (!canSpend)
    throw ainError(
      ErrFeeLimitExceeded,
      `period limit: fee ${formatCoins(fee)} exceeds the ${formatCoins(current.periodCanSpend) || '0'} left in this period (until ${formatTime(current.periodReset)})`,
    );
  const basic = acceptBasic(current.basic, fee, now, 'absolute limit');
  return { allowance: { ...current, basic: basic.allowance as BasicAllowance, periodCanSpend: canSpend }, remove: basic.remove };
}

/**
 * An allowance that expired: `accept` throws it so the keeper can tell "remove it" from "refuse".
 * `error` is what the tx is refused with.
 */
export class ExpiredAllowance extends Error {
  constructor(readonly error: Error) {
    super(error.message);
    this.name = 'ExpiredAllowance';
  }
}

/**
 * Judges a fee and a tx's message type URLs against `allowance` at block time `now` (nanoseconds), as
 * the SDK's `Accept`: the spend limits go down by the fee, a used-up allowance is to be removed.
 * @throws ExpiredAllowance (wrapping feegrant/3) when it expired before `now`; AinError feegrant/2 when
 *   the fee is over a limit, feegrant/7 when a message type is not allowed
 * @example accept(basic, [{ denom: 'uain', amount: 5000n }], ['/cosmos.bank.v1beta1.MsgSend'], now)
 */
export function accept(allowance: FeeAllowance, fee: readonly Coin[], messageTypes: readonly string[], now: bigint): AcceptResult {
  if (allowance.kind === 'basic') return acceptBasic(allowance, fee, now, 'basic allowance');
  if (allowance.kind === 'periodic') return acceptPeriodic(allowance, fee, now);
  const allowed = new Set(allowance.allowedMessages);
  const refused = messageTypes.find((url) => !allowed.has(url));
  if (refused !== undefined)
    throw ainError(ErrMessageNotAllowed, `message ${refused} does not exist in allowed messages [${allowance.allowedMessages.join(', ')}]`);
  const inner = accept(allowance.allowance, fee, messageTypes, now);
  return { allowance: { ...allowance, allowance: inner.allowance as BasicAllowance | PeriodicAllowance }, remove: inner.remove };
}

/** Floor division, so times before the epoch split into seconds and non-negative nanos. */
function splitNanos(nanos: bigint): { seconds: bigint; nanos: number } {
  let seconds = nanos / NANOS;
  let rest = nanos % NANOS;
  if (rest < 0n) {
    seconds -= 1n;
    rest += NANOS;
  }
  return { seconds, nanos: Number(rest) };
}

/** A protobuf Timestamp or Duration ({seconds, nanos}) as nanoseconds. */
export const toNanos = (value: { seconds: bigint; nanos: number }): bigint => value.seconds * NANOS + BigInt(value.nanos);
/** Nanoseconds as a protobuf Timestamp or Duration. */
export const fromNanos = (nanos: bigint): { seconds: bigint; nanos: number } => splitNanos(nanos);

/** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (as protobuf JSON prints a Timestamp). */
export function formatTime(nanos: bigint): string {
  return formatTimestamp(splitNanos(nanos));
}

function fractionText(nanos: number): string {
  if (nanos === 0) return '';
  let text = String(nanos).padStart(9, '0');
  while (text.endsWith('000')) text = text.slice(0, -3);
  return `.${text}`;
}

/** A duration as protobuf JSON prints it: `3600s`, `1.5s`. */
export function formatDuration(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  return `${sign}${magnitude / NANOS}${fractionText(Number(magnitude % NANOS))}s`;
}

/** Parses protobuf JSON's duration text (`3600s`, `0.5s`); undefined when it is not one. */
export function parseDuration(text: string): bigint | undefined {
  const match = /^(-?)(\d{1,12})(?:\.(\d{1,9}))?s$/.exec(text);
  if (!match) return undefined;
  const nanos = BigInt(match[2]!) * NANOS + BigInt((match[3] ?? '').padEnd(9, '0'));
  return match[1] === '-' ? -nanos : nanos;
}
