/**
 * The JSON view of the state tree: turning a JSON value into leaves (with the module's bounds), reading
 * leaves back as JSON, and canonical JSON text (keys sorted by UTF-16 code unit, whatever JavaScript's
 * own key order would be).
 */
import { type AinError, ainError, type ErrorDefinition, type JsonValue, utf8Length } from '../../core/index.ts';
import { comparePaths, MAX_PATH_DEPTH, normalizePath, ROOT_PATH, checkValue } from '../../tree/index.ts';
import type { ReadableState, StateValue } from '../../core/index.ts';
import { ErrInvalidValue, ErrTooManyLeaves, ErrValueTooLarge } from './errors.ts';

/** Largest JSON text of a value or config, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 16 * 1024;
/** Most leaves one written value may hold. */
export const MAX_VALUE_LEAVES = 1000;
/** Most leaves one read may assemble (query answers, a rule's `data`/`newData`, leaves replaced by a write). */
export const MAX_READ_LEAVES = 10_000;

/**
 * Parses JSON text of at most {@link MAX_VALUE_BYTES}.
 * @throws AinError state/2 when too large, `invalid` (default state/1) naming `field` when not JSON
 */
export function parseJsonText(text: string, field: string, invalid: ErrorDefinition = ErrInvalidValue): unknown {
  if (typeof text !== 'string') throw ainError(invalid, `${field} must be JSON text`);
  const bytes = utf8Length(text);
  if (bytes > MAX_VALUE_BYTES)
    throw ainError(ErrValueTooLarge, `${field} is ${bytes} bytes of JSON; at most ${MAX_VALUE_BYTES}`, { field, bytes });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw ainError(invalid, `${field} is not JSON (${(cause as Error).message})`, { field });
  }
}

/** Checks that `key` of a JSON object can be a value label: non-empty, no `/`, not starting with `$`, a valid store label. */
function checkKey(key: string, where: string, field: string): void {
  if (key.length === 0) throw ainError(ErrInvalidValue, `${field}: an empty key at ${where}; labels are non-empty`, { field });
  if (key.includes('/')) throw ainError(ErrInvalidValue, `${field}: key ${JSON.stringify(key)} at ${where} contains '/'`, { field });
  if (key.startsWith('$'))
    throw ainError(
      ErrInvalidValue,
      `${field}: key ${JSON.stringify(key)} at ${where} starts with '$', which only rule and function patterns may use`,
      { field },
    );
  try {
    normalizePath(`/${key}`);
  } catch (cause) {
    throw ainError(
      ErrInvalidValue,
      `${field}: key ${JSON.stringify(key.slice(0, 160))} at ${where} is not a valid label (${(cause as AinError).message})`,
      { field },
    );
  }
}

/**
 * Turns a JSON value to be written at canonical `base` into leaves, checking it on the way: a
 * primitive (string, finite number, boolean) is one leaf at `base`; an object writes each key as a
 * child, recursively. Refused: arrays, empty objects, null inside an object, more than
 * {@link MAX_VALUE_LEAVES} leaves, a leaf deeper than {@link MAX_PATH_DEPTH} labels. `null` at the top
 * (a delete) gives no leaves. Leaves come in path order.
 * @throws AinError state/1 (invalid value) or state/2 (too large), naming `field`
 */
export function valueToLeaves(base: string, value: unknown, field = 'value'): Array<[string, StateValue]> {
  const baseDepth = base === ROOT_PATH ? 0 : base.split('/').length - 1;
  const leaves: Array<[string, StateValue]> = [];
  const visit = (path: string, depth: number, node: unknown): void => {
    if (node === null)
      throw ainError(ErrInvalidValue, `${field}: null at ${path}; null is allowed only as the whole value (a delete)`, { field, path });
    if (Array.isArray(node)) {
      throw ainError(
        ErrInvalidValue,
        `${field}: an array at ${path}; arrays are not stored (write an object keyed by index, e.g. {"0": ...})`,
        { field, path },
      );
    }
    if (typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length === 0)
        throw ainError(ErrInvalidValue, `${field}: an empty object at ${path}; empty objects are not stored`, { field, path });
      if (depth + 1 > MAX_PATH_DEPTH) {
        throw ainError(ErrValueTooLarge, `${field} nests below ${path}, past ${MAX_PATH_DEPTH} labels in all`, {
          field,
          path,
          max: MAX_PATH_DEPTH,
        });
      }
      for (const key of keys) {
        checkKey(key, path, field);
        visit(path === ROOT_PATH ? `/${key}` : `${path}/${key}`, depth + 1, (node as Record<string, unknown>)[key]);
      }
      return;
    }
    if (typeof node === 'number' && !Number.isFinite(node))
      throw ainError(ErrInvalidValue, `${field}: number at ${path} is not finite`, { field, path });
    if (typeof node !== 'string' && typeof node !== 'number' && typeof node !== 'boolean') {
      throw ainError(ErrInvalidValue, `${field}: a ${typeof node} at ${path} is not JSON`, { field, path });
    }
    if (leaves.length >= MAX_VALUE_LEAVES) {
      throw ainError(ErrValueTooLarge, `${field} has more than ${MAX_VALUE_LEAVES} leaves`, { field, max: MAX_VALUE_LEAVES });
    }
    let leaf: StateValue;
    try {
      leaf = checkValue(node);
      normalizePath(path);
    } catch (cause) {
      throw ainError(ErrInvalidValue, `${field}: at ${path}: ${(cause as AinError).message}`, { field, path });
    }
    leaves.push([path, leaf]);
  };
  if (value !== null) visit(base, baseDepth, value);
  return leaves.sort(([a], [b]) => comparePaths(a, b));
}

/** An object with no prototype, so any label (`__proto__`, `constructor`) is an ordinary own key. */
function record(): Record<string, JsonValue> {
  return Object.create(null) as Record<string, JsonValue>;
}

/**
 * The JSON view of `path`: the leaf there if any, else the leaves under it assembled into an object,
 * else null. A leaf at an interior node hides what is under it (the store allows both; the JSON view
 * shows the primitive, as reading that node would). With `depth` n > 0, objects n levels down are
 * shown as `true` (depth 1 = shallow: the children, objects as `true`).
 * @throws AinError state/16 when more than `maxLeaves` leaves are at or under `path`
 */
export function readJson(state: ReadableState, path: string, maxLeaves = MAX_READ_LEAVES, depth = 0): JsonValue {
  const leaf = state.get(path);
  if (leaf !== undefined) return leaf;
  const entries = state.list(path, maxLeaves + 1);
  if (entries.length > maxLeaves) {
    throw ainError(ErrTooManyLeaves, `${path} holds more than ${maxLeaves} leaves; read a deeper path`, { path, max: maxLeaves });
  }
  if (entries.length === 0) return null;
  const root = record();
  const skip = path === ROOT_PATH ? 1 : path.length + 1;
  for (const [leafPath, value] of entries) {
    const rel = leafPath.slice(skip).split('/');
    const shown = depth > 0 && rel.length > depth ? depth : rel.length;
    let node = root;
    let hidden = false;
    for (let i = 0; i < shown - 1; i++) {
      const label = rel[i]!;
      const child = node[label];
      if (child === undefined) {
        const fresh = record();
        node[label] = fresh;
        node = fresh;
      } else if (typeof child === 'object' && child !== null) {
        node = child as Record<string, JsonValue>;
      } else {
        hidden = true;
        break;
      }
    }
    if (hidden) continue;
    const last = rel[shown - 1]!;
    if (node[last] === undefined) node[last] = shown < rel.length ? true : value;
  }
  return root;
}
