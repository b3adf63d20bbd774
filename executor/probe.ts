/**
 * Probing a runtime once at start, inside the sandbox, so the answer is what programs will see: the
 * interpreter's version; for Python every installed distribution and its version
 * (`importlib.metadata`, the first of a name on `sys.path` wins, as for `import`); and whether CUDA
 * works (`torch.cuda.is_available()` when torch is installed and the executor has GPUs, in a second
 * run with every GPU bound and its own time limit, so a hanging driver costs only the CUDA answer).
 * The result is the `RuntimeInfo` the executor registers on chain, packages cut to what the chain
 * accepts (names and versions it can read, each once, at most 1024).
 */
import { MAX_RUNTIME_PACKAGES, normalizePackageName } from '../core/index.ts';
import { MAX_EXECUTOR_RUNTIMES, PACKAGE_NAME, PACKAGE_VERSION } from '../modules/triggers/index.ts';
import type { RuntimeInfo } from '../proto/gen/ain/triggers/v1/tx.ts';
import { ainError } from '../core/index.ts';
import { ErrRuntimeProbe } from './errors.ts';
import type { Gpu } from './gpus.ts';
import type { Isolation } from './isolation.ts';
import type { MemoryControl } from './memory.ts';
import type { RuntimeTable } from './runtimes.ts';
import { runSandboxed, type SandboxResult } from './sandbox.ts';

/** Time limit of the version and packages run. */
export const PROBE_TIMEOUT_MS = 30_000;
/** Time limit of the CUDA run (importing torch and starting CUDA can take a while). */
export const CUDA_PROBE_TIMEOUT_MS = 120_000;
/** Memory of a probe run: CUDA's start-up alone takes a few GiB of host memory. */
const PROBE_MEMORY_BYTES = 8 * 1024 * 1024 * 1024;

// stdout is kept for the one JSON line: whatever the packages print goes to stderr.
const PYTHON_PACKAGES = `
import json, platform, sys
out, sys.stdout = sys.stdout, sys.stderr
packages = []
from importlib import metadata
for dist in metadata.distributions():
    try:
        packages.append([dist.metadata["Name"] or "", dist.version or ""])
    except Exception:
        pass
out.write(json.dumps({"version": platform.python_version(), "packages": packages}))
`;

const PYTHON_CUDA = `
import json, sys
out, sys.stdout = sys.stdout, sys.stderr
try:
    import torch
    ok = bool(torch.cuda.is_available())
    out.write(json.dumps({"cuda": ok, "devices": torch.cuda.device_count() if ok else 0, "torch": torch.__version__, "torch_cuda": torch.version.cuda}))
except Exception as e:
    out.write(json.dumps({"cuda": False, "error": "%s: %s" % (type(e).__name__, e)}))
`;

const NODE_VERSION = `process.stdout.write(JSON.stringify({ version: process.versions.node }));`;

export interface ProbeOptions {
  readonly runtimes: RuntimeTable;
  /** Every GPU of the executor (bound in for the CUDA run; none: no CUDA run). */
  readonly gpus: readonly Gpu[];
  readonly isolation?: Isolation;
  readonly memoryControl?: MemoryControl;
  readonly timeoutMs?: number;
  readonly cudaTimeoutMs?: number;
}

/** A probed runtime: what is registered, and notes for the log (packages left out, the CUDA check). */
export interface RuntimeProbe {
  readonly info: RuntimeInfo;
  readonly notes: readonly string[];
}

/**
 * The packages an executor registers: names and versions the chain accepts, normalized, each once
 * (the first wins), sorted, at most {@link MAX_RUNTIME_PACKAGES}; `notes` says what was left out.
 * @example registrablePackages([['NumPy', '1.26.4'], ['numpy', '1.0']]).packages // [{ name: 'numpy', version: '1.26.4' }]
 */
export function registrablePackages(found: readonly unknown[]): {
  packages: { name: string; version: string }[];
  notes: string[];
} {
  const byName = new Map<string, string>();
  const bad: string[] = [];
  for (const entry of found) {
    // The probe's output is read as it comes: anything but a [name, version] pair of strings is left out.
    const [name, version] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof name !== 'string' || typeof version !== 'string' || !PACKAGE_NAME.test(name) || !PACKAGE_VERSION.test(version)) {
      bad.push(Array.isArray(entry) ? `${String(name)}==${String(version)}` : (JSON.stringify(entry) ?? String(entry)));
      continue;
    }
    const normalized = normalizePackageName(name);
    if (!byName.has(normalized)) byName.set(normalized, version);
  }
  const packages = [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, version]) => ({ name, version }));
  const notes: string[] = [];
  if (bad.length > 0) notes.push(`left out ${bad.length} package(s) the chain cannot read: ${bad.slice(0, 5).join(', ')}`);
  if (packages.length > MAX_RUNTIME_PACKAGES)
    notes.push(`left out ${packages.length - MAX_RUNTIME_PACKAGES} packages past ${MAX_RUNTIME_PACKAGES}`);
  return { packages: packages.slice(0, MAX_RUNTIME_PACKAGES), notes };
}

