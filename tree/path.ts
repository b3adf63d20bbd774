/**
 * Paths of the state tree and their lmdb keys.
 *
 * A path is a list of labels written `/l1/l2/.../ln`; `/` is the root (no labels). A label is a
 * non-empty string of at most {@link MAX_LABEL_LENGTH} UTF-16 code units with no `/`, no control
 * character (U+0000-U+001F, U+007F-U+009F) and no lone surrogate. At most {@link MAX_PATH_DEPTH}
 * labels, and the encoded key at most {@link MAX_PATH_KEY_BYTES} bytes (lmdb-js keys stop at 1978).
 * Input may omit the leading `/` and carry one trailing `/`; the canonical form has neither quirk.
 *
 * Key encoding: each label's UTF-16 code units, each written as UTF-8 would write that code unit
 * (CESU-8: BMP characters are plain UTF-8, a surrogate pair becomes two 3-byte sequences), followed
 * by a 0x00 terminator. Labels never contain NUL, so:
 *  - the encoding is injective: `a` (61 00) and `0x61` (30 78 36 31 00) differ, and `/a/b`
 *    (61 00 62 00) cannot be forged by a label `a\0b` because NUL is refused;
 *  - the keys of all paths at or under `/x/y` are exactly those starting with `78 00 79 00`, one
 *    contiguous range that excludes `/x/yz` (`78 00 79 7a 00`);
 *  - byte order of keys equals path order: labels compared one by one by UTF-16 code unit, a path
 *    before its descendants (CESU-8 preserves code-unit order, which plain UTF-8 does not).
 */
import { ainError } from '../core/index.ts';
import { ErrInvalidLabel, ErrInvalidLimit, ErrInvalidPath, ErrLabelTooLong, ErrPathTooDeep, ErrPathTooLong } from './errors.ts';

/** Most labels in a path. */
export const MAX_PATH_DEPTH = 30;
/** Most UTF-16 code units in one label. */
export const MAX_LABEL_LENGTH = 150;
/** Most bytes in a path's encoded key (labels in CESU-8 plus one terminator each). */
export const MAX_PATH_KEY_BYTES = 1900;

/** The root path. */
export const ROOT_PATH = '/';

const SLASH = 0x2f;

