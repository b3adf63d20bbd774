/**
 * The node clients query commands use, over CometBFT's RPC at `--node`: CosmJS's Stargate and query
 * clients, a CometBFT client, a raw JSON-RPC call, and a tx by hash. Errors name the URL and --node.
 */
import {
  QueryClient,
  setupAuthExtension,
  setupBankExtension,
  StargateClient,
  type AuthExtension,
  type BankExtension,
} from '@cosmjs/stargate';
import { fromHex } from '@cosmjs/encoding';
import { type comet38, connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { ainError, ErrIO } from '../../core/index.ts';
import { cometRpc } from '../../client/index.ts';
import { nodeHttpUrl } from './node-url.ts';

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

/**
 * Calls a CometBFT JSON-RPC method on `--node` and returns its raw `result` (snake_case JSON as
 * CometBFT sends it); throws `sdk/39` naming the URL when the node does not answer.
 */
export async function nodeRpc(node: string, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const url = nodeHttpUrl(node);
  try {
    return await cometRpc(url, method, params);
  } catch (error) {
    // The transport's own reason (e.g. "fetch failed"): this message already names the method and URL.
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw ainError(ErrIO, `RPC ${method} at ${url} failed (${reason}); is the node running? (see --node)`);
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
