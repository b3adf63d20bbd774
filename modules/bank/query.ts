import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { QueryRegistrar, ReadableState } from '../../core/index.ts';
import {
  decodeQueryRequest,
  ainError,
  coinsToProto,
  ErrInvalidRequest,
  ErrNotFound,
  parseAddress,
  validateDenom,
} from '../../core/index.ts';
import type { BankKeeper } from './keeper.ts';
import { denomMetadataToProto } from './metadata.ts';
import { defaultBankParams } from './params.ts';

/**
 * The standard `cosmos.bank.v1beta1.Query` paths CosmJS, wallets and explorers call. Lists are paged
 * as the SDK pages them (`pagination`: key or offset, limit 100 by default and at most 1,000).
 */
export function registerBankQueries(router: QueryRegistrar, bank: BankKeeper): void {
  const metadataOf = (state: ReadableState, denom: string) => {
    validateDenom(denom);
    const found = bank.getDenomMetadata(state, denom);
    // The SDK's words: gRPC NotFound, which the gateway answers with 404.
    if (!found) throw ainError(ErrNotFound, `rpc error: code = NotFound desc = client metadata for denom ${denom}`);
    return denomMetadataToProto(found);
  };

  router.register('/cosmos.bank.v1beta1.Query/Balance', (state, data) => {
    const request = decodeQueryRequest(QueryBalanceRequest, data);
    parseAddress(request.address);
    validateDenom(request.denom);
    const amount = bank.getBalance(state, request.address, request.denom);
    return QueryBalanceResponse.encode({ balance: { denom: request.denom, amount: amount.toString() } }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/AllBalances', (state, data) => {
    const request = decodeQueryRequest(QueryAllBalancesRequest, data);
    parseAddress(request.address);
    const page = bank.balancesPage(state, request.address, request.pagination);
    return QueryAllBalancesResponse.encode({ balances: coinsToProto(page.items), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/SpendableBalances', (state, data, env) => {
    const request = decodeQueryRequest(QuerySpendableBalancesRequest, data);
    parseAddress(request.address);
    // A vesting account's locked coins are not spendable; how many are depends on the block time.
    const page = bank.balancesPage(state, request.address, request.pagination);
    if (env.blockTimeSeconds === undefined && bank.isVestingAccount(state, request.address)) {
      throw ainError(ErrInvalidRequest, `spendable balances of vesting account ${request.address} are answered at the latest height only`);
    }
    const spendable = bank.spendableCoins(state, request.address, page.items, env.blockTimeSeconds ?? 0n);
    return QuerySpendableBalancesResponse.encode({ balances: coinsToProto(spendable), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/TotalSupply', (state, data) => {
    const request = decodeQueryRequest(QueryTotalSupplyRequest, data);
    const page = bank.supplyPage(state, request.pagination);
    return QueryTotalSupplyResponse.encode({ supply: coinsToProto(page.items), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/SupplyOf', (state, data) => {
    const request = decodeQueryRequest(QuerySupplyOfRequest, data);
    validateDenom(request.denom);
    return QuerySupplyOfResponse.encode({
      amount: { denom: request.denom, amount: bank.getSupply(state, request.denom).toString() },
    }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/DenomsMetadata', (state, data) => {
    const request = decodeQueryRequest(QueryDenomsMetadataRequest, data);
    const page = bank.denomMetadataPage(state, request.pagination);
    return QueryDenomsMetadataResponse.encode({ metadatas: page.items.map(denomMetadataToProto), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/DenomMetadata', (state, data) => {
    const { denom } = decodeQueryRequest(QueryDenomMetadataRequest, data);
    return QueryDenomMetadataResponse.encode({ metadata: metadataOf(state, denom) }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/DenomMetadataByQueryString', (state, data) => {
    const { denom } = decodeQueryRequest(QueryDenomMetadataByQueryStringRequest, data);
    return QueryDenomMetadataByQueryStringResponse.encode({ metadata: metadataOf(state, denom) }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/Params', () =>
    QueryParamsResponse.encode({ params: { sendEnabled: [], defaultSendEnabled: defaultBankParams().default_send_enabled } }).finish(),
  );
}