function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}...` : path;
}

/**
 * Validates `path` and returns its canonical form (leading `/`, no trailing `/`; the root is `/`).
 * Returns the argument itself when it is already canonical, so the hot path allocates nothing.
 * @throws AinError `store` 1-5 (ErrInvalidPath, ErrInvalidLabel, ErrLabelTooLong, ErrPathTooDeep, ErrPathTooLong)
 * @example normalizePath('accounts/ain1xyz/') // '/accounts/ain1xyz'
 */
export function normalizePath(path: string): string {
  if (typeof path !== 'string') throw ainError(ErrInvalidPath, 'path must be a string', { path: String(path) });
  const n = path.length;
  // A path equal to one kept by `keepCanonicalPath` is canonical: one comparison instead of the scan.
  if (n >= CACHED_PATH_MIN_LENGTH && canonicalKept[canonicalSlot(path, n)] === path) return path;
  return checkPath(path, n);
}

/**
 * `normalizePath(path)`, kept so that checking an equal string later costs one comparison, for a
 * path its caller builds once and uses many times: the keepers keep their accounts' paths, which a
 * send reads and writes some 18 times in each of CheckTx, recheck and FinalizeBlock. The scan took
 * 200 ns of the 275 a call on a fresh 62-character path cost (bench/README.md). `normalizePath` keeps
 * nothing itself: keeping every path checked once (random reads of a large store) cost 10% of them.
 * An invalid path (a keeper's path built from a bad address) comes back as it is and is kept nowhere,
 * so the read or write that uses it fails with normalizePath's error, as it would have.
 */
export function keepCanonicalPath(path: string): string {
  let canonical: string;
  try {
    canonical = normalizePath(path);
  } catch {
    return path;
  }
  const n = canonical.length;
  if (n >= CACHED_PATH_MIN_LENGTH) canonicalKept[canonicalSlot(canonical, n)] = canonical;
  return canonical;
}

/**
 * The paths `keepCanonicalPath` kept, in a slot chosen by a few of their characters (a later one
 * takes the slot). A slot holds only a canonical path, so a hit returns what the scan would.
 */
const CANONICAL_SLOTS = 16_384;
const canonicalKept: Array<string | undefined> = new Array<string | undefined>(CANONICAL_SLOTS).fill(undefined);
/** Shorter paths are always scanned: the slot reads a character 5 before the middle. */
const CACHED_PATH_MIN_LENGTH = 12;

/** The slot of a path of `n` (at least 12) code units: from its length, three characters around its middle and its last. */
function canonicalSlot(path: string, n: number): number {
  const middle = n >> 1;
  return (
    (n * 31 +
      path.charCodeAt(middle) * 1021 +
      path.charCodeAt(middle + 3) * 37 +
      path.charCodeAt(middle - 5) * 3 +
      path.charCodeAt(n - 1)) &
    (CANONICAL_SLOTS - 1)
  );
}

/** `normalizePath` without the cache: validates every label. */
function checkPath(path: string, n: number): string {
  if (n === 0) throw ainError(ErrInvalidPath, 'empty path', { path });
  const start = path.charCodeAt(0) === SLASH ? 1 : 0;
  let end = n;
  if (end - 1 > start && path.charCodeAt(end - 1) === SLASH) end--;
  if (start === end) return ROOT_PATH;
  // Cheap upper bound before scanning: every code unit costs at least one key byte.
  if (end - start + 1 > MAX_PATH_KEY_BYTES) {
    throw ainError(ErrPathTooLong, `path of ${end - start} code units`, { path: shown(path), max: MAX_PATH_KEY_BYTES });
  }
  let depth = 0;
  let bytes = 0;
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    const c = i === end ? SLASH : path.charCodeAt(i);
    if (c === SLASH) {
      const length = i - labelStart;
      if (length === 0) throw ainError(ErrInvalidPath, `empty label at depth ${depth + 1}`, { path: shown(path), depth: depth + 1 });
      if (length > MAX_LABEL_LENGTH) {
        throw ainError(ErrLabelTooLong, `label of ${length} code units at depth ${depth + 1}, at most ${MAX_LABEL_LENGTH}`, {
          path: shown(path),
          depth: depth + 1,
          length,
          max: MAX_LABEL_LENGTH,
        });
      }
      depth++;
      if (depth > MAX_PATH_DEPTH) {
        throw ainError(ErrPathTooDeep, `more than ${MAX_PATH_DEPTH} labels`, { path: shown(path), max: MAX_PATH_DEPTH });
      }
      bytes += 1;
      labelStart = i + 1;
      continue;
    }
    if (c < 0x80) {
      if (c < 0x20 || c === 0x7f) throw badChar(path, i, c, depth);
      bytes += 1;
    } else if (c < 0x800) {
      if (c <= 0x9f) throw badChar(path, i, c, depth);
      bytes += 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < end ? path.charCodeAt(i + 1) : 0;
        if (c >= 0xdc00 || next < 0xdc00 || next > 0xdfff) throw badChar(path, i, c, depth);
        i++;
        bytes += 6;
        continue;
      }
      bytes += 3;
    }
  }
  if (bytes > MAX_PATH_KEY_BYTES) {
    throw ainError(ErrPathTooLong, `encoded key of ${bytes} bytes, at most ${MAX_PATH_KEY_BYTES}`, {
      path: shown(path),
      bytes,
      max: MAX_PATH_KEY_BYTES,
    });
  }
  return start === 1 && end === n ? path : `/${path.slice(start, end)}`;
}

function badChar(path: string, index: number, code: number, depth: number) {
  const hex = code.toString(16).padStart(4, '0');
  return ainError(ErrInvalidLabel, `forbidden character U+${hex} in label ${depth + 1}`, {
    path: shown(path),
    index,
    char: `U+${hex}`,
  });
}

/**
 * The labels of a path.
 * @example parsePath('/accounts/ain1xyz/balances/uain') // ['accounts', 'ain1xyz', 'balances', 'uain']
 */
export function parsePath(path: string): string[] {
  const canonical = normalizePath(path);
  return canonical === ROOT_PATH ? [] : canonical.slice(1).split('/');
}

/**
 * The canonical path of `labels` appended to `base` (default the root); each label is validated.
 * @example joinPath('/accounts', 'ain1xyz', 'sequence') // '/accounts/ain1xyz/sequence'
 */
export function joinPath(base: string, ...labels: readonly string[]): string {
  const head = normalizePath(base);
  for (const label of labels) {
    if (label.length === 0 || label.includes('/')) {
      throw ainError(ErrInvalidPath, `label ${JSON.stringify(shown(label))} is empty or contains '/'`, { label: shown(label) });
    }
  }
  if (labels.length === 0) return head;
  return normalizePath(head === ROOT_PATH ? `/${labels.join('/')}` : `${head}/${labels.join('/')}`);
}

/** Number of labels in a canonical path (0 for the root). */
export function pathDepth(canonicalPath: string): number {
  if (canonicalPath === ROOT_PATH) return 0;
  let depth = 0;
  for (let i = 0; i < canonicalPath.length; i++) if (canonicalPath.charCodeAt(i) === SLASH) depth++;
  return depth;
}

/**
 * Order of canonical paths: labels compared one by one by UTF-16 code unit, a path before its
 * descendants. Equals the byte order of {@link encodePathKey}, so it matches lmdb's order.
 */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca === SLASH) return -1;
    if (cb === SLASH) return 1;
    return ca - cb;
  }
  return a.length - b.length;
}

/** True when canonical `path` is `prefix` or a descendant of it (`/a/b` is under `/a`, `/ab` is not). */
export function isAtOrUnder(path: string, prefix: string): boolean {
  if (prefix === ROOT_PATH) return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === SLASH;
}

/**
 * The lmdb key of a canonical path (see the module comment); the root's key is empty. Callers pass a
 * path returned by {@link normalizePath}.
 * @example encodePathKey('/a/b') // Uint8Array [0x61, 0x00, 0x62, 0x00]
 */
export function encodePathKey(canonicalPath: string): Uint8Array {
  if (canonicalPath === ROOT_PATH) return new Uint8Array(0);
  const n = canonicalPath.length;
  let size = 0;
  for (let i = 1; i < n; i++) {
    const c = canonicalPath.charCodeAt(i);
    size += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  const out = new Uint8Array(size + 1);
  let o = 0;
  for (let i = 1; i < n; i++) {
    const c = canonicalPath.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c === SLASH ? 0 : c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >>> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xe0 | (c >>> 12);
      out[o++] = 0x80 | ((c >>> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  out[o] = 0;
  return out;
}

/**
 * The canonical path of an lmdb key made by {@link encodePathKey}, and only of such a key: one pass
 * checks what `checkPath` checks of a path (labels, characters, limits) and that each character is
 * written the one way encodePathKey writes it (shortest form, a supplementary character as a surrogate
 * pair of 3-byte sequences), so any other bytes are refused rather than read as a path whose key
 * differs (`61 2f 62 00` or the overlong `61 c0 af 62 00` would otherwise read as `/a/b`).
 * @throws AinError ErrInvalidPath (store/1) when the bytes are not such a key
 */
export function decodePathKey(key: Uint8Array): string {
  const n = key.length;
  if (n === 0) return ROOT_PATH;
  if (n > MAX_PATH_KEY_BYTES) throw badKey(key, n, `${n} bytes, at most ${MAX_PATH_KEY_BYTES}`);
  if (key[n - 1] !== 0) throw badKey(key, n - 1, 'no 0x00 terminator at the end');
  const units: number[] = [SLASH];
  let labelStart = 1;
  let depth = 0;
  for (let i = 0; i < n; ) {
    const b = key[i]!;
    if (b === 0) {
      const length = units.length - labelStart;
      if (length === 0) throw badKey(key, i, `empty label ${depth + 1} at byte ${i}`);
      if (length > MAX_LABEL_LENGTH) throw badKey(key, i, `label ${depth + 1} of ${length} code units, at most ${MAX_LABEL_LENGTH}`);
      if (++depth > MAX_PATH_DEPTH) throw badKey(key, i, `more than ${MAX_PATH_DEPTH} labels`);
      units.push(SLASH);
      labelStart = units.length;
      i += 1;
    } else if (b < 0x80) {
      if (b < 0x20 || b === 0x7f || b === SLASH) throw badKeyChar(key, i, b);
      units.push(b);
      i += 1;
    } else if (b >= 0xc2 && b < 0xe0) {
      // C0 and C1 would be overlong (a code unit below 0x80); the terminator is no continuation byte.
      const b1 = key[i + 1]!;
      if ((b1 & 0xc0) !== 0x80) throw badKey(key, i, `byte 0x${hex2(b)} at byte ${i} not followed by a continuation byte`);
      const c = ((b & 0x1f) << 6) | (b1 & 0x3f);
      if (c <= 0x9f) throw badKeyChar(key, i, c);
      units.push(c);
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0) {
      const b1 = key[i + 1]!;
      // Read on only past a continuation byte: the terminator stops a cut sequence inside the key.
      const b2 = (b1 & 0xc0) === 0x80 ? key[i + 2]! : 0;
      if ((b2 & 0xc0) !== 0x80) {
        throw badKey(key, i, `byte 0x${hex2(b)} at byte ${i} not followed by two continuation bytes`);
      }
      const c = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (c < 0x800) throw badKey(key, i, `overlong sequence at byte ${i}`);
      if (c >= 0xd800 && c <= 0xdfff) {
        // A high surrogate must be followed by the 3-byte sequence of a low one (ED B0-BF 80-BF).
        const low = key[i + 3] === 0xed && (key[i + 4]! & 0xf0) === 0xb0 && (key[i + 5]! & 0xc0) === 0x80;
        if (c >= 0xdc00 || !low) throw badKey(key, i, `lone surrogate U+${hex4(c)} at byte ${i}`);
        units.push(c, 0xdc00 | ((key[i + 4]! & 0x0f) << 6) | (key[i + 5]! & 0x3f));
        i += 6;
        continue;
      }
      units.push(c);
      i += 3;
    } else {
      // 80-BF continue a sequence, C0-C1 start overlong ones, F0-FF start 4-byte ones (CESU-8 has none).
      throw badKey(key, i, `byte 0x${hex2(b)} at byte ${i} starts no CESU-8 sequence`);
    }
  }
  units.length--; // the terminator of the last label
  return String.fromCharCode.apply(null, units);
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}

function badKeyChar(key: Uint8Array, offset: number, code: number) {
  return badKey(key, offset, `forbidden character U+${hex4(code)} at byte ${offset}`);
}

/** ErrInvalidPath for bytes that are no path key; `key` shows the first 100 bytes in hex. */
function badKey(key: Uint8Array, offset: number, why: string) {
  const shownKey = Buffer.from(key.buffer, key.byteOffset, Math.min(key.length, 100)).toString('hex');
  return ainError(ErrInvalidPath, `not a canonical path key: ${why}`, {
    key: key.length > 100 ? `${shownKey}...` : shownKey,
    offset,
  });
}

/**
 * The lmdb key range holding `canonicalPath` and every path under it: `start` inclusive, `end`
 * exclusive; both undefined for the root (the whole key space). With `canonicalFrom`, the part of it
 * at or after that path (key order is path order): a list that seeks instead of skipping; with
 * `reverse`, the part at or before it (a reverse list reads it backwards: lmdb's `reverseKeys`).
 */
export function pathKeyRange(canonicalPath: string, canonicalFrom?: string, reverse = false): { start?: Uint8Array; end?: Uint8Array } {
  const range: { start?: Uint8Array; end?: Uint8Array } = {};
  if (canonicalPath !== ROOT_PATH) {
    const start = encodePathKey(canonicalPath);
    const end = start.slice();
    end[end.length - 1] = 1;
    range.start = start;
    range.end = end;
  }
  if (canonicalFrom === undefined) return range;
  if (reverse) {
    if (comparePaths(canonicalFrom, canonicalPath) < 0) range.end = range.start ?? new Uint8Array();
    else if (isAtOrUnder(canonicalFrom, canonicalPath)) range.end = keyAfter(canonicalFrom);
    return range;
  }
  if (comparePaths(canonicalFrom, canonicalPath) > 0) {
    // Past the whole subtree: the empty range [end, end).
    const start = isAtOrUnder(canonicalFrom, canonicalPath) ? encodePathKey(canonicalFrom) : range.end;
    if (start !== undefined) range.start = start;
  }
  return range;
}

/**
 * The smallest key after the path key of `canonicalPath`: that key and one more zero byte (an empty
 * label, which no path has), before every path under it (a label's first byte is 0x20 or more).
 */
function keyAfter(canonicalPath: string): Uint8Array {
  const key = encodePathKey(canonicalPath);
  const after = new Uint8Array(key.length + 1);
  after.set(key);
  return after;
}

/**
 * Checks a `list` limit: a non-negative integer, or Infinity for no limit.
 * @throws AinError ErrInvalidLimit (store/13)
 */
export function checkListLimit(limit: number): void {
  if (typeof limit !== 'number' || !(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) {
    throw ainError(ErrInvalidLimit, `limit ${String(limit)}`, { limit: String(limit) });
  }
}
