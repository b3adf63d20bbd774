import { describe, expect, it } from 'vitest';
import { nodeHttpUrl } from './node-url.ts';
import { formatJson, formatText, toJsonValue } from './output.ts';
import { resolveHome } from '../../home/index.ts';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

describe('output', () => {
  it('prints 64-bit integers as strings and bytes as base64', () => {
    expect(toJsonValue({ gas: 5n, raw: new Uint8Array([1, 2, 3]), skip: undefined, list: [1n] })).toEqual({
      gas: '5',
      raw: 'AQID',
      list: ['1'],
    });
    expect(formatJson({ height: 10n })).toBe('{"height":"10"}');
  });

  it('renders text as indented key: value lines', () => {
    expect(formatText({ balances: [{ denom: 'uain', amount: '5' }], pagination: { next_key: null, total: '1' } })).toBe(
      ['balances:', '  - denom: uain', '    amount: 5', 'pagination:', '  next_key: null', '  total: 1'].join('\n'),
    );
    expect(formatText({ balances: [] })).toBe('balances: []');
  });
});

describe('nodeHttpUrl', () => {
  it('maps tcp:// to http:// and keeps http(s)', () => {
    expect(nodeHttpUrl('tcp://127.0.0.1:26657')).toBe('http://127.0.0.1:26657');
    expect(nodeHttpUrl('http://localhost:1/')).toBe('http://localhost:1');
    expect(nodeHttpUrl('https://rpc.example.com')).toBe('https://rpc.example.com');
    expect(nodeHttpUrl('localhost:26657')).toBe('http://localhost:26657');
    expect(nodeHttpUrl()).toBe('http://127.0.0.1:26657');
    expect(() => nodeHttpUrl('ftp://x')).toThrow(/scheme/);
  });
});

describe('resolveHome', () => {
  it('expands ~ and defaults to ~/.aind', () => {
    expect(resolveHome()).toBe(join(homedir(), '.aind'));
    expect(resolveHome('~/.x')).toBe(join(homedir(), '.x'));
    expect(resolveHome('rel')).toBe(resolve('rel'));
  });
});
