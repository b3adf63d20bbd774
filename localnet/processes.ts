/**
 * The localnet's processes: each one is spawned as the leader of its own process group (so a signal
 * to the group also reaches anything it started, e.g. an executor's sandboxed programs), logs to a
 * file, and is listed in the localnet's pid file so another process (`aind localnet stop|status`)
 * can find and stop it. A pid is only trusted while its command line still names the localnet's
 * folder, so a recycled pid is never signalled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ainError, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import { REPO_ROOT } from '../home/index.ts';

/** The pid file in a localnet folder. */
export const PID_FILE = 'localnet.pid.json';
/** Time a process group gets to exit after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 10_000;
/** How long a group may take to vanish after SIGKILL before stopping reports a failure. */
const KILL_WAIT_MS = 5_000;
const POLL_MS = 100;

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running child process of this process, leader of its own process group. */
export interface GroupProcess {
  /** e.g. "node2/app", "node2/comet", "storage", "executor". */
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  running(): boolean;
}

/** One line of the pid file. */
export interface PidEntry {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
}

/** The pid file: who started the processes and which ones are running. */
export interface PidFile {
  /** The localnet folder; every listed process has it in its command line. */
  readonly dir: string;
  /** The `aind localnet start` process that supervises them, when there is one (not in tests). */
  readonly supervisor?: number;
  readonly processes: readonly PidEntry[];
}

/**
 * Spawns `command args` in `cwd` = the repository root as a new process group, stdout and stderr
 * appended to `log`, in `env` (default: this process's). `detach` lets this process exit while the
 * child runs on.
 */
export function spawnGroup(
  name: string,
  command: string,
  args: readonly string[],
  log: string,
  detach = false,
  env: NodeJS.ProcessEnv = process.env,
): GroupProcess {
  appendFileSync(log, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, [...args], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', fd, fd], env });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw ainError(ErrIO, `cannot start ${name}: ${command} did not start (see ${log})`);
  if (detach) child.unref();
  liveGroups.set(child.pid, detach);
  const pid = child.pid;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      liveGroups.delete(pid);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      appendFileSync(log, `spawn error: ${error.message}\n`);
      liveGroups.delete(pid);
      resolve({ code: null, signal: null });
    });
  });
  return { name, pid, log, child, exited, running: () => child.exitCode === null && child.signalCode === null };
}

/** Sends `signal` to a process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** True while any process of the group is alive (zombies of this process's children count as gone). */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0) && liveMember(pgid);
}

/**
 * Stops one group: SIGTERM, then SIGKILL after `graceMs`; resolves when no process of the group
 * is left. Throws `sdk/39` when the group survives SIGKILL.
 */
export async function stopGroup(proc: GroupProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (proc.running()) signalGroup(proc.pid, 'SIGTERM');
  if (!(await exitsWithin(proc, graceMs))) signalGroup(proc.pid, 'SIGKILL');
  await proc.exited;
  // The leader is gone; make sure nothing it started lingers in its group.
  await killGroupAndWait(proc.pid, proc.name);
}

/** SIGKILLs one group and resolves when the leader has exited and no process of the group is left. */
export async function killGroup(proc: GroupProcess): Promise<ExitStatus> {
  signalGroup(proc.pid, 'SIGKILL');
  const status = await proc.exited;
  await killGroupAndWait(proc.pid, proc.name);
  return status;
}

