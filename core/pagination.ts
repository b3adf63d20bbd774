/**
 * Pagination of list queries as the Cosmos SDK's `query.Paginate` does it, one way for every module:
 * a `PageRequest` (`key` = the `next_key` of the previous page, or `offset`; `limit`, default 100 and
 * bounded; `count_total`; `reverse`) in, one page and a `PageResponse` (`next_key`, `total`) out. A
 * key is the item's path below the listed subtree (one label, or `class/id` for deeper items) as UTF-8
 * bytes, which the gateway prints as base64; `key` and `offset` together are refused, `total` is
 * counted only for an offset request that asks for it (or sends no limit), as the SDK does. Three
 * sources: an array already in key order (`paginate`), a subtree of the state tree read with its
 * ordered `list` (`paginateList`: a forward page seeks to its key, as the SDK's iterator does, so it
 * reads about one page and any item of the subtree is reachable) and a range of sequential ids
 * (`paginateRange`). Queries only: these read without gas, so transactions keep their own bounded
 * `list` calls.
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
  /** Whether the request asked for the total itself (not implied by sending no limit). */
  readonly countAsked: boolean;
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
  const countAsked = page?.countTotal ?? false;
  let countTotal = countAsked;
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
    countAsked,
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

/** How a subtree is paged; its items are in path order (no `compare`: the seek relies on that order). */
export interface ListOptions extends Omit<PageOptions, 'compare'> {
  /** Most leaves one page reads under the root (from its key on, or back from it in reverse). */
  readonly scan: number;
  /** Labels below the root that name one item (default 1: `/root/<item>/...`). */
  readonly depth?: number;
  /** Keeps only the items this accepts (e.g. accounts, which share `/accounts` with balances). */
  readonly accept?: (item: ListedItem) => boolean;
}

/**
 * How many times `scan` leaves one request may read to skip its `offset` or count its `total`: a walk
 * that costs about what as many pages do, and no more (a larger offset is refused; page by key).
 */
export const MAX_WALK_SCANS = 100;
/** And never more leaves than this in one request, however large a list's `scan` (Accounts' is 200,000). */
export const MAX_WALK_LEAVES = 1_000_000;

/**
 * One page of the items under `root` in the state tree, read with its ordered `list`: every leaf at
 * `depth` labels below the root or deeper belongs to the item named by those labels.
 *
 * A page seeks, as the SDK's store iterator does: it lists from the key's item on (from the start
 * without a key), or with `reverse` back from the key's item (from the end without a key), in
 * batches, until it has the page and the item after it (the next key; in reverse the item before
 * it), so it reads about `limit + 1` items' leaves wherever the key lies, at most `options.scan` of
 * them (and one more). If those run out first, the page holds the items read whole and `next_key`
 * names the one being read (an item larger than `scan` alone is served cut). So walking by `next_key`
 * reaches every item of a subtree of any size, in either direction.
 *
 * An `offset` request walks the subtree from its start (its end in reverse) in batches of at most
 * `scan` leaves, skipping `offset` items, then serves the page from the item it reached; `total`
 * (`count_total` without a key, or no limit) counts every item of the subtree the same way. Such a
 * walk reads at most {@link MAX_WALK_SCANS} x `scan` leaves ({@link MAX_WALK_LEAVES} at most): past
 * that an offset, or a total asked for, is refused with ErrInvalidRequest (sdk/18) naming the field
 * and the bound; a total only implied by sending no limit is then left out (0), as when none is
 * asked for, and the page served.
 *
 * @example
 * paginateList(state, '/bank/supply', request.pagination, { scan: 1000 })
 * // { items: [{ key: 'uain', leaves: [['/bank/supply/uain', '1000']] }], pagination }
 */
