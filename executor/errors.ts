/**
 * Codespace `executor`: errors of the off-chain executor. Append-only; codes are never renumbered.
 * A program that fails inside the sandbox is not an error here: `runSandboxed` reports it as a result.
 */
import { registerError } from '../app/errors.ts';

export const EXECUTOR = 'executor';
export const ErrInvalidSandboxRequest = registerError(EXECUTOR, 1, 'invalid sandbox request');
export const ErrRuntimeNotFound = registerError(EXECUTOR, 2, 'runtime not found on this machine');
export const ErrSandboxStart = registerError(EXECUTOR, 3, 'sandbox failed to start');
