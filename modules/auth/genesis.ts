/**
 * `app_state.auth`: params and accounts in the Cosmos SDK's JSON shapes (64-bit integers as strings,
 * `@type` on each account), so existing genesis tooling reads and writes them.
 */
import { moduleAddress, parseAddress, ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { BlockContext, Coin, ModuleGenesis, ReadableState } from '../../core/index.ts';
import type { AuthKeeper } from './keeper.ts';
import { FEE_COLLECTOR } from './keys.ts';
import {
  CONTINUOUS_VESTING_ACCOUNT,
  DELAYED_VESTING_ACCOUNT,
  type GenesisVestingJson,
  type Vesting,
  vestingFromGenesis,
  vestingToGenesis,
} from './vesting.ts';
import { type AuthParamsJson, authParamsFromJson, authParamsToJson, readAuthParams, writeAuthParams } from './params.ts';
import { SECP256K1_PUBKEY_TYPE_URL } from './query.ts';

/** Largest number of genesis accounts accepted (a bound on what InitChain will do). */
export const MAX_GENESIS_ACCOUNTS = 1_000_000;
const BASE_ACCOUNT = '/cosmos.auth.v1beta1.BaseAccount';

export interface GenesisAccountJson {
  '@type': typeof BASE_ACCOUNT;
  address: string;
  pub_key: null | { '@type': string; key: string };
  /** Account numbers follow the order of the list; export writes them in that order. */
  account_number: string;
  sequence: string;
}

/** `/cosmos.vesting.v1beta1.ContinuousVestingAccount` or `DelayedVestingAccount` in the SDK's JSON. */
export interface GenesisVestingAccountJson {
  '@type': typeof CONTINUOUS_VESTING_ACCOUNT | typeof DELAYED_VESTING_ACCOUNT;
  base_vesting_account: GenesisVestingJson & { base_account: Omit<GenesisAccountJson, '@type'> };
  /** Continuous accounts only. */
  start_time?: string;
}

export type AnyGenesisAccountJson = GenesisAccountJson | GenesisVestingAccountJson;

export interface AuthGenesisJson {
  params: AuthParamsJson;
  accounts: AnyGenesisAccountJson[];
}

/** The base account fields of any genesis account entry. */
export function baseOfGenesisAccount(entry: AnyGenesisAccountJson): Omit<GenesisAccountJson, '@type'> {
  return entry['@type'] === BASE_ACCOUNT ? entry : entry.base_vesting_account?.base_account;
}

/** A vesting entry's schedule (checked), or undefined for a base account; refuses an unknown `@type`. */
export function vestingOfGenesisAccount(entry: AnyGenesisAccountJson, field: string): Vesting | undefined {
  if (entry['@type'] === BASE_ACCOUNT) return undefined;
  if (entry['@type'] === CONTINUOUS_VESTING_ACCOUNT)
    return vestingFromGenesis('continuous', entry.base_vesting_account, entry.start_time, field);
  if (entry['@type'] === DELAYED_VESTING_ACCOUNT) return vestingFromGenesis('delayed', entry.base_vesting_account, undefined, field);
  throw ainError(
    ErrInvalidRequest,
    `${field} has type ${(entry as { '@type': string })['@type']}; expected ${BASE_ACCOUNT}, ${CONTINUOUS_VESTING_ACCOUNT} or ${DELAYED_VESTING_ACCOUNT}`,
  );
}

/**
 * A genesis vesting account: `original` vests continuously from `start` to `end` (seconds), or, with
 * `start` undefined, all at once at `end` (delayed). Its balance is bank's, listed separately.
 */
export function genesisVestingAccount(address: string, original: readonly Coin[], end: bigint, start?: bigint): GenesisVestingAccountJson {
  const vesting: Vesting = {
    kind: start === undefined ? 'delayed' : 'continuous',
    originalVesting: original,
    delegatedFree: [],
    delegatedVesting: [],
    startTime: start ?? 0n,
    endTime: end,
  };
  return vestingEntry({ address, pub_key: null, account_number: '0', sequence: '0' }, vesting);
}

function vestingEntry(base: Omit<GenesisAccountJson, '@type'>, vesting: Vesting): GenesisVestingAccountJson {
  const base_vesting_account = { base_account: base, ...vestingToGenesis(vesting) };
  return vesting.kind === 'delayed'
    ? { '@type': DELAYED_VESTING_ACCOUNT, base_vesting_account }
    : { '@type': CONTINUOUS_VESTING_ACCOUNT, base_vesting_account, start_time: vesting.startTime.toString() };
}

export function defaultAuthGenesis(): AuthGenesisJson {
  return {
    params: {
      max_memo_characters: '256',
      tx_sig_limit: '1',
      tx_size_cost_per_byte: '10',
      sig_verify_cost_secp256k1: '1000',
      max_tx_bytes: '65536',
      min_gas_prices: [{ denom: 'uain', amount: '0.025' }],
    },
    accounts: [],
  };
}

/** A genesis account entry for an address (what `aind genesis add-account` lists). */
export function genesisAccount(address: string): GenesisAccountJson {
  return { '@type': BASE_ACCOUNT, address, pub_key: null, account_number: '0', sequence: '0' };
}

function validateAuthGenesis(genesis: AuthGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.accounts))
    throw ainError(ErrInvalidRequest, 'genesis auth must be {"params": {...}, "accounts": [...]}');
  authParamsFromJson(genesis.params);
  if (genesis.accounts.length > MAX_GENESIS_ACCOUNTS) {
    throw ainError(ErrInvalidRequest, `genesis has ${genesis.accounts.length} accounts; at most ${MAX_GENESIS_ACCOUNTS}`);
  }
  const seen = new Set<string>();
  genesis.accounts.forEach((entry, i) => {
    vestingOfGenesisAccount(entry, `genesis auth.accounts[${i}]`);
    const base = baseOfGenesisAccount(entry);
    if (typeof base !== 'object' || base === null) throw ainError(ErrInvalidRequest, `genesis auth.accounts[${i}] has no base account`);
    parseAddress(base.address, `genesis auth.accounts[${i}].address`);
    checkSequence(base.sequence, `genesis auth.accounts[${i}].sequence`);
    checkPubkey(base.pub_key, `genesis auth.accounts[${i}].pub_key`);
    if (seen.has(base.address)) throw ainError(ErrInvalidRequest, `genesis auth.accounts[${i}] duplicates ${base.address}`);
    seen.add(base.address);
  });
}

