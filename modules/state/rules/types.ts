/**
 * The contracts between the rule language and its host: the JSON values rules see, the context of
 * one write, and the environment that answers the state-reading library functions.
 */

import type { JsonValue } from '../../../core/index.ts';

/** What a rule knows about the write it judges. */
export interface RuleContext {
  /** The writer: its address, and the function id when a function (not a user) writes, else null. */
  readonly auth: { readonly addr: string; readonly fid: string | null };
  /** The current value at the path (null when there is none). */
  readonly data: JsonValue;
  /** The value being written (null for a delete). */
  readonly newData: JsonValue;
  /**
   * Labels bound by `$name` segments of the rule's path pattern; keys may be written with or without
   * the `$` (`{ $user: 'ain1...' }` or `{ user: 'ain1...' }`). Only own properties are read.
   */
  readonly vars: Readonly<Record<string, string>>;
  /** The block height. */
  readonly height: bigint | number;
  /** The block time in milliseconds since the Unix epoch, from the block header. */
  readonly time: number;
  /** The labels of the path written. */
  readonly path: readonly string[];
}

/**
 * Reads a rule may make, answered by the state module from the state the write is checked against.
 * The rule passes paths through as it computed them (`getValue('/../../etc/passwd')` hands that very
 * string to `getValue`): the environment must validate each one as a state path (the store's
 * `normalizePath`) and never give it any other meaning. It may throw an `AinError` for an invalid
 * path (the rule then evaluates to false with that reason); any other exception is treated as a host
 * failure and propagates out of `evaluateRule`. It should bound the size of what it returns: the
 * rule is charged per node returned, but the environment builds the value first.
 */
export interface RuleEnvironment {
  /** The value at `path` (a subtree as a JSON object), or null. */
  getValue(path: string): JsonValue;
  /** The rule config at `path`, or null. */
  getRule(path: string): JsonValue;
  /** The owner config at `path`, or null. */
  getOwner(path: string): JsonValue;
  /** The function config at `path`, or null. */
  getFunction(path: string): JsonValue;
  /** Whether `addr` is an admin of the app `/apps/<app>`. */
  isAppAdmin(app: string, addr: string): boolean;
  /** Whether `addr` owns `path` (AI Network's owner semantics). */
  isOwner(path: string, addr: string): boolean;
  /** The value at `path` of the child chain `shard` as proven on this chain (the shards module), or null. */
  getChildValue(shard: string, path: string): JsonValue;
}

/** The outcome of evaluating a rule. */
export interface RuleResult {
  readonly allowed: boolean;
  readonly gasUsed: number;
  /** When not allowed: which sub-expression was false, or the runtime error, with its position. */
  readonly reason?: string;
}

/** Static types as a bit set: a node's type is the union of the kinds of values it may produce. */
export const T_NULL = 1;
export const T_BOOLEAN = 2;
export const T_NUMBER = 4;
export const T_STRING = 8;
export const T_ARRAY = 16;
export const T_OBJECT = 32;
export const T_ANY = 63;
export type TypeMask = number;

const TYPE_NAMES: ReadonlyArray<[number, string]> = [
  [T_NULL, 'null'],
  [T_BOOLEAN, 'boolean'],
  [T_NUMBER, 'number'],
  [T_STRING, 'string'],
  [T_ARRAY, 'array'],
  [T_OBJECT, 'object'],
];

/** `'string'`, `'number or string'`, `'any value'`. */
export function describeType(mask: TypeMask): string {
  if (mask === T_ANY) return 'any value';
  const names = TYPE_NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
  return names.length === 0 ? 'nothing' : names.join(' or ');
}
