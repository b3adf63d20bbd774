/**
 * Rule, owner and function configs: their checks when set, and their stored form. A config is stored
 * as one leaf of canonical JSON text with the original pattern added under `pattern`, e.g.
 * `{"pattern":"/apps/blog/posts/$user","write":"auth.addr == $user"}`; readers get it back without
 * `pattern`.
 */
import {
  type AinError,
  ainError,
  type ErrorDefinition,
  ErrLogic,
  parseAddress,
  canonicalJson,
  isJsonObject,
  type JsonValue,
  RecentResults,
} from '../../core/index.ts';
import { normalizePath } from '../../tree/index.ts';
import type { StateValue } from '../../core/index.ts';
import { ErrInvalidFunctionConfig, ErrInvalidOwnerConfig, ErrInvalidRuleConfig } from './errors.ts';
import { parseJsonText } from './json.ts';
import type { PatternPath } from './keys.ts';
import { compiledRule } from './ruleCache.ts';
import { validateFunctionConfig } from './functions.ts';

/** Limits a rule puts on the subtree at its node. */
export interface StateLimits {
  readonly max_children?: number;
  readonly max_height?: number;
  readonly max_bytes?: number;
}

export interface RuleConfig {
  readonly write?: string;
  readonly state?: StateLimits;
}

export const OWNER_PERMISSIONS = ['branch_owner', 'write_function', 'write_owner', 'write_rule'] as const;
export type OwnerPermission = (typeof OWNER_PERMISSIONS)[number];
export type OwnerPermissions = Readonly<Record<OwnerPermission, boolean>>;

export interface OwnerConfig {
  /** Per address (`ain1...`) or `*` for anyone without an entry of their own. */
  readonly owners: Readonly<Record<string, OwnerPermissions>>;
}

export const FUNCTION_TYPES = ['NATIVE', 'OFFCHAIN'] as const;

/** A function config: `function_type` and `function_id` checked, other fields kept as given. */
export interface FunctionConfig {
  readonly function_type: (typeof FUNCTION_TYPES)[number];
  readonly function_id: string;
  readonly [field: string]: JsonValue;
}

const STATE_LIMIT_KEYS = ['max_children', 'max_height', 'max_bytes'] as const;
/** Upper bounds of state limits: children and bytes are counted over at most 10,000 leaves, height over 30 labels. */
export const MAX_STATE_LIMITS: Readonly<Record<(typeof STATE_LIMIT_KEYS)[number], number>> = {
  max_children: 10_000,
  max_height: 30,
  max_bytes: Number.MAX_SAFE_INTEGER,
};

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Parses config text: JSON, an object (or null = delete), only `allowed` keys, `pattern` (if given) equal to the path. */
function parseConfigObject(
  text: string,
  pattern: PatternPath,
  field: string,
  error: ErrorDefinition,
  allowed: readonly string[] | undefined,
): Record<string, unknown> | null {
  const value = parseJsonText(text, field, error);
  if (value === null) return null;
  if (!isJsonObject(value))
    throw ainError(error, `${field} must be a JSON object or null, not ${Array.isArray(value) ? 'an array' : typeof value}`, { field });
  const keys = Object.keys(value);
  if (keys.length === 0) throw ainError(error, `${field} is an empty object; use null to delete it`, { field });
  for (const key of keys) {
    if (key === 'pattern') {
      if (value[key] !== pattern.path)
        throw ainError(error, `${field}.pattern ${JSON.stringify(value[key])} differs from the path ${pattern.path}`, { field });
    } else if (allowed && !allowed.includes(key)) {
      throw ainError(error, `${field} has unknown key ${JSON.stringify(key)}; expected ${allowed.join(', ')}`, { field });
    }
  }
  const { pattern: _ignored, ...rest } = value;
  return rest;
}

