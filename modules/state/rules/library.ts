/**
 * The fixed library of the rule language. Nothing else can be called: the table below is a Map
 * looked up by the called name, never a property lookup on a JavaScript object. Functions that read
 * state call the injected {@link RuleEnvironment}; the others are pure.
 */
import { AinError, parseAddress } from '../../../core/index.ts';
import { Decimal } from './decimal.ts';
import { RuleHostFailure, RuleRuntimeError } from './runtimeError.ts';
import { type RuleEnvironment, T_ANY, T_ARRAY, T_BOOLEAN, T_NUMBER, T_OBJECT, T_STRING, type TypeMask } from './types.ts';
import { ListValue, MAX_STRING_LENGTH, RecordValue, type Value, equals, fromHost, toJson, typeName } from './values.ts';
import type { JsonValue } from '../../../core/index.ts';

/**
 * Gas prices. Every node evaluated costs `node`; a library call adds `call`, or `stateRead` when it
 * reads state; work proportional to data adds `perItem` per array element, object key, pair of
 * values compared or value printed, and per 16 UTF-16 code units of strings scanned or built; a
 * state read adds `stateReadPerNode` per node (object or leaf) of the value returned.
 */
export const RULE_GAS = {
  node: 1,
  call: 10,
  perItem: 1,
  stateRead: 1000,
  stateReadPerNode: 10,
} as const;

/** What a library function may use while it runs. */
export interface LibraryRuntime {
  readonly env: RuleEnvironment;
  /** Charges gas; throws when the limit is passed. */
  charge(amount: number): void;
}

export interface LibraryFunction {
  readonly name: string;
  /** Accepted types of each fixed parameter. */
  readonly params: readonly TypeMask[];
  /** Accepted type of each further argument, when the function is variadic. */
  readonly rest?: TypeMask;
  /** Fewest arguments (variadic functions only; otherwise exactly `params.length`). */
  readonly minArgs: number;
  readonly result: TypeMask;
  /** Whether the call reads state (charged `stateRead` instead of `call`). */
  readonly readsState: boolean;
  readonly call: (args: readonly Value[], rt: LibraryRuntime) => Value;
}

function stringArg(fn: string, args: readonly Value[], i: number): string {
  const v = args[i] ?? null;
  if (typeof v !== 'string') throw new RuleRuntimeError(`${fn} expects a string as argument ${i + 1}, not ${typeName(v)}`);
  return v;
}

function perChars(n: number): number {
  return Math.ceil(n / 16);
}

/** Calls the environment; an AinError (an invalid path) makes the rule false, anything else is a host failure. */
function ask<T>(fn: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof AinError) throw new RuleRuntimeError(`${fn} failed: ${cause.message}`);
    throw new RuleHostFailure(cause);
  }
}

/** Charges `stateReadPerNode` for every node of a value returned by the environment, without recursion. */
function chargeReturned(value: JsonValue, rt: LibraryRuntime): Value {
  const result = fromHost(value);
  const stack: Value[] = [result];
  while (stack.length > 0) {
    const v = stack.pop() ?? null;
    rt.charge(RULE_GAS.stateReadPerNode);
    if (v instanceof ListValue) for (let i = 0; i < v.length; i++) stack.push(fromHost(v.at(i)));
    else if (v instanceof RecordValue) for (const k of v.keys()) stack.push(fromHost(v.get(k)));
  }
  return result;
}

function stateRead(name: string, read: (env: RuleEnvironment, path: string) => JsonValue): LibraryFunction {
  return {
    name,
    params: [T_STRING],
    minArgs: 1,
    result: T_ANY,
    readsState: true,
    call: (args, rt) => {
      const path = stringArg(name, args, 0);
      return chargeReturned(
        ask(name, () => read(rt.env, path)),
        rt,
      );
    },
  };
}

function predicate(
  name: string,
  params: readonly TypeMask[],
  test: (args: readonly Value[], rt: LibraryRuntime) => boolean,
): LibraryFunction {
  return { name, params, minArgs: params.length, result: T_BOOLEAN, readsState: false, call: (args, rt) => test(args, rt) };
}

function isAddress(v: Value): boolean {
  if (typeof v !== 'string' || v.length !== 42 || !v.startsWith('ain1')) return false;
  try {
    parseAddress(v);
    return true;
  } catch {
    return false;
  }
}

function label(fn: string, v: Value, i: number): string {
  if (typeof v === 'string') return v;
  if (v instanceof Decimal) return v.toString();
  throw new RuleRuntimeError(`${fn} expects strings or numbers, not ${typeName(v)} as argument ${i + 1}`);
}

