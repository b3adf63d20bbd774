import { execFile } from 'node:child_process';
import { AIND_SCRIPT, REPO_ROOT } from '../../home/index.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aind ARGS...` as a user would (a new process) and collects its exit code and output. */
export function runAind(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AIND_SCRIPT, ...args], { cwd: REPO_ROOT, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs `aind ARGS...` with `input` written to its stdin (e.g. commands piped into `aind console`). */
export function runAindWithInput(input: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [AIND_SCRIPT, ...args], { cwd: REPO_ROOT, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}