/**
 * Checks a rule config `{"write": "<expression>", "state": {"max_children", "max_height", "max_bytes"}}`
 * (at least one of the two). The expression is compiled with the pattern's variables, so a syntax
 * or type error, or a `$variable` the pattern does not bind, is refused with its position.
 * @throws AinError state/8, rules/1-3
 */
export function parseRuleConfig(text: string, pattern: PatternPath, field = 'rule'): RuleConfig | null {
  const object = parseConfigObject(text, pattern, field, ErrInvalidRuleConfig, ['write', 'state']);
  if (object === null) return null;
  const write = own(object, 'write');
  const state = own(object, 'state');
  if (write === undefined && state === undefined) throw ainError(ErrInvalidRuleConfig, `${field} needs "write" or "state"`, { field });
  const config: { write?: string; state?: StateLimits } = {};
  if (write !== undefined) {
    if (typeof write !== 'string' || write.trim().length === 0)
      throw ainError(ErrInvalidRuleConfig, `${field}.write must be a non-empty string (a rule expression)`, { field });
    compiledRule(write, pattern.vars);
    config.write = write;
  }
  if (state !== undefined) {
    if (!isJsonObject(state) || Object.keys(state).length === 0) {
      throw ainError(ErrInvalidRuleConfig, `${field}.state must be a non-empty object of ${STATE_LIMIT_KEYS.join(', ')}`, { field });
    }
    const limits: Record<string, number> = {};
    for (const key of Object.keys(state)) {
      const limit = state[key];
      if (!(STATE_LIMIT_KEYS as readonly string[]).includes(key)) {
        throw ainError(
          ErrInvalidRuleConfig,
          `${field}.state has unknown key ${JSON.stringify(key)}; expected ${STATE_LIMIT_KEYS.join(', ')}`,
          { field },
        );
      }
      const max = MAX_STATE_LIMITS[key as (typeof STATE_LIMIT_KEYS)[number]];
      if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0 || limit > max) {
        throw ainError(ErrInvalidRuleConfig, `${field}.state.${key} must be an integer from 0 to ${max}`, { field });
      }
      limits[key] = limit;
    }
    config.state = limits;
  }
  return config;
}

/**
 * Checks an owner config `{"owners": {"<ain1 address>" | "*": {branch_owner, write_function,
 * write_owner, write_rule}}}`: at least one entry, every permission present and boolean, nothing else.
 * @throws AinError state/9
 */
export function parseOwnerConfig(text: string, pattern: PatternPath, field = 'owner'): OwnerConfig | null {
  const object = parseConfigObject(text, pattern, field, ErrInvalidOwnerConfig, ['owners']);
  if (object === null) return null;
  const owners = own(object, 'owners');
  if (!isJsonObject(owners) || Object.keys(owners).length === 0) {
    throw ainError(ErrInvalidOwnerConfig, `${field}.owners must be a non-empty object keyed by address or "*"`, { field });
  }
  const checked: Record<string, OwnerPermissions> = {};
  for (const who of Object.keys(owners)) {
    if (who !== '*') {
      try {
        parseAddress(who, `${field}.owners key`);
      } catch (cause) {
        throw ainError(ErrInvalidOwnerConfig, (cause as AinError).message, { field });
      }
    }
    const entry = owners[who];
    if (!isJsonObject(entry))
      throw ainError(ErrInvalidOwnerConfig, `${field}.owners["${who}"] must be an object of ${OWNER_PERMISSIONS.join(', ')}`, { field });
    for (const key of Object.keys(entry)) {
      if (!(OWNER_PERMISSIONS as readonly string[]).includes(key)) {
        throw ainError(
          ErrInvalidOwnerConfig,
          `${field}.owners["${who}"] has unknown permission ${JSON.stringify(key)}; expected ${OWNER_PERMISSIONS.join(', ')}`,
          { field },
        );
      }
    }
    const permissions = {} as Record<OwnerPermission, boolean>;
    for (const permission of OWNER_PERMISSIONS) {
      const granted = own(entry, permission);
      if (typeof granted !== 'boolean')
        throw ainError(ErrInvalidOwnerConfig, `${field}.owners["${who}"].${permission} must be true or false`, { field });
      permissions[permission] = granted;
    }
    checked[who] = permissions;
  }
  return { owners: checked };
}

