import { describe, expect, it } from 'vitest';
import { moduleAddress, AinError } from '../../core/index.ts';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { authGenesis, baseOfGenesisAccount, defaultAuthGenesis, genesisAccount, genesisVestingAccount } from './genesis.ts';
import { AuthKeeper } from './keeper.ts';
import { FEE_COLLECTOR } from './keys.ts';

const [alice, bob] = [testKey('auth-a').address, testKey('auth-b').address];

describe('auth genesis', () => {
  it('keeps vesting accounts (continuous and delayed) and exports them in the SDK JSON shapes', () => {
    const keeper = new AuthKeeper();
    const genesis = authGenesis(keeper);
    const ctx = emptyBlockContext();
    const accounts = [
      genesisVestingAccount(alice, [{ denom: 'uain', amount: 1000n }], 200n, 100n),
      genesisVestingAccount(bob, [{ denom: 'uain', amount: 7n }], 300n),
    ];
    genesis.init(ctx, { ...defaultAuthGenesis(), accounts });
    expect(keeper.getVesting(ctx.state, alice)).toMatchObject({ kind: 'continuous', startTime: 100n, endTime: 200n });
    expect(keeper.getVesting(ctx.state, bob)).toMatchObject({ kind: 'delayed', endTime: 300n });
    expect(keeper.getVesting(ctx.state, moduleAddress(FEE_COLLECTOR))).toBeUndefined();
    const exported = genesis.exportGenesis(ctx.state);
    expect(exported.accounts[0]).toEqual({
      '@type': '/cosmos.vesting.v1beta1.ContinuousVestingAccount',
      base_vesting_account: {
        base_account: { address: alice, pub_key: null, account_number: '0', sequence: '0' },
        original_vesting: [{ denom: 'uain', amount: '1000' }],
        delegated_free: [],
        delegated_vesting: [],
        end_time: '200',
      },
      start_time: '100',
    });
    expect(exported.accounts[1]!['@type']).toBe('/cosmos.vesting.v1beta1.DelayedVestingAccount');
    const again = emptyBlockContext();
    genesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('numbers accounts in list order, then the fee collector, and exports them back exactly', () => {
    const keeper = new AuthKeeper();
    const genesis = authGenesis(keeper);
    const ctx = emptyBlockContext();
    genesis.init(ctx, { ...defaultAuthGenesis(), accounts: [genesisAccount(bob), genesisAccount(alice)] });
    expect(keeper.getAccount(ctx.state, bob)?.accountNumber).toBe(0n);
    expect(keeper.getAccount(ctx.state, alice)?.accountNumber).toBe(1n);
    expect(keeper.getAccount(ctx.state, moduleAddress(FEE_COLLECTOR))?.accountNumber).toBe(2n);
    keeper.setSequence(ctx.state, alice, 7n);
    const exported = genesis.exportGenesis(ctx.state);
    expect(exported.accounts.map(baseOfGenesisAccount).map((a) => [a.address, a.account_number, a.sequence])).toEqual([
      [bob, '0', '0'],
      [alice, '1', '7'],
      [moduleAddress(FEE_COLLECTOR), '2', '0'],
    ]);
    const again = emptyBlockContext();
    genesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses a duplicate account, a foreign account type and a bad address, naming the entry', () => {
    const genesis = authGenesis(new AuthKeeper());
    const refusal = (accounts: unknown[]) => {
      try {
        genesis.validate({ ...defaultAuthGenesis(), accounts } as never);
      } catch (error) {
        return error instanceof AinError ? `${error.codespace}/${error.code} ${error.message}` : String(error);
      }
      return 'accepted';
    };
    expect(refusal([genesisAccount(alice), genesisAccount(alice)])).toMatch(/^sdk\/18 genesis auth.accounts\[1\] duplicates/);
    expect(refusal([{ ...genesisAccount(alice), '@type': '/cosmos.auth.v1beta1.ModuleAccount' }])).toMatch(
      /auth.accounts\[0\] has type .*; expected \/cosmos.auth.v1beta1.BaseAccount, .*ContinuousVestingAccount or .*DelayedVestingAccount/,
    );
    expect(refusal([{ ...genesisAccount(alice), '@type': '/cosmos.vesting.v1beta1.DelayedVestingAccount' }])).toMatch(
      /auth.accounts\[0\].base_vesting_account is missing/,
    );
    const backwards = genesisVestingAccount(alice, [{ denom: 'uain', amount: 5n }], 10n, 20n);
    const overDelegated = genesisVestingAccount(alice, [{ denom: 'uain', amount: 5n }], 10n);
    overDelegated.base_vesting_account.delegated_vesting = [{ denom: 'uain', amount: '6' }];
    expect(refusal([overDelegated])).toMatch(/auth.accounts\[0\].base_vesting_account.delegated_vesting 6uain exceeds original_vesting/);
    expect(refusal([backwards])).toMatch(/auth.accounts\[0\].base_vesting_account.end_time 10 must be after start_time 20/);
    expect(refusal([genesisAccount('ain1nope')])).toMatch(/^sdk\/7 genesis auth.accounts\[0\].address/);
    expect(() => genesis.init(emptyBlockContext(), undefined)).toThrow(/needs an "auth" section/);
  });

  it('refuses an account whose sequence or pub_key is not what export writes, naming the field', () => {
    const genesis = authGenesis(new AuthKeeper());
    const refusal = (entry: object) => {
      try {
        genesis.init(emptyBlockContext(), { ...defaultAuthGenesis(), accounts: [{ ...genesisAccount(alice), ...entry }] as never });
      } catch (error) {
        expect(error).toBeInstanceOf(AinError);
        return (error as AinError).message;
      }
      return 'accepted';
    };
    expect(refusal({ sequence: '1.5' })).toBe(
      'genesis auth.accounts[0].sequence "1.5" must be a uint64 as a decimal string, e.g. "0": invalid request',
    );
    expect(refusal({ sequence: '18446744073709551616' })).toContain('must be a uint64');
    expect(refusal({ pub_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key: 5 } })).toBe(
      'genesis auth.accounts[0].pub_key.key must be the base64 of a 33-byte compressed secp256k1 key: invalid request',
    );
    expect(refusal({ pub_key: { key: 'AAAA' } })).toContain('pub_key must be null or {"@type": "/cosmos.crypto.secp256k1.PubKey"');
    const key = Buffer.from(testKey('auth-a').pubkey).toString('base64');
    expect(refusal({ sequence: '7', pub_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key } })).toBe('accepted');
  });
});
