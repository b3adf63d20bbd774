/**
 * Codespace `executor`: errors of the off-chain executor. Append-only; codes are never renumbered.
 * A program that fails inside the sandbox is not an error here: `runSandboxed` reports it as a result.
 */
import { AinError, registerError } from '../core/index.ts';

export const EXECUTOR = 'executor';
export const ErrInvalidSandboxRequest = registerError(EXECUTOR, 1, 'invalid sandbox request');
export const ErrRuntimeNotFound = registerError(EXECUTOR, 2, 'runtime not found on this machine');
export const ErrSandboxStart = registerError(EXECUTOR, 3, 'sandbox failed to start');
export const ErrInvalidJobOutput = registerError(EXECUTOR, 4, 'job program output does not fit the job');
export const ErrInsecureSandbox = registerError(EXECUTOR, 5, 'sandbox isolation weaker than bubblewrap namespaces');
export const ErrRuntimeProbe = registerError(EXECUTOR, 6, 'runtime probe failed');

/** One line for the log: an `AinError` with its codespace and code, any other error by its message. */
export function describeError(error: unknown): string {
  if (error instanceof AinError) return `${error.message} [${error.codespace}/${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}
