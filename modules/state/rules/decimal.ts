/**
 * Exact decimal numbers of the rule language: value = coef x 10^exp with a bigint coefficient.
 *
 * - Literals (`0.1`, `12`, `1.5e3`) and numbers read from state are exact decimals: a state number
 *   (an IEEE-754 double) becomes the decimal of its shortest round-trip form, the digits
 *   ECMAScript's Number::toString produces (0.1 is exactly 1/10, 0.1 + 0.2 == 0.3 is true).
 * - `+ - *` are exact. `/` is exact when the quotient has at most {@link DIVISION_DIGITS} significant
 *   digits, otherwise rounded half-to-even to that many (decimal128 precision; 1/3 = 0.333...3 with
 *   34 threes). `%` is the exact truncated remainder (its sign is the dividend's).
 * - A result with more than {@link MAX_DIGITS} significant digits, or an exponent outside
 *   [{@link MIN_EXPONENT}, {@link MAX_EXPONENT}], is a runtime error (the rule is false), never a
 *   silent rounding. Division or remainder by zero is a runtime error.
 *
 * Only bigint arithmetic is used, so results are identical on every platform. The form is
 * normalised (no trailing zeros in the coefficient, zero is 0 x 10^0, no negative zero), so equal
 * numbers have equal fields.
 */
import { RuleRuntimeError } from './runtimeError.ts';

/** Most significant digits in a number. */
export const MAX_DIGITS = 100;
/** Smallest exponent of a normalised number (every finite double fits). */
export const MIN_EXPONENT = -1000;
/** Largest exponent of a normalised number. */
export const MAX_EXPONENT = 1000;
/** Significant digits of an inexact quotient. */
export const DIVISION_DIGITS = 34;

const LITERAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function digitCount(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  private constructor(
    /** The coefficient; no trailing decimal zeros unless the number is zero. */
    readonly coef: bigint,
    /** The power of ten. */
    readonly exp: number,
  ) {}

  /**
   * The normalised number coef x 10^exp.
   * @throws RuleRuntimeError when it needs more than MAX_DIGITS digits or its exponent is out of range
   */
  static of(coef: bigint, exp: number): Decimal {
    if (coef === 0n) return Decimal.ZERO;
    let c = coef;
    let e = exp;
    // Strip trailing zeros, eight at a time first.
    while (c % 100000000n === 0n) {
      c /= 100000000n;
      e += 8;
    }
    while (c % 10n === 0n) {
      c /= 10n;
      e += 1;
    }
    const digits = digitCount(c);
    if (digits > MAX_DIGITS) throw new RuleRuntimeError(`number needs ${digits} significant digits, at most ${MAX_DIGITS}`);
    if (e < MIN_EXPONENT || e > MAX_EXPONENT) {
      throw new RuleRuntimeError(`number exponent ${e} outside [${MIN_EXPONENT}, ${MAX_EXPONENT}]`);
    }
    return new Decimal(c, e);
  }

  /**
   * Parses `-?digits(.digits)?(e[+-]?digits)?`; undefined when the text has another shape.
   * @throws RuleRuntimeError when the number is out of range
   * @example Decimal.parse('0.10').toString() // '0.1'
   */
  static parse(text: string): Decimal | undefined {
    const m = LITERAL.exec(text);
    if (m === null) return undefined;
    const [, sign, int = '', frac = '', expText] = m;
    const coef = BigInt(int + frac);
    if (coef === 0n) return Decimal.ZERO;
    let exp = 0;
    if (expText !== undefined) {
      const digits = expText.replace(/^[+-]?0*/, '');
      if (digits.length > 6) throw new RuleRuntimeError(`number exponent ${expText} out of range`);
      exp = Number(expText);
    }
    return Decimal.of(sign === '-' ? -coef : coef, exp - frac.length);
  }

  /**
   * The exact decimal of a double's shortest round-trip digits.
   * @throws RuleRuntimeError for NaN and infinities
   * @example Decimal.fromNumber(0.1).toString() // '0.1'
   */
  static fromNumber(n: number): Decimal {
    if (!Number.isFinite(n)) throw new RuleRuntimeError(`number ${String(n)} is not finite`);
    if (Number.isSafeInteger(n)) return Decimal.of(BigInt(n), 0);
    const parsed = Decimal.parse(String(n));
    if (parsed === undefined) throw new RuleRuntimeError(`number ${String(n)} has no decimal form`);
    return parsed;
  }

  get sign(): -1 | 0 | 1 {
    return this.coef === 0n ? 0 : this.coef < 0n ? -1 : 1;
  }

  isInteger(): boolean {
    return this.exp >= 0;
  }

  /** The value as a safe integer, or undefined when it is not one. */
  toSafeInteger(): number | undefined {
    if (this.exp < 0 || this.exp > 15) return undefined;
    const v = this.coef * pow10(this.exp);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  }

  neg(): Decimal {
    return this.coef === 0n ? this : new Decimal(-this.coef, this.exp);
  }

  add(other: Decimal): Decimal {
    if (other.coef === 0n) return this;
    if (this.coef === 0n) return other;
    const e = Math.min(this.exp, other.exp);
    return Decimal.of(this.coef * pow10(this.exp - e) + other.coef * pow10(other.exp - e), e);
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  mul(other: Decimal): Decimal {
    return Decimal.of(this.coef * other.coef, this.exp + other.exp);
  }

  /**
   * The quotient, exact when it has at most DIVISION_DIGITS significant digits, else rounded half to even.
   * @throws RuleRuntimeError on division by zero
   */
  div(other: Decimal): Decimal {
    if (other.coef === 0n) throw new RuleRuntimeError('division by zero');
    if (this.coef === 0n) return Decimal.ZERO;
    const negative = this.coef < 0n !== other.coef < 0n;
    const n = this.coef < 0n ? -this.coef : this.coef;
    const d = other.coef < 0n ? -other.coef : other.coef;
    // Scale the dividend so the integer quotient has at least DIVISION_DIGITS + 1 digits.
    const k = Math.max(0, DIVISION_DIGITS + 1 + digitCount(d) - digitCount(n));
    const scaled = n * pow10(k);
    let q = scaled / d;
    const sticky = scaled % d !== 0n;
    let exp = this.exp - other.exp - k;
    const drop = digitCount(q) - DIVISION_DIGITS;
    if (drop > 0) {
      const p = pow10(drop);
      const rest = q % p;
      q /= p;
      exp += drop;
      const twice = rest * 2n;
      if (twice > p || (twice === p && (sticky || q % 2n === 1n))) q += 1n;
    }
    return Decimal.of(negative ? -q : q, exp);
  }

  /**
   * The truncated remainder (sign of the dividend), exact.
   * @throws RuleRuntimeError on a zero divisor
   */
  rem(other: Decimal): Decimal {
    if (other.coef === 0n) throw new RuleRuntimeError('remainder by zero');
    if (this.coef === 0n) return Decimal.ZERO;
    const e = Math.min(this.exp, other.exp);
    return Decimal.of((this.coef * pow10(this.exp - e)) % (other.coef * pow10(other.exp - e)), e);
  }

  /** -1, 0 or 1 as this is below, equal to or above `other`. */
  cmp(other: Decimal): -1 | 0 | 1 {
    if (this.sign !== other.sign) return this.sign < other.sign ? -1 : 1;
    if (this.exp === other.exp) return this.coef === other.coef ? 0 : this.coef < other.coef ? -1 : 1;
    const e = Math.min(this.exp, other.exp);
    const a = this.coef * pow10(this.exp - e);
    const b = other.coef * pow10(other.exp - e);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: Decimal): boolean {
    return this.coef === other.coef && this.exp === other.exp;
  }

  /**
   * Canonical plain notation: no exponent, no trailing zeros, no `+`, no `-0`.
   * @example Decimal.parse('1.50e2')!.toString() // '150'
   */
  toString(): string {
    const negative = this.coef < 0n;
    const digits = (negative ? -this.coef : this.coef).toString();
    let text: string;
    if (this.exp >= 0) text = digits + '0'.repeat(this.exp);
    else {
      const point = digits.length + this.exp;
      text = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
    }
    return negative ? `-${text}` : text;
  }
}
