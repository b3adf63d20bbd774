/**
 * Runs untrusted function code (a `python3` or `node` program that reads JSON on stdin and writes JSON
 * on stdout) in a sandbox: its own temp dir (deleted afterwards), a scrubbed environment, a wall-clock
 * timeout that SIGKILLs the whole process group, an address-space limit, a bound on stdout, and the
 * strongest isolation the machine allows, probed once at startup in this order:
 *
 * - `bwrap`: bubblewrap with every namespace unshared (mount, pid, ipc, uts, user, cgroup, and network
 *   unless the function asks for it). The program sees only read-only `/usr` (and the runtime's own
 *   prefix when it lives elsewhere), its dir at `/work`, a private `/tmp`, `/proc` and `/dev`. It cannot
 *   read `/etc`, the repo or the executor's keys, and without network even loopback is a fresh one.
 * - `unshare-net`: `unshare -n` only: no network, but the filesystem is the host's (cwd is the temp dir).
 * - `none`: limits and a scrubbed environment only.
 *
 * Limits use `prlimit` (RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE, no core files). Node also gets
 * `--max-old-space-size`; RLIMIT_AS for node is the budget plus 1 GiB because V8 reserves address space
 * up front and will not start under ~512 MiB.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, lstat, mkdtemp, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ainError } from '../core/index.ts';
import { ErrInvalidSandboxRequest, ErrRuntimeNotFound, ErrSandboxStart } from './errors.ts';
import type { JsonValue } from '../core/index.ts';

export type SandboxRuntime = 'python3' | 'node';

export type IsolationKind = 'bwrap' | 'unshare-net' | 'none';

export interface Isolation {
  readonly kind: IsolationKind;
  /** One line for the log: which tool, where, and what it isolates. */
  readonly details: string;
  /** Path of `bwrap` or `unshare`, when `kind` uses one. */
  readonly tool?: string;
}

export interface SandboxRequest {
  readonly runtime: SandboxRuntime;
  /** The program file's bytes. */
  readonly code: Uint8Array;
  /** Written to the program's stdin as JSON. */
  readonly input: JsonValue;
  readonly timeoutMs: number;
  readonly memoryBytes: number;
  /** True when the function asked for network access. */
  readonly network: boolean;
  /**
   * GPUs the program may use (the function's `resources.gpus`; default 0). Under bwrap the first that
   * many NVIDIA devices (and the driver's control devices) are bound in; every mode sets
   * CUDA_VISIBLE_DEVICES, so a program with 0 GPUs sees none.
   */
  readonly gpus?: number;
  readonly maxOutputBytes: number;
  /** Overrides the detected isolation (tests, or an operator forcing a weaker mode). */
  readonly isolation?: Isolation;
  /** Receives the isolation line the first time it is detected. */
  readonly log?: (line: string) => void;
}

export type SandboxFailureReason = 'timeout' | 'memory' | 'exit' | 'bad-output' | 'output-too-large';

export interface SandboxSuccess {
  readonly ok: true;
  readonly output: JsonValue;
  readonly stderrTail: string;
  readonly durationMs: number;
}

export interface SandboxFailure {
  readonly ok: false;
  readonly reason: SandboxFailureReason;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly durationMs: number;
}

export type SandboxResult = SandboxSuccess | SandboxFailure;

const STDERR_TAIL_BYTES = 4096;
const FILE_SIZE_LIMIT = 64 * 1024 * 1024;
const NODE_ADDRESS_SPACE_OVERHEAD = 1024 * 1024 * 1024;
const PYTHON_ADDRESS_SPACE_OVERHEAD = 64 * 1024 * 1024;
const MIN_MEMORY_BYTES = 16 * 1024 * 1024;
const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';
const MEMORY_MESSAGES = /MemoryError|heap out of memory|Cannot allocate memory|bad_alloc|Allocation failed|out of memory/i;

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function firstExecutable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await isExecutable(candidate)) return candidate;
  return undefined;
}

