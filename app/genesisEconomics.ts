/**
 * The AIN genesis economics (seed 003): "The initial total supply of AIN is 700,000,000 AIN. 60%
 * released into the public market; the remaining 40% reserved for developers and incentives for
 * early participants." `withGenesisEconomics` writes that split into an `app_state`: the public 60%
 * to plain accounts, the 40% reserve to vesting accounts (continuous over N years for developers,
 * delayed until a cliff for early participants); `checkGenesisEconomics` checks a genesis against it.
 */
import { ainError, BASE_DENOM, type Coin, ErrInvalidCoins, ErrInvalidRequest, parseAddress, parseAmount } from '../core/index.ts';
import {
  baseOfGenesisAccount,
  CONTINUOUS_VESTING_ACCOUNT,
  DELAYED_VESTING_ACCOUNT,
  type GenesisVestingAccountJson,
  genesisVestingAccount,
} from '../modules/auth/index.ts';
import { SECONDS_PER_YEAR } from './economics.ts';
import { type AppState, addGenesisAccount } from './genesis.ts';
import { type GenesisStart, genesisContext } from './genesisStart.ts';
import { type AppStateJson, ModuleManager } from './moduleManager.ts';
import { MODULES } from './modules.ts';
import { EMPTY_STATE, Overlay } from '../tree/index.ts';

/** 700,000,000 AIN in uain (1 AIN = 10^6 uain). */
export const AIN_TOTAL_SUPPLY = 700_000_000n * 10n ** 6n;
/** The public market's 60%. */
export const AIN_PUBLIC_SUPPLY = (AIN_TOTAL_SUPPLY * 60n) / 100n;
/** The developers' and early participants' 40%, all of it vesting at genesis. */
export const AIN_RESERVE_SUPPLY = AIN_TOTAL_SUPPLY - AIN_PUBLIC_SUPPLY;

/** One allocation: an address and its uain (decimal text). */
export interface AllocationJson {
  address: string;
  amount: string;
}

/** The plan file of `aind genesis economics --plan FILE`. */
export interface EconomicsPlanJson {
  /** The public market's accounts; together exactly 420,000,000 AIN. */
  public: AllocationJson[];
  /** Developers' accounts vest continuously from genesis over `vesting_years` years. */
  developers: { vesting_years: number; accounts: AllocationJson[] };
  /** Early participants' accounts vest all at once `cliff_days` days after genesis. */
  early_participants: { cliff_days: number; accounts: AllocationJson[] };
}

const SECONDS_PER_DAY = 86_400n;

function allocations(list: unknown, field: string): Array<{ address: string; amount: bigint }> {
  if (!Array.isArray(list)) throw ainError(ErrInvalidRequest, `${field} must be a list of {"address", "amount"}`);
  return list.map((entry: AllocationJson, i) => {
    parseAddress(entry?.address, `${field}[${i}].address`);
    const amount = parseAmount(String(entry.amount), `${field}[${i}].amount`);
    if (amount === 0n) throw ainError(ErrInvalidCoins, `${field}[${i}].amount must be positive`);
    return { address: entry.address, amount };
  });
}

function wholePositive(value: unknown, field: string): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw ainError(ErrInvalidRequest, `${field} must be a positive whole number; got ${String(value)}`);
  }
  return BigInt(value);
}

const sum = (list: ReadonlyArray<{ amount: bigint }>): bigint => list.reduce((total, a) => total + a.amount, 0n);
const uain = (amount: bigint): Coin[] => [{ denom: BASE_DENOM, amount }];

/**
 * `state` with the plan's accounts added: public ones funded, developers' and early participants'
 * funded and vesting all of it (from `genesisTime`, seconds). Refuses a plan whose public part is not
 * exactly 60% of 700,000,000 AIN or whose reserve is not exactly 40%, naming the figure.
 * @example withGenesisEconomics(defaultAppState(), plan, 1_735_689_600n)
 */
