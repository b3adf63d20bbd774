/**
 * Function configs (set with the state module's MsgSetFunction at `/functions/<pattern>`): their
 * types and the validator the state module calls (`modules/state/configs.ts` parseFunctionConfig).
 */
import { type AinError, ainError, parseAddress, parseRequirements } from '../../core/index.ts';
import { ErrInvalidFunctionConfig } from './errors.ts';
import { type PatternPath, parsePattern } from './keys.ts';

/** The native functions built in, by `function_id`. */
export const NATIVE_FUNCTIONS = ['_transfer'] as const;
export type NativeFunctionId = (typeof NATIVE_FUNCTIONS)[number];
/** The runtimes every executor offers; operators name others (e.g. "torch": a Python with its packages). */
export const RUNTIMES = ['python3', 'node'] as const;
/** A runtime name, as executors register it and function configs and jobs ask for it. */
export const RUNTIME_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const MAX_TIMEOUT_BLOCKS = 1000;
/** Most executors an OFFCHAIN function may list. */
export const MAX_LISTED_EXECUTORS = 16;
/** Most pattern nodes one function search visits. */
export const MAX_FUNCTION_SEARCH_NODES = 256;
export const CODE_HASH_PATTERN = /^[0-9a-f]{64}$/;
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,29})$/;

const NATIVE_KEYS = ['function_type', 'function_id'];
const OFFCHAIN_KEYS = [
  'function_type',
  'function_id',
  'runtime',
  'code_hash',
  'resources',
  'timeout_blocks',
  'price',
  'output_path',
  'executors',
  'network',
  'requires',
  'http',
];
const HTTP_KEYS = ['method', 'path', 'price'] as const;
/** Methods an HTTP endpoint may answer. */
export const HTTP_METHODS = ['GET', 'POST'] as const;
/** An endpoint's path below `/apps/<app>` on an executor's gateway, e.g. `/ask`. */
export const HTTP_PATH_PATTERN = /^(\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}){1,8}$/;

/** An HTTP endpoint of an OFFCHAIN function: served at `/apps/<app><path>` by executors with `--http`, paid per call by vouchers. */
export interface HttpEndpoint {
  readonly method: (typeof HTTP_METHODS)[number];
  readonly path: string;
  /** uain per call, decimal integer text. */
  readonly price: string;
}
const RESOURCE_KEYS = ['cpu', 'memory_mb', 'gpus', 'gpu_memory_mb'] as const;

export interface Resources {
  readonly cpu: number;
  readonly memory_mb: number;
  readonly gpus: number;
  readonly gpu_memory_mb: number;
}

/** A checked OFFCHAIN function config. */
export interface OffchainFunction {
  readonly function_type: 'OFFCHAIN';
  readonly function_id: string;
  /** A runtime name ({@link RUNTIME_NAME_PATTERN}). */
  readonly runtime: string;
  readonly code_hash: string;
  readonly resources: Resources;
  readonly timeout_blocks: number;
  /** uain per call, decimal integer text. */
  readonly price: string;
  /** A pattern under `/apps/<app>` that may use the trigger pattern's `$vars`. */
  readonly output_path: string;
  readonly executors: 'any' | readonly string[];
  readonly network?: boolean;
  /** Packages the runtime must have, e.g. "torch>=2.4" (`core/requirements.ts`). */
  readonly requires?: readonly string[];
  /** Also callable over HTTP, paid by vouchers on a payment channel (`modules/channels`). */
  readonly http?: HttpEndpoint;
}

export interface NativeFunction {
  readonly function_type: 'NATIVE';
  readonly function_id: NativeFunctionId;
}

