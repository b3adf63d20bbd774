/**
 * The private directories of runs (a sandboxed program's `/work`, a private blob's download) and the
 * cgroups of runs carry the executor's pid in their names (`ain-sbx-<pid>-...`, `ain-run-<pid>-...`).
 * A run removes its own when it ends; an executor killed mid-run (kill -9, the OOM killer, a power cut
 * of the container) cannot, and its directory may hold what a program wrote from private input. So the
 * first run directory a process makes under a root first removes those there whose pid is gone and
 * that this user owns.
 *
 * A pid is only meaningful in this machine's pid namespace: executors in other pid namespaces must not
 * share the root (containers have their own `/tmp`; an operator who shares one gives each
 * executor its own `TMPDIR`).
 */
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A sandboxed program's directory, and each run's cgroup. */
export const SANDBOX_RUN_PREFIX = 'ain-sbx-';
/** A private blob's download and decryption. */
export const PRIVATE_RUN_PREFIX = 'ain-run-';

const swept = new Map<string, Promise<void>>();

/**
 * Whether `name` is one of `prefix`'s run names whose process is gone.
 * @example leftByDeadProcess(`ain-sbx-${process.pid}-1`, 'ain-sbx-') // false
 */
export function leftByDeadProcess(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
  return pid !== undefined && !existsSync(`/proc/${pid}`);
}

/**
 * Removes the run directories under `root` that a process now gone left behind (owned by this user).
 * Returns how many it removed.
 */
export async function removeStaleRunDirs(root: string, prefix: string): Promise<number> {
  let removed = 0;
  const uid = process.getuid?.();
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!leftByDeadProcess(name, prefix)) continue;
    const path = join(root, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
    await rm(path, { recursive: true, force: true }).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/**
 * Makes a private (0700) run directory `root/<prefix><pid>-XXXXXX`; the process's first one under a
 * root removes the stale ones there first.
 * @example const dir = await makeRunDir(SANDBOX_RUN_PREFIX); try { ... } finally { await rm(dir, { recursive: true, force: true }); }
 */
export async function makeRunDir(prefix: string, root: string = tmpdir()): Promise<string> {
  const key = `${root}\0${prefix}`;
  let sweep = swept.get(key);
  if (sweep === undefined) {
    sweep = removeStaleRunDirs(root, prefix).then(() => undefined);
    swept.set(key, sweep);
  }
  await sweep;
  return mkdtemp(join(root, `${prefix}${process.pid}-`));
}
