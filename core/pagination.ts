/**
 * Pagination of list queries as the Cosmos SDK's `query.Paginate` does it, one way for every module:
 * a `PageRequest` (`key` = the `next_key` of the previous page, or `offset`; `limit`, default 100 and
 * bounded; `count_total`; `reverse`) in, one page and a `PageResponse` (`next_key`, `total`) out. A
 * key is the item's path below the listed subtree (one label, or `class/id` for deeper items) as UTF-8
 * bytes, which the gateway prints as base64; `key` and `offset` together are refused, `total` is
 * counted only for an offset request that asks for it (or sends no limit), as the SDK does. Three
 * sources: an array already in key order (`paginate`), a subtree of the state tree read with its
 * ordered `list` (`paginateList`) and a range of sequential ids (`paginateRange`). Queries only: these
 * read without gas, so transactions keep their own bounded `list` calls.
 */
import { ainError, ErrInvalidRequest } from './errors.ts';
import type { ReadableState, StateValue } from './state.ts';

/** `cosmos.base.query.v1beta1.PageRequest` (cosmjs-types' and our protos' codecs have this shape). */
export interface PageRequest {
  readonly key: Uint8Array;
  readonly offset: bigint;
  readonly limit: bigint;
  readonly countTotal: boolean;
  readonly reverse: boolean;
}

/** `cosmos.base.query.v1beta1.PageResponse`. */
export interface PageResponse {
  nextKey: Uint8Array;
  total: bigint;
}

/** One page of items and the response that leads to the next one. */
export interface Page<T> {
  readonly items: T[];
  readonly pagination: PageResponse;
}

/** The SDK's `query.DefaultLimit`: the page size when a request gives no limit. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest page served unless a list sets its own bound; a larger `limit` gets this many. */
export const MAX_PAGE_LIMIT = 1000;

export interface PageOptions {
  /** The largest page this list serves (default {@link MAX_PAGE_LIMIT}). */
  readonly maxLimit?: number;
  /** Order of the keys, ascending (default: path order, label by label). */
  readonly compare?: (a: string, b: string) => number;
}

/** The request with its defaults applied: what to skip, how many to take, in which direction. */
interface Window {
  readonly key: string | undefined;
  readonly offset: number;
  readonly limit: number;
  readonly countTotal: boolean;
  readonly reverse: boolean;
}

const EMPTY = new Uint8Array();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Keys in path order: label by label, each compared by UTF-16 code unit (`a/b` < `a!`), as the state
 * tree orders its leaves.
 */
export function comparePathKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca === 0x2f) return -1;
    if (cb === 0x2f) return 1;
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * The page that starts at `key` (inclusive; '' = the start) with at most `limit` items (0: the
 * default), for the older `start_after`/`limit` request fields: the item after a text cursor `c` is
 * at `${c}\u0000` (nothing sorts between them), the one after id `n` at `${n + 1n}`.
 * @example pageFrom('alice\u0000', 10) // the 10 items after "alice"
 */
export function pageFrom(key: string, limit: number): PageRequest {
  return { key: key === '' ? EMPTY : encoder.encode(key), offset: 0n, limit: BigInt(limit), countTotal: false, reverse: false };
}

function windowOf(page: PageRequest | undefined, maxLimit: number): Window {
  const key = page && page.key.length > 0 ? decoder.decode(page.key) : undefined;
  const offset = page?.offset ?? 0n;
  if (key !== undefined && offset > 0n) throw ainError(ErrInvalidRequest, 'invalid request, either offset or key is expected, got both');
  let limit = Number(page?.limit ?? 0n);
  let countTotal = page?.countTotal ?? false;
  if (limit === 0) {
    limit = DEFAULT_PAGE_LIMIT;
    // As the SDK: a request without a limit counts the total.
    countTotal = true;
  }
  return {
    key,
    offset: offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset),
    limit: Math.min(limit, maxLimit),
    countTotal,
    reverse: page?.reverse ?? false,
  };
}

