/**
 * Transactions by their events and by block, as the SDK's gateway serves them from CometBFT's indexer:
 * `GET /cosmos/tx/v1beta1/txs` takes a CometBFT query (`query=message.sender='ain1...'`) or the older
 * repeated `events=` (AND-ed), `order_by` (names or numbers), `page`/`limit` or the older
 * `pagination.offset`/`.limit`/`.reverse`, and answers `txs`, `tx_responses`, `pagination` (null, as
 * the SDK since v0.50) and `total` through `tx_search`; `GET /cosmos/tx/v1beta1/txs/block/{height}`
 * answers a block with its decoded txs, paged by `pagination.offset`/`.limit`. The events the app
 * indexes are listed in docs/ARCHITECTURE.md.
 */
import { GetBlockWithTxsResponse, GetTxsEventResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import {
  AinError,
  ainError,
  DEFAULT_PAGE_LIMIT,
  ErrInvalidHeight,
  ErrInvalidRequest,
  pageRequestOf,
  search,
  searchUint,
  toProtoJson,
  type RestContext,
  type RestHandler,
  type RestRequest,
} from '../../core/index.ts';
import { int, list } from '../../client/index.ts';
import { blockTime, decodeTx, indexedTxOf, readBlock } from './cometRoutes.ts';

/** CometBFT's `tx_search` page size bound (`max_per_page`); a larger limit gets this many, as the SDK's. */
export const MAX_TXS_PER_PAGE = 100;
/** Longest query accepted (CometBFT parses it; this only bounds the work). */
const MAX_QUERY_LENGTH = 4096;

/** `order_by` as CometBFT's `tx_search` takes it: names and numbers of `cosmos.tx.v1beta1.OrderBy`. */
export function orderByOf(text: string): '' | 'asc' | 'desc' {
  switch (text) {
    case '':
    case '0':
    case 'ORDER_BY_UNSPECIFIED':
      return '';
    case '1':
    case 'ORDER_BY_ASC':
      return 'asc';
    case '2':
    case 'ORDER_BY_DESC':
      return 'desc';
    default:
      throw ainError(ErrInvalidRequest, `order_by "${text}" is not one of ORDER_BY_UNSPECIFIED, ORDER_BY_ASC, ORDER_BY_DESC (or 0, 1, 2)`);
  }
}

/**
 * The CometBFT query of a request: `query`, and each `events` condition (`type.attr=value`, the value
 * quoted unless it already is or the key is `tx.height`), all AND-ed.
 * @example txQueryOf(request) // "message.sender='ain1...' AND transfer.recipient='ain1...'"
 */
export function txQueryOf(request: RestRequest): string {
  const parts: string[] = [];
  const query = search(request, 'query').trim();
  if (query !== '') parts.push(query);
  for (const event of request.searchParams.getAll('events')) {
    const match = /^([A-Za-z0-9_.\-/]+)=(.+)$/.exec(event.trim());
    if (!match)
      throw ainError(ErrInvalidRequest, `invalid event; event ${event} should be of the format: {eventType}.{eventAttribute}={value}`);
    const [, key, value] = match as unknown as [string, string, string];
    const quoted = /^'.*'$/.test(value) || key === 'tx.height' ? value : `'${value.replace(/'/g, "\\'")}'`;
    parts.push(`${key}=${quoted}`);
  }
  if (parts.length === 0) throw ainError(ErrInvalidRequest, 'query cannot be empty');
  const joined = parts.join(' AND ');
  if (joined.length > MAX_QUERY_LENGTH) throw ainError(ErrInvalidRequest, `query is longer than ${MAX_QUERY_LENGTH} characters`);
  return joined;
}

/** Block times by height, each read once per request. */
function blockTimes(context: RestContext): (height: bigint) => Promise<string> {
  const times = new Map<bigint, Promise<string>>();
  return (height) => {
    let time = times.get(height);
    if (!time) {
      time = blockTime(context, height);
      times.set(height, time);
    }
    return time;
  };
}

/** One `tx_search` page (1-based) and the total count; an out-of-range page is an empty one. */
async function searchPage(context: RestContext, query: string, page: bigint, perPage: bigint, orderBy: string) {
  try {
    const result = await context.comet('tx_search', {
      query,
      prove: false,
      page: page.toString(),
      per_page: perPage.toString(),
      order_by: orderBy,
    });
    return { txs: list(result, 'txs'), total: int(result, 'total_count') };
  } catch (error) {
    if (error instanceof AinError && error.is(ErrInvalidRequest) && /page should be within/.test(error.message)) {
      const first = await context.comet('tx_search', { query, prove: false, page: '1', per_page: '1', order_by: orderBy });
      return { txs: [], total: int(first, 'total_count') };
    }
    throw error;
  }
}

/**
 * `GET /cosmos/tx/v1beta1/txs?query=...&order_by=ORDER_BY_DESC&page=1&limit=20`: the txs matching a
 * CometBFT query, `limit` at most 100 (default 100). `page` (1-based) and `limit` win over the older
 * `pagination.offset`/`.limit`; any offset is served (two `tx_search` pages when it is not a multiple
 * of the limit), and past the last tx the page is empty with the total.
 */
export const getTxsEvent: RestHandler = async (context, request) => {
  const query = txQueryOf(request);
  const pagination = pageRequestOf(request);
  let orderBy = orderByOf(search(request, 'order_by'));
  if (orderBy === '' && pagination.reverse) orderBy = 'desc';
  let limit = searchUint(request, 'limit') || pagination.limit || BigInt(DEFAULT_PAGE_LIMIT);
  if (limit > BigInt(MAX_TXS_PER_PAGE)) limit = BigInt(MAX_TXS_PER_PAGE);
  const page = searchUint(request, 'page');
  const offset = page > 0n ? (page - 1n) * limit : pagination.offset;
  const first = offset / limit + 1n;
  const skip = Number(offset % limit);
  const pages = [await searchPage(context, query, first, limit, orderBy)];
  if (skip > 0 && pages[0]!.txs.length === Number(limit)) pages.push(await searchPage(context, query, first + 1n, limit, orderBy));
  const items = pages.flatMap((p) => p.txs).slice(skip, skip + Number(limit));
  const timeOf = blockTimes(context);
  const found = await Promise.all(items.map(async (item) => indexedTxOf(item, await timeOf(int(item, 'height')))));
  const message = GetTxsEventResponse.fromPartial({
    // txs[i] belongs to tx_responses[i]: bytes that are not a Cosmos tx (never indexed here) print empty.
    txs: found.map((f) => f.tx ?? Tx.fromPartial({})),
    txResponses: found.map((f): TxResponse => f.txResponse),
    total: pages[0]!.total,
  });
  return { body: toProtoJson(GetTxsEventResponse, message, context.anyTypes) };
};

/**
 * `GET /cosmos/tx/v1beta1/txs/block/{height}`: the block (tendermint.types.Block), its id and its txs
 * decoded, `pagination.offset`/`.limit` (default 100)/`.reverse` over the block's txs, and `total`.
 */
export const getBlockWithTxs: RestHandler = async (context, request) => {
  const text = request.params[0] ?? '';
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 0x7fffffffffffffffn)
    throw ainError(ErrInvalidHeight, `requested height ${text} but height must not be less than 1 or greater than the current height`);
  let block: Awaited<ReturnType<typeof readBlock>>;
  try {
    block = await readBlock(context, { height: BigInt(text).toString() });
  } catch (error) {
    const current = /current blockchain height (\d+)/.exec(error instanceof AinError ? error.message : '')?.[1];
    if (current === undefined) throw error;
    throw ainError(
      ErrInvalidHeight,
      `requested height ${text} but height must not be less than 1 or greater than the current height ${current}`,
    );
  }
  const pagination = pageRequestOf(request);
  const limit = Number(pagination.limit || BigInt(DEFAULT_PAGE_LIMIT));
  const offset = Number(pagination.offset);
  const raw = block.block.data.txs;
  if (offset >= raw.length && raw.length > 0)
    throw ainError(ErrInvalidRequest, `out of range: cannot paginate ${raw.length} txs with offset ${offset} and limit ${limit}`);
  const ordered = pagination.reverse ? [...raw].reverse() : raw;
  const txs = ordered
    .slice(offset, offset + limit)
    .map(decodeTx)
    .filter((tx): tx is Tx => tx !== undefined);
  const message = GetBlockWithTxsResponse.fromPartial({
    txs,
    blockId: block.blockId,
    block: block.block,
    pagination: { total: BigInt(raw.length) },
  });
  return { body: toProtoJson(GetBlockWithTxsResponse, message, context.anyTypes), height: block.block.header.height };
};
