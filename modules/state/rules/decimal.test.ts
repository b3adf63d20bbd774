import { describe, expect, it } from 'vitest';
import { Decimal, DIVISION_DIGITS, MAX_DIGITS } from './decimal.ts';
import { RuleRuntimeError } from './runtimeError.ts';

const d = (text: string): Decimal => {
  const v = Decimal.parse(text);
  if (v === undefined) throw new Error(`bad literal ${text}`);
  return v;
};

describe('Decimal', () => {
  it('normalises: equal numbers have equal fields and one canonical text', () => {
    expect(d('1.50').equals(d('1.5'))).toBe(true);
    expect(d('150e-2').toString()).toBe('1.5');
    expect(d('1.5e2').toString()).toBe('150');
    expect(d('0.000').toString()).toBe('0');
    expect(d('-0').toString()).toBe('0');
    expect(d('0.001').toString()).toBe('0.001');
    expect(d('-12.034').toString()).toBe('-12.034');
    expect(d('1e21').toString()).toBe('1000000000000000000000');
  });

  it('reads doubles by their shortest round-trip digits', () => {
    expect(Decimal.fromNumber(0.1).toString()).toBe('0.1');
    expect(Decimal.fromNumber(0.1 + 0.2).toString()).toBe('0.30000000000000004');
    expect(Decimal.fromNumber(-0).toString()).toBe('0');
    expect(Decimal.fromNumber(1e21).toString()).toBe('1000000000000000000000');
    expect(Decimal.fromNumber(5e-324).toString()).toBe(`0.${'0'.repeat(323)}5`);
    expect(Decimal.fromNumber(Number.MAX_VALUE).cmp(d('1.7976931348623157e308'))).toBe(0);
    expect(Decimal.fromNumber(Number.MAX_SAFE_INTEGER).toString()).toBe('9007199254740991');
    expect(() => Decimal.fromNumber(Number.NaN)).toThrow(RuleRuntimeError);
    expect(() => Decimal.fromNumber(Number.POSITIVE_INFINITY)).toThrow(RuleRuntimeError);
  });

  it('adds, subtracts and multiplies exactly', () => {
    expect(d('0.1').add(d('0.2')).equals(d('0.3'))).toBe(true);
    expect(d('0.1').add(d('0.2')).toString()).toBe('0.3');
    expect(d('1').sub(d('0.9')).toString()).toBe('0.1');
    expect(d('1.1').mul(d('1.1')).toString()).toBe('1.21');
    expect(d('9007199254740993').add(d('1')).toString()).toBe('9007199254740994');
    expect(d('123456789012345678901234567890').mul(d('10')).toString()).toBe('1234567890123456789012345678900');
    expect(d('-3').mul(d('0.5')).toString()).toBe('-1.5');
  });

  it('divides exactly when it can, else to 34 digits half-to-even', () => {
    expect(d('1').div(d('4')).toString()).toBe('0.25');
    expect(d('10').div(d('4')).toString()).toBe('2.5');
    expect(d('1').div(d('3')).toString()).toBe(`0.${'3'.repeat(DIVISION_DIGITS)}`);
    expect(d('2').div(d('3')).toString()).toBe(`0.${'6'.repeat(DIVISION_DIGITS - 1)}7`);
    expect(d('-2').div(d('3')).toString()).toBe(`-0.${'6'.repeat(DIVISION_DIGITS - 1)}7`);
    expect(d('1').div(d('3')).mul(d('3')).equals(Decimal.ONE)).toBe(false);
    expect(d('6').div(d('-2')).toString()).toBe('-3');
    expect(d('1e-300').div(d('1e300')).toString()).toBe(d('1e-600').toString());
    // A tie at the 35th significant digit rounds to even; above the tie rounds up.
    expect(
      d(`1${'0'.repeat(33)}5`)
        .div(d('10'))
        .toString(),
    ).toBe(`1${'0'.repeat(33)}`);
    expect(
      d(`1${'0'.repeat(32)}15`)
        .div(d('10'))
        .toString(),
    ).toBe(`1${'0'.repeat(32)}2`);
    expect(
      d(`1${'0'.repeat(32)}251`)
        .div(d('100'))
        .toString(),
    ).toBe(`1${'0'.repeat(32)}3`);
    expect(
      d(`1${'0'.repeat(34)}5`)
        .div(d('1'))
        .toString(),
    ).toBe(`1${'0'.repeat(35)}`);
    expect(() => d('1').div(Decimal.ZERO)).toThrow('division by zero');
  });

  it('takes the truncated remainder, with the sign of the dividend', () => {
    expect(d('7').rem(d('3')).toString()).toBe('1');
    expect(d('-7').rem(d('3')).toString()).toBe('-1');
    expect(d('7').rem(d('-3')).toString()).toBe('1');
    expect(d('5.5').rem(d('2')).toString()).toBe('1.5');
    expect(d('0.3').rem(d('0.1')).toString()).toBe('0');
    expect(() => d('1').rem(Decimal.ZERO)).toThrow('remainder by zero');
  });

  it('compares by value', () => {
    expect(d('0.3').cmp(d('0.30000000000000004'))).toBe(-1);
    expect(d('-1').cmp(d('-2'))).toBe(1);
    expect(d('2').cmp(d('2.0'))).toBe(0);
    expect(d('1e3').cmp(d('999.999'))).toBe(1);
    expect(Decimal.ZERO.cmp(d('-0.0001'))).toBe(1);
  });

  it('refuses results it cannot hold exactly instead of rounding them', () => {
    expect(() => d('1e300').add(Decimal.ONE)).toThrow(RuleRuntimeError);
    expect(() => d('1e600').mul(d('1e600'))).toThrow(/exponent/);
    expect(() => d(`1${'1'.repeat(MAX_DIGITS)}`)).toThrow(/significant digits/);
    expect(d('9'.repeat(MAX_DIGITS)).toString()).toBe('9'.repeat(MAX_DIGITS));
  });

  it('gives safe integers back only for integers', () => {
    expect(d('42').toSafeInteger()).toBe(42);
    expect(d('4.2e1').toSafeInteger()).toBe(42);
    expect(d('0.5').toSafeInteger()).toBeUndefined();
    expect(d('1e20').toSafeInteger()).toBeUndefined();
  });
});