function failure(name: string, what: string, result: SandboxResult): never {
  const detail = result.ok ? 'unexpected output' : `${result.reason}: ${result.stderrTail.trim().split('\n').slice(-3).join(' | ')}`;
  throw ainError(ErrRuntimeProbe, `${name}: ${what}: ${detail}`.slice(0, 1024), { runtime: name });
}

/**
 * Probes one runtime in the sandbox.
 * @throws AinError executor/2 when the interpreter is missing, executor/6 when the probe program fails
 * @example const { info } = await probeRuntime('torch', { runtimes: table, gpus }); // info.cuda
 */
export async function probeRuntime(name: string, options: ProbeOptions): Promise<RuntimeProbe> {
  const runtime = await options.runtimes.resolve(name);
  const run = (source: string, timeoutMs: number, gpus: readonly Gpu[]) =>
    runSandboxed({
      runtime: name,
      runtimes: options.runtimes,
      code: new TextEncoder().encode(source),
      input: null,
      timeoutMs,
      memoryBytes: PROBE_MEMORY_BYTES,
      network: false,
      gpuDevices: gpus,
      maxOutputBytes: 4 * 1024 * 1024,
      ...(options.isolation ? { isolation: options.isolation } : {}),
      ...(options.memoryControl ? { memoryControl: options.memoryControl } : {}),
    });
  if (runtime.kind === 'node') {
    const result = await run(NODE_VERSION, options.timeoutMs ?? PROBE_TIMEOUT_MS, []);
    const version = result.ok ? (result.output as { version?: unknown }).version : undefined;
    if (typeof version !== 'string' || !PACKAGE_VERSION.test(version)) failure(name, 'version', result);
    return { info: { name, kind: 'node', version, packages: [], cuda: false }, notes: [] };
  }
  const result = await run(PYTHON_PACKAGES, options.timeoutMs ?? PROBE_TIMEOUT_MS, []);
  const output = (result.ok ? result.output : null) as { version?: unknown; packages?: unknown } | null;
  if (typeof output?.version !== 'string' || !PACKAGE_VERSION.test(output.version) || !Array.isArray(output.packages))
    failure(name, 'version and packages', result);
  const { packages, notes } = registrablePackages(output.packages as unknown[]);
  let cuda = false;
  if (packages.some((p) => p.name === 'torch')) {
    if (options.gpus.length === 0) notes.push('torch installed; no GPUs, so no CUDA');
    else {
      const check = await run(PYTHON_CUDA, options.cudaTimeoutMs ?? CUDA_PROBE_TIMEOUT_MS, options.gpus);
      const answer = (check.ok ? check.output : {}) as {
        cuda?: unknown;
        devices?: unknown;
        torch?: unknown;
        torch_cuda?: unknown;
        error?: unknown;
      };
      cuda = answer.cuda === true;
      notes.push(
        check.ok
          ? cuda
            ? `torch ${answer.torch} (CUDA ${answer.torch_cuda}) sees ${answer.devices} of ${options.gpus.length} GPUs`
            : `torch cannot use CUDA${answer.error ? `: ${answer.error}` : ''}`
          : `CUDA check failed (${check.reason}): ${check.stderrTail.trim().split('\n').slice(-2).join(' | ')}`,
      );
    }
  }
  return { info: { name, kind: 'python', version: output.version, packages, cuda }, notes };
}

/** One line for the log about a probed runtime. */
export function describeProbe(probe: RuntimeProbe, command: string): string {
  const { info } = probe;
  const what = info.kind === 'python' ? `, ${info.packages.length} packages, cuda ${info.cuda ? 'yes' : 'no'}` : '';
  return `runtime ${info.name}: ${info.kind} ${info.version} at ${command}${what}${probe.notes.length > 0 ? ` (${probe.notes.join('; ')})` : ''}`;
}

/**
 * Probes the runtimes an executor will offer (`wanted`, default every runtime the table knows) and
 * logs each. A default runtime this machine lacks or cannot run is left out with a log line; one the
 * operator named or declared stops the start, as does having none.
 * @throws AinError executor/2 or executor/6 naming the runtime
 */
export async function probeRuntimes(
  wanted: readonly string[] | undefined,
  options: ProbeOptions,
  log: (line: string) => void,
): Promise<RuntimeInfo[]> {
  const names = wanted ?? options.runtimes.names();
  const probes = await Promise.all(
    names.map(async (name) => {
      try {
        const probe = await probeRuntime(name, options);
        log(describeProbe(probe, (await options.runtimes.resolve(name)).command));
        return probe.info;
      } catch (error) {
        if (wanted?.includes(name) || options.runtimes.declared(name)) throw error;
        log(`runtime ${name}: not offered (${(error as Error).message})`);
        return undefined;
      }
    }),
  );
  const found = probes.filter((info): info is RuntimeInfo => info !== undefined);
  if (found.length === 0) throw ainError(ErrRuntimeProbe, `no runtime can run here (tried ${names.join(', ')})`);
  if (found.length > MAX_EXECUTOR_RUNTIMES)
    throw ainError(
      ErrRuntimeProbe,
      `${found.length} runtimes; the chain registers at most ${MAX_EXECUTOR_RUNTIMES} (choose with --runtimes)`,
    );
  return found;
}
