/**
 * Memory control of sandbox runs. Each run gets its own memory cgroup, a child of the executor's own
 * cgroup, so the limit bounds the resident memory of everything the program starts (not its address
 * space: CUDA reserves far more address space than it uses, which RLIMIT_AS cannot tell apart):
 *
 * - `cgroup2`: the executor's cgroup v2 lets it make children with the memory controller (delegated:
 *   `memory` in its `cgroup.subtree_control`, or enabled there now); each run gets `memory.max`,
 *   `memory.swap.max` 0 and `memory.oom.group` 1;
 * - `cgroup1`: a writable v1 memory hierarchy; each run gets `memory.limit_in_bytes` (and
 *   `memory.memsw.limit_in_bytes`, the same value, when swap accounting exists);
 * - `rlimit`: neither: RLIMIT_AS through prlimit, for CPU programs only.
 *
 * The program joins its cgroup before it starts: a tiny `/bin/sh` wrapper writes its own pid into
 * `cgroup.procs` and then execs the sandbox. After the run every process left in the cgroup is killed,
 * the OOM counters tell whether the kernel killed something for memory, and the cgroup is removed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { leftByDeadProcess, SANDBOX_RUN_PREFIX } from './runDirs.ts';

export type MemoryControlKind = 'cgroup2' | 'cgroup1' | 'rlimit';

export interface MemoryControl {
  readonly kind: MemoryControlKind;
  /** One line for the log: what is used, where, and (for rlimit) why not a cgroup. */
  readonly details: string;
  /** The cgroup directory each run's cgroup is made in (cgroup kinds). */
  readonly parent?: string;
  /** cgroup1: `memory.memsw.*` exists, so swap is limited too. */
  readonly swap?: boolean;
}

/** What `detectMemoryControl` reads; tests give their own. */
export interface CgroupSources {
  /** `/proc/self/cgroup`. */
  readonly cgroup: string;
  /** `/proc/self/mountinfo`. */
  readonly mountinfo: string;
}

/** Exit status of the wrapper when it cannot join the run's cgroup. */
export const CGROUP_JOIN_FAILED = 125;
const PROBE_BYTES = 64 * 1024 * 1024;

/**
 * The cgroup directories this process sits in, from /proc/self/cgroup and /proc/self/mountinfo: the
 * v2 one (where a cgroup2 hierarchy is mounted) and the v1 memory one (where a v1 memory hierarchy is).
 * @example cgroupDirs({ cgroup: '0::/user.slice\n', mountinfo: '30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n' }).v2 // '/sys/fs/cgroup/user.slice'
 */
export function cgroupDirs(sources: CgroupSources): { v2?: string; v1memory?: string } {
  const paths = new Map<string, string>();
  for (const line of sources.cgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    if (match[1] === '0' && match[2] === '') paths.set('v2', match[3]!);
    else if (match[2]!.split(',').includes('memory')) paths.set('memory', match[3]!);
  }
  const found: { v2?: string; v1memory?: string } = {};
  for (const line of sources.mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const [, , , root = '', mountPoint = ''] = before.split(' ');
    const [fstype = '', , superOptions = ''] = after.split(' ');
    const key = fstype === 'cgroup2' ? 'v2' : fstype === 'cgroup' && superOptions.split(',').includes('memory') ? 'memory' : undefined;
    const path = key && paths.get(key);
    // The mount shows the hierarchy from `root` on; our cgroup must lie under it.
    if (!path || !(root === '/' || path === root || path.startsWith(`${root}/`))) continue;
    const dir = join(mountPoint, root === '/' ? path : path.slice(root.length)).replace(/(.)\/$/, '$1');
    if (key === 'v2') found.v2 ??= dir;
    else found.v1memory ??= dir;
  }
  return found;
}

async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

async function tryWrite(path: string, value: string): Promise<boolean> {
  try {
    await writeFile(path, value);
    return true;
  } catch {
    return false;
  }
}

