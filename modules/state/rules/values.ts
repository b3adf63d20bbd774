/**
 * Run-time values of the rule language and the only code that reads host objects.
 *
 * A value is null, a boolean, a string, a {@link Decimal}, a {@link ListValue} (an array) or a
 * {@link RecordValue} (a JSON object or a Map). Containers wrap the host's JSON without copying it, and
 * every read goes through {@link member}: an object yields only its own enumerable data properties,
 * an array only its own elements at integer indexes, and strings, numbers and booleans have no
 * members at all. So `constructor`, `__proto__`, `prototype`, `toString`, `valueOf` and
 * `hasOwnProperty` are plain keys that are missing unless the JSON really holds them; no
 * JavaScript function, prototype or host object is ever reachable, and nothing is ever written.
 */
import { Decimal } from './decimal.ts';
import { RuleRuntimeError } from './runtimeError.ts';
import { T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_STRING, type TypeMask } from './types.ts';

// Intrinsics captured once, so later changes to the globals cannot redirect them.
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf;
const objectKeys = Object.keys;
const isArray = Array.isArray;
const OBJECT_PROTOTYPE: unknown = Object.prototype;
const MapClass = Map;

/** Longest string a rule may build (`+`, `toString`, `concatPath`), in UTF-16 code units. */
export const MAX_STRING_LENGTH = 65536;
/** Deepest host value a rule may compare or print. */
export const MAX_VALUE_DEPTH = 256;

/** An array (a host array, or one the interpreter built: `path`, `keys(...)`). */
export class ListValue {
  constructor(readonly items: readonly unknown[]) {}

  get length(): number {
    return this.items.length;
  }

  /** The element at `index`, or undefined when `index` is not an own element. */
  at(index: number): unknown {
    const d = getOwnPropertyDescriptor(this.items, index);
    return d !== undefined && 'value' in d ? d.value : undefined;
  }
}

/** An object: a plain JSON object (any prototype is ignored) or a Map with string keys. */
export class RecordValue {
  constructor(readonly target: object) {}

  /** The own value under `key`, or undefined. */
  get(key: string): unknown {
    if (this.target instanceof MapClass) return this.target.has(key) ? (this.target.get(key) as unknown) : undefined;
    const d = getOwnPropertyDescriptor(this.target, key);
    return d !== undefined && d.enumerable === true && 'value' in d ? d.value : undefined;
  }

  /** The own keys, sorted by UTF-16 code unit. */
  keys(): string[] {
    if (this.target instanceof MapClass) return [...this.target.keys()].filter((k): k is string => typeof k === 'string').sort();
    return objectKeys(this.target).sort();
  }
}

export type Value = null | boolean | string | Decimal | ListValue | RecordValue;

/**
 * The rule value of a host JSON value: numbers become exact decimals, containers are wrapped.
 * @throws RuleRuntimeError for what is not JSON (functions, symbols, class instances, NaN)
 */
export function fromHost(x: unknown): Value {
  switch (typeof x) {
    case 'undefined':
      return null;
    case 'boolean':
    case 'string':
      return x;
    case 'number':
      return Decimal.fromNumber(x);
    case 'bigint':
      return Decimal.of(x, 0);
    case 'object': {
      if (x === null) return null;
      if (x instanceof Decimal || x instanceof ListValue || x instanceof RecordValue) return x;
      if (isArray(x)) return new ListValue(x);
      if (x instanceof MapClass) return new RecordValue(x);
      const proto: unknown = getPrototypeOf(x);
      if (proto === OBJECT_PROTOTYPE || proto === null) return new RecordValue(x);
      throw new RuleRuntimeError('a host value is an object that is not JSON');
    }
    default:
      throw new RuleRuntimeError(`a host value of type ${typeof x} is not JSON`);
  }
}

/** The static type bit of a value. */
export function typeOf(v: Value): TypeMask {
  if (v === null) return T_NULL;
  if (typeof v === 'boolean') return T_BOOLEAN;
  if (typeof v === 'string') return T_STRING;
  if (v instanceof Decimal) return T_NUMBER;
  if (v instanceof ListValue) return T_ARRAY;
  return T_OBJECT;
}

/** `'null'`, `'boolean'`, `'number'`, `'string'`, `'array'`, `'object'`. */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof Decimal) return 'number';
  if (v instanceof ListValue) return 'array';
  return 'object';
}