const MAX_UINT64 = 2n ** 64n - 1n;
/** A compressed secp256k1 key: 0x02 or 0x03, then 32 bytes. */
const PUBKEY_BYTES = 33;

function checkSequence(sequence: unknown, field: string): void {
  if (typeof sequence !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(sequence) || BigInt(sequence) > MAX_UINT64)
    throw ainError(
      ErrInvalidRequest,
      `${field} ${JSON.stringify(sequence) ?? String(sequence)} must be a uint64 as a decimal string, e.g. "0"`,
    );
}

function checkPubkey(pubkey: unknown, field: string): void {
  if (pubkey === null || pubkey === undefined) return;
  const { '@type': type, key } = pubkey as { '@type'?: unknown; key?: unknown };
  if (type !== SECP256K1_PUBKEY_TYPE_URL)
    throw ainError(ErrInvalidRequest, `${field} must be null or {"@type": "${SECP256K1_PUBKEY_TYPE_URL}", "key": base64}`);
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : undefined;
  if (bytes === undefined || bytes.toString('base64') !== key || bytes.length !== PUBKEY_BYTES || (bytes[0] !== 2 && bytes[0] !== 3))
    throw ainError(ErrInvalidRequest, `${field}.key must be the base64 of a ${PUBKEY_BYTES}-byte compressed secp256k1 key`);
}

/**
 * Writes auth params and the genesis accounts, then the fee collector's account. Account numbers
 * follow the order of the list (the SDK's NewAccount behaviour), so every node assigns the same ones.
 */
function initAuthGenesis(ctx: BlockContext, auth: AuthKeeper, genesis: AuthGenesisJson): void {
  validateAuthGenesis(genesis);
  const { state } = ctx;
  writeAuthParams(state, authParamsFromJson(genesis.params));
  genesis.accounts.forEach((anyEntry, i) => {
    const entry = baseOfGenesisAccount(anyEntry);
    const account = auth.createAccount(state, entry.address);
    if (entry.sequence !== '0') auth.setSequence(state, entry.address, BigInt(entry.sequence));
    if (entry.pub_key) auth.setPubkey(state, account.address, Buffer.from(entry.pub_key.key, 'base64'));
    const vesting = vestingOfGenesisAccount(anyEntry, `genesis auth.accounts[${i}]`);
    if (vesting) auth.setVesting(state, entry.address, vesting);
  });
  const feeCollector = moduleAddress(FEE_COLLECTOR);
  if (!auth.hasAccount(state, feeCollector)) auth.createAccount(state, feeCollector);
}

/** Every account in account-number order, so `init` gives each its number back. */
function exportAuthGenesis(state: ReadableState, auth: AuthKeeper): AuthGenesisJson {
  const accounts = auth.listAccounts(state, MAX_GENESIS_ACCOUNTS).sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : 1));
  return {
    params: authParamsToJson(readAuthParams(state)),
    accounts: accounts.map((account): AnyGenesisAccountJson => {
      const base = {
        address: account.address,
        pub_key: account.pubkey
          ? { '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(account.pubkey).toString('base64') }
          : null,
        account_number: account.accountNumber.toString(),
        sequence: account.sequence.toString(),
      };
      const vesting = auth.getVesting(state, account.address);
      return vesting ? vestingEntry(base, vesting) : { '@type': BASE_ACCOUNT, ...base };
    }),
  };
}

/** The auth module's part of the genesis contract. */
export function authGenesis(auth: AuthKeeper): ModuleGenesis<AuthGenesisJson> {
  return {
    defaultGenesis: defaultAuthGenesis,
    validate: validateAuthGenesis,
    init: (ctx, genesis) => {
      if (!genesis) throw ainError(ErrInvalidRequest, 'genesis app_state needs an "auth" section');
      initAuthGenesis(ctx, auth, genesis);
      return undefined;
    },
    exportGenesis: (state) => exportAuthGenesis(state, auth),
  };
}
