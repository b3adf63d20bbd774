import { describe, expect, it } from 'vitest';
import { formatTomlValue, getTomlValue, setTomlValue, setTomlValues } from './toml.ts';

const sample = `# top comment
proxy_app = "tcp://127.0.0.1:26658"
moniker = "vm"

[rpc]
# RPC listen address
laddr = "tcp://127.0.0.1:26657"
cors_allowed_origins = []
max_open_connections = 900

[p2p]
laddr = "tcp://0.0.0.0:26656"

[instrumentation]
max_open_connections = 3
`;

describe('setTomlValue', () => {
  it('replaces a key only in the named section', () => {
    const out = setTomlValue(sample, 'rpc', 'laddr', 'tcp://127.0.0.1:40000');
    expect(getTomlValue(out, 'rpc', 'laddr')).toBe('tcp://127.0.0.1:40000');
    expect(getTomlValue(out, 'p2p', 'laddr')).toBe('tcp://0.0.0.0:26656');
    expect(out.split('\n').length).toBe(sample.split('\n').length);
    expect(out).toContain('# RPC listen address');
  });

  it('distinguishes same-named keys in different sections', () => {
    const out = setTomlValue(sample, 'instrumentation', 'max_open_connections', 7);
    expect(getTomlValue(out, 'instrumentation', 'max_open_connections')).toBe(7);
    expect(getTomlValue(out, 'rpc', 'max_open_connections')).toBe(900);
  });

  it('sets top-level keys with section ""', () => {
    const out = setTomlValue(sample, '', 'moniker', 'node0');
    expect(getTomlValue(out, '', 'moniker')).toBe('node0');
    expect(getTomlValue(out, 'rpc', 'moniker')).toBeUndefined();
  });

  it('appends a missing key at the end of its section, before the blank line', () => {
    const out = setTomlValue(sample, 'p2p', 'pex', false);
    expect(out).toContain('laddr = "tcp://0.0.0.0:26656"\npex = false\n\n[instrumentation]');
    expect(getTomlValue(out, 'p2p', 'pex')).toBe(false);
  });

  it('appends a missing section at the end', () => {
    const out = setTomlValue(sample, 'api', 'enable', true);
    expect(out.endsWith('[api]\nenable = true\n')).toBe(true);
    expect(getTomlValue(out, 'api', 'enable')).toBe(true);
  });

  it('writes arrays, escaped strings and numbers', () => {
    const out = setTomlValues(sample, { rpc: { cors_allowed_origins: ['*'] }, '': { moniker: 'a "quoted" name' } });
    expect(out).toContain('cors_allowed_origins = ["*"]');
    expect(getTomlValue(out, '', 'moniker')).toBe('a "quoted" name');
    expect(formatTomlValue(2_147_483_648)).toBe('2147483648');
  });

  it('reads values with trailing comments and keeps a # inside strings', () => {
    const text = 'a = "x # not a comment" # comment\nb = 12 # twelve\n';
    expect(getTomlValue(text, '', 'a')).toBe('x # not a comment');
    expect(getTomlValue(text, '', 'b')).toBe(12);
  });
});