export function withGenesisEconomics(state: AppState, plan: EconomicsPlanJson, genesisTime: bigint): AppState {
  const publicAccounts = allocations(plan.public, 'plan.public');
  const developers = allocations(plan.developers?.accounts, 'plan.developers.accounts');
  const participants = allocations(plan.early_participants?.accounts, 'plan.early_participants.accounts');
  const years = wholePositive(plan.developers.vesting_years, 'plan.developers.vesting_years');
  const cliffDays = wholePositive(plan.early_participants.cliff_days, 'plan.early_participants.cliff_days');
  if (sum(publicAccounts) !== AIN_PUBLIC_SUPPLY) {
    throw ainError(
      ErrInvalidCoins,
      `plan.public adds up to ${sum(publicAccounts)}uain; the public 60% is exactly ${AIN_PUBLIC_SUPPLY}uain`,
    );
  }
  const reserve = sum(developers) + sum(participants);
  if (reserve !== AIN_RESERVE_SUPPLY) {
    throw ainError(
      ErrInvalidCoins,
      `plan.developers and plan.early_participants add up to ${reserve}uain; the reserved 40% is exactly ${AIN_RESERVE_SUPPLY}uain`,
    );
  }
  let next = state;
  for (const a of [...publicAccounts, ...developers, ...participants]) next = addGenesisAccount(next, a.address, uain(a.amount));
  const vesting = new Map<string, GenesisVestingAccountJson>();
  for (const a of developers)
    vesting.set(a.address, genesisVestingAccount(a.address, uain(a.amount), genesisTime + years * SECONDS_PER_YEAR, genesisTime));
  for (const a of participants)
    vesting.set(a.address, genesisVestingAccount(a.address, uain(a.amount), genesisTime + cliffDays * SECONDS_PER_DAY));
  const accounts = next.auth.accounts.map((entry) => vesting.get(baseOfGenesisAccount(entry).address) ?? entry);
  return { ...next, auth: { ...next.auth, accounts } };
}

/** The figures `checkGenesisEconomics` found. */
export interface EconomicsTotals {
  supply: bigint;
  vesting: bigint;
  free: bigint;
}

/**
 * Every vesting account's original vesting (uain) is covered by its genesis balance; returns their
 * sum. Throws `sdk/10` (invalid coins) naming the account entry.
 */
export function checkVestingCovered(state: AppState): bigint {
  const balances = new Map<string, bigint>();
  for (const entry of state.bank.balances) {
    const amount = BigInt(entry.coins.find((c) => c.denom === BASE_DENOM)?.amount ?? '0');
    balances.set(entry.address, (balances.get(entry.address) ?? 0n) + amount);
  }
  let vesting = 0n;
  state.auth.accounts.forEach((entry, i) => {
    if (entry['@type'] !== CONTINUOUS_VESTING_ACCOUNT && entry['@type'] !== DELAYED_VESTING_ACCOUNT) return;
    const { address } = baseOfGenesisAccount(entry);
    const original = BigInt(entry.base_vesting_account.original_vesting.find((c) => c.denom === BASE_DENOM)?.amount ?? '0');
    const balance = balances.get(address) ?? 0n;
    if (original > balance) {
      throw ainError(
        ErrInvalidCoins,
        `genesis auth.accounts[${i}] (${address}) vests ${original}uain (original_vesting) but its balance is ${balance}uain`,
      );
    }
    vesting += original;
  });
  return vesting;
}

/**
 * Checks a genesis against the AIN economics: every vesting account's original vesting is covered by
 * its balance; the uain supply (the sum of balances) is exactly 700,000,000 AIN; what vests is exactly
 * 40% and the rest exactly 60%. Throws `sdk/10` (invalid coins) naming the account or the figure.
 */
export function checkGenesisEconomics(state: AppState): EconomicsTotals {
  const vesting = checkVestingCovered(state);
  let supply = 0n;
  for (const entry of state.bank.balances) supply += BigInt(entry.coins.find((c) => c.denom === BASE_DENOM)?.amount ?? '0');
  if (supply !== AIN_TOTAL_SUPPLY)
    throw ainError(ErrInvalidCoins, `genesis supply is ${supply}uain; AIN's is exactly ${AIN_TOTAL_SUPPLY}uain (700,000,000 AIN)`);
  if (vesting !== AIN_RESERVE_SUPPLY) {
    throw ainError(ErrInvalidCoins, `genesis vesting accounts hold ${vesting}uain; the reserved 40% is exactly ${AIN_RESERVE_SUPPLY}uain`);
  }
  return { supply, vesting, free: supply - vesting };
}

/**
 * What `aind genesis validate` checks before a chain starts: every module's section as InitChain would
 * (`validate` of each present section, then InitChain's own steps into state that is thrown away, which
 * check exported leaves against each other and the balances) and every vesting account covered by its
 * balance; with `economics`, the AIN totals as well ({@link checkGenesisEconomics}). `start`: the
 * chain's id, initial height and genesis time as InitChain gets them (`genesisStartOfDoc` of the
 * genesis file), so a check of the height or the time judges the file as the chain will.
 */
export function validateAppState(state: AppState, economics: boolean, start: GenesisStart): EconomicsTotals | undefined {
  const modules = new ModuleManager(MODULES);
  const sections = state as unknown as AppStateJson;
  modules.validateGenesis(sections);
  modules.initGenesis(genesisContext(new Overlay(EMPTY_STATE), start), sections);
  checkVestingCovered(state);
  return economics ? checkGenesisEconomics(state) : undefined;
}
