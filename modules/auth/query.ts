import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import {
  Bech32PrefixResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ADDRESS_PREFIX, ainError, ErrKeyNotFound, parseAddress } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
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
 * `cosmos.auth.v1beta1.Query`: Account (NotFound in gRPC words, so CosmJS returns null), Accounts
 * (paged in address order), Params and Bech32Prefix.
 */
export function registerAuthQueries(router: QueryRegistrar, auth: AuthKeeper): void {
  router.register('/cosmos.auth.v1beta1.Query/Account', (state, data) => {
    const request = QueryAccountRequest.decode(data);
    parseAddress(request.address);
    const account = auth.getAccount(state, request.address);
    if (!account) throw ainError(ErrKeyNotFound, `rpc error: code = NotFound desc = account ${request.address} not found`);
    return QueryAccountResponse.encode({ account: accountToAny(account, auth.getVesting(state, account.address)) }).finish();
  });
  router.register('/cosmos.auth.v1beta1.Query/Accounts', (state, data) => {
    const { pagination } = QueryAccountsRequest.decode(data);
    const page = auth.accountsPage(state, pagination);
    return QueryAccountsResponse.encode({
      accounts: page.items.map((account) => accountToAny(account, auth.getVesting(state, account.address))),
      pagination: page.pagination,
    }).finish();
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
