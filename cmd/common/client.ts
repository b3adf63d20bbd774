import {
  QueryClient,
  setupAuthExtension,
  setupBankExtension,
  StargateClient,
  type AuthExtension,
  type BankExtension,
} from '@cosmjs/stargate';
import { fromHex } from '@cosmjs/encoding';
import { type comet38, connectComet, type CometClient, HttpClient } from '@cosmjs/tendermint-rpc';
import { ainError, ErrIO } from '../../core/errors.ts';
import { nodeHttpUrl } from './node-url.ts';

type JsonRpcParams = Record<string, string | number | boolean | null>;

/** The clients a query command needs, over one CometBFT RPC connection. */
export interface NodeClients {
  readonly url: string;
  readonly comet: CometClient;
  readonly stargate: StargateClient;
  readonly query: QueryClient & AuthExtension & BankExtension;
  disconnect(): void;
}

/**
 * Connects to the node behind `--node` with CosmJS (the CometBFT version picks the client, 0.38 gives
 * Comet38Client). Throws `sdk/39` with the URL when the node does not answer.
 */
export async function connectNode(node: string): Promise<NodeClients> {
  const { url, comet } = await connectCometClient(node);
  const stargate = await StargateClient.create(comet);
  const query = QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension);
  return { url, comet, stargate, query, disconnect: () => stargate.disconnect() };
}

/** Calls a CometBFT JSON-RPC method and returns its raw `result` (snake_case JSON as CometBFT sends it). */
export async function rawRpc(node: string, method: string, params: JsonRpcParams = {}): Promise<unknown> {
  const url = nodeHttpUrl(node);
  const client = new HttpClient(url);
  try {
    const response = await client.execute({ jsonrpc: '2.0', id: 1, method, params });
    return response.result;
  } catch (cause) {
    throw ainError(ErrIO, `RPC ${method} at ${url} failed (${(cause as Error).message}); is the node running? (see --node)`);
  } finally {
    client.disconnect();
  }
}

/** A CosmJS CometBFT client for `--node`; throws `sdk/39` naming the URL when the node does not answer. */
export async function connectCometClient(node: string): Promise<{ url: string; comet: CometClient }> {
  const url = nodeHttpUrl(node);
  try {
    return { url, comet: await connectComet(url) };
  } catch (cause) {
    throw ainError(ErrIO, `cannot reach the node at ${url} (${(cause as Error).message}); is it running? (see --node)`);
  }
}

/** Runs `run` with a CometBFT client for `--node` and disconnects afterwards. */
export async function withCometClient<T>(node: string, run: (comet: CometClient) => Promise<T>): Promise<T> {
  const { comet } = await connectCometClient(node);
  try {
    return await run(comet);
  } finally {
    comet.disconnect();
  }
}

/** CometBFT's record of a tx by hash, or undefined while it is not in a block. */
export async function findTx(comet: CometClient, txhash: string): Promise<comet38.TxResponse | undefined> {
  try {
    return (await comet.tx({ hash: fromHex(txhash) })) as comet38.TxResponse;
  } catch (error) {
    if (/not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}