/** Makes and removes a child cgroup with a limit: the proof that runs can have one. */
async function probeChild(parent: string, limitFile: string): Promise<boolean> {
  const dir = join(parent, `${SANDBOX_RUN_PREFIX}probe-${process.pid}`);
  try {
    await mkdir(dir);
  } catch {
    return false;
  }
  try {
    return existsSync(join(dir, limitFile)) && (await tryWrite(join(dir, limitFile), String(PROBE_BYTES)));
  } finally {
    await rmdir(dir).catch(() => undefined);
  }
}

/** Removes run cgroups a killed executor left behind (their pid in the name is gone). */
async function removeStale(parent: string): Promise<void> {
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!leftByDeadProcess(name, SANDBOX_RUN_PREFIX)) continue;
    await rmdir(join(parent, name)).catch(() => undefined);
  }
}

async function cgroup2(dir: string): Promise<MemoryControl | string> {
  if (!(await read(join(dir, 'cgroup.controllers'))).split(/\s+/).includes('memory')) return `cgroup v2 at ${dir} has no memory controller`;
  const enabled = async () => (await read(join(dir, 'cgroup.subtree_control'))).split(/\s+/).includes('memory');
  if (!(await enabled()) && !(await tryWrite(join(dir, 'cgroup.subtree_control'), '+memory'))) {
    // A cgroup with processes cannot enable controllers for children; when this process is the only
    // one in it (a systemd service with Delegate=yes), it moves into a leaf of its own first.
    const procs = (await read(join(dir, 'cgroup.procs'))).split('\n').filter(Boolean);
    const leaf = join(dir, 'ain-executor');
    if (procs.length !== 1 || procs[0] !== String(process.pid))
      return `cgroup v2 at ${dir} is not delegated (memory not enabled for children)`;
    const moved =
      (await mkdir(leaf).then(
        () => true,
        () => existsSync(leaf),
      )) && (await tryWrite(join(leaf, 'cgroup.procs'), String(process.pid)));
    if (!moved || !(await tryWrite(join(dir, 'cgroup.subtree_control'), '+memory'))) {
      if (moved) await tryWrite(join(dir, 'cgroup.procs'), String(process.pid));
      await rmdir(leaf).catch(() => undefined);
      return `cgroup v2 at ${dir}: cannot enable the memory controller for children`;
    }
  }
  if (!(await probeChild(dir, 'memory.max'))) return `cgroup v2 at ${dir}: cannot create a child with memory.max`;
  await removeStale(dir);
  return { kind: 'cgroup2', parent: dir, details: `cgroup v2 at ${dir}: memory.max per run, no swap` };
}

async function cgroup1(dir: string): Promise<MemoryControl | string> {
  if (!(await probeChild(dir, 'memory.limit_in_bytes'))) return `cgroup v1 memory at ${dir} is not writable`;
  const swap = existsSync(join(dir, 'memory.memsw.limit_in_bytes'));
  await removeStale(dir);
  return {
    kind: 'cgroup1',
    parent: dir,
    swap,
    details: `cgroup v1 memory at ${dir}: memory.limit_in_bytes per run${swap ? ', memsw the same (no swap)' : ' (no memsw: swap not limited)'}`,
  };
}

async function probeMemoryControl(sources?: CgroupSources): Promise<MemoryControl> {
  const dirs = cgroupDirs(sources ?? { cgroup: await read('/proc/self/cgroup'), mountinfo: await read('/proc/self/mountinfo') });
  const why: string[] = [];
  for (const [dir, probe] of [
    [dirs.v2, cgroup2],
    [dirs.v1memory, cgroup1],
  ] as const) {
    if (dir === undefined) continue;
    const control = await probe(dir);
    if (typeof control !== 'string') return control;
    why.push(control);
  }
  if (why.length === 0) why.push('no cgroup hierarchy with a memory controller is mounted');
  return {
    kind: 'rlimit',
    details: `RLIMIT_AS per program (${why.join('; ')}); GPU programs run without a memory limit`,
  };
}

let detected: Promise<MemoryControl> | undefined;

