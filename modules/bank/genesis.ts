import { ainError, ErrInvalidRequest } from '../../core/errors.ts';
import type { AppState } from '../../app/genesis.ts';
import type { WritableState } from '../../core/state.ts';
import { parseAddress } from '../../core/address.ts';
import { coinsFromProto, formatCoins } from '../../core/coins.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import type { BankKeeper } from './keeper.ts';

/**
 * Credits genesis balances (creating accounts not listed in auth, in balance order) and derives the
 * supply from them; an explicit supply that differs from the sum of balances is refused.
 */
export function initBankGenesis(state: WritableState, bank: BankKeeper, accounts: AccountKeeper, genesis: AppState['bank']): void {
  const seen = new Set<string>();
  genesis.balances.forEach((entry, i) => {
    parseAddress(entry.address, `genesis bank.balances[${i}].address`);
    if (seen.has(entry.address)) throw ainError(ErrInvalidRequest, `genesis bank.balances[${i}] duplicates ${entry.address}`);
    seen.add(entry.address);
    const coins = coinsFromProto(entry.coins, `genesis bank.balances[${i}].coins`, true);
    if (!accounts.hasAccount(state, entry.address)) accounts.createAccount(state, entry.address);
    bank.mintGenesis(state, entry.address, coins);
  });
  if (genesis.supply.length > 0) {
    const expected = formatCoins(coinsFromProto(genesis.supply, 'genesis bank.supply'));
    const actual = formatCoins(bank.getTotalSupply(state));
    if (expected !== actual) {
      throw ainError(ErrInvalidRequest, `genesis bank.supply is ${expected}; the balances add up to ${actual}`);
    }
  }
}
