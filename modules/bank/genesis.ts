/**
 * `app_state.bank` in the Cosmos SDK's JSON shape: params, balances, (optionally) the supply, which
 * InitChain derives from the balances and checks against them, and the denoms' display metadata.
 */
import { parseAddress, coinsFromProto, coinsToProto, formatCoins, ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { BlockContext, ModuleGenesis, ReadableState } from '../../core/index.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import { type BankKeeper, MAX_DENOMS_LISTED } from './keeper.ts';
import { ACCOUNTS_ROOT, labelToDenom } from './keys.ts';
import { checkDenomMetadata, type DenomMetadataJson, defaultDenomMetadata } from './metadata.ts';
import { type BankParamsJson, defaultBankParams } from './params.ts';

export interface BankGenesisJson {
  params: BankParamsJson;
  balances: { address: string; coins: { denom: string; amount: string }[] }[];
  /** Optional; computed from balances at InitChain when empty, checked against them otherwise. */
  supply: { denom: string; amount: string }[];
  /** Optional: how wallets display each denom (`uain` as AIN with 6 decimals), one entry per base denom. */
  denom_metadata?: DenomMetadataJson[];
}

/** The page export reads: all the metadata the list bound allows. */
const EVERY_METADATA = { key: new Uint8Array(), offset: 0n, limit: BigInt(MAX_DENOMS_LISTED), countTotal: false, reverse: false };

/** Most balances one export lists (a bound on memory). */
const MAX_EXPORTED_BALANCES = 10_000_000;

export function defaultBankGenesis(): BankGenesisJson {
  return { params: defaultBankParams(), balances: [], supply: [], denom_metadata: defaultDenomMetadata() };
}

/** The genesis metadata entries, checked, with every field present; a base denom twice is refused. */
function denomMetadataOf(genesis: BankGenesisJson): DenomMetadataJson[] {
  const entries = genesis.denom_metadata ?? [];
  if (!Array.isArray(entries)) throw ainError(ErrInvalidRequest, 'genesis bank.denom_metadata must be a list');
  const bases = new Set<string>();
  return entries.map((entry, i) => {
    const metadata = checkDenomMetadata(entry, `genesis bank.denom_metadata[${i}]`);
    if (bases.has(metadata.base)) throw ainError(ErrInvalidRequest, `genesis bank.denom_metadata[${i}] duplicates ${metadata.base}`);
    bases.add(metadata.base);
    return metadata;
  });
}

function validateBankGenesis(genesis: BankGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.balances) || !Array.isArray(genesis.supply ?? []))
    throw ainError(ErrInvalidRequest, 'genesis bank must be {"params": {...}, "balances": [...], "supply": [...]}');
  const seen = new Set<string>();
  genesis.balances.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null)
      throw ainError(ErrInvalidRequest, `genesis bank.balances[${i}] must be {"address", "coins": [...]}`);
    parseAddress(entry.address, `genesis bank.balances[${i}].address`);
    if (seen.has(entry.address)) throw ainError(ErrInvalidRequest, `genesis bank.balances[${i}] duplicates ${entry.address}`);
    seen.add(entry.address);
    coinsFromProto(entry.coins, `genesis bank.balances[${i}].coins`, true);
  });
  if ((genesis.supply ?? []).length > 0) coinsFromProto(genesis.supply, 'genesis bank.supply');
  denomMetadataOf(genesis);
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
  for (const metadata of denomMetadataOf(genesis)) bank.setDenomMetadata(state, metadata);
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
    denom_metadata: bank.denomMetadataPage(state, EVERY_METADATA).items,
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
