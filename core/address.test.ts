import { createHash } from 'node:crypto';
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { parseAddress, pubkeyToAddress } from './address.ts';
import { codeOf } from '../test/helpers/errorCode.ts';

const bytes = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const account = toBech32('ain', bytes);
const operator = toBech32('ainvaloper', bytes);

describe('parseAddress', () => {
  it('returns the bytes the second time too, each time a copy the caller owns', () => {
    const first = parseAddress(account);
    first.fill(0);
    expect(parseAddress(account)).toEqual(bytes);
    expect(parseAddress(account)).not.toBe(parseAddress(account));
  });

  it('still refuses a remembered address for another prefix, naming the field', () => {
    expect(parseAddress(account)).toEqual(bytes);
    expect(codeOf(() => parseAddress(account, 'validator_address', 'ainvaloper'))).toBe('sdk/7');
    expect(() => parseAddress(account, 'validator_address', 'ainvaloper')).toThrow(
      'validator_address has prefix "ain"; expected "ainvaloper"',
    );
    expect(parseAddress(operator, 'validator_address', 'ainvaloper')).toEqual(bytes);
    expect(() => parseAddress(operator, 'to_address')).toThrow('to_address has prefix "ainvaloper"');
  });

  it('refuses bad input every time with the field of the call', () => {
    const bad = `${account.slice(0, -1)}${account.endsWith('q') ? 'p' : 'q'}`;
    expect(() => parseAddress(bad, 'from_address')).toThrow('from_address "');
    expect(() => parseAddress(bad, 'to_address')).toThrow('to_address "');
    expect(() => parseAddress(account.toUpperCase(), 'to_address')).toThrow('to_address must be lower case');
  });
});

describe('pubkeyToAddress', () => {
  it('is ripemd160(sha256(key)) in bech32, remembered or not', () => {
    const key = Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 2 : i));
    const expected = toBech32('ain', createHash('ripemd160').update(createHash('sha256').update(key).digest()).digest());
    expect(pubkeyToAddress(key)).toBe(expected);
    expect(pubkeyToAddress(key)).toBe(expected);
    // A view into a larger buffer reads only its own bytes.
    const padded = new Uint8Array(40);
    padded.set(key, 5);
    expect(pubkeyToAddress(padded.subarray(5, 38))).toBe(expected);
    const other = key.slice();
    other[32] = 0;
    expect(pubkeyToAddress(other)).not.toBe(expected);
  });
});
