/**
 * Runs untrusted code (a program of a `python` or `node` runtime that reads JSON on stdin and writes
 * JSON on stdout) in a sandbox: its own temp dir (deleted afterwards), a scrubbed environment, a
 * wall-clock timeout that SIGKILLs the whole process group (and its cgroup), a memory limit, a bound on
 * stdout, the GPUs leased to the run and nothing else, and the strongest isolation the machine allows
 * (`isolation.ts`: bwrap, else `unshare -n`, else none).
 *
 * The runtime is looked up by name in a `RuntimeTable` (`runtimes.ts`: python3 and node by default,
 * plus the operator's); the memory limit is a cgroup of the run's own where the machine allows one
 * (`memory.ts`), else RLIMIT_AS for CPU programs. Other limits use `prlimit` (RLIMIT_FSIZE,
 * RLIMIT_NOFILE, no core files); node also gets `--max-old-space-size`. A caller that cannot pass the
 * table and the GPUs itself (the job programs) runs inside `withSandboxScope`, which `Slots.run` sets.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ChildProcess, spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ainError } from '../core/index.ts';
import type { JsonValue } from '../core/index.ts';
import { ErrInvalidSandboxRequest, ErrSandboxStart } from './errors.ts';
import type { Gpu } from './gpus.ts';
import { bwrapArgs, detectIsolation, type Isolation, SANDBOX_PATH } from './isolation.ts';
import { CGROUP_JOIN_FAILED, createRunCgroup, detectMemoryControl, type MemoryControl, type RunCgroup } from './memory.ts';
import { makeRunDir, SANDBOX_RUN_PREFIX } from './runDirs.ts';
import { DEFAULT_RUNTIMES_TABLE, type ResolvedRuntime, type RuntimeTable } from './runtimes.ts';

// Isolation lives in isolation.ts; its names stay importable from here (jobs/programs.ts uses them).
export { detectIsolation, type Isolation, type IsolationKind } from './isolation.ts';

/** A runtime name: `python3`, `node`, or one the operator declared (e.g. `torch`). */
export type SandboxRuntime = string;

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
   * GPUs the program asks for (default: all of `gpuDevices`). More than the run holds is refused:
   * GPUs come from a `GpuPool`, never by number.
   */
  readonly gpus?: number;
  /** The GPUs leased to this run (default: the scope's, else none). */
  readonly gpuDevices?: readonly Gpu[];
  /** Where `runtime` is looked up (default: the scope's, else python3 and node). */
  readonly runtimes?: RuntimeTable;
  readonly maxOutputBytes: number;
  /** Overrides the detected isolation (tests, or an operator forcing a weaker mode). */
  readonly isolation?: Isolation;
  /** Overrides the detected memory control (tests). */
  readonly memoryControl?: MemoryControl;
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

/** What runs inside `withSandboxScope` use when their request does not say. */
export interface SandboxScope {
  readonly runtimes?: RuntimeTable;
  readonly gpus?: readonly Gpu[];
}

const STDERR_TAIL_BYTES = 4096;
const FILE_SIZE_LIMIT = 64 * 1024 * 1024;
const NODE_ADDRESS_SPACE_OVERHEAD = 1024 * 1024 * 1024;
const PYTHON_ADDRESS_SPACE_OVERHEAD = 64 * 1024 * 1024;
const MIN_MEMORY_BYTES = 16 * 1024 * 1024;
const MAX_GPUS = 64;
const MEMORY_MESSAGES = /MemoryError|heap out of memory|Cannot allocate memory|bad_alloc|Allocation failed|out of memory/i;

const scopes = new AsyncLocalStorage<SandboxScope>();

/**
 * Runs `fn` with `scope` as the default runtimes and GPUs of every `runSandboxed` it makes.
 * @example await withSandboxScope({ runtimes: table, gpus: lease.gpus }, () => runWorkerProgram(...));
 */
export function withSandboxScope<T>(scope: SandboxScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/**
 * Where the sandbox finds a default runtime (python3, node), or undefined when the machine has none
 * (tests skip on that).
 * @example if ((await findSandboxRuntime('python3')) === undefined) console.log('python3 absent');
 */
export async function findSandboxRuntime(
  runtime: SandboxRuntime,
  table: RuntimeTable = DEFAULT_RUNTIMES_TABLE,
): Promise<string | undefined> {
  try {
    return (await table.resolve(runtime)).command;
  } catch {
    return undefined;
  }
}

function validate(request: SandboxRequest): void {
  const positive = (name: string, value: number, min: number): void => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw ainError(ErrInvalidSandboxRequest, `${name} must be an integer >= ${min}`, { [name]: value });
    }
  };
  if (typeof request.runtime !== 'string' || request.runtime === '') {
    throw ainError(ErrInvalidSandboxRequest, 'runtime must be a runtime name', { runtime: String(request.runtime) });
  }
  if (!(request.code instanceof Uint8Array)) throw ainError(ErrInvalidSandboxRequest, 'code must be bytes');
  positive('timeoutMs', request.timeoutMs, 1);
  positive('memoryBytes', request.memoryBytes, MIN_MEMORY_BYTES);
  positive('maxOutputBytes', request.maxOutputBytes, 1);
  if (request.gpus !== undefined && (!Number.isSafeInteger(request.gpus) || request.gpus < 0 || request.gpus > MAX_GPUS)) {
    throw ainError(ErrInvalidSandboxRequest, `gpus must be an integer from 0 to ${MAX_GPUS}`, { gpus: request.gpus });
  }
}

