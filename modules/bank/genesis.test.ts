import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { AuthKeeper } from '../auth/index.ts';
import { bankGenesis, defaultBankGenesis } from './genesis.ts';
import { BankKeeper } from './keeper.ts';

const [alice, bob] = [testKey('bank-a').address, testKey('bank-b').address];
const coins = (...pairs: Array<[string, string]>) => pairs.map(([denom, amount]) => ({ denom, amount }));

describe('bank genesis', () => {
  it('credits balances, derives the supply and exports both back exactly', () => {
    const auth = new AuthKeeper();
    const bank = new BankKeeper(auth);
    const genesis = bankGenesis(bank, auth);
    const ctx = emptyBlockContext();
    genesis.init(ctx, {
      ...defaultBankGenesis(),
      balances: [
        { address: alice, coins: coins(['ibc/ABC', '5'], ['uain', '100']) },
        { address: bob, coins: coins(['uain', '23']) },
      ],
    });
    expect(bank.getSupply(ctx.state, 'uain')).toBe(123n);
    expect(bank.getBalance(ctx.state, alice, 'ibc/ABC')).toBe(5n);
    expect(auth.hasAccount(ctx.state, bob)).toBe(true);
    const exported = genesis.exportGenesis(ctx.state);
    expect(exported.supply).toEqual(coins(['ibc/ABC', '5'], ['uain', '123']));
    const again = emptyBlockContext();
    // Accounts come first in a real genesis (auth's section); here bank creates them in the same order.
    genesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses a supply that is not the sum of the balances, and a duplicate balance', () => {
    const auth = new AuthKeeper();
    const genesis = bankGenesis(new BankKeeper(auth), auth);
    const base = { ...defaultBankGenesis(), balances: [{ address: alice, coins: coins(['uain', '100']) }] };
    expect(() => genesis.init(emptyBlockContext(), { ...base, supply: coins(['uain', '99']) })).toThrow(
      /genesis bank.supply is 99uain; the balances add up to 100uain/,
    );
    const duplicate = { ...base, balances: [...base.balances, { address: alice, coins: coins(['uain', '1']) }] };
    let error: unknown;
    try {
      genesis.validate(duplicate);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).message).toMatch(/genesis bank.balances\[1\] duplicates/);
  });
});
