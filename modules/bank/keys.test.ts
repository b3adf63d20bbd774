import { describe, expect, it } from 'vitest';
import { ErrInvalidPath, normalizePath } from '../../tree/index.ts';
import { balancePath } from './keys.ts';

const ADDRESS = 'ain1dqwddnh3rx5c766ldadcxpg8a42dpdwc57869a';

// Balance paths are built once per account and denom and kept: what is kept must stay right.
describe('balance paths', () => {
  it('stay right past the cache: 10,000 addresses, and an account with more denoms than it keeps', () => {
    for (let i = 0; i < 10_000; i++) {
      const address = `ain1test${i}`;
      expect(balancePath(address, 'uain')).toBe(`/accounts/${address}/balance/uain`);
    }
    for (let i = 0; i < 40; i++) expect(balancePath(ADDRESS, `ibc/D${i}`)).toBe(`/accounts/${ADDRESS}/balance/ibc%2FD${i}`);
    expect(balancePath(ADDRESS, 'uain')).toBe(`/accounts/${ADDRESS}/balance/uain`);
    expect(balancePath(ADDRESS, 'ibc/D39')).toBe(`/accounts/${ADDRESS}/balance/ibc%2FD39`);
    expect(balancePath(`ain1${ADDRESS.slice(4)}`, 'ibc/D0')).toBe(`/accounts/${ADDRESS}/balance/ibc%2FD0`);
  });

  it('come back as built for an invalid address, and the path check still refuses them', () => {
    const path = balancePath('', 'uain');
    expect(path).toBe('/accounts//balance/uain');
    expect(() => normalizePath(path)).toThrow(expect.objectContaining({ codespace: ErrInvalidPath.codespace, code: ErrInvalidPath.code }));
    expect(balancePath('', 'uain')).toBe(path);
  });
});