export function paginateList(state: ReadableState, root: string, page: PageRequest | undefined, options: ListOptions): Page<ListedItem> {
  const window = windowOf(page, options.maxLimit ?? MAX_PAGE_LIMIT);
  const counting = window.key === undefined && window.countTotal;
  if (window.offset === 0 && !counting) return seekPage(state, root, window, options);
  const bound = Math.min(MAX_WALK_SCANS * options.scan, MAX_WALK_LEAVES);
  const walked = walkItems(state, root, options, window.reverse, window.offset, counting, bound);
  if (window.offset > 0 && walked.keyAtOffset === undefined && !walked.exhausted) {
    throw ainError(
      ErrInvalidRequest,
      `pagination.offset ${window.offset} lies past the ${bound} leaves one request of this list may read; page with next_key instead`,
      { field: 'pagination.offset', bound },
    );
  }
  let total = 0n;
  if (counting && walked.exhausted) total = BigInt(walked.count);
  else if (counting && window.countAsked) {
    throw ainError(
      ErrInvalidRequest,
      `pagination.count_total: this list has more items than ${bound} leaves hold, too many to count in one request`,
      { field: 'pagination.count_total', bound },
    );
  }
  const served =
    window.offset > 0 && walked.keyAtOffset === undefined
      ? pageOf([], undefined)
      : seekPage(state, root, { ...window, key: walked.keyAtOffset ?? window.key }, options);
  served.pagination.total = total;
  return served;
}

/**
 * Walks the items under `root` from the start (the end in reverse) in batches of at most `scan`
 * leaves, at most `bound` leaves in all: the key of the accepted item after the first `offset`, and
 * with `countAll` the number of accepted items (`exhausted`: the walk reached the other end).
 */
function walkItems(
  state: ReadableState,
  root: string,
  options: ListOptions,
  reverse: boolean,
  offset: number,
  countAll: boolean,
  bound: number,
): { count: number; keyAtOffset: string | undefined; exhausted: boolean } {
  const accept = options.accept ?? (() => true);
  const grouped = new ItemGrouper(root, options.depth ?? 1);
  let count = 0;
  let keyAtOffset: string | undefined;
  const judge = (item: ListedItem) => {
    if (reverse) item.leaves.reverse();
    if (!accept(item)) return;
    if (count === offset) keyAtOffset = item.key;
    count++;
  };
  let from: string | undefined;
  let read = 0;
  // One leaf past the bound: whether the subtree ends there.
  while (read <= bound) {
    const size = Math.min(options.scan, bound + 1 - read) + (from === undefined ? 0 : 1);
    const leaves = state.list(root, size, from, reverse);
    for (const leaf of leaves) {
      if (leaf[0] === from) continue;
      read++;
      grouped.add(leaf);
    }
    if (leaves.length < size) {
      for (const item of grouped.items) judge(item);
      return { count, keyAtOffset, exhausted: true };
    }
    // Every item but the last is whole: judge them and keep only the one being read.
    for (const item of grouped.items.splice(0, grouped.items.length - 1)) judge(item);
    if (!countAll && keyAtOffset !== undefined) return { count, keyAtOffset, exhausted: false };
    from = leaves[leaves.length - 1]![0];
  }
  return { count, keyAtOffset, exhausted: false };
}

/** Groups leaves read in path order into the items they belong to. */
class ItemGrouper {
  readonly items: ListedItem[] = [];
  readonly #prefix: string;
  readonly #depth: number;

  constructor(root: string, depth: number) {
    this.#prefix = root === '/' ? '/' : `${root}/`;
    this.#depth = depth;
  }

