import { describe, expect, it } from 'vitest';
import { browserRpcUrl } from './api.ts';
import { coin, coins, perMinute, short, uain } from './format.ts';

describe('the explorer formats', () => {
  it('writes uain as AIN with its fraction, other denoms as they are', () => {
    expect(coin('1234567')).toBe('1.234567 AIN');
    expect(coin('1000000000000')).toBe('1,000,000 AIN');
    expect(coin('10')).toBe('0.00001 AIN');
    expect(coin('0')).toBe('0 AIN');
    expect(coin('5', 'stake')).toBe('5stake');
    expect(
      coins([
        { denom: 'uain', amount: '2500000' },
        { denom: 'foo', amount: '3' },
      ]),
    ).toBe('2.5 AIN, 3foo');
    expect(coins([])).toBe('-');
    expect(uain('1000uain')).toBe('0.001 AIN');
    expect(uain('')).toBe('-');
  });

  it('shortens long hashes only', () => {
    expect(short('ABCDEF')).toBe('ABCDEF');
    expect(short('0123456789ABCDEF0123456789')).toBe('0123456789…456789');
  });

  it('counts events per minute over the last minutes, dropping older ones', () => {
    const now = Date.UTC(2026, 0, 1, 12, 10, 30);
    const [xs, counts] = perMinute([now, now - 1000, now - 60_000, now - 3_600_000], 3, now);
    expect(xs).toEqual([Date.UTC(2026, 0, 1, 12, 8) / 1000, Date.UTC(2026, 0, 1, 12, 9) / 1000, Date.UTC(2026, 0, 1, 12, 10) / 1000]);
    expect(counts).toEqual([0, 1, 2]);
  });

  it('points the browser at the RPC on the host the page came from when the node advertises a loopback address', () => {
    const page = { hostname: 'node.example.org' } as Location;
    expect(browserRpcUrl('http://127.0.0.1:26657', page)).toBe('http://node.example.org:26657');
    expect(browserRpcUrl('http://rpc.example.org:443', page)).toBe('http://rpc.example.org:443');
  });
});
