/**
 * The sandbox's isolation: which kind this machine allows (probed once by running `/usr/bin/true`
 * under each, strongest first) and the bubblewrap arguments of one run. Under bwrap a program sees
 * read-only `/usr` (and its runtime's folders outside it), its own dir at `/work`, a private `/tmp`,
 * `/proc` and `/dev`, every namespace unshared (the network too unless the function asks for it), and
 * exactly the GPUs leased to its run: `/dev/nvidia<minor>` of each, the driver's control devices, its
 * `/proc/driver/nvidia`, and read-only `/sys` and `/etc/ld.so.cache` (what the CUDA driver library reads).
 */
import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, lstat, readlink, rm } from 'node:fs/promises';
import type { Gpu } from './gpus.ts';
import { makeRunDir, SANDBOX_RUN_PREFIX } from './runDirs.ts';

export type IsolationKind = 'bwrap' | 'unshare-net' | 'none';

export interface Isolation {
  readonly kind: IsolationKind;
  /** One line for the log: which tool, where, and what it isolates. */
  readonly details: string;
  /** Path of `bwrap` or `unshare`, when `kind` uses one. */
  readonly tool?: string;
}

/** The PATH programs get (and the probes run with). */
export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

async function firstExecutable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
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
 * The bwrap arguments that give a program exactly `gpus`: the control devices that exist, each GPU's
 * `/dev/nvidia<minor>`, and read-only the driver's /proc entries, /sys and the loader cache.
 * @example gpuBindArgs([gpu3], existsSync) // ['--dev-bind', '/dev/nvidiactl', '/dev/nvidiactl', ..., '--dev-bind', '/dev/nvidia3', '/dev/nvidia3', ...]
 */
export function gpuBindArgs(gpus: readonly Pick<Gpu, 'minor'>[], exists: (path: string) => boolean): string[] {
  if (gpus.length === 0) return [];
  const args: string[] = [];
  const devices = [...NVIDIA_CONTROL_DEVICES, ...gpus.map((gpu) => `/dev/nvidia${gpu.minor}`)];
  for (const device of devices) if (exists(device)) args.push('--dev-bind', device, device);
  for (const path of ['/proc/driver/nvidia', '/sys', '/etc/ld.so.cache']) if (exists(path)) args.push('--ro-bind', path, path);
  return args;
}

/**
 * The bwrap arguments of one run (before the command): namespaces, the system folders, the runtime's
 * read-only folders, network files when it has network, its dir at /work, /proc, /dev, /tmp, its GPUs.
 */
export async function bwrapArgs(dir: string, network: boolean, readOnly: readonly string[], gpus: readonly Gpu[] = []): Promise<string[]> {
  const args = ['--unshare-all'];
  if (network) args.push('--share-net');
  args.push('--die-with-parent', '--new-session', ...(await systemRootArgs()));
  // Debian's shared libraries are chosen through symlinks there (numpy's BLAS and LAPACK: libblas.so.3
  // -> /etc/alternatives/libblas.so.3-x86_64-linux-gnu); links only, no configuration or secrets.
  args.push('--ro-bind-try', '/etc/alternatives', '/etc/alternatives');
  if (network) {
    for (const path of ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates']) {
      args.push('--ro-bind-try', path, path);
    }
  }
  args.push('--bind', dir, '/work', '--chdir', '/work', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  // After /work, /tmp, /proc and /dev, which would hide a runtime or a device under them.
  for (const path of readOnly) args.push('--ro-bind', path, path);
  args.push(...gpuBindArgs(gpus, existsSync));
  return args;
}

async function probeIsolation(): Promise<Isolation> {
  const dir = await makeRunDir(SANDBOX_RUN_PREFIX);
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
    const why = bwrap === undefined ? 'bwrap not installed' : 'bwrap present but cannot create namespaces here';
    if (unshare !== undefined && (await runQuietly(unshare, ['-n', '/usr/bin/true'], dir))) {
      return {
        kind: 'unshare-net',
        tool: unshare,
        details: `unshare -n at ${unshare} (${why}): network namespace only; the host filesystem stays readable`,
      };
    }
    return { kind: 'none', details: `no namespaces available (${why}): resource limits and a scrubbed environment only` };
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