/** The GPUs a run gets: those it asks for out of those leased to it. */
function runGpus(request: SandboxRequest, scope: SandboxScope | undefined): readonly Gpu[] {
  const leased = request.gpuDevices ?? scope?.gpus ?? [];
  const wanted = request.gpus ?? leased.length;
  if (wanted > leased.length) {
    throw ainError(ErrInvalidSandboxRequest, `the program asks for ${wanted} GPUs; ${leased.length} are leased to this run (GpuPool)`, {
      gpus: wanted,
    });
  }
  return leased.slice(0, wanted);
}

/** The program's command line inside the sandbox: prlimit, then the interpreter. */
function programCommand(runtime: ResolvedRuntime, memoryBytes: number, program: string, addressLimit: boolean): string[] {
  const limits = ['--core=0', `--fsize=${FILE_SIZE_LIMIT}`, '--nofile=256'];
  const overhead = runtime.kind === 'node' ? NODE_ADDRESS_SPACE_OVERHEAD : PYTHON_ADDRESS_SPACE_OVERHEAD;
  if (addressLimit) limits.unshift(`--as=${memoryBytes + overhead}`);
  if (runtime.kind === 'node') {
    const heapMiB = Math.max(16, Math.floor(memoryBytes / (1024 * 1024)));
    return ['/usr/bin/prlimit', ...limits, '--', runtime.command, `--max-old-space-size=${heapMiB}`, program];
  }
  // -I: ignore PYTHON* variables and the user site dir (a virtualenv's site-packages stays); -B: no .pyc files.
  return ['/usr/bin/prlimit', ...limits, '--', runtime.command, '-I', '-B', program];
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
  const scope = scopes.getStore();
  const gpus = runGpus(request, scope);
  const isolation = request.isolation ?? (await detectIsolation());
  const memory = request.memoryControl ?? (await detectMemoryControl());
  const runtime = await (request.runtimes ?? scope?.runtimes ?? DEFAULT_RUNTIMES_TABLE).resolve(request.runtime);
  const dir = await makeRunDir(SANDBOX_RUN_PREFIX);
  let cgroup: RunCgroup | undefined;
  try {
    const program = runtime.kind === 'node' ? 'main.js' : 'main.py';
    await writeFile(join(dir, program), request.code, { mode: 0o600 });
    // RLIMIT_AS only where there is no cgroup, and never for GPU programs: CUDA reserves huge address space.
    const inner = programCommand(runtime, request.memoryBytes, program, memory.kind === 'rlimit' && gpus.length === 0);
    let argv: string[];
    let home = dir;
    if (isolation.kind === 'bwrap') {
      argv = [isolation.tool ?? 'bwrap', ...(await bwrapArgs(dir, request.network, runtime.readOnly, gpus)), ...inner];
      home = '/work';
    } else if (isolation.kind === 'unshare-net' && !request.network) {
      argv = [isolation.tool ?? 'unshare', '-n', ...inner];
    } else {
      argv = inner;
    }
    if (memory.kind !== 'rlimit') {
      try {
        cgroup = await createRunCgroup(memory, request.memoryBytes);
      } catch (error) {
        throw ainError(ErrSandboxStart, `cannot create the run's memory cgroup: ${(error as Error).message}`);
      }
      argv = cgroup.wrap(argv);
    }
    const env: Record<string, string> = {
      PATH: SANDBOX_PATH,
      HOME: home,
      TMPDIR: isolation.kind === 'bwrap' ? '/tmp' : dir,
      LANG: 'C.UTF-8',
      // The leased GPUs by UUID (outside bwrap the variable is the only limit); empty: none.
      CUDA_VISIBLE_DEVICES: gpus.map((gpu) => gpu.uuid).join(','),
    };
    if (gpus.length > 0) env['CUDA_DEVICE_ORDER'] = 'PCI_BUS_ID';
    const result = await execute(argv, dir, env, request, cgroup);
    if (!result.ok && result.reason !== 'timeout' && cgroup !== undefined && (await cgroup.oomKills()) > 0) {
      return { ...result, reason: 'memory' };
    }
    return result;
  } finally {
    await cgroup?.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

function execute(
  argv: readonly string[],
  cwd: string,
  env: Record<string, string>,
  request: SandboxRequest,
  cgroup: RunCgroup | undefined,
): Promise<SandboxResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let timedOut = false;
    let tooLarge = false;
    // The group, and through the cgroup anything that left it (setsid): their pipes then close.
    const killAll = (): void => {
      killGroup(child);
      void cgroup?.killAll();
    };

    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, request.timeoutMs);

    child.on('error', (error) => {
      clearTimeout(timer);
      killAll();
      reject(ainError(ErrSandboxStart, error.message, { argv0: file }));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > request.maxOutputBytes) {
        tooLarge = true;
        killAll();
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
      if (cgroup !== undefined && exitCode === CGROUP_JOIN_FAILED && stderrTail.includes('ain-sandbox: cannot join')) {
        return reject(ainError(ErrSandboxStart, stderrTail.trim(), { argv0: file }));
      }
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