/**
 * `base[key]`. Objects look up own keys (a number key is its canonical decimal string), arrays look
 * up integer indexes; any other key, and any key of a string, number or boolean, is missing (null).
 * @throws RuleRuntimeError for a member of null, or a key that is not a string or a number
 */
export function member(base: Value, key: Value): Value {
  if (base === null) throw new RuleRuntimeError(`cannot read ${renderKey(key)} of null`);
  if (typeof key !== 'string' && !(key instanceof Decimal)) {
    throw new RuleRuntimeError(`a key must be a string or a number, not ${typeName(key)}`);
  }
  if (base instanceof RecordValue) return fromHost(base.get(typeof key === 'string' ? key : key.toString()));
  if (base instanceof ListValue) {
    if (!(key instanceof Decimal)) return null;
    const index = key.toSafeInteger();
    return index === undefined || index < 0 || index >= base.length ? null : fromHost(base.at(index));
  }
  return null;
}

function renderKey(key: Value): string {
  return typeof key === 'string' ? `'${key.length > 40 ? `${key.slice(0, 37)}...` : key}'` : render(key);
}

/**
 * Structural equality with no coercion: 1 == '1' is false; arrays and objects are equal when their
 * elements, or keys and values, are. `charge` is called once per pair of values compared.
 */
export function equals(a: Value, b: Value, charge: (amount: number) => void, depth = 0): boolean {
  charge(1);
  if (depth > MAX_VALUE_DEPTH) throw new RuleRuntimeError(`values nested deeper than ${MAX_VALUE_DEPTH}`);
  if (a === null || typeof a === 'boolean' || typeof a === 'string') return a === b;
  if (a instanceof Decimal) return b instanceof Decimal && a.equals(b);
  if (a instanceof ListValue) {
    if (!(b instanceof ListValue) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!equals(fromHost(a.at(i)), fromHost(b.at(i)), charge, depth + 1)) return false;
    }
    return true;
  }
  if (!(b instanceof RecordValue)) return false;
  const ka = a.keys();
  const kb = b.keys();
  charge(Math.ceil((ka.length + kb.length) / 16));
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  for (const k of ka) if (!equals(fromHost(a.get(k)), fromHost(b.get(k)), charge, depth + 1)) return false;
  return true;
}

/**
 * Canonical JSON of a value: object keys sorted by code unit, numbers in plain decimal notation.
 * `charge` is called once per value written.
 * @throws RuleRuntimeError past MAX_STRING_LENGTH
 */
export function toJson(v: Value, charge: (amount: number) => void, depth = 0): string {
  charge(1);
  if (depth > MAX_VALUE_DEPTH) throw new RuleRuntimeError(`value nested deeper than ${MAX_VALUE_DEPTH}`);
  let out: string;
  if (v === null) out = 'null';
  else if (typeof v === 'boolean') out = v ? 'true' : 'false';
  else if (typeof v === 'string') out = JSON.stringify(v);
  else if (v instanceof Decimal) out = v.toString();
  else if (v instanceof ListValue) {
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; i < v.length; i++) {
      const part = toJson(fromHost(v.at(i)), charge, depth + 1);
      length += part.length + 1;
      if (length > MAX_STRING_LENGTH) throw tooLong();
      parts.push(part);
    }
    out = `[${parts.join(',')}]`;
  } else {
    const parts: string[] = [];
    let length = 0;
    for (const k of v.keys()) {
      const part = `${JSON.stringify(k)}:${toJson(fromHost(v.get(k)), charge, depth + 1)}`;
      length += part.length + 1;
      if (length > MAX_STRING_LENGTH) throw tooLong();
      parts.push(part);
    }
    out = `{${parts.join(',')}}`;
  }
  if (out.length > MAX_STRING_LENGTH) throw tooLong();
  return out;
}

function tooLong(): RuleRuntimeError {
  return new RuleRuntimeError(`string longer than ${MAX_STRING_LENGTH} characters`);
}

/** A short description of a value for reasons: `'ain1...'`, `12.5`, `null`, `array(3)`, `object(2 keys)`. */
export function render(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v instanceof Decimal) {
    const s = v.toString();
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  }
  if (v instanceof ListValue) return `array(${v.length})`;
  const n = v.keys().length;
  return `object(${n} key${n === 1 ? '' : 's'})`;
}
