/**
 * `app_state.bank` in the Cosmos SDK's JSON shape: params, balances and (optionally) the supply, which
 * InitChain derives from the balances and checks against them.
 */
import { parseAddress, coinsFromProto, coinsToProto, formatCoins, ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { BlockContext, ModuleGenesis, ReadableState } from '../../core/index.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import type { BankKeeper } from './keeper.ts';
import { ACCOUNTS_ROOT, labelToDenom } from './keys.ts';
import { type BankParamsJson, defaultBankParams } from './params.ts';

export interface BankGenesisJson {
  params: BankParamsJson;
  balances: { address: string; coins: { denom: string; amount: string }[] }[];
  /** Optional; computed from balances at InitChain when empty, checked against them otherwise. */
  supply: { denom: string; amount: string }[];
}

/** Most balances one export lists (a bound on memory). */
const MAX_EXPORTED_BALANCES = 10_000_000;

export function defaultBankGenesis(): BankGenesisJson {
  return { params: defaultBankParams(), balances: [], supply: [] };
}

function validateBankGenesis(genesis: BankGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.balances) || !Array.isArray(genesis.supply ?? []))
    throw ainError(ErrInvalidRequest, 'genesis bank must be {"params": {...}, "balances": [...], "supply": [...]}');
  const seen = new Set<string>();
  genesis.balances.forEach((entry, i) => {
    parseAddress(entry.address, `genesis bank.balances[${i}].address`);
    if (seen.has(entry.address)) throw ainError(ErrInvalidRequest, `genesis bank.balances[${i}] duplicates ${entry.address}`);
    seen.add(entry.address);
    coinsFromProto(entry.coins, `genesis bank.balances[${i}].coins`, true);
  });
  if ((genesis.supply ?? []).length > 0) coinsFromProto(genesis.supply, 'genesis bank.supply');
}

/**
 * Credits genesis balances (creating accounts not listed in auth, in balance order) and derives the
 * supply from them; an explicit supply that differs from the sum of balances is refused.
 */
function initBankGenesis(ctx: BlockContext, bank: BankKeeper, accounts: AccountKeeper, genesis: BankGenesisJson): void {
  validateBankGenesis(genesis);
  const { state } = ctx;
  genesis.balances.forEach((entry, i) => {
    const coins = coinsFromProto(entry.coins, `genesis bank.balances[${i}].coins`, true);
    if (!accounts.hasAccount(state, entry.address)) accounts.createAccount(state, entry.address);
    bank.mintGenesis(state, entry.address, coins);
  });
  if ((genesis.supply ?? []).length > 0) {
    const expected = formatCoins(coinsFromProto(genesis.supply, 'genesis bank.supply'));
    const actual = formatCoins(bank.getTotalSupply(state));
    if (expected !== actual) {
      throw ainError(ErrInvalidRequest, `genesis bank.supply is ${expected}; the balances add up to ${actual}`);
    }
  }
}

/** Every non-zero balance, by address, and the supply. */
function exportBankGenesis(state: ReadableState, bank: BankKeeper): BankGenesisJson {
  const byAddress = new Map<string, { denom: string; amount: string }[]>();
  for (const [path, value] of state.list(ACCOUNTS_ROOT, MAX_EXPORTED_BALANCES)) {
    const match = /^\/accounts\/([^/]+)\/balance\/([^/]+)$/.exec(path);
    if (!match) continue;
    const coins = byAddress.get(match[1]!) ?? [];
    coins.push({ denom: labelToDenom(match[2]!), amount: String(value) });
    byAddress.set(match[1]!, coins);
  }
  return {
    params: defaultBankParams(),
    balances: [...byAddress].map(([address, coins]) => ({ address, coins })),
    supply: coinsToProto(bank.getTotalSupply(state)),
  };
}

/** The bank module's part of the genesis contract. */
export function bankGenesis(bank: BankKeeper, accounts: AccountKeeper): ModuleGenesis<BankGenesisJson> {
  return {
    defaultGenesis: defaultBankGenesis,
    validate: validateBankGenesis,
    init: (ctx, genesis) => {
      if (!genesis) throw ainError(ErrInvalidRequest, 'genesis app_state needs a "bank" section');
      initBankGenesis(ctx, bank, accounts, genesis);
      return undefined;
    },
    exportGenesis: (state) => exportBankGenesis(state, bank),
  };
}
