/**
 * Where the explorer reads from: the node's public REST API (the page's own origin), CometBFT's
 * JSON-RPC (its URL from /ui/config.json, CORS open as `aind init` configures it) and the client
 * library's ABCI queries over that RPC. Nothing here writes.
 */
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { cometRpc } from '../client/index.ts';

export interface Api {
  /** CometBFT's RPC URL as the browser reaches it. */
  readonly rpcUrl: string;
  /** GET a REST route of this node, e.g. `/cosmos/bank/v1beta1/balances/ain1...`. */
  rest<T = Record<string, unknown>>(path: string): Promise<T>;
  /** One CometBFT JSON-RPC call (`blockchain`, `tx_search`, `header`, ...). */
  rpc<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** The CosmJS Comet client the client library's queries take. */
  readonly comet: Comet38Client;
}

/** The RPC URL the node advertises, with a loopback host replaced by the host the page came from. */
export function browserRpcUrl(advertised: string, page: Location): string {
  const url = new URL(advertised);
  if (['127.0.0.1', 'localhost', '0.0.0.0', '[::]', '[::1]'].includes(url.hostname) && page.hostname) url.hostname = page.hostname;
  return url.toString().replace(/\/$/, '');
}

/** Reads /ui/config.json and connects to the RPC. */
export async function connectApi(): Promise<Api> {
  const config = (await (await fetch('./config.json')).json()) as { rpcUrl: string };
  const rpcUrl = new URLSearchParams(location.search).get('rpc') ?? browserRpcUrl(config.rpcUrl, location);
  const comet = await Comet38Client.connect(rpcUrl);
  return {
    rpcUrl,
    comet,
    async rest<T>(path: string): Promise<T> {
      const response = await fetch(path);
      const body = (await response.json()) as T & { message?: string };
      if (!response.ok) throw new Error(`${path}: ${body.message ?? response.status}`);
      return body;
    },
    rpc: <T>(method: string, params: Record<string, unknown> = {}) => cometRpc(rpcUrl, method, params, 15_000) as Promise<T>,
  };
}

/** A block header as `blockchain` and `header` return it. */
export interface BlockMeta {
  readonly block_id: { readonly hash: string };
  readonly header: { readonly height: string; readonly time: string; readonly proposer_address: string; readonly app_hash: string };
  readonly num_txs: string;
}

/** The last `count` block headers, newest first (`blockchain` answers 20 per call). */
export async function recentBlocks(api: Api, count: number): Promise<BlockMeta[]> {
  const status = await api.rpc<{ sync_info: { latest_block_height: string; earliest_block_height: string } }>('status');
  let max = Number(status.sync_info.latest_block_height);
  const earliest = Math.max(1, Number(status.sync_info.earliest_block_height));
  const metas: BlockMeta[] = [];
  while (metas.length < count && max >= earliest) {
    const min = Math.max(earliest, max - Math.min(20, count - metas.length) + 1);
    const answer = await api.rpc<{ block_metas: BlockMeta[] }>('blockchain', { minHeight: String(min), maxHeight: String(max) });
    metas.push(...answer.block_metas);
    max = min - 1;
  }
  return metas;
}

/** A tx as `tx_search` returns it: events as plain strings (CometBFT 0.38). */
export interface SearchedTx {
  readonly hash: string;
  readonly height: string;
  readonly tx_result: {
    readonly code: number;
    readonly events: ReadonlyArray<{ readonly type: string; readonly attributes: ReadonlyArray<{ key: string; value: string }> }>;
  };
}

/** Txs matching a CometBFT query, newest first. */
export async function searchTxs(api: Api, query: string, perPage = 50): Promise<SearchedTx[]> {
  const answer = await api.rpc<{ txs: SearchedTx[] }>('tx_search', { query, order_by: 'desc', per_page: String(perPage), page: '1' });
  return answer.txs;
}

/** The values of one attribute of one event type in a searched tx. */
export function attributeValues(tx: SearchedTx, type: string, key: string): string[] {
  return tx.tx_result.events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
}

/** Block times by height, read with `header` (at most `limit` distinct heights). */
export async function blockTimes(api: Api, heights: Iterable<string>, limit = 60): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const height of [...new Set(heights)].slice(0, limit)) {
    const answer = await api.rpc<{ header: { time: string } }>('header', { height });
    times.set(height, Date.parse(answer.header.time));
  }
  return times;
}
