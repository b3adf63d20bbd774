/**
 * The `app_state` of genesis.json: one section per module (`app_state.<module>`), each in its module's
 * own JSON shape (the Cosmos SDK's for auth, bank and staking: 64-bit integers as strings, `@type` on
 * Any), so existing genesis tooling reads it. Also the edits `aind genesis` makes that span modules.
 */
import { parseAddress, type Coin, coinsFromProto, coinsToProto, validateCoins, ainError, ErrInvalidRequest } from '../core/index.ts';
import type { AinftGenesisJson } from '../modules/ainft/index.ts';
import { type AuthGenesisJson, baseOfGenesisAccount, genesisAccount } from '../modules/auth/index.ts';
import type { BankGenesisJson } from '../modules/bank/index.ts';
import type { DistributionGenesisJson } from '../modules/distribution/index.ts';
import type { JobsGenesisJson } from '../modules/jobs/index.ts';
import type { ShardsGenesisJson } from '../modules/shards/index.ts';
import type { FeegrantGenesisJson } from '../modules/feegrant/index.ts';
import type { SlashingGenesisJson } from '../modules/slashing/index.ts';
import {
  defaultStakingGenesis,
  type GenesisValidatorInput,
  genesisValidatorEntry,
  type StakingGenesisJson,
} from '../modules/staking/index.ts';
import type { StateGenesisJson } from '../modules/state/index.ts';
import type { TriggersGenesisJson } from '../modules/triggers/index.ts';
import { ModuleManager } from './moduleManager.ts';
import { MODULES } from './modules.ts';

/** `app_state`: auth and bank are required; a missing optional section takes its module's defaults. */
export interface AppState {
  auth: AuthGenesisJson;
  bank: BankGenesisJson;
  state?: StateGenesisJson;
  triggers?: TriggersGenesisJson;
  distribution?: DistributionGenesisJson;
  slashing?: SlashingGenesisJson;
  staking?: StakingGenesisJson;
  jobs?: JobsGenesisJson;
  ainft?: AinftGenesisJson;
  shards?: ShardsGenesisJson;
  feegrant?: FeegrantGenesisJson;
}

/** Every module's default section, in genesis order (what `aind init` writes). */
export function defaultAppState(): AppState {
  return new ModuleManager(MODULES).defaultGenesis() as unknown as AppState;
}

/**
 * Adds a funded account to an app state (what `aind genesis add-account` does). Adding an address
 * twice is refused, as in the SDK.
 */
export function addGenesisAccount(state: AppState, address: string, coins: readonly Coin[]): AppState {
  parseAddress(address);
  validateCoins(coins, 'coins');
  if (state.auth.accounts.some((a) => baseOfGenesisAccount(a).address === address)) {
    throw new Error(`account ${address} already exists in genesis`);
  }
  const accounts = [...state.auth.accounts, genesisAccount(address)];
  const balances = [...state.bank.balances, { address, coins: coinsToProto(coins) }];
  // Supply is derived from balances at InitChain; a stale explicit supply would be refused there.
  return { ...state, auth: { ...state.auth, accounts }, bank: { ...state.bank, balances, supply: [] } };
}

/**
 * Adds a validator to an app state (a pure function; what `aind genesis add-validator` does): moves
 * the self-delegation from the operator's genesis balance into the bonded pool's, and lists the
 * validator and its self-delegation (1 share per token) in `app_state.staking`. Supply is unchanged.
 * @throws AinError sdk/7 bad operator, sdk/8 bad key, sdk/5 balance short, sdk/18 duplicate or bad field, staking/9-15,40 commission
 * @example addGenesisValidator(state, { operator: 'ain1...', consensusPubkeyBase64: 'q3...=', selfDelegation: { denom: 'uain', amount: 10n ** 11n }, moniker: 'node0', commissionRate: '0.10' })
 */
export function addGenesisValidator(appState: AppState, input: GenesisValidatorInput): AppState {
  const staking = appState.staking ?? defaultStakingGenesis();
  const { validator, delegation, stake, bondedPool } = genesisValidatorEntry(staking, input);
  const { denom, amount } = stake;
  const index = appState.bank.balances.findIndex((b) => b.address === input.operator);
  if (index < 0)
    throw ainError(ErrInvalidRequest, `${input.operator} has no genesis balance; add it with \`aind genesis add-account\` first`);
  const held = coinsFromProto(appState.bank.balances[index]!.coins, `balance of ${input.operator}`, true);
  const have = held.find((c) => c.denom === denom)?.amount ?? 0n;
  if (have < amount)
    throw ainError(ErrInvalidRequest, `${input.operator} holds ${have}${denom} in genesis; the self-delegation needs ${amount}${denom}`);
  const debited = held.map((c) => (c.denom === denom ? { denom, amount: c.amount - amount } : c)).filter((c) => c.amount > 0n);
  const balances = appState.bank.balances.map((b, i) => (i === index ? { address: b.address, coins: coinsToProto(debited) } : b));
  const poolIndex = balances.findIndex((b) => b.address === bondedPool);
  if (poolIndex < 0) {
    balances.push({ address: bondedPool, coins: [{ denom, amount: amount.toString() }] });
  } else {
    const poolCoins = coinsFromProto(balances[poolIndex]!.coins, 'balance of the bonded pool', true);
    const others = poolCoins.filter((c) => c.denom !== denom);
    const current = poolCoins.find((c) => c.denom === denom)?.amount ?? 0n;
    const merged = [...others, { denom, amount: current + amount }].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
    balances[poolIndex] = { address: bondedPool, coins: coinsToProto(merged) };
  }
  return {
    ...appState,
    bank: { ...appState.bank, balances, supply: [] },
    staking: { ...staking, validators: [...staking.validators, validator], delegations: [...staking.delegations, delegation] },
  };
}

/** Reads coins of a genesis balance entry (checked). */
export function genesisCoins(entry: { coins: { denom: string; amount: string }[] }, field: string): Coin[] {
  return coinsFromProto(entry.coins, field, true);
}
