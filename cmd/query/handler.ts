import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { toBase64 } from '@cosmjs/encoding';
import { ainError, ErrInvalidRequest, ErrNotFound, parseAddress } from '../../core/index.ts';
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

/** SDK JSON of `query auth account`. */
export interface AccountJson {
  account: {
    '@type': string;
    address: string;
    pub_key: { '@type': string; key: string } | null;
    account_number: string;
    sequence: string;
  };
}

/**
 * `query auth account ADDRESS`. Throws `sdk/38 not found` for an account the chain does not know.
 */
export async function queryAccount(node: string, address: string): Promise<AccountJson> {
  parseAddress(address);
  return withNode(node, async ({ query }) => {
    let any: { typeUrl: string; value: Uint8Array } | null;
    try {
      any = await query.auth.account(address);
    } catch (error) {
      if (/not ?found/i.test((error as Error).message)) any = null;
      else throw error;
    }
    if (!any) throw ainError(ErrNotFound, `account ${address} not found`);
    if (any.typeUrl !== '/cosmos.auth.v1beta1.BaseAccount') {
      throw ainError(ErrInvalidRequest, `account ${address} has type ${any.typeUrl}; this CLI decodes BaseAccount only`);
    }
    const account = BaseAccount.decode(any.value);
    const pubKey = account.pubKey;
    return {
      account: {
        '@type': any.typeUrl,
        address: account.address,
        pub_key:
          pubKey && pubKey.typeUrl === '/cosmos.crypto.secp256k1.PubKey'
            ? { '@type': pubKey.typeUrl, key: toBase64(PubKey.decode(pubKey.value).key) }
            : null,
        account_number: account.accountNumber.toString(),
        sequence: account.sequence.toString(),
      },
    };
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