const FUNCTIONS: readonly LibraryFunction[] = [
  stateRead('getValue', (env, path) => env.getValue(path)),
  stateRead('getRule', (env, path) => env.getRule(path)),
  stateRead('getOwner', (env, path) => env.getOwner(path)),
  stateRead('getFunction', (env, path) => env.getFunction(path)),
  {
    name: 'isAppAdmin',
    params: [T_STRING, T_STRING],
    minArgs: 2,
    result: T_BOOLEAN,
    readsState: true,
    call: (args, rt) => {
      const app = stringArg('isAppAdmin', args, 0);
      const addr = stringArg('isAppAdmin', args, 1);
      return ask('isAppAdmin', () => rt.env.isAppAdmin(app, addr)) === true;
    },
  },
  {
    name: 'isOwner',
    params: [T_STRING, T_STRING],
    minArgs: 2,
    result: T_BOOLEAN,
    readsState: true,
    call: (args, rt) => {
      const path = stringArg('isOwner', args, 0);
      const addr = stringArg('isOwner', args, 1);
      return ask('isOwner', () => rt.env.isOwner(path, addr)) === true;
    },
  },
  {
    name: 'getChildValue',
    params: [T_STRING, T_STRING],
    minArgs: 2,
    result: T_ANY,
    readsState: true,
    call: (args, rt) => {
      const shard = stringArg('getChildValue', args, 0);
      const path = stringArg('getChildValue', args, 1);
      return chargeReturned(
        ask('getChildValue', () => rt.env.getChildValue(shard, path)),
        rt,
      );
    },
  },
  predicate('exists', [T_ANY], ([x]) => x !== null && x !== undefined),
  predicate('isString', [T_ANY], ([x]) => typeof x === 'string'),
  predicate('isNumber', [T_ANY], ([x]) => x instanceof Decimal),
  predicate('isBoolean', [T_ANY], ([x]) => typeof x === 'boolean'),
  predicate('isObject', [T_ANY], ([x]) => x instanceof RecordValue),
  predicate('isAddress', [T_ANY], ([x]) => isAddress(x ?? null)),
  {
    name: 'length',
    params: [T_STRING | T_ARRAY | T_OBJECT],
    minArgs: 1,
    result: T_NUMBER,
    readsState: false,
    call: ([x], rt) => {
      if (typeof x === 'string') return Decimal.of(BigInt(x.length), 0);
      if (x instanceof ListValue) return Decimal.of(BigInt(x.length), 0);
      if (x instanceof RecordValue) {
        const n = x.keys().length;
        rt.charge(perChars(n));
        return Decimal.of(BigInt(n), 0);
      }
      throw new RuleRuntimeError(`length expects a string, array or object, not ${typeName(x ?? null)}`);
    },
  },
  {
    name: 'keys',
    params: [T_OBJECT],
    minArgs: 1,
    result: T_ARRAY,
    readsState: false,
    call: ([x], rt) => {
      if (!(x instanceof RecordValue)) throw new RuleRuntimeError(`keys expects an object, not ${typeName(x ?? null)}`);
      const keys = x.keys();
      rt.charge(keys.length * RULE_GAS.perItem);
      return new ListValue(keys);
    },
  },
  predicate('includes', [T_STRING | T_ARRAY, T_ANY], ([haystack = null, needle = null], rt) => {
    if (typeof haystack === 'string') {
      if (typeof needle !== 'string') throw new RuleRuntimeError(`includes in a string expects a string, not ${typeName(needle)}`);
      rt.charge(perChars(haystack.length));
      return haystack.includes(needle);
    }
    if (haystack instanceof ListValue) {
      for (let i = 0; i < haystack.length; i++) {
        if (equals(fromHost(haystack.at(i)), needle, (n) => rt.charge(n))) return true;
      }
      return false;
    }
    throw new RuleRuntimeError(`includes expects a string or an array, not ${typeName(haystack)}`);
  }),
  predicate('startsWith', [T_STRING, T_STRING], (args, rt) => {
    const prefix = stringArg('startsWith', args, 1);
    rt.charge(perChars(prefix.length));
    return stringArg('startsWith', args, 0).startsWith(prefix);
  }),
  predicate('endsWith', [T_STRING, T_STRING], (args, rt) => {
    const suffix = stringArg('endsWith', args, 1);
    rt.charge(perChars(suffix.length));
    return stringArg('endsWith', args, 0).endsWith(suffix);
  }),
  {
    name: 'toString',
    params: [T_ANY],
    minArgs: 1,
    result: T_STRING,
    readsState: false,
    call: ([x = null], rt) => {
      if (typeof x === 'string') return x;
      const s = toJson(x, (n) => rt.charge(n));
      rt.charge(perChars(s.length));
      return s;
    },
  },
  {
    name: 'concatPath',
    params: [T_STRING | T_NUMBER],
    rest: T_STRING | T_NUMBER,
    minArgs: 1,
    result: T_STRING,
    readsState: false,
    call: (args, rt) => {
      const joined = args.map((a, i) => label('concatPath', a, i)).join('/');
      if (joined.length > MAX_STRING_LENGTH) throw new RuleRuntimeError(`string longer than ${MAX_STRING_LENGTH} characters`);
      rt.charge(perChars(joined.length));
      return joined;
    },
  },
];

/** The library by name. */
export const LIBRARY: ReadonlyMap<string, LibraryFunction> = new Map(FUNCTIONS.map((f) => [f.name, Object.freeze(f)]));

/** Names of the library functions, sorted (for messages and docs). */
export const LIBRARY_NAMES: readonly string[] = Object.freeze([...LIBRARY.keys()].sort());
