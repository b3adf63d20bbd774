import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { QueryRegistrar } from '../../core/index.ts';
import { parseAddress, coinsToProto, validateDenom } from '../../core/index.ts';
import type { BankKeeper } from './keeper.ts';

/** The standard `cosmos.bank.v1beta1.Query` paths CosmJS and wallets call (pagination: all results, bounded). */
export function registerBankQueries(router: QueryRegistrar, bank: BankKeeper): void {
  router.register('/cosmos.bank.v1beta1.Query/Balance', (state, data) => {
    const request = QueryBalanceRequest.decode(data);
    parseAddress(request.address);
    validateDenom(request.denom);
    const amount = bank.getBalance(state, request.address, request.denom);
    return QueryBalanceResponse.encode({ balance: { denom: request.denom, amount: amount.toString() } }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/AllBalances', (state, data) => {
    const request = QueryAllBalancesRequest.decode(data);
    parseAddress(request.address);
    const balances = coinsToProto(bank.getAllBalances(state, request.address));
    return QueryAllBalancesResponse.encode({
      balances,
      pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) },
    }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/SpendableBalances', (state, data) => {
    const request = QuerySpendableBalancesRequest.decode(data);
    parseAddress(request.address);
    const balances = coinsToProto(bank.getAllBalances(state, request.address));
    return QuerySpendableBalancesResponse.encode({
      balances,
      pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) },
    }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/TotalSupply', (state) => {
    const supply = coinsToProto(bank.getTotalSupply(state));
    return QueryTotalSupplyResponse.encode({ supply, pagination: { nextKey: new Uint8Array(), total: BigInt(supply.length) } }).finish();
  });
  router.register('/cosmos.bank.v1beta1.Query/SupplyOf', (state, data) => {
    const request = QuerySupplyOfRequest.decode(data);
    validateDenom(request.denom);
    return QuerySupplyOfResponse.encode({
      amount: { denom: request.denom, amount: bank.getSupply(state, request.denom).toString() },
    }).finish();
  });
}
