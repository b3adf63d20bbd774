import { parseAddress } from '../core/address.ts';
import { type Coin, coinsFromProto, coinsToProto, validateCoins } from '../core/coins.ts';
import type { JobsGenesisJson } from '../modules/jobs/genesis.ts';
import { defaultDistributionGenesis, type DistributionGenesisJson } from '../modules/distribution/genesis.ts';
import { defaultSlashingGenesis, type SlashingGenesisJson } from '../modules/slashing/genesis.ts';
import { defaultStakingGenesis, type StakingGenesisJson } from '../modules/staking/genesis.ts';

/**
 * The `app_state` of genesis.json: one section per module, in the Cosmos SDK's JSON shapes
 * (64-bit integers as strings, Any with `@type`), so existing genesis tooling reads it.
 */
export interface AppState {
  auth: {
    params: AuthParamsJson;
    accounts: GenesisAccountJson[];
  };
  bank: {
    params: { default_send_enabled: boolean };
    balances: { address: string; coins: { denom: string; amount: string }[] }[];
    /** Optional; computed from balances at InitChain when empty, checked against them otherwise. */
    supply: { denom: string; amount: string }[];
  };
  /** Optional: apps created at genesis as MsgCreateApp would (`modules/state/genesis.ts`); `signer` defaults to the first admin. */
  state?: { apps: { name: string; admins: string[]; public: boolean; signer?: string }[] };
  /** Optional: executors registered at genesis as MsgRegisterExecutor would (`modules/triggers/genesis.ts`). */
  triggers?: {
    executors: {
      address: string;
      runtimes: string[];
      cpu?: number;
      memory_mb?: number | string;
      gpus?: number;
      gpu_memory_mb?: number | string;
      price?: string;
    }[];
  };
  /** Optional: the job market's params (`modules/jobs/genesis.ts`); missing ones take their defaults. */
  jobs?: JobsGenesisJson;
  /**
   * Optional (defaults when absent): staking params, genesis validators and their delegations
   * (`modules/staking/genesis.ts`; add one with `addGenesisValidator` / `aind genesis add-validator`).
   */
  staking?: StakingGenesisJson;
  /** Optional: distribution params (community tax, block reward) (`modules/distribution/genesis.ts`). */
  distribution?: DistributionGenesisJson;
  /** Optional: slashing params (liveness window, jail time, slash fractions) (`modules/slashing/genesis.ts`). */
  slashing?: SlashingGenesisJson;
}

export interface AuthParamsJson {
  max_memo_characters: string;
  tx_sig_limit: string;
  tx_size_cost_per_byte: string;
  sig_verify_cost_secp256k1: string;
  /** Largest accepted tx in bytes. */
  max_tx_bytes: string;
  /** Fee floor: fee >= gas limit x price, per listed denom (decimal prices, e.g. "0.025"). */
  min_gas_prices: { denom: string; amount: string }[];
}

export interface GenesisAccountJson {
  '@type': '/cosmos.auth.v1beta1.BaseAccount';
  address: string;
  pub_key: null | { '@type': string; key: string };
  account_number: string;
  sequence: string;
}

export function defaultAppState(): AppState {
  return {
    auth: {
      params: {
        max_memo_characters: '256',
        tx_sig_limit: '1',
        tx_size_cost_per_byte: '10',
        sig_verify_cost_secp256k1: '1000',
        max_tx_bytes: '65536',
        min_gas_prices: [{ denom: 'uain', amount: '0.025' }],
      },
      accounts: [],
    },
    bank: { params: { default_send_enabled: true }, balances: [], supply: [] },
    staking: defaultStakingGenesis(),
    distribution: defaultDistributionGenesis(),
    slashing: defaultSlashingGenesis(),
  };
}

/**
 * Adds a funded account to an app state (what `aind genesis add-account` does). Adding an address
 * twice is refused, as in the SDK.
 */
export function addGenesisAccount(state: AppState, address: string, coins: readonly Coin[]): AppState {
  parseAddress(address);
  validateCoins(coins, 'coins');
  if (state.auth.accounts.some((a) => a.address === address)) {
    throw new Error(`account ${address} already exists in genesis`);
  }
  const accounts: GenesisAccountJson[] = [
    ...state.auth.accounts,
    { '@type': '/cosmos.auth.v1beta1.BaseAccount', address, pub_key: null, account_number: '0', sequence: '0' },
  ];
  const balances = [...state.bank.balances, { address, coins: coinsToProto(coins) }];
  // Supply is derived from balances at InitChain; a stale explicit supply would be refused there.
  return { ...state, auth: { ...state.auth, accounts }, bank: { ...state.bank, balances, supply: [] } };
}

/** Reads coins of a genesis balance entry (checked). */
export function genesisCoins(entry: { coins: { denom: string; amount: string }[] }, field: string): Coin[] {
  return coinsFromProto(entry.coins, field, true);
}