  /** The key of the item `path` belongs to, or undefined for a leaf above the items' depth. */
  keyOf(path: string): string | undefined {
    if (!path.startsWith(this.#prefix)) return undefined;
    const labels = path.slice(this.#prefix.length).split('/');
    return labels.length < this.#depth ? undefined : labels.slice(0, this.#depth).join('/');
  }

  /** Adds a leaf read after the others: to the last item when it is that item's, else as a new item (none: dropped). */
  add(leaf: [string, StateValue], key = this.keyOf(leaf[0])): void {
    if (key === undefined) return;
    const last = this.items[this.items.length - 1];
    if (last?.key === key) last.leaves.push(leaf);
    else this.items.push({ key, leaves: [leaf] });
  }
}

/**
 * A page from `window.key` (or the start; in reverse, back from it or the end) read by seeking `list`
 * to it; see {@link paginateList}.
 */
function seekPage(state: ReadableState, root: string, window: Window, options: ListOptions): Page<ListedItem> {
  const accept = options.accept ?? (() => true);
  const { key, reverse } = window;
  const depth = options.depth ?? 1;
  // Reverse pages read each item's leaves backwards: put them in path order before judging them.
  const whole = (item: ListedItem) => {
    if (reverse) item.leaves.reverse();
    return item;
  };
  const want = window.limit + 1;
  const grouped = new ItemGrouper(root, depth);
  const accepted: ListedItem[] = [];
  /** Items before this index are whole and were judged by `accept`. */
  let judged = 0;
  const judgeUpTo = (end: number) => {
    for (; judged < end; judged++) if (accept(whole(grouped.items[judged]!))) accepted.push(grouped.items[judged]!);
  };
  let from = key === undefined ? undefined : reverse ? reverseSeekBound(root, key, depth) : seekBound(root, key, depth);
  let last: string | undefined;
  // The scan bound, and one leaf more to see whether the subtree goes on (a page of `scan` one-leaf
  // items is then whole, as when the first `scan` leaves were read).
  const budget = options.scan + 1;
  let read = 0;
  let batch = window.limit + 2;
  let exhausted = false;
  while (accepted.length < want && read < budget) {
    // A batch after the first starts at (and reads again) the last leaf read.
    const size = Math.min(batch, budget - read) + (last === undefined ? 0 : 1);
    const leaves = state.list(root, size, from, reverse);
    for (const leaf of leaves) {
      if (leaf[0] === last) continue;
      read++;
      const itemKey = grouped.keyOf(leaf[0]);
      // Leaves before the key's item (after it in reverse; the seek bound is at or before it): skipped.
      if (itemKey === undefined || (key !== undefined && (reverse ? -1 : 1) * comparePathKeys(itemKey, key) < 0)) continue;
      grouped.add(leaf, itemKey);
    }
    if (leaves.length < size) {
      exhausted = true;
      judgeUpTo(grouped.items.length);
      break;
    }
    // The last item may go on in the next batch.
    judgeUpTo(grouped.items.length - 1);
    last = leaves[leaves.length - 1]![0];
    from = last;
    // Next, about the leaves the missing items take at the rate so far (twice as many while none was accepted).
    const estimate = accepted.length === 0 ? 2 * read : Math.ceil(((want - accepted.length) * read) / accepted.length) + 1;
    batch = Math.max(2, estimate);
  }
  if (accepted.length >= want || exhausted) return pageOf(accepted.slice(0, window.limit), accepted[window.limit]?.key);
  // The budget spent before the page was whole: what was read whole, then the item being read.
  const reading = grouped.items[grouped.items.length - 1];
  if (judged > 0 || reading === undefined) return pageOf(accepted, reading?.key);
  // One item of `scan` leaves or more: served cut (its first `scan` leaves; its last in reverse).
  return pageOf(accept(whole(reading)) ? [reading] : [], nextItemKey(state, root, reading.key, grouped, reverse));
}

function pageOf(items: ListedItem[], nextKey: string | undefined): Page<ListedItem> {
  return { items, pagination: { nextKey: nextKey === undefined ? EMPTY : encoder.encode(nextKey), total: 0n } };
}

/**
 * The key of the first item after the item `key` (after every path under it), or undefined; in
 * reverse, of the last item before it.
 */
function nextItemKey(state: ReadableState, root: string, key: string, grouped: ItemGrouper, reverse: boolean): string | undefined {
  if (reverse) {
    // The item's own leaf (if any), then the leaves before it, back: its previous item's, or above depth.
    for (const [path] of state.list(root, 16, `${root === '/' ? '' : root}/${key}`, true)) {
      const previous = grouped.keyOf(path);
      if (previous !== undefined && previous !== key) return previous;
    }
    return undefined;
  }
  // The smallest label after a label `l` and the labels under it is `l` followed by a space (U+0020,
  // the first character a label may hold); over the longest label, no bound: stop.
  const bound = `${root === '/' ? '' : root}/${key} `;
  if (key.length - key.lastIndexOf('/') > MAX_LABEL_LENGTH) return undefined;
  for (const [path] of state.list(root, 16, bound)) {
    const next = grouped.keyOf(path);
    if (next !== undefined && next !== key) return next;
  }
  return undefined;
}

/** The longest label the state tree takes (tree/README.md "Paths"). */
const MAX_LABEL_LENGTH = 150;

/**
 * A path that the state tree takes and that is at or before every leaf of the items at or after
 * `key` (an item's leaves are at or under `root/key`): `root/key` itself when that is a path, else the
 * part of `key` that is (a key is a client's bytes: `c\u0000` is the item after `c`, and any
 * string is at or after its prefixes), cut to `depth` labels. Undefined: from the start.
 */
function seekBound(root: string, key: string, depth: number): string | undefined {
  const labels: string[] = [];
  for (const label of key.split('/').slice(0, depth)) {
    const valid = validPrefix(label);
    // An empty label (`a//b`) sorts before every label: the labels before it are the bound.
    if (valid.length === 0) break;
    labels.push(valid);
    if (valid.length < label.length) break;
  }
  if (labels.length === 0) return undefined;
  return `${root === '/' ? '' : root}/${labels.join('/')}`;
}

/**
 * A path at or after every leaf of the items at or before `key` (a reverse page lists back from it):
 * for an item's key (its labels valid, `depth` of them), the first path after that item's leaves, so
 * the page reads at most one leaf it skips; for a key of fewer labels, its path (the items before
 * it); for an empty label (`a//b`), the path of the labels before it. For a label the state tree
 * does not take (a client's bytes), the end of its parent's leaves: a looser bound, the items after
 * the key read and skipped. Undefined: from the end.
 */
function reverseSeekBound(root: string, key: string, depth: number): string | undefined {
  const base = root === '/' ? '' : root;
  const labels = key.split('/').slice(0, depth);
  const valid: string[] = [];
  for (const label of labels) {
    if (label.length === 0) return valid.length === 0 ? root : `${base}/${valid.join('/')}`;
    if (validPrefix(label) !== label) return afterLeaves(base, valid);
    valid.push(label);
  }
  return valid.length < depth ? `${base}/${valid.join('/')}` : afterLeaves(base, valid);
}

/**
 * A path after `base/labels` and every path under it and before what follows them: the last label
 * and a space (the first character a label may hold); a label of the longest length cannot take
 * one, so its parent's bound then. Undefined: the end.
 */
function afterLeaves(base: string, labels: readonly string[]): string | undefined {
  for (let n = labels.length; n > 0; n--) {
    if (labels[n - 1]!.length < MAX_LABEL_LENGTH) return `${base}/${[...labels.slice(0, n - 1), `${labels[n - 1]} `].join('/')}`;
  }
  return undefined;
}

/** The longest prefix of `label` that is a label of the state tree (empty when none). */
function validPrefix(label: string): string {
  const n = Math.min(label.length, MAX_LABEL_LENGTH);
  let i = 0;
  while (i < n) {
    const c = label.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2f) break;
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = label.charCodeAt(i + 1);
      // A surrogate pair, whole and within the longest label; a lone surrogate ends the label.
      if (c >= 0xdc00 || !(low >= 0xdc00 && low <= 0xdfff) || i + 2 > n) break;
      i += 2;
      continue;
    }
    i++;
  }
  return label.slice(0, i);
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