function runQuietly(file: string, args: readonly string[], cwd: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { PATH: SANDBOX_PATH }, timeout: 10_000 }, (error) => resolve(error === null));
  });
}

/** The root-level entries that hold binaries and libraries (`/lib -> usr/lib` on merged-/usr systems). */
async function systemRootArgs(): Promise<string[]> {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const path of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const stat = await lstat(path);
      if (stat.isSymbolicLink()) args.push('--symlink', await readlink(path), path);
      else if (stat.isDirectory()) args.push('--ro-bind', path, path);
    } catch {
      // absent on this machine
    }
  }
  return args;
}

/** NVIDIA's control devices, bound in whenever a program gets a GPU. */
const NVIDIA_CONTROL_DEVICES = ['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools', '/dev/nvidia-modeset'];

/**
 * The bwrap arguments that give a program `gpus` NVIDIA GPUs: devices /dev/nvidia0..gpus-1 and the
 * control devices that exist on this machine, and the driver's /proc entries (read-only).
 * @example gpuBindArgs(1, existsSync) // ['--dev-bind', '/dev/nvidiactl', '/dev/nvidiactl', ..., '--dev-bind', '/dev/nvidia0', '/dev/nvidia0', ...]
 */
export function gpuBindArgs(gpus: number, exists: (path: string) => boolean): string[] {
  if (gpus <= 0) return [];
  const args: string[] = [];
  const devices = [...NVIDIA_CONTROL_DEVICES, ...Array.from({ length: gpus }, (_, i) => `/dev/nvidia${i}`)];
  for (const device of devices) if (exists(device)) args.push('--dev-bind', device, device);
  if (exists('/proc/driver/nvidia')) args.push('--ro-bind', '/proc/driver/nvidia', '/proc/driver/nvidia');
  return args;
}

