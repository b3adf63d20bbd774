import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { ErrInvalidValue } from './errors.ts';
import { checkValue, decodeValue, encodeValue, valueHash } from './valueCodec.ts';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).is(ErrInvalidValue)).toBe(true);
    return;
  }
  throw new Error('expected ErrInvalidValue');
}

describe('value codec', () => {
  it('encodes the type with the value, so 1, "1" and true differ', () => {
    expect(hex(encodeValue(1))).toBe('023ff0000000000000');
    expect(hex(encodeValue('1'))).toBe('0131');
    expect(hex(encodeValue(true))).toBe('0301');
    expect(hex(encodeValue(false))).toBe('0300');
    expect(hex(encodeValue(''))).toBe('01');
    const hashes = [1, '1', true, 0, '0', false, '', 'true'].map((v) => hex(valueHash(v)));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('encodes numbers as big-endian binary64 and folds -0 into 0', () => {
    expect(hex(encodeValue(-0))).toBe(hex(encodeValue(0)));
    expect(hex(encodeValue(0))).toBe('020000000000000000');
    expect(hex(encodeValue(-2.5))).toBe('02c004000000000000');
    expect(hex(encodeValue(Number.MAX_SAFE_INTEGER))).toBe('02433fffffffffffff');
    expect(checkValue(-0)).toBe(0);
    expect(Object.is(checkValue(-0), 0)).toBe(true);
  });

  it('round-trips values', () => {
    const values = ['', 'héllo', '😀', 'a\u0000b', 0, 1, -1, 0.1, 1e300, -5e-324, Number.MAX_VALUE, true, false];
    for (const v of values) expect(decodeValue(encodeValue(v))).toBe(v);
  });

  it('refuses non-finite numbers, non-values and lone surrogates', () => {
    expectInvalid(() => encodeValue(Number.NaN));
    expectInvalid(() => encodeValue(Infinity));
    expectInvalid(() => encodeValue(-Infinity));
    for (const bad of [null, undefined, {}, [], 1n, Symbol('x'), () => 1]) {
      expectInvalid(() => encodeValue(bad as unknown as string));
    }
    expectInvalid(() => encodeValue('a\ud800'));
    expectInvalid(() => encodeValue('\udfff'));
  });

  it('refuses bytes that are not a canonical encoding', () => {
    for (const bad of ['', '00', '04', '0300ff', '0302', '0201', '027ff8000000000000', '027ff0000000000000', '028000000000000000']) {
      expectInvalid(() => decodeValue(Buffer.from(bad, 'hex')));
    }
  });

  it('refuses string bytes that are not well-formed UTF-8, which would decode to U+FFFD and re-encode otherwise', () => {
    // A stray byte, a truncated sequence, an overlong "/", an encoded surrogate, a code point above U+10FFFF.
    for (const bad of ['0161ff', '0180', '01e282', '01c0af', '01eda080', '01f4908080']) {
      expectInvalid(() => decodeValue(Buffer.from(bad, 'hex')));
    }
  });

  it('keeps a leading byte order mark (it is a character of the value, not a marker)', () => {
    const bytes = Buffer.from('01efbbbf61', 'hex');
    expect(decodeValue(bytes)).toBe('\ufeffa');
    expect(hex(encodeValue(decodeValue(bytes)))).toBe('01efbbbf61');
  });
});
