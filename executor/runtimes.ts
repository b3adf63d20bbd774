/**
 * The runtimes a sandbox can start: `python3` and `node` by default (the first interpreter found in
 * /usr/bin, /usr/local/bin, and for node this process's own), plus those an operator declares in
 * `HOME/executor.toml` (`[runtimes.<name>]`) or with `--runtime NAME=PATH`: a name, a kind (python or
 * node: how programs are started) and an interpreter path, e.g. a PyTorch virtualenv's python. Under
 * bwrap the program sees read-only `/usr`, so a runtime also needs what it lives in bound read-only:
 * its interpreter's real prefix when outside /usr (pyenv, uv, /opt), a virtualenv's own folder and the
 * base interpreter its `pyvenv.cfg` names, plus the operator's `read_only` folders.
 */
import { constants } from 'node:fs';
import { access, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { ainError } from '../core/index.ts';
import { RUNTIME_NAME_PATTERN } from '../modules/state/index.ts';
import { ErrInvalidSandboxRequest, ErrRuntimeNotFound } from './errors.ts';

export type RuntimeKind = 'python' | 'node';
export const RUNTIME_KINDS: readonly RuntimeKind[] = ['python', 'node'];

/** A runtime as an operator declares it. */
export interface RuntimeSpec {
  readonly name: string;
  /** Default: from the command's name (python*, node*). */
  readonly kind?: RuntimeKind | undefined;
  /** The interpreter, an absolute path (a virtualenv's `bin/python3` is kept as is: it makes the venv). */
  readonly command: string;
  /** Folders bound read-only under bwrap besides those found from the command. */
  readonly readOnly?: readonly string[] | undefined;
}

/** A runtime ready to start programs. */
export interface ResolvedRuntime {
  readonly name: string;
  readonly kind: RuntimeKind;
  readonly command: string;
  /** Folders outside /usr bound read-only under bwrap (no folder inside another). */
  readonly readOnly: readonly string[];
}

/** Where the default runtimes are looked for, in order. */
const DEFAULT_CANDIDATES: Readonly<Record<string, readonly string[]>> = {
  python3: ['/usr/bin/python3', '/usr/local/bin/python3'],
  node: ['/usr/bin/node', '/usr/local/bin/node', process.execPath],
};
/** The default runtimes' names. */
export const DEFAULT_RUNTIME_NAMES: readonly string[] = ['node', 'python3'];

/** Folders every bwrap run already has (read-only /usr, and the root links into it). */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

const inside = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The kind a command's file name says (python3.12 -> python, nodejs -> node), or undefined. */
export function kindOf(command: string): RuntimeKind | undefined {
  const name = basename(command);
  if (/^python[0-9.]*$/.test(name)) return 'python';
  if (/^node(js)?[0-9.]*$/.test(name)) return 'node';
  return undefined;
}

/**
 * Checks a declared runtime: its name, an absolute command, a kind (given or from the command's name),
 * absolute read-only folders.
 * @throws AinError executor/1 naming what is wrong
 */
export function checkRuntimeSpec(spec: RuntimeSpec): void {
  const fail = (detail: string): never => {
    throw ainError(ErrInvalidSandboxRequest, `runtime ${JSON.stringify(spec.name)}: ${detail}`, { runtime: spec.name });
  };
  if (!RUNTIME_NAME_PATTERN.test(spec.name)) fail('the name must be lower-case letters, digits, "-" and "_" (at most 32)');
  if (!isAbsolute(spec.command)) fail(`command ${JSON.stringify(spec.command)} must be an absolute path`);
  if (spec.kind !== undefined && !RUNTIME_KINDS.includes(spec.kind)) fail(`kind must be ${RUNTIME_KINDS.join(' or ')}`);
  if (spec.kind === undefined && kindOf(spec.command) === undefined)
    fail(`cannot tell the kind from ${basename(spec.command)}; set kind = "python" or "node"`);
  for (const folder of spec.readOnly ?? []) if (!isAbsolute(folder)) fail(`read_only ${JSON.stringify(folder)} must be an absolute path`);
}

/** A virtualenv's folder and its base interpreter's home (`pyvenv.cfg` next to bin/), when the command is in one. */
async function virtualenv(command: string): Promise<{ venv: string; home?: string } | undefined> {
  const bin = dirname(command);
  if (basename(bin) !== 'bin') return undefined;
  const venv = dirname(bin);
  let text: string;
  try {
    text = await readFile(join(venv, 'pyvenv.cfg'), 'utf8');
  } catch {
    return undefined;
  }
  const home = /^\s*home\s*=\s*(.+?)\s*$/m.exec(text)?.[1];
  return home && isAbsolute(home) ? { venv, home } : { venv };
}

/** A bin folder's prefix (/opt/py/bin -> /opt/py), else the folder itself. */
const prefixOf = (folder: string): string => (basename(folder) === 'bin' ? dirname(folder) : folder);

/**
 * Finds what a declared runtime needs: the command must be an executable file; the read-only folders
 * are the operator's plus the virtualenv, its base interpreter's prefix and the interpreter's real
 * prefix, less those inside /usr and those inside another.
 * @throws AinError executor/2 when the command is not an executable file
 */
export async function resolveRuntime(spec: RuntimeSpec): Promise<ResolvedRuntime> {
  checkRuntimeSpec(spec);
  if (!(await isExecutable(spec.command))) throw ainError(ErrRuntimeNotFound, `${spec.name}: ${spec.command}`, { runtime: spec.name });
  const folders = [...(spec.readOnly ?? [])];
  const venv = await virtualenv(spec.command);
  if (venv) {
    folders.push(venv.venv);
    if (venv.home) folders.push(prefixOf(venv.home));
  }
  const real = await realpath(spec.command);
  folders.push(prefixOf(dirname(real)));
  if (!inside(spec.command, '/usr')) folders.push(prefixOf(dirname(spec.command)));
  const outside = [...new Set(folders.map((f) => normalize(f)))].filter((f) => f !== '/' && !SYSTEM.some((s) => inside(f, s)));
  const readOnly = outside.filter((f) => !outside.some((other) => other !== f && inside(f, other))).sort();
  return { name: spec.name, kind: spec.kind ?? kindOf(spec.command)!, command: spec.command, readOnly };
}

/**
 * The runtimes of one executor: the defaults found on this machine, overridden and extended by the
 * declared ones; each resolved once, on first use.
 * @example const table = new RuntimeTable([{ name: 'torch', command: '/opt/torch/.venv/bin/python3' }]); await table.resolve('torch');
 */
export class RuntimeTable {
  private readonly specs = new Map<string, RuntimeSpec | undefined>();
  private readonly resolved = new Map<string, Promise<ResolvedRuntime>>();

  /** `defaults`: where the default runtimes are looked for, by name (tests give their own). */
  constructor(
    declared: readonly RuntimeSpec[] = [],
    private readonly defaults: Readonly<Record<string, readonly string[]>> = DEFAULT_CANDIDATES,
  ) {
    // A default is looked for at resolve time; a declared runtime of the same name replaces it.
    for (const name of Object.keys(defaults)) this.specs.set(name, undefined);
    for (const spec of declared) {
      checkRuntimeSpec(spec);
      this.specs.set(spec.name, spec);
    }
  }

  /** Every runtime name it knows, sorted (defaults included, found or not). */
  names(): string[] {
    return [...this.specs.keys()].sort();
  }

  /** Whether `name` was declared by the operator (not a default). */
  declared(name: string): boolean {
    return this.specs.get(name) !== undefined;
  }

  resolve(name: string): Promise<ResolvedRuntime> {
    let resolved = this.resolved.get(name);
    if (resolved === undefined) {
      resolved = this.find(name);
      this.resolved.set(name, resolved);
      // A runtime installed later is found on the next try.
      resolved.catch(() => this.resolved.delete(name));
    }
    return resolved;
  }

  private async find(name: string): Promise<ResolvedRuntime> {
    if (!this.specs.has(name)) throw ainError(ErrRuntimeNotFound, `${name}: not a runtime of this executor`, { runtime: name });
    const spec = this.specs.get(name);
    if (spec) return resolveRuntime(spec);
    const candidates = this.defaults[name] ?? [];
    for (const command of candidates) if (await isExecutable(command)) return resolveRuntime({ name, command });
    throw ainError(ErrRuntimeNotFound, name, { runtime: name, candidates: [...candidates] });
  }
}

/** The default runtimes only (what a sandbox request without a table uses). */
export const DEFAULT_RUNTIMES_TABLE = new RuntimeTable();
