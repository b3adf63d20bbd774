import { describe, expect, it } from 'vitest';
import { ErrInvalidLabel, ErrInvalidPath, normalizePath } from '../../tree/index.ts';
import { accountNumberPath, accountPubkeyPath, accountSequencePath, accountVestingPath } from './keys.ts';

const ADDRESS = 'ain1dqwddnh3rx5c766ldadcxpg8a42dpdwc57869a';

// The paths are built once per account and kept (string identity is not observable from JS; the gain
// is in bench/README.md), so these check that what is kept is right however the cache turns over.
describe('account paths', () => {
  it("are the account's leaves under /accounts, for an address asked again as a new string", () => {
    expect(accountNumberPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/number`);
    expect(accountSequencePath(ADDRESS)).toBe(`/accounts/${ADDRESS}/sequence`);
    expect(accountPubkeyPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/pub_key`);
    expect(accountVestingPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/vesting`);
    expect(accountSequencePath(`ain1${ADDRESS.slice(4)}`)).toBe(`/accounts/${ADDRESS}/sequence`);
  });

  it('stay right past the cache: 10,000 addresses', () => {
    for (let i = 0; i < 10_000; i++) {
      const address = `ain1test${i}`;
      expect(accountNumberPath(address)).toBe(`/accounts/${address}/number`);
      expect(accountVestingPath(address)).toBe(`/accounts/${address}/vesting`);
    }
    expect(accountNumberPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/number`);
  });

  it('come back as built for an invalid address, and the path check still refuses them', () => {
    for (const [address, error] of [
      ['', ErrInvalidPath],
      ['ain1\u0007bell', ErrInvalidLabel],
    ] as const) {
      const path = accountSequencePath(address);
      expect(path).toBe(`/accounts/${address}/sequence`);
      expect(() => normalizePath(path)).toThrow(expect.objectContaining({ codespace: error.codespace, code: error.code }));
      expect(accountSequencePath(address)).toBe(path);
    }
  });
});
