/**
 * Errors of the state module, codespace `state`. Append-only: codes are never renumbered or reused.
 * Every one is a user's mistake or a refusal, returned as a tx result code. Writes outside
 * `/apps/<app>/...` are `sdk/4 unauthorized`; invalid signers are `sdk/7`; rule syntax and type errors
 * keep their `rules` codes; invalid labels keep the store's `store/1-5`.
 */
import { registerError } from '../../core/index.ts';

export const STATE = 'state';

/** A JSON value is malformed or not storable: parse error, array, empty object, nested null, non-finite number, `$` key. */
export const ErrInvalidValue = registerError(STATE, 1, 'invalid value');
/** A value (or config) passes a size bound: JSON text bytes, leaves per value, nesting depth, leaves replaced. */
export const ErrValueTooLarge = registerError(STATE, 2, 'value too large');
/** A path or path pattern is not acceptable: `$` label in a value path, bad `$variable`, too deep. */
export const ErrInvalidStatePath = registerError(STATE, 3, 'invalid state path');
/** A write rule evaluated to false (the message names the rule's path and the reason). */
export const ErrWriteRefused = registerError(STATE, 4, 'write refused by rule');
/** No write rule matches the path or any of its ancestors. */
export const ErrNoRule = registerError(STATE, 5, 'no write rule applies');
/** A state rule (`max_children`, `max_height`, `max_bytes`) would be broken by the write. */
export const ErrStateRuleViolated = registerError(STATE, 6, 'state rule violated');
/** The governing owner config does not give the signer the permission needed. */
export const ErrPermissionDenied = registerError(STATE, 7, 'permission denied by owner config');
/** A rule config is malformed (not an object, unknown keys, bad `state` limits). */
export const ErrInvalidRuleConfig = registerError(STATE, 8, 'invalid rule config');
/** An owner config is malformed (`owners` missing, bad address, missing or extra permission). */
export const ErrInvalidOwnerConfig = registerError(STATE, 9, 'invalid owner config');
/** A function config is malformed (`function_type`, `function_id`). */
export const ErrInvalidFunctionConfig = registerError(STATE, 10, 'invalid function config');
/** inc/dec on something that is not a safe integer, a fractional delta, or a result out of range. */
export const ErrInvalidArithmetic = registerError(STATE, 11, 'invalid arithmetic');
/** MsgCreateApp for a name that is taken. */
export const ErrAppExists = registerError(STATE, 12, 'app already exists');
/** MsgCreateApp with a bad name or admin list. */
export const ErrInvalidApp = registerError(STATE, 13, 'invalid app');
/** MsgBatch with no ops, more than 50, or an empty op. */
export const ErrInvalidBatch = registerError(STATE, 14, 'invalid batch');
/** A pattern's `$variable` differs from the one already used at the same level by another config. */
export const ErrVariableConflict = registerError(STATE, 15, 'path variable conflict');
/** A read (query answer, rule's `data`, `getValue`, state-rule scan) passes its leaf bound. */
export const ErrTooManyLeaves = registerError(STATE, 16, 'too many leaves');
/** Rule matching visited more pattern nodes than its bound. */
export const ErrRuleSearchLimit = registerError(STATE, 17, 'rule search limit exceeded');