/**
 * Finds how run memory is limited here (cgroup v2, else v1, else RLIMIT_AS), once; `refresh` probes
 * again, `sources` reads given /proc texts instead of this process's (which also skips the cache).
 * @example const { kind, details } = await detectMemoryControl({ log: console.log });
 */
export function detectMemoryControl(
  options: { log?: (line: string) => void; refresh?: boolean; sources?: CgroupSources } = {},
): Promise<MemoryControl> {
  if (options.sources) return probeMemoryControl(options.sources);
  if (detected === undefined || options.refresh === true) detected = probeMemoryControl();
  const log = options.log;
  if (log !== undefined) void detected.then((control) => log(`memory control: ${control.kind} (${control.details})`));
  return detected;
}

let runCounter = 0;

/** One run's cgroup: join it (`wrap`), read whether the kernel killed for memory, kill what is left and remove it. */
export interface RunCgroup {
  readonly dir: string;
  /** The command that joins the cgroup, then execs `argv`. */
  wrap(argv: readonly string[]): string[];
  /** SIGKILLs every process in the cgroup (a timeout, or what the program left behind). */
  killAll(): Promise<void>;
  /** How many processes the kernel's OOM killer killed in it. */
  oomKills(): Promise<number>;
  /** Kills what is left and removes the cgroup; never throws. */
  remove(): Promise<void>;
}

/**
 * Makes the cgroup of one run with a memory limit of `bytes` (no swap where that can be said).
 * @example const cg = await createRunCgroup(control, 256 * 2 ** 20); spawn(...cg.wrap(argv)); ...; await cg.remove();
 */
export async function createRunCgroup(control: MemoryControl, bytes: number): Promise<RunCgroup> {
  if (control.parent === undefined) throw new Error(`memory control ${control.kind} has no cgroup`);
  const dir = join(control.parent, `${SANDBOX_RUN_PREFIX}${process.pid}-${++runCounter}`);
  await mkdir(dir);
  const set = (file: string, value: string) => writeFile(join(dir, file), value);
  try {
    if (control.kind === 'cgroup2') {
      await set('memory.max', String(bytes));
      // Optional files: a kernel without swap accounting has no memory.swap.max.
      await tryWrite(join(dir, 'memory.swap.max'), '0');
      await tryWrite(join(dir, 'memory.oom.group'), '1');
    } else {
      await set('memory.limit_in_bytes', String(bytes));
      if (control.swap) await set('memory.memsw.limit_in_bytes', String(bytes));
    }
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    throw error;
  }
  const procsFile = join(dir, 'cgroup.procs');
  const pids = async () =>
    (await read(procsFile))
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  const killAll = async (): Promise<void> => {
    if (control.kind === 'cgroup2' && (await tryWrite(join(dir, 'cgroup.kill'), '1'))) return;
    for (const pid of await pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return {
    dir,
    wrap: (argv) => [
      '/bin/sh',
      '-c',
      `{ echo $$ > "$0"; } 2>/dev/null || { echo "ain-sandbox: cannot join the run's cgroup $0" >&2; exit ${CGROUP_JOIN_FAILED}; }; exec "$@"`,
      procsFile,
      ...argv,
    ],
    killAll,
    async oomKills() {
      const text = await read(join(dir, control.kind === 'cgroup2' ? 'memory.events' : 'memory.oom_control'));
      const kills = /^oom_kill (\d+)$/m.exec(text)?.[1];
      if (kills !== undefined) return Number(kills);
      // Old v1 kernels have no oom_kill count: hitting the limit is the best sign left.
      const failcnt = await read(join(dir, control.swap ? 'memory.memsw.failcnt' : 'memory.failcnt'));
      return Number(failcnt.trim()) > 0 ? 1 : 0;
    },
    async remove() {
      for (let attempt = 0; attempt < 100; attempt++) {
        await killAll();
        if ((await pids()).length === 0) {
          try {
            await rmdir(dir);
            return;
          } catch {
            // the last processes are still exiting
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