/**
 * Checks a function config: an object with `function_type` "NATIVE" or "OFFCHAIN" and `function_id`
 * a label-safe string; the fields of each kind are checked by the triggers module's
 * `validateFunctionConfig` (`modules/triggers/functions.ts`).
 * @throws AinError state/10
 */
export function parseFunctionConfig(text: string, pattern: PatternPath, field = 'function'): FunctionConfig | null {
  const object = parseConfigObject(text, pattern, field, ErrInvalidFunctionConfig, undefined);
  if (object === null) return null;
  const type = own(object, 'function_type');
  if (typeof type !== 'string' || !(FUNCTION_TYPES as readonly string[]).includes(type)) {
    throw ainError(ErrInvalidFunctionConfig, `${field}.function_type must be one of ${FUNCTION_TYPES.join(', ')}`, { field });
  }
  const id = own(object, 'function_id');
  if (typeof id !== 'string' || id.length === 0 || id.includes('/') || id.startsWith('$')) {
    throw ainError(ErrInvalidFunctionConfig, `${field}.function_id must be a non-empty label (no '/', not starting with '$')`, { field });
  }
  try {
    normalizePath(`/${id}`);
  } catch (cause) {
    throw ainError(ErrInvalidFunctionConfig, `${field}.function_id is not a valid label (${(cause as AinError).message})`, { field });
  }
  validateFunctionConfig(object, pattern, field);
  return object as unknown as FunctionConfig;
}

/** The leaf stored for a config: canonical JSON of the config with its pattern. */
export function storedConfig(pattern: PatternPath, config: object): string {
  return canonicalJson({ pattern: pattern.path, ...(config as Record<string, JsonValue>) });
}

/** A config read back from its leaf. */
export interface StoredConfig {
  readonly pattern: string;
  /** The config without `pattern`. */
  readonly config: Readonly<Record<string, JsonValue>>;
}

const PARSED_LIMIT = 1024;
const parsed = new RecentResults<StoredConfig>(PARSED_LIMIT);

/**
 * Parses a stored config leaf (cached by text; the module writes only well-formed leaves).
 * @throws AinError sdk/35 when the leaf is not one the module wrote
 */
export function readStoredConfig(leaf: StateValue, at: string): StoredConfig {
  if (typeof leaf === 'string') {
    const hit = parsed.get(leaf);
    if (hit) return hit;
    let value: unknown;
    try {
      value = JSON.parse(leaf);
    } catch {
      value = undefined;
    }
    if (isJsonObject(value) && typeof value['pattern'] === 'string') {
      const { pattern, ...config } = value as Record<string, JsonValue>;
      const result: StoredConfig = Object.freeze({ pattern: pattern as string, config });
      parsed.remember(leaf, result);
      return result;
    }
  }
  throw ainError(ErrLogic, `config leaf at ${at} is not a stored config`);
}

/** The rule config part of a stored rule (the module wrote it, so it has this shape). */
export function asRuleConfig(config: Readonly<Record<string, JsonValue>>): RuleConfig {
  return config as RuleConfig;
}

/**
 * What `address` may do under an owner config: its own entry, else `*`'s, else nothing.
 */
export function permissionsOf(config: Readonly<Record<string, JsonValue>>, address: string): OwnerPermissions | undefined {
  const owners = config['owners'];
  if (!isJsonObject(owners)) return undefined;
  const entry = Object.hasOwn(owners, address) ? owners[address] : Object.hasOwn(owners, '*') ? owners['*'] : undefined;
  return isJsonObject(entry) ? (entry as unknown as OwnerPermissions) : undefined;
}
