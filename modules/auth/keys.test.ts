import { describe, expect, it } from 'vitest';
import { balancePath } from '../bank/keys.ts';
import { accountNumberPath, accountPubkeyPath, accountSequencePath, accountVestingPath } from './keys.ts';

const ADDRESS = 'ain1dqwddnh3rx5c766ldadcxpg8a42dpdwc57869a';

describe('account paths', () => {
  // They are built once per account and kept (string identity is not observable from JS; the gain is
  // in bench/README.md), so these check that what is kept is right, however the cache turns over.
  it("are the account's leaves under /accounts, for an address asked again as a new string", () => {
    expect(accountNumberPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/number`);
    expect(accountSequencePath(ADDRESS)).toBe(`/accounts/${ADDRESS}/sequence`);
    expect(accountPubkeyPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/pub_key`);
    expect(accountVestingPath(ADDRESS)).toBe(`/accounts/${ADDRESS}/vesting`);
    const again = `ain1${ADDRESS.slice(4)}`;
    expect(accountSequencePath(again)).toBe(`/accounts/${ADDRESS}/sequence`);
  });

  it('stay right past the cache: 10,000 addresses, and an account with more denoms than it keeps', () => {
    for (let i = 0; i < 10_000; i++) {
      const address = `ain1test${i}`;
      expect(accountNumberPath(address)).toBe(`/accounts/${address}/number`);
      expect(balancePath(address, 'uain')).toBe(`/accounts/${address}/balance/uain`);
    }
    for (let i = 0; i < 40; i++) expect(balancePath(ADDRESS, `ibc/D${i}`)).toBe(`/accounts/${ADDRESS}/balance/ibc%2FD${i}`);
    expect(balancePath(ADDRESS, 'uain')).toBe(`/accounts/${ADDRESS}/balance/uain`);
    expect(balancePath(ADDRESS, 'ibc/D39')).toBe(`/accounts/${ADDRESS}/balance/ibc%2FD39`);
  });
});
