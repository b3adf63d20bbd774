import { describe, expect, it } from 'vitest';
import { parsePositive, parsePrice, parseRuntimes } from './handler.ts';

describe('aind executor flags', () => {
  it('parses --runtimes, refusing unknown, repeated or empty lists', () => {
    expect(parseRuntimes('node,python3')).toEqual(['node', 'python3']);
    expect(parseRuntimes(' node ')).toEqual(['node']);
    expect(() => parseRuntimes('ruby')).toThrow(/unknown runtime "ruby"/);
    expect(() => parseRuntimes('node,node')).toThrow(/repeats/);
    expect(() => parseRuntimes(',')).toThrow(/at least one/);
  });

  it('parses --price and positive integers', () => {
    expect(parsePrice('0')).toBe('0');
    expect(parsePrice('1000')).toBe('1000');
    expect(() => parsePrice('-1')).toThrow(/non-negative integer/);
    expect(() => parsePrice('01')).toThrow(/non-negative integer/);
    expect(parsePositive('--timeout-ms')('10000')).toBe(10000);
    expect(() => parsePositive('--timeout-ms')('0')).toThrow(/positive integer/);
  });
});
