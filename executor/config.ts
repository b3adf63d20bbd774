/**
 * The executor's own config file, `HOME/executor.toml`: the runtimes an operator declares besides
 * python3 and node, one `[runtimes.<name>]` section each with `command` (the interpreter), optional
 * `kind` ("python" or "node"; default from the command's name) and optional `read_only` (folders bound
 * read-only under bwrap). A small reader of just that TOML subset (comments, section headers,
 * `key = "string"` and one-line arrays of strings); anything else is refused with its line number, so
 * a typo does not silently drop a runtime. Also the `--runtime NAME=PATH` flag's parser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ainError } from '../core/index.ts';
import { ErrInvalidSandboxRequest } from './errors.ts';
import { checkRuntimeSpec, kindOf, type RuntimeKind, type RuntimeSpec } from './runtimes.ts';

/** The file under HOME that declares runtimes. */
export const EXECUTOR_CONFIG_FILE = 'executor.toml';

export interface ExecutorConfig {
  readonly runtimes: readonly RuntimeSpec[];
}

const RUNTIME_KEYS = ['command', 'kind', 'read_only'];

/** A TOML basic ("...") or literal ('...') string at the start of `text`, and what follows it. */
function readString(text: string): { value: string; rest: string } | undefined {
  if (text.startsWith("'")) {
    const end = text.indexOf("'", 1);
    return end < 0 ? undefined : { value: text.slice(1, end), rest: text.slice(end + 1) };
  }
  if (!text.startsWith('"')) return undefined;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') {
      try {
        return { value: JSON.parse(text.slice(0, i + 1)) as string, rest: text.slice(i + 1) };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A string or a one-line array of strings, then only a comment. */
function readValue(text: string): string | string[] | undefined {
  const end = (rest: string) => /^\s*(#.*)?$/.test(rest);
  const single = readString(text);
  if (single) return end(single.rest) ? single.value : undefined;
  if (!text.startsWith('[')) return undefined;
  const values: string[] = [];
  let rest = text.slice(1).trimStart();
  while (!rest.startsWith(']')) {
    const item = readString(rest);
    if (!item) return undefined;
    values.push(item.value);
    rest = item.rest.trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (!rest.startsWith(']')) return undefined;
  }
  return end(rest.slice(1)) ? values : undefined;
}

/**
 * Parses executor.toml's text.
 * @throws AinError executor/1 naming the file, the line and what is wrong
 * @example parseExecutorConfig('[runtimes.torch]\ncommand = "/opt/torch/.venv/bin/python3"\n').runtimes[0].name // 'torch'
 */
export function parseExecutorConfig(text: string, file = EXECUTOR_CONFIG_FILE): ExecutorConfig {
  const sections = new Map<string, Map<string, string | string[]>>();
  let current: Map<string, string | string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const fail = (detail: string): never => {
      throw ainError(ErrInvalidSandboxRequest, `${file}:${i + 1}: ${detail}`);
    };
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      const name = /^runtimes\.([A-Za-z0-9_-]+)$/.exec(header[1]!)?.[1];
      if (name === undefined) fail(`unknown section [${header[1]}]; expected [runtimes.<name>]`);
      if (sections.has(name!)) fail(`[runtimes.${name}] appears twice`);
      current = new Map();
      sections.set(name!, current);
      return;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (!pair) return fail('expected key = value');
    if (!current) return fail(`${pair[1]} outside a [runtimes.<name>] section`);
    if (!RUNTIME_KEYS.includes(pair[1]!)) fail(`unknown key ${pair[1]}; expected ${RUNTIME_KEYS.join(', ')}`);
    const value = readValue(pair[2]!);
    if (value === undefined) fail(`${pair[1]} must be a quoted string or a one-line array of quoted strings`);
    if (current.has(pair[1]!)) fail(`${pair[1]} is set twice`);
    if ((pair[1] === 'read_only') !== Array.isArray(value))
      fail(pair[1] === 'read_only' ? 'read_only must be an array of paths' : `${pair[1]} must be a string`);
    current.set(pair[1]!, value!);
  });
  const runtimes: RuntimeSpec[] = [];
  for (const [name, keys] of sections) {
    const command = keys.get('command');
    if (typeof command !== 'string')
      throw ainError(ErrInvalidSandboxRequest, `${file}: [runtimes.${name}] needs command = "/path/to/interpreter"`);
    const spec: RuntimeSpec = {
      name,
      command,
      kind: keys.get('kind') as RuntimeKind | undefined,
      readOnly: keys.get('read_only') as string[] | undefined,
    };
    try {
      checkRuntimeSpec(spec);
    } catch (error) {
      throw ainError(ErrInvalidSandboxRequest, `${file}: ${(error as Error).message}`);
    }
    runtimes.push(spec);
  }
  return { runtimes };
}

/**
 * Reads an executor.toml; a file that does not exist declares nothing.
 * @example readExecutorConfig(join(home, EXECUTOR_CONFIG_FILE)).runtimes
 */
export function readExecutorConfig(path: string): ExecutorConfig {
  if (!existsSync(path)) return { runtimes: [] };
  return parseExecutorConfig(readFileSync(path, 'utf8'), path);
}

/**
 * Parses `--runtime NAME=PATH` (the kind from the interpreter's name).
 * @example parseRuntimeFlag('torch=/opt/torch/.venv/bin/python3') // { name: 'torch', command: '/opt/torch/.venv/bin/python3' }
 */
export function parseRuntimeFlag(value: string): RuntimeSpec {
  const match = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!match) throw ainError(ErrInvalidSandboxRequest, `--runtime "${value}" must be NAME=PATH, e.g. torch=/opt/torch/.venv/bin/python3`);
  const spec: RuntimeSpec = { name: match[1]!.trim(), command: match[2]!.trim() };
  if (kindOf(spec.command) === undefined)
    throw ainError(
      ErrInvalidSandboxRequest,
      `--runtime ${spec.name}: cannot tell python or node from ${spec.command}; declare it in executor.toml with kind`,
    );
  checkRuntimeSpec(spec);
  return spec;
}

/** Declared runtimes with later ones replacing earlier ones of the same name (flags after the file). */
export function mergeRuntimeSpecs(...lists: readonly (readonly RuntimeSpec[])[]): RuntimeSpec[] {
  const byName = new Map<string, RuntimeSpec>();
  for (const list of lists) for (const spec of list) byName.set(spec.name, spec);
  return [...byName.values()];
}
