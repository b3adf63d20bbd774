import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { leftByDeadProcess, makeRunDir, PRIVATE_RUN_PREFIX, removeStaleRunDirs, SANDBOX_RUN_PREFIX } from './runDirs.ts';

/** A pid that was this machine's and is gone: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(existsSync(`/proc/${pid}`)).toBe(false);
  return pid;
}

const roots: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ain-rundirs-test-'));
  roots.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('run directories', () => {
  it('tell a dead process’s names from a live one’s and from other names', () => {
    const dead = deadPid();
    expect(leftByDeadProcess(`ain-sbx-${dead}-AbC123`, SANDBOX_RUN_PREFIX)).toBe(true);
    expect(leftByDeadProcess(`ain-sbx-${dead}-7`, SANDBOX_RUN_PREFIX)).toBe(true);
    expect(leftByDeadProcess(`ain-sbx-${process.pid}-AbC123`, SANDBOX_RUN_PREFIX)).toBe(false);
    expect(leftByDeadProcess(`ain-run-${dead}-AbC123`, SANDBOX_RUN_PREFIX)).toBe(false);
    expect(leftByDeadProcess('ain-sbx-probe-123', SANDBOX_RUN_PREFIX)).toBe(false);
    expect(leftByDeadProcess('ain-sbx-AbC123', SANDBOX_RUN_PREFIX)).toBe(false);
  });

  it('removes what a killed process left (with what its program wrote) and keeps the rest', async () => {
    const dir = root();
    const dead = deadPid();
    const stale = join(dir, `ain-sbx-${dead}-Xy12Ab`);
    mkdirSync(join(stale, 'out'), { recursive: true });
    writeFileSync(join(stale, 'out', 'plaintext'), 'decrypted input');
    const live = join(dir, `ain-sbx-${process.pid}-Xy12Ab`);
    mkdirSync(live);
    const otherKind = join(dir, `ain-run-${dead}-Xy12Ab`);
    mkdirSync(otherKind);
    const aFile = join(dir, `ain-sbx-${dead}-file`);
    writeFileSync(aFile, 'not a run directory');
    const unrelated = join(dir, 'ain-sbx-AbC123');
    mkdirSync(unrelated);

    expect(await removeStaleRunDirs(dir, SANDBOX_RUN_PREFIX)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([otherKind, aFile, live, unrelated].map((path) => basename(path)).sort());
    expect(await removeStaleRunDirs(dir, PRIVATE_RUN_PREFIX)).toBe(1);
    expect(existsSync(otherKind)).toBe(false);
  });

  it('names a new directory by this pid, private to this user, after sweeping its root once', async () => {
    const dir = root();
    const stale = join(dir, `ain-run-${deadPid()}-Xy12Ab`);
    mkdirSync(stale);
    const made = await makeRunDir(PRIVATE_RUN_PREFIX, dir);
    expect(basename(made)).toMatch(new RegExp(`^ain-run-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(statSync(made).mode & 0o777).toBe(0o700);
    expect(existsSync(stale)).toBe(false);
    expect(leftByDeadProcess(basename(made), PRIVATE_RUN_PREFIX)).toBe(false);
  });
});
