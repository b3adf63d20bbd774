import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import {
  Bech32PrefixResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsResponse,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  decodeQueryRequest,
  ADDRESS_PREFIX,
  ainError,
  ErrInvalidRequest,
  ErrKeyNotFound,
  moduleAddress,
  parseAddress,
} from '../../core/index.ts';
import type { QueryRegistrar, ReadableState } from '../../core/index.ts';
import type { Account, AuthKeeper } from './keeper.ts';
import { readAuthParams } from './params.ts';
import { type Vesting, vestingAccountToAny } from './vesting.ts';

export const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';

/** An account as `Any`: a BaseAccount, or the SDK's vesting account type when it has a schedule. */
export function accountToAny(account: Account, vesting?: Vesting): Any {
  const pubKey = account.pubkey
    ? { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: PubKey.encode({ key: account.pubkey }).finish() }
    : undefined;
  const base = {
    address: account.address,
    accountNumber: account.accountNumber,
    sequence: account.sequence,
    ...(pubKey ? { pubKey } : {}),
  };
  if (vesting) return vestingAccountToAny(base, vesting);
  return { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: BaseAccount.encode(base).finish() };
}

/**
 * The module account `name` as the SDK's `ModuleAccount` in an `Any`: its address, and its number and
 * sequence once the chain has an account there (0 before). No permissions: this chain's modules move
 * coins through their keepers, not through x/bank's minter/burner/staking grants.
 */
function moduleAccountToAny(state: ReadableState, auth: AuthKeeper, name: string): Any {
  const address = moduleAddress(name);
  const account = auth.getAccount(state, address);
  const baseAccount = { address, accountNumber: account?.accountNumber ?? 0n, sequence: account?.sequence ?? 0n };
  return { typeUrl: '/cosmos.auth.v1beta1.ModuleAccount', value: ModuleAccount.encode({ baseAccount, name, permissions: [] }).finish() };
}

/**
 * `cosmos.auth.v1beta1.Query`: Account (NotFound in gRPC words, so CosmJS returns null), Accounts
 * (paged in address order), ModuleAccounts (by name) and ModuleAccountByName over `moduleAccountNames`
 * (every module's, filled once the app is built), Params and Bech32Prefix.
 */
export function registerAuthQueries(router: QueryRegistrar, auth: AuthKeeper, moduleAccountNames: ReadonlySet<string>): void {
  router.register('/cosmos.auth.v1beta1.Query/Account', (state, data) => {
    const request = decodeQueryRequest(QueryAccountRequest, data);
    parseAddress(request.address);
    const account = auth.getAccount(state, request.address);
    if (!account) throw ainError(ErrKeyNotFound, `rpc error: code = NotFound desc = account ${request.address} not found`);
    return QueryAccountResponse.encode({ account: accountToAny(account, auth.getVesting(state, account.address)) }).finish();
  });
  router.register('/cosmos.auth.v1beta1.Query/Accounts', (state, data) => {
    const { pagination } = decodeQueryRequest(QueryAccountsRequest, data);
    const page = auth.accountsPage(state, pagination);
    return QueryAccountsResponse.encode({
      accounts: page.items.map((account) => accountToAny(account, auth.getVesting(state, account.address))),
      pagination: page.pagination,
    }).finish();
  });
  router.register('/cosmos.auth.v1beta1.Query/ModuleAccounts', (state) =>
    QueryModuleAccountsResponse.encode({
      accounts: [...moduleAccountNames].sort().map((name) => moduleAccountToAny(state, auth, name)),
    }).finish(),
  );
  router.register('/cosmos.auth.v1beta1.Query/ModuleAccountByName', (state, data) => {
    const { name } = decodeQueryRequest(QueryModuleAccountByNameRequest, data);
    if (name === '') throw ainError(ErrInvalidRequest, 'module name can not be empty');
    if (!moduleAccountNames.has(name)) {
      throw ainError(
        ErrKeyNotFound,
        `rpc error: code = NotFound desc = module account ${name} not found; the module accounts are ${[...moduleAccountNames].sort().join(', ')}`,
      );
    }
    return QueryModuleAccountByNameResponse.encode({ account: moduleAccountToAny(state, auth, name) }).finish();
  });
  router.register('/cosmos.auth.v1beta1.Query/Bech32Prefix', () => Bech32PrefixResponse.encode({ bech32Prefix: ADDRESS_PREFIX }).finish());
  router.register('/cosmos.auth.v1beta1.Query/Params', (state) => {
    const params = readAuthParams(state);
    return QueryParamsResponse.encode({
      params: {
        maxMemoCharacters: BigInt(params.maxMemoCharacters),
        txSigLimit: BigInt(params.txSigLimit),
        txSizeCostPerByte: BigInt(params.txSizeCostPerByte),
        sigVerifyCostEd25519: 0n,
        sigVerifyCostSecp256k1: BigInt(params.sigVerifyCostSecp256k1),
      },
    }).finish();
  });
}