async function bwrapArgs(dir: string, network: boolean, extraReadOnly: readonly string[], gpus = 0): Promise<string[]> {
  const args = ['--unshare-all'];
  if (network) args.push('--share-net');
  args.push('--die-with-parent', '--new-session', ...(await systemRootArgs()));
  for (const path of extraReadOnly) args.push('--ro-bind', path, path);
  if (network) {
    for (const path of ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates']) {
      args.push('--ro-bind-try', path, path);
    }
  }
  args.push('--bind', dir, '/work', '--chdir', '/work', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  // After --proc and --dev, which would hide them.
  args.push(...gpuBindArgs(gpus, existsSync));
  return args;
}

async function probeIsolation(): Promise<Isolation> {
  const dir = await mkdtemp(join(tmpdir(), 'ain-sbx-probe-'));
  try {
    const bwrap = await firstExecutable(['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap']);
    if (bwrap !== undefined && (await runQuietly(bwrap, [...(await bwrapArgs(dir, false, [])), '/usr/bin/true'], dir))) {
      return {
        kind: 'bwrap',
        tool: bwrap,
        details: `bubblewrap at ${bwrap}: mount, pid, ipc, uts, user, cgroup and network namespaces; read-only /usr, private /work and /tmp`,
      };
    }
    const unshare = await firstExecutable(['/usr/bin/unshare', '/bin/unshare']);
    if (unshare !== undefined && (await runQuietly(unshare, ['-n', '/usr/bin/true'], dir))) {
      const why = bwrap === undefined ? 'bwrap not installed' : 'bwrap present but cannot create namespaces here';
      return {
        kind: 'unshare-net',
        tool: unshare,
        details: `unshare -n at ${unshare} (${why}): network namespace only; the host filesystem stays readable`,
      };
    }
    return { kind: 'none', details: 'no namespaces available: resource limits and a scrubbed environment only' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let detected: Promise<Isolation> | undefined;

/**
 * Finds the strongest isolation this machine allows (bwrap, else `unshare -n`, else none) by running a
 * trivial program under each. The answer is cached; `refresh` probes again.
 * @example const { kind, details } = await detectIsolation({ log: console.log });
 */
export function detectIsolation(options: { log?: (line: string) => void; refresh?: boolean } = {}): Promise<Isolation> {
  if (detected === undefined || options.refresh === true) {
    detected = probeIsolation();
    const log = options.log;
    if (log !== undefined) void detected.then((isolation) => log(`sandbox isolation: ${isolation.kind} (${isolation.details})`));
  }
  return detected;
}

interface ResolvedRuntime {
  readonly path: string;
  /** Directories outside /usr the runtime needs (e.g. a pyenv prefix), bound read-only under bwrap. */
  readonly readOnly: readonly string[];
}

const runtimes = new Map<SandboxRuntime, Promise<ResolvedRuntime>>();

async function findRuntime(runtime: SandboxRuntime): Promise<ResolvedRuntime> {
  const candidates =
    runtime === 'node' ? ['/usr/bin/node', '/usr/local/bin/node', process.execPath] : ['/usr/bin/python3', '/usr/local/bin/python3'];
  const found = await firstExecutable(candidates);
  if (found === undefined) throw ainError(ErrRuntimeNotFound, runtime, { runtime, candidates });
  const real = await realpath(found);
  const readOnly = real.startsWith('/usr/') ? [] : [dirname(dirname(real))];
  return { path: found, readOnly };
}

/**
 * Where the sandbox finds a runtime, or undefined when the machine has none (tests skip on that).
 * @example if ((await findSandboxRuntime('python3')) === undefined) console.log('python3 absent');
 */
export async function findSandboxRuntime(runtime: SandboxRuntime): Promise<string | undefined> {
  try {
    return (await resolveRuntime(runtime)).path;
  } catch {
    return undefined;
  }
}

function resolveRuntime(runtime: SandboxRuntime): Promise<ResolvedRuntime> {
  let resolved = runtimes.get(runtime);
  if (resolved === undefined) {
    resolved = findRuntime(runtime);
    runtimes.set(runtime, resolved);
    resolved.catch(() => runtimes.delete(runtime));
  }
  return resolved;
}

function validate(request: SandboxRequest): void {
  const positive = (name: string, value: number, min: number): void => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw ainError(ErrInvalidSandboxRequest, `${name} must be an integer >= ${min}`, { [name]: value });
    }
  };
  if (request.runtime !== 'node' && request.runtime !== 'python3') {
    throw ainError(ErrInvalidSandboxRequest, 'runtime must be python3 or node', { runtime: request.runtime });
  }
  if (!(request.code instanceof Uint8Array)) throw ainError(ErrInvalidSandboxRequest, 'code must be bytes');
  positive('timeoutMs', request.timeoutMs, 1);
  positive('memoryBytes', request.memoryBytes, MIN_MEMORY_BYTES);
  positive('maxOutputBytes', request.maxOutputBytes, 1);
  if (request.gpus !== undefined && (!Number.isSafeInteger(request.gpus) || request.gpus < 0 || request.gpus > 64)) {
    throw ainError(ErrInvalidSandboxRequest, 'gpus must be an integer from 0 to 64', { gpus: request.gpus });
  }
}

function programCommand(runtime: SandboxRuntime, path: string, memoryBytes: number, program: string): string[] {
  const limits = ['--core=0', `--fsize=${FILE_SIZE_LIMIT}`, '--nofile=256'];
  if (runtime === 'node') {
    const heapMiB = Math.max(16, Math.floor(memoryBytes / (1024 * 1024)));
    const addressSpace = memoryBytes + NODE_ADDRESS_SPACE_OVERHEAD;
    return ['/usr/bin/prlimit', `--as=${addressSpace}`, ...limits, '--', path, `--max-old-space-size=${heapMiB}`, program];
  }
  const addressSpace = memoryBytes + PYTHON_ADDRESS_SPACE_OVERHEAD;
  // -I: ignore PYTHON* variables and the user site dir; -B: write no .pyc files.
  return ['/usr/bin/prlimit', `--as=${addressSpace}`, ...limits, '--', path, '-I', '-B', program];
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/**
 * Runs one program in the sandbox and reports how it ended. Program failures (timeout, memory, a
 * non-zero exit, output that is not JSON or too large) are results, not exceptions; an invalid request,
 * a missing runtime or a sandbox that cannot start throw an `AinError` of codespace `executor`.
 * @example
 * const result = await runSandboxed({
 *   runtime: 'node', code: new TextEncoder().encode(source), input: { a: 10, b: 10 },
 *   timeoutMs: 5_000, memoryBytes: 256 * 2 ** 20, network: false, maxOutputBytes: 1 << 20,
 * });
 * if (result.ok) console.log(result.output);
 */
export async function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  validate(request);
  const isolation = request.isolation ?? (await detectIsolation(request.log === undefined ? {} : { log: request.log }));
  const runtime = await resolveRuntime(request.runtime);
  const dir = await mkdtemp(join(tmpdir(), 'ain-sbx-'));
  try {
    const program = request.runtime === 'node' ? 'main.js' : 'main.py';
    await writeFile(join(dir, program), request.code, { mode: 0o600 });
    const inner = programCommand(request.runtime, runtime.path, request.memoryBytes, program);
    let argv: string[];
    let home = dir;
    if (isolation.kind === 'bwrap') {
      argv = [isolation.tool ?? 'bwrap', ...(await bwrapArgs(dir, request.network, runtime.readOnly, request.gpus ?? 0)), ...inner];
      home = '/work';
    } else if (isolation.kind === 'unshare-net' && !request.network) {
      argv = [isolation.tool ?? 'unshare', '-n', ...inner];
    } else {
      argv = inner;
    }
    const env: Record<string, string> = {
      PATH: SANDBOX_PATH,
      HOME: home,
      TMPDIR: isolation.kind === 'bwrap' ? '/tmp' : dir,
      LANG: 'C.UTF-8',
      // GPUs 0..n-1 of those bound in (all the host's outside bwrap: the variable is the only limit there).
      CUDA_VISIBLE_DEVICES: Array.from({ length: request.gpus ?? 0 }, (_, i) => String(i)).join(','),
    };
    return await execute(argv, dir, env, request);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function execute(argv: readonly string[], cwd: string, env: Record<string, string>, request: SandboxRequest): Promise<SandboxResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let timedOut = false;
    let tooLarge = false;

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, request.timeoutMs);

    child.on('error', (error) => {
      clearTimeout(timer);
      killGroup(child);
      reject(ainError(ErrSandboxStart, error.message, { argv0: file }));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > request.maxOutputBytes) {
        tooLarge = true;
        killGroup(child);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
    });
    child.stdin.on('error', () => {
      // the program exited without reading its input; its exit status tells the rest
    });
    child.stdin.end(JSON.stringify(request.input));

    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(child); // stragglers the program left behind
      const durationMs = performance.now() - started;
      const stderrTail = stderr.toString('utf8');
      const fail = (reason: SandboxFailureReason): void => resolve({ ok: false, reason, exitCode, signal, stderrTail, durationMs });
      if (timedOut) return fail('timeout');
      if (tooLarge) return fail('output-too-large');
      if (exitCode !== 0 || signal !== null) return fail(MEMORY_MESSAGES.test(stderrTail) ? 'memory' : 'exit');
      const text = Buffer.concat(stdout).toString('utf8').trim();
      let output: JsonValue;
      try {
        output = JSON.parse(text) as JsonValue;
      } catch {
        return fail('bad-output');
      }
      resolve({ ok: true, output, stderrTail, durationMs });
    });
  });
}
