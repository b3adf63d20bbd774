/**
 * Test helpers for AIN Functions: polling until a condition holds, and `aind executor` run as a real
 * process (its own home and keyring) that a test can kill and restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addKey, AIND_SCRIPT } from '../../home/index.ts';
import type { TestAccount } from './node.ts';

export interface ExecutorProcessOptions {
  readonly account: TestAccount;
  readonly rpcUrl: string;
  readonly storageUrl: string;
  /** Extra `aind executor` flags, e.g. `['--timeout-ms', '2000']`. */
  readonly args?: readonly string[];
  /** Reuse a home (a restart keeps the keyring and cursor); default a new temp dir. */
  readonly home?: string;
}

export interface ExecutorProcess {
  readonly home: string;
  readonly address: string;
  readonly pid: number;
  /** Everything written to stderr so far (the executor's log). */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGKILL: the daemon and, through bubblewrap's --die-with-parent, any program it runs. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the daemon finishes calls in flight. */
  stop(): Promise<number | null>;
  /** Deletes the home (after stop or kill). */
  remove(): void;
}

/** Starts `aind executor` for `account` (its mnemonic imported into the home's keyring as `exec`). */
export async function startExecutorProcess(options: ExecutorProcessOptions): Promise<ExecutorProcess> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'ain-test-executor-'));
  if (!options.home) await addKey(home, 'exec', options.account.mnemonic);
  const args = [AIND_SCRIPT, 'executor', '--home', home, '--key', 'exec', '--node', options.rpcUrl, '--storage', options.storageUrl];
  const child: ChildProcess = spawn(process.execPath, [...args, ...(options.args ?? [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    home,
    address: options.account.address,
    pid: child.pid ?? 0,
    stderr: () => log,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    remove() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
