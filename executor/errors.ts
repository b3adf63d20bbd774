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
/** An HTTP function call without a well-formed `ain-voucher` header: the detail names the field. */
export const ErrVoucherMalformed = registerError(EXECUTOR, 7, 'payment voucher missing or malformed');
/** A voucher whose amount grows by less than the endpoint's price over the last one accepted. */
export const ErrVoucherUnderpaid = registerError(EXECUTOR, 8, 'voucher does not cover the price');
/** No function serves this method and path over HTTP (or it needs a runtime this executor lacks). */
export const ErrNoHttpFunction = registerError(EXECUTOR, 9, 'no HTTP function here');
/** An HTTP function call whose body is not JSON or is too large. */
export const ErrBadHttpBody = registerError(EXECUTOR, 10, 'HTTP request body invalid');
/** A contract call whose `ain-contract` request is malformed, not signed by the contract's client, out of its period, past its deadline or replayed. */
export const ErrContractCallRefused = registerError(EXECUTOR, 11, 'contract call refused');
/** A call without a contract while every slot is busy and contracts hold this executor's capacity. */
export const ErrCapacityReserved = registerError(EXECUTOR, 12, 'capacity reserved for contract calls');
/** A request Node's HTTP server refused before the gateway saw it: headers too large (431), too slow (408), not HTTP (400). */
export const ErrBadHttpRequest = registerError(EXECUTOR, 13, 'HTTP request refused before it was read');
