import { join } from 'node:path';
import { ainError, ErrInvalidRequest } from '../../app/errors.ts';
import { type RunningExecutor, startExecutor } from '../../executor/daemon.ts';
import type { SandboxRuntime } from '../../executor/sandbox.ts';
import { getKey, keySigner } from '../common/keyring.ts';
import { nodeHttpUrl } from '../common/node-url.ts';

export interface ExecutorFlags {
  readonly home: string;
  readonly key: string;
  readonly node: string;
  readonly storage: string;
  readonly runtimes: readonly SandboxRuntime[];
  readonly price: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly fallbackMs: number;
  readonly concurrency?: number | undefined;
}

/** The file under HOME that keeps the executor's cursor (last processed height). */
export const CURSOR_FILE = 'executor-cursor.json';

/** Parses `--runtimes node,python3`. */
export function parseRuntimes(value: string): SandboxRuntime[] {
  const runtimes = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (runtimes.length === 0) throw ainError(ErrInvalidRequest, '--runtimes must name at least one runtime (node, python3)');
  for (const runtime of runtimes) {
    if (runtime !== 'node' && runtime !== 'python3')
      throw ainError(ErrInvalidRequest, `--runtimes: unknown runtime "${runtime}" (node, python3)`);
  }
  if (new Set(runtimes).size !== runtimes.length) throw ainError(ErrInvalidRequest, `--runtimes "${value}" repeats a runtime`);
  return runtimes as SandboxRuntime[];
}

/** Parses `--price`: uain, a decimal integer. */
export function parsePrice(value: string): string {
  if (!/^(0|[1-9]\d{0,30})$/.test(value)) throw ainError(ErrInvalidRequest, `--price "${value}" must be a non-negative integer (uain)`);
  return value;
}

/** Parses a positive integer flag. */
export function parsePositive(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw ainError(ErrInvalidRequest, `${name} "${value}" must be a positive integer`);
    return Number(value);
  };
}

/** Starts the executor daemon from CLI flags (logs go to stderr). */
export async function runExecutor(flags: ExecutorFlags): Promise<RunningExecutor> {
  const key = await keySigner(getKey(flags.home, flags.key));
  return startExecutor({
    rpcUrl: nodeHttpUrl(flags.node),
    storageUrl: flags.storage,
    key,
    runtimes: flags.runtimes,
    price: flags.price,
    cursorFile: join(flags.home, CURSOR_FILE),
    timeoutMs: flags.timeoutMs,
    defaultMemoryMb: flags.memoryMb,
    fallbackDelayMs: flags.fallbackMs,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
}

/** Runs until SIGINT or SIGTERM, then stops the executor (waiting for calls in flight). */
export async function runUntilSignal(executor: RunningExecutor): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await executor.stop();
}
