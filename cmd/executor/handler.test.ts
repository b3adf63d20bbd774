import { describe, expect, it } from 'vitest';
import { executorCommand } from './index.ts';
import {
  collectJobCode,
  collectRuntime,
  parseJobIds,
  parseJobRoles,
  parsePort,
  parsePositive,
  parsePrice,
  parseRuntimes,
} from './handler.ts';

describe('aind executor flags', () => {
  it('parses --http PORT (0 for a free one) and has its companions', () => {
    expect(parsePort('8080')).toBe(8080);
    expect(parsePort('0')).toBe(0);
    expect(() => parsePort('65536')).toThrow(/--http "65536" must be a port/);
    expect(() => parsePort('http')).toThrow(/must be a port/);
    const options = executorCommand().options;
    expect(options.find((o) => o.long === '--http-host')?.description).toMatch(/with --http/);
    expect(options.find((o) => o.long === '--redeem-interval-ms')?.description).toMatch(/vouchers are redeemed/);
  });

  it('parses --runtimes (any runtime name: declared ones are checked at start), refusing bad, repeated or empty lists', () => {
    expect(parseRuntimes('node,python3')).toEqual(['node', 'python3']);
    expect(parseRuntimes(' node ,torch')).toEqual(['node', 'torch']);
    expect(() => parseRuntimes('Torch!')).toThrow(/"Torch!" is not a runtime name/);
    expect(() => parseRuntimes('node,node')).toThrow(/repeats/);
    expect(() => parseRuntimes(',')).toThrow(/at least one/);
  });

  it('collects repeatable --runtime NAME=PATH, once per name', () => {
    const specs = collectRuntime('js=/opt/node/bin/node', collectRuntime('torch=/opt/torch/.venv/bin/python3', undefined));
    expect(specs).toEqual([
      { name: 'torch', command: '/opt/torch/.venv/bin/python3' },
      { name: 'js', command: '/opt/node/bin/node' },
    ]);
    expect(() => collectRuntime('torch=/x/python3', specs)).toThrow(/--runtime gives torch twice/);
  });

  it('has --runtime and --insecure-sandbox, and no --runtimes default (python3, node and every declared one)', () => {
    const options = executorCommand().options;
    const flag = (name: string) => options.find((o) => o.long === name);
    expect(flag('--insecure-sandbox')?.description).toMatch(/no filesystem isolation/);
    expect(flag('--runtime')?.description).toMatch(/repeatable; HOME\/executor.toml declares more/);
    expect(flag('--runtimes')?.defaultValue).toBeUndefined();
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
