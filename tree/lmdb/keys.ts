/** The keys of the committed state's lmdb databases: trie record positions, heights, metadata. */

/** 2: with undo records (1: latest state only; opened and upgraded in place, history starting there). */
export const FORMAT_VERSION = 2;
export const META_HEIGHT = Buffer.from('height');
export const META_APP_HASH = Buffer.from('appHash');
export const META_FORMAT = Buffer.from('format');
/** Every block above this height has its undo records (the oldest height history can reach). */
export const META_HISTORY_FLOOR = Buffer.from('historyFloor');
export const APP_META_PREFIX = 'app/';
export const MAX_HEIGHT = (1n << 64n) - 1n;
export const TOP_DEPTH = 3;

/** A trie record's key: 't' + position for the top levels, 'n' + position below. */
export function nodeKey(position: string): Buffer {
  return Buffer.from(position.length <= TOP_DEPTH ? `t${position}` : `n${position}`, 'latin1');
}

/** A height as 8 bytes, big-endian (keys sort by height). */
export function encodeHeight(height: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(height);
  return out;
}

/** The app's metadata as lmdb keys (`app/<key>`) in key order. */
export function sortedMeta(meta: ReadonlyMap<string, string | null> | undefined): Array<[Buffer, string | null]> {
  if (meta === undefined) return [];
  return [...meta]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => [Buffer.from(APP_META_PREFIX + key, 'utf8'), value]);
}
