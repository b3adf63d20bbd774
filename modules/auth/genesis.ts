/**
 * `app_state.auth`: params and accounts in the Cosmos SDK's JSON shapes (64-bit integers as strings,
 * `@type` on each account), so existing genesis tooling reads and writes them.
 */
import { moduleAddress, parseAddress, ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { BlockContext, ModuleGenesis, ReadableState } from '../../core/index.ts';
import type { AuthKeeper } from './keeper.ts';
import { FEE_COLLECTOR } from './keys.ts';
import { type AuthParamsJson, authParamsFromJson, authParamsToJson, readAuthParams, writeAuthParams } from './params.ts';

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

export interface AuthGenesisJson {
  params: AuthParamsJson;
  accounts: GenesisAccountJson[];
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
    if (entry['@type'] !== BASE_ACCOUNT) {
      throw ainError(ErrInvalidRequest, `genesis auth.accounts[${i}] has type ${entry['@type']}; expected ${BASE_ACCOUNT}`);
    }
    parseAddress(entry.address, `genesis auth.accounts[${i}].address`);
    if (seen.has(entry.address)) throw ainError(ErrInvalidRequest, `genesis auth.accounts[${i}] duplicates ${entry.address}`);
    seen.add(entry.address);
  });
}

/**
 * Writes auth params and the genesis accounts, then the fee collector's account. Account numbers
 * follow the order of the list (the SDK's NewAccount behaviour), so every node assigns the same ones.
 */
function initAuthGenesis(ctx: BlockContext, auth: AuthKeeper, genesis: AuthGenesisJson): void {
  validateAuthGenesis(genesis);
  const { state } = ctx;
  writeAuthParams(state, authParamsFromJson(genesis.params));
  for (const entry of genesis.accounts) {
    const account = auth.createAccount(state, entry.address);
    if (entry.sequence !== '0') auth.setSequence(state, entry.address, BigInt(entry.sequence));
    if (entry.pub_key) auth.setPubkey(state, account.address, Buffer.from(entry.pub_key.key, 'base64'));
  }
  const feeCollector = moduleAddress(FEE_COLLECTOR);
  if (!auth.hasAccount(state, feeCollector)) auth.createAccount(state, feeCollector);
}

/** Every account in account-number order, so `init` gives each its number back. */
function exportAuthGenesis(state: ReadableState, auth: AuthKeeper): AuthGenesisJson {
  const accounts = auth.listAccounts(state, MAX_GENESIS_ACCOUNTS).sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : 1));
  return {
    params: authParamsToJson(readAuthParams(state)),
    accounts: accounts.map((account) => ({
      '@type': BASE_ACCOUNT,
      address: account.address,
      pub_key: account.pubkey ? { '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(account.pubkey).toString('base64') } : null,
      account_number: account.accountNumber.toString(),
      sequence: account.sequence.toString(),
    })),
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