export type TriggerFunction = NativeFunction | OffchainFunction;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the kind-specific fields of a function config (the state module has checked it is an
 * object with `function_type` and `function_id`). NATIVE: `function_id` one of
 * {@link NATIVE_FUNCTIONS}; `_transfer` needs `$from` and `$to` in its pattern. OFFCHAIN: runtime,
 * code_hash (64 lowercase hex), resources (four non-negative integers), timeout_blocks (1..1000),
 * price (uain, integer text), output_path (a pattern under /apps/<app> using only the trigger
 * pattern's variables), executors ("any" or 1..16 distinct addresses), network (optional boolean).
 * @throws AinError state/10
 * @example validateFunctionConfig({ function_type: 'NATIVE', function_id: '_transfer' }, parsePattern('/apps/a/transfer/$from/$to/$key/value', true))
 */
export function validateFunctionConfig(config: Readonly<Record<string, unknown>>, pattern: PatternPath, field = 'function'): void {
  const fail = (detail: string): never => {
    throw ainError(ErrInvalidFunctionConfig, `${field}${detail}`, { field });
  };
  const type = config['function_type'];
  const allowed = type === 'NATIVE' ? NATIVE_KEYS : OFFCHAIN_KEYS;
  for (const key of Object.keys(config)) if (!allowed.includes(key)) fail(` has unknown key ${JSON.stringify(key)} for ${type}`);
  if (type === 'NATIVE') {
    const id = config['function_id'];
    if (!(NATIVE_FUNCTIONS as readonly unknown[]).includes(id))
      fail(`.function_id ${JSON.stringify(id)} is no native function; expected ${NATIVE_FUNCTIONS.join(', ')}`);
    if (id === '_transfer' && !(pattern.vars.includes('$from') && pattern.vars.includes('$to')))
      fail(': _transfer needs $from and $to in its pattern');
    return;
  }
  for (const key of OFFCHAIN_KEYS)
    if (key !== 'network' && key !== 'requires' && key !== 'http' && !Object.hasOwn(config, key)) fail(` needs "${key}" for OFFCHAIN`);
  if (typeof config['runtime'] !== 'string' || !RUNTIME_NAME_PATTERN.test(config['runtime']))
    fail(`.runtime must be a runtime name (${RUNTIMES.join(', ')} or one an executor registered, e.g. "torch")`);
  if (Object.hasOwn(config, 'requires')) {
    try {
      parseRequirements(config['requires'], `${field}.requires`, ErrInvalidFunctionConfig);
    } catch (cause) {
      throw ainError(ErrInvalidFunctionConfig, (cause as AinError).message.replace(/: invalid function config$/, ''), { field });
    }
  }
  if (typeof config['code_hash'] !== 'string' || !CODE_HASH_PATTERN.test(config['code_hash']))
    fail('.code_hash must be 64 lowercase hex digits (sha256 of the code)');
  const resources = config['resources'];
  if (!isObject(resources)) fail(`.resources must be an object of ${RESOURCE_KEYS.join(', ')}`);
  const res = resources as Record<string, unknown>;
  for (const key of Object.keys(res))
    if (!(RESOURCE_KEYS as readonly string[]).includes(key)) fail(`.resources has unknown key ${JSON.stringify(key)}`);
  for (const key of RESOURCE_KEYS) {
    const amount = res[key];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) fail(`.resources.${key} must be a non-negative integer`);
  }
  const timeout = config['timeout_blocks'];
  if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_BLOCKS)
    fail(`.timeout_blocks must be an integer from 1 to ${MAX_TIMEOUT_BLOCKS}`);
  if (typeof config['price'] !== 'string' || !AMOUNT_PATTERN.test(config['price']))
    fail('.price must be an amount of uain as decimal integer text, e.g. "1000"');
  const output = config['output_path'];
  if (typeof output !== 'string') fail('.output_path must be a path pattern under /apps/<app>');
  let outputPattern: PatternPath;
  try {
    outputPattern = parsePattern(output as string, true, `${field}.output_path`);
  } catch (cause) {
    throw ainError(ErrInvalidFunctionConfig, (cause as AinError).message, { field });
  }
  for (const name of outputPattern.vars)
    if (!pattern.vars.includes(name)) fail(`.output_path uses ${name}, which the pattern ${pattern.path} does not bind`);
  const executors = config['executors'];
  if (executors !== 'any') {
    if (!Array.isArray(executors) || executors.length === 0 || executors.length > MAX_LISTED_EXECUTORS)
      fail(`.executors must be "any" or a list of 1 to ${MAX_LISTED_EXECUTORS} addresses`);
    const seen = new Set<string>();
    for (const address of executors as unknown[]) {
      if (typeof address !== 'string' || seen.has(address)) fail('.executors must list distinct addresses');
      try {
        parseAddress(address as string, `${field}.executors`);
      } catch (cause) {
        throw ainError(ErrInvalidFunctionConfig, (cause as AinError).message, { field });
      }
      seen.add(address as string);
    }
  }
  if (Object.hasOwn(config, 'network') && typeof config['network'] !== 'boolean') fail('.network must be true or false');
  if (Object.hasOwn(config, 'http')) {
    const http = config['http'];
    if (!isObject(http)) fail(`.http must be an object of ${HTTP_KEYS.join(', ')}`);
    const endpoint = http as Record<string, unknown>;
    for (const key of Object.keys(endpoint))
      if (!(HTTP_KEYS as readonly string[]).includes(key)) fail(`.http has unknown key ${JSON.stringify(key)}`);
    if (!(HTTP_METHODS as readonly unknown[]).includes(endpoint['method'])) fail(`.http.method must be one of ${HTTP_METHODS.join(', ')}`);
    if (typeof endpoint['path'] !== 'string' || !HTTP_PATH_PATTERN.test(endpoint['path']))
      fail('.http.path must be a path of 1 to 8 labels of letters, digits, _ . - (not starting with . or -), e.g. "/ask"');
    if (typeof endpoint['price'] !== 'string' || !AMOUNT_PATTERN.test(endpoint['price']))
      fail('.http.price must be an amount of uain per call as decimal integer text, e.g. "10"');
  }
}
