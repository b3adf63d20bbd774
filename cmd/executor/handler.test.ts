import { describe, expect, it } from 'vitest';
import { collectJobCode, parseJobIds, parseJobRoles, parsePositive, parsePrice, parseRuntimes } from './handler.ts';

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

describe('aind executor job flags', () => {
  it('parses --jobs roles, refusing unknown, repeated or empty lists', () => {
    expect(parseJobRoles('worker,evaluator')).toEqual(['worker', 'evaluator']);
    expect(() => parseJobRoles('admin')).toThrow(/unknown role "admin" \(worker, evaluator\)/);
    expect(() => parseJobRoles('worker,worker')).toThrow(/repeats/);
    expect(() => parseJobRoles(' , ')).toThrow(/at least one role/);
  });

  it('parses --job-ids and collects repeatable JOB_ID=HASH code overrides', () => {
    expect(parseJobIds('1, 2,2')).toEqual([1n, 2n]);
    expect(() => parseJobIds('1,x')).toThrow(/"x" is not a job id/);
    const hash = 'ab'.repeat(32);
    const collect = collectJobCode('--worker-code');
    const map = collect(`2=${hash}`, collect(`1=${hash}`, undefined));
    expect([...map]).toEqual([
      [1n, hash],
      [2n, hash],
    ]);
    expect(() => collect(`1=${hash}`, map)).toThrow(/--worker-code gives job 1 twice/);
    expect(() => collect('1=ABC', undefined)).toThrow(/must be JOB_ID=HASH/);
  });
});