/**
 * One page of `items`, which are in ascending key order (`keyOf`), read forwards or, with `reverse`,
 * backwards. A `key` starts the page at the first item at or after it (at or before it in reverse).
 *
 * @example
 * paginate(['a', 'b', 'c'], (x) => x, { key: new Uint8Array(), offset: 1n, limit: 1n, countTotal: true, reverse: false })
 * // { items: ['b'], pagination: { nextKey: bytes('c'), total: 3n } }
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  page: PageRequest | undefined,
  options: PageOptions = {},
): Page<T> {
  const window = windowOf(page, options.maxLimit ?? MAX_PAGE_LIMIT);
  const compare = options.compare ?? comparePathKeys;
  const ordered = window.reverse ? [...items].reverse() : items;
  let start = Math.min(window.offset, ordered.length);
  if (window.key !== undefined) {
    const key = window.key;
    start = ordered.findIndex((item) => (window.reverse ? compare(keyOf(item), key) <= 0 : compare(keyOf(item), key) >= 0));
    if (start < 0) start = ordered.length;
  }
  const next = ordered[start + window.limit];
  return {
    items: ordered.slice(start, start + window.limit),
    pagination: {
      nextKey: next === undefined ? EMPTY : encoder.encode(keyOf(next)),
      total: window.key === undefined && window.countTotal ? BigInt(items.length) : 0n,
    },
  };
}

/** An item of a listed subtree: its key (the labels below the root) and its leaves in path order. */
export interface ListedItem {
  readonly key: string;
  readonly leaves: Array<[string, StateValue]>;
}

export interface ListOptions extends PageOptions {
  /** Most leaves read under the root: the list's existing bound. */
  readonly scan: number;
  /** Labels below the root that name one item (default 1: `/root/<item>/...`). */
  readonly depth?: number;
  /** Keeps only the items this accepts (e.g. accounts, which share `/accounts` with balances). */
  readonly accept?: (item: ListedItem) => boolean;
}

/**
 * One page of the items under `root` in the state tree, read with its ordered `list` (at most
 * `options.scan` leaves): every leaf at `depth` labels below the root or deeper belongs to the item
 * named by those labels.
 *
 * @example
 * paginateList(state, '/bank/supply', request.pagination, { scan: 1000 })
 * // { items: [{ key: 'uain', leaves: [['/bank/supply/uain', '1000']] }], pagination }
 */
export function paginateList(state: ReadableState, root: string, page: PageRequest | undefined, options: ListOptions): Page<ListedItem> {
  const depth = options.depth ?? 1;
  const prefix = root === '/' ? '/' : `${root}/`;
  const items: ListedItem[] = [];
  let current: ListedItem | undefined;
  for (const leaf of state.list(root, options.scan)) {
    if (!leaf[0].startsWith(prefix)) continue;
    const labels = leaf[0].slice(prefix.length).split('/');
    if (labels.length < depth) continue;
    const key = labels.slice(0, depth).join('/');
    if (current?.key !== key) {
      current = { key, leaves: [] };
      items.push(current);
    }
    current.leaves.push(leaf);
  }
  const accepted = options.accept ? items.filter(options.accept) : items;
  return paginate(accepted, (item) => item.key, page, options);
}

/**
 * One page of the sequential ids `first` .. `end - 1` (jobs, requests), in numeric order; keys are
 * the ids in decimal, as their path labels.
 *
 * @example
 * paginateRange(1n, 251n, { key: new Uint8Array(), offset: 0n, limit: 100n, countTotal: false, reverse: true })
 * // { items: [250n, 249n, ..., 151n], pagination: { nextKey: bytes('150'), total: 0n } }
 */
export function paginateRange(first: bigint, end: bigint, page: PageRequest | undefined, options: PageOptions = {}): Page<bigint> {
  const window = windowOf(page, options.maxLimit ?? MAX_PAGE_LIMIT);
  const count = end > first ? end - first : 0n;
  const at = (index: bigint) => (window.reverse ? end - 1n - index : first + index);
  let start = BigInt(window.offset);
  if (window.key !== undefined) {
    if (!/^[0-9]{1,20}$/.test(window.key)) throw ainError(ErrInvalidRequest, `pagination key "${window.key}" is not an id`);
    const id = BigInt(window.key);
    start = window.reverse ? end - 1n - id : id - first;
    if (start < 0n) start = 0n;
  }
  if (start > count) start = count;
  const stop = start + BigInt(window.limit) < count ? start + BigInt(window.limit) : count;
  const items: bigint[] = [];
  for (let i = start; i < stop; i++) items.push(at(i));
  return {
    items,
    pagination: {
      nextKey: stop < count ? encoder.encode(at(stop).toString()) : EMPTY,
      total: window.key === undefined && window.countTotal ? count : 0n,
    },
  };
}