/** True when the process exits within `ms` (the timer is cleared either way, so it holds no one up). */
function exitsWithin(proc: GroupProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    proc.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function killGroupAndWait(pgid: number, name: string): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + KILL_WAIT_MS;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw ainError(ErrIO, `process group ${pgid} (${name}) survived SIGKILL`);
    await sleep(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// The pid file

export function pidFilePath(dir: string): string {
  return join(dir, PID_FILE);
}

/** Writes the pid file atomically (temp file and rename). */
export function writePidFile(file: PidFile): void {
  const path = pidFilePath(file.dir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temp, path);
}

/** The pid file of a localnet folder, or undefined when there is none. */
export function readPidFile(dir: string): PidFile | undefined {
  const path = pidFilePath(dir);
  if (!existsSync(path)) return undefined;
  let parsed: Partial<PidFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PidFile>;
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${path} is not valid JSON (${(cause as Error).message}); remove it if no localnet runs`);
  }
  if (typeof parsed.dir !== 'string' || !Array.isArray(parsed.processes)) {
    throw ainError(ErrInvalidRequest, `${path} lacks "dir" or "processes"; remove it if no localnet runs`);
  }
  const processes = parsed.processes.filter(
    (p): p is PidEntry => typeof p?.name === 'string' && Number.isSafeInteger(p.pid) && p.pid > 1 && typeof p.log === 'string',
  );
  return {
    dir: parsed.dir,
    ...(Number.isSafeInteger(parsed.supervisor) && parsed.supervisor! > 1 ? { supervisor: parsed.supervisor! } : {}),
    processes,
  };
}

export function removePidFile(dir: string): void {
  rmSync(pidFilePath(dir), { force: true });
}

/**
 * True when `pid` is alive and its command line names `marker` (a path every localnet process has
 * in its arguments), so a pid the system has given to another program is never taken for ours.
 * Where /proc is missing (not Linux), a live pid is trusted.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = readProc(pid, 'cmdline');
  if (cmdline === undefined) return !existsSync('/proc');
  if (processState(pid) === 'Z') return false;
  return cmdline.split('\0').some((arg) => arg.includes(marker));
}

/** Names of the processes of DIR's pid file that are still running. */
export function runningProcesses(dir: string): string[] {
  const file = readPidFile(resolve(dir));
  if (!file) return [];
  return file.processes.filter((p) => isOurProcess(p.pid, file.dir)).map((p) => p.name);
}

/** What `aind localnet status` reports for one listed process. */
export interface ProcessState {
  readonly name: string;
  readonly pid: number;
  readonly running: boolean;
  readonly log: string;
}

/** The state of every process in the pid file (none when there is no pid file). */
export function listedProcesses(dir: string): { supervisor?: { pid: number; running: boolean }; processes: ProcessState[] } {
  const file = readPidFile(dir);
  if (!file) return { processes: [] };
  const processes = file.processes.map((p) => ({ ...p, running: isOurProcess(p.pid, file.dir) }));
  return file.supervisor === undefined
    ? { processes }
    : { supervisor: { pid: file.supervisor, running: isOurProcess(file.supervisor, 'localnet') }, processes };
}

/**
 * Stops a localnet from another process (`aind localnet stop`): SIGTERM to its supervisor (which
 * stops its processes in order) and to every listed process group, SIGKILL to whatever is left after
 * the grace period, then checks that no listed group has a process left and removes the pid file.
 * Returns the names of the processes that were running. Throws `sdk/39` naming any survivor.
 */
export async function stopListedProcesses(dir: string, graceMs = STOP_GRACE_MS): Promise<string[]> {
  const file = readPidFile(dir);
  if (!file) return [];
  const supervisor = file.supervisor !== undefined && isOurProcess(file.supervisor, 'localnet') ? file.supervisor : undefined;
  const ours = file.processes.filter((p) => isOurProcess(p.pid, file.dir));
  const stopped = [...(supervisor === undefined ? [] : ['supervisor']), ...ours.map((p) => p.name)];
  if (supervisor !== undefined) {
    process.kill(supervisor, 'SIGTERM');
    await waitUntil(() => !isOurProcess(supervisor, 'localnet'), graceMs + KILL_WAIT_MS);
  }
  // Whatever the supervisor did not stop (or all of it, when there is no supervisor).
  for (const p of ours) if (isOurProcess(p.pid, file.dir)) signalGroup(p.pid, 'SIGTERM');
  await waitUntil(() => ours.every((p) => !groupAlive(p.pid)), graceMs);
  for (const p of ours) if (groupAlive(p.pid)) signalGroup(p.pid, 'SIGKILL');
  await waitUntil(() => ours.every((p) => !groupAlive(p.pid)), KILL_WAIT_MS);
  const survivors = ours.filter((p) => groupAlive(p.pid));
  if (supervisor !== undefined && isOurProcess(supervisor, 'localnet')) {
    throw ainError(ErrIO, `the localnet supervisor (pid ${supervisor}) did not exit after SIGTERM`);
  }
  if (survivors.length > 0) {
    throw ainError(ErrIO, `still running after SIGKILL: ${survivors.map((p) => `${p.name} (process group ${p.pid})`).join(', ')}`);
  }
  removePidFile(dir);
  return stopped;
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The one-letter state of a process from /proc (R, S, Z, ...), undefined when unknown. */
function processState(pid: number): string | undefined {
  const stat = readProc(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/**
 * True when some process of group `pgid` is alive and not a zombie (a zombie has exited and runs
 * nothing; it waits for its parent, or a container's init, to reap it). Scans /proc when the group
 * exists; where /proc is missing, any member counts.
 */
function liveMember(pgid: number): boolean {
  if (!existsSync('/proc')) return true;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), 'stat');
    if (stat === undefined) continue;
    // After the command name: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Safety net: a group this process started (unless detached) does not outlive it.

// One registry and one exit listener per process, however often the module is evaluated (test
// runners load it afresh per test file).
const LIVE_GROUPS = Symbol.for('ain-chain/localnet live process groups');
/** The groups this process started and that still run, and whether each was detached. */
const liveGroups = ((globalThis as { [LIVE_GROUPS]?: Map<number, boolean> })[LIVE_GROUPS] ??= killGroupsOnExit(new Map()));

/** Sends SIGTERM to every group this process started that still runs (detached too): for a signal during start-up. */
export function terminateStartedGroups(): void {
  for (const pgid of liveGroups.keys()) signalGroup(pgid, 'SIGTERM');
}

function killGroupsOnExit(groups: Map<number, boolean>): Map<number, boolean> {
  process.on('exit', () => {
    for (const [pgid, detached] of groups) if (!detached) signalGroup(pgid, 'SIGKILL');
    groups.clear();
  });
  return groups;
}
