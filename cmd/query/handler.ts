import { QueryClient } from '@cosmjs/stargate';
import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsRequest,
  QueryModuleAccountsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  AinError,
  ainError,
  type AnyTypes,
  defaultAnyTypes,
  ErrInvalidRequest,
  ErrNotFound,
  type JsonValue,
  parseAddress,
  toProtoJson,
} from '../../core/index.ts';
import { ACCOUNT_JSON_TYPES } from '../../modules/auth/index.ts';
import { connectNode, findTx, type NodeClients, type TxResponseJson, txResponseJson } from '../common/index.ts';

type CoinJson = { denom: string; amount: string };

/** SDK JSON of `query bank balances`. */
export interface BalancesJson {
  balances: CoinJson[];
  pagination: { next_key: null; total: string };
}

/**
 * `query bank balances ADDRESS`: every balance of an account (empty for an unknown one).
 * @example await queryBalances('tcp://127.0.0.1:26657', 'ain1...')
 */
export async function queryBalances(node: string, address: string): Promise<BalancesJson> {
  parseAddress(address);
  return withNode(node, async ({ stargate }) => {
    const balances = (await stargate.getAllBalances(address)).map((c) => ({ denom: c.denom, amount: c.amount }));
    return { balances, pagination: { next_key: null, total: String(balances.length) } };
  });
}

/** `query bank total`: the total supply of every denom. */
export async function queryTotalSupply(node: string): Promise<{ supply: CoinJson[]; pagination: { next_key: null; total: string } }> {
  return withNode(node, async ({ query }) => {
    const supply = (await query.bank.totalSupply()).supply.map((c) => ({ denom: c.denom, amount: c.amount }));
    return { supply, pagination: { next_key: null, total: String(supply.length) } };
  });
}

/** The account types `query auth` prints unpacked: base, module and vesting accounts. */
const ACCOUNT_TYPES: AnyTypes = new Map([...defaultAnyTypes, ...ACCOUNT_JSON_TYPES]);

/**
 * `query auth account ADDRESS`, printed as the SDK prints it (a vesting account with its schedule).
 * Throws `sdk/38 not found` for an account the chain does not know.
 * @example await queryAccount('tcp://127.0.0.1:26657', 'ain1...') // { account: { '@type': '/cosmos.auth.v1beta1.BaseAccount', ... } }
 */
export async function queryAccount(node: string, address: string): Promise<JsonValue> {
  parseAddress(address);
  return withNode(node, async ({ comet }) => {
    const answer = await comet.abciQuery({
      path: '/cosmos.auth.v1beta1.Query/Account',
      data: QueryAccountRequest.encode({ address }).finish(),
    });
    const code = answer.code ?? 0;
    if (code !== 0) {
      if (/not ?found/i.test(answer.log ?? '')) throw ainError(ErrNotFound, `account ${address} not found`);
      throw new AinError({ codespace: answer.codespace ?? '', code, description: answer.log ?? 'the account query failed' });
    }
    return toProtoJson(QueryAccountResponse, QueryAccountResponse.decode(answer.value), ACCOUNT_TYPES);
  });
}

/**
 * `query auth module-accounts` (every module's, by name) or `query auth module-account NAME`.
 * @example await queryModuleAccounts('tcp://127.0.0.1:26657', 'gov') // { account: { '@type': '/cosmos.auth.v1beta1.ModuleAccount', name: 'gov', ... } }
 */
export async function queryModuleAccounts(node: string, name?: string): Promise<JsonValue> {
  return withNode(node, async ({ comet }) => {
    const client = new QueryClient(comet);
    if (name === undefined) {
      const answer = await client.queryAbci('/cosmos.auth.v1beta1.Query/ModuleAccounts', QueryModuleAccountsRequest.encode({}).finish());
      return toProtoJson(QueryModuleAccountsResponse, QueryModuleAccountsResponse.decode(answer.value), ACCOUNT_TYPES);
    }
    const answer = await client.queryAbci(
      '/cosmos.auth.v1beta1.Query/ModuleAccountByName',
      QueryModuleAccountByNameRequest.encode({ name }).finish(),
    );
    return toProtoJson(QueryModuleAccountByNameResponse, QueryModuleAccountByNameResponse.decode(answer.value), ACCOUNT_TYPES);
  });
}

/**
 * `query tx HASH`: a committed tx with its result and decoded body. Throws `sdk/38 not found` when no
 * block holds it.
 */
export async function queryTx(node: string, hash: string): Promise<TxResponseJson> {
  const txhash = hash.toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(txhash)) throw ainError(ErrInvalidRequest, `tx hash "${hash}" must be 64 hex digits`);
  return withNode(node, async ({ comet }) => {
    const found = await findTx(comet, txhash);
    if (!found) throw ainError(ErrNotFound, `tx ${txhash} not found`);
    return txResponseJson(found, true);
  });
}

async function withNode<T>(node: string, run: (clients: NodeClients) => Promise<T>): Promise<T> {
  const clients = await connectNode(node);
  try {
    return await run(clients);
  } finally {
    clients.disconnect();
  }
}
