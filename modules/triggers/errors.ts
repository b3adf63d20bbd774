/** Errors of the triggers module (codespace `triggers`), append-only: codes are never renumbered or reused. */
import { registerError } from '../../core/index.ts';

export const TRIGGERS = 'triggers';

/** A message field is malformed (runtimes, price, output, ...). */
export const ErrInvalidTriggerMsg = registerError(TRIGGERS, 1, 'invalid triggers message');
/** A native function refused the write that fired it (wrong writer, bad amount, blocked recipient). */
export const ErrNativeFunctionFailed = registerError(TRIGGERS, 2, 'native function failed');
/** One tx fired more off-chain calls than {@link MAX_CALLS_PER_TX}. */
export const ErrTooManyCalls = registerError(TRIGGERS, 3, 'too many function calls in one tx');
export const ErrCallNotFound = registerError(TRIGGERS, 4, 'call not found', { notFound: true });
/** The call already has its result (or expired): exactly one result counts. */
export const ErrCallNotPending = registerError(TRIGGERS, 5, 'call is not pending');
export const ErrDeadlinePassed = registerError(TRIGGERS, 6, 'call deadline passed');
export const ErrExecutorNotRegistered = registerError(TRIGGERS, 7, 'executor not registered');
export const ErrExecutorNotAllowed = registerError(TRIGGERS, 8, 'executor not allowed for this function');
export const ErrFunctionSearchLimit = registerError(TRIGGERS, 9, 'function search limit exceeded');
/** A value write fired an off-chain call that no registered executor the function allows can run (runtime, packages, GPUs). */
export const ErrNoExecutor = registerError(TRIGGERS, 10, 'no executor can run this call');
