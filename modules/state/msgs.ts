/**
 * Stateless checks of the state module's messages (`validateBasic`): the signer's address, paths,
 * JSON texts (parse errors named by field), configs, sizes. The keeper checks again when it runs,
 * since a batch op or genesis reaches it without a message.
 */
import { AinError, ainError, ErrInvalidRequest, parseAddress } from '../../core/index.ts';
import type {
  MsgBatch,
  MsgCreateApp,
  MsgDecValue,
  MsgDeleteValue,
  MsgIncValue,
  MsgSetFunction,
  MsgSetOwner,
  MsgSetRule,
  MsgSetValue,
  Op,
} from '../../proto/gen/ain/state/v1/tx.ts';
import { parseFunctionConfig, parseOwnerConfig, parseRuleConfig } from './configs.ts';
import { ErrInvalidApp, ErrInvalidArithmetic, ErrInvalidBatch } from './errors.ts';
import { parseJsonText, valueToLeaves } from './json.ts';
import { APP_NAME_PATTERN, MAX_APP_NAME_LENGTH, parseConfigPattern, parseValuePath } from './keys.ts';

/** Most ops in one MsgBatch (AI Network's SET op list bound). */
export const MAX_BATCH_OPS = 50;
/** Most admins of one app. */
export const MAX_APP_ADMINS = 16;

/**
 * Parses an inc/dec delta: a decimal integer string (optional sign) that is a safe integer.
 * @throws AinError state/11, saying fractional arithmetic is not done on chain
 * @example parseDelta('-3') // -3
 */
export function parseDelta(delta: string, field = 'delta'): number {
  if (typeof delta !== 'string' || !/^[+-]?[0-9]{1,16}$/.test(delta)) {
    const shown = typeof delta === 'string' ? JSON.stringify(delta.slice(0, 40)) : String(delta);
    throw ainError(
      ErrInvalidArithmetic,
      `${field} ${shown} is not an integer; deltas are decimal integers (fractional arithmetic is not done on chain)`,
      { field },
    );
  }
  const value = Number(delta);
  if (!Number.isSafeInteger(value))
    throw ainError(ErrInvalidArithmetic, `${field} ${delta} is not a safe integer (|n| <= 2^53 - 1)`, { field });
  return value === 0 ? 0 : value;
}

/**
 * Checks an app's name (`^[a-z_][a-z0-9_]*$`, at most 64 characters) and admins (1 to 16 distinct
 * addresses).
 * @throws AinError state/13, sdk/7 for a bad address
 */
export function checkApp(name: string, admins: readonly string[], field = 'app'): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_APP_NAME_LENGTH || !APP_NAME_PATTERN.test(name)) {
    throw ainError(
      ErrInvalidApp,
      `${field} name ${JSON.stringify(String(name).slice(0, 80))} must match ${APP_NAME_PATTERN.source} with at most ${MAX_APP_NAME_LENGTH} characters`,
      { field },
    );
  }
  if (!Array.isArray(admins) || admins.length === 0 || admins.length > MAX_APP_ADMINS) {
    throw ainError(ErrInvalidApp, `${field} needs 1 to ${MAX_APP_ADMINS} admins, got ${Array.isArray(admins) ? admins.length : 'none'}`, {
      field,
    });
  }
  admins.forEach((admin, i) => {
    parseAddress(admin, `${field} admins[${i}]`);
    if (admins.indexOf(admin) !== i) throw ainError(ErrInvalidApp, `${field} admins[${i}] repeats ${admin}`, { field });
  });
}

function checkSigner(signer: string): void {
  parseAddress(signer, 'signer');
}

function checkValue(path: string, value: string): void {
  const target = parseValuePath(path);
  valueToLeaves(target.path, parseJsonText(value, 'value'));
}

export function validateMsgSetValue(msg: MsgSetValue): void {
  checkSigner(msg.signer);
  checkValue(msg.path, msg.value);
}

export function validateMsgIncValue(msg: MsgIncValue | MsgDecValue): void {
  checkSigner(msg.signer);
  parseValuePath(msg.path);
  parseDelta(msg.delta);
}

export const validateMsgDecValue = validateMsgIncValue;

export function validateMsgDeleteValue(msg: MsgDeleteValue): void {
  checkSigner(msg.signer);
  parseValuePath(msg.path);
}

export function validateMsgSetRule(msg: MsgSetRule): void {
  checkSigner(msg.signer);
  parseRuleConfig(msg.rule, parseConfigPattern('rule', msg.path), 'rule');
}

export function validateMsgSetOwner(msg: MsgSetOwner): void {
  checkSigner(msg.signer);
  parseOwnerConfig(msg.owner, parseConfigPattern('owner', msg.path), 'owner');
}

export function validateMsgSetFunction(msg: MsgSetFunction): void {
  checkSigner(msg.signer);
  parseFunctionConfig(msg.function, parseConfigPattern('function', msg.path), 'function');
}

export function validateMsgCreateApp(msg: MsgCreateApp): void {
  checkSigner(msg.signer);
  checkApp(msg.name, msg.admins, 'app');
}

/** The snake_case name of an op's case, as in the proto oneof (`setValue` -> `set_value`). */
export function opName(op: Op): string {
  return op.op ? op.op.$case.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : 'empty';
}

/** Re-raises an error of op `index` with the op named first in its message, keeping code and metadata. */
export function inOp(error: unknown, index: number, op: Op): unknown {
  if (!(error instanceof AinError)) return error;
  return new AinError({ codespace: error.codespace, code: error.code, description: error.message }, `ops[${index}] (${opName(op)})`, {
    ...error.meta,
    op: index,
  });
}

/** Checks one op of a batch as its own message would be checked. */
export function validateOp(op: Op, signer: string): void {
  const o = op.op;
  if (!o)
    throw ainError(
      ErrInvalidBatch,
      'op is empty; set one of set_value, inc_value, dec_value, delete_value, set_rule, set_owner, set_function',
    );
  switch (o.$case) {
    case 'setValue':
      return validateMsgSetValue({ signer, ...o.value });
    case 'incValue':
    case 'decValue':
      return validateMsgIncValue({ signer, ...o.value });
    case 'deleteValue':
      return validateMsgDeleteValue({ signer, ...o.value });
    case 'setRule':
      return validateMsgSetRule({ signer, ...o.value });
    case 'setOwner':
      return validateMsgSetOwner({ signer, ...o.value });
    case 'setFunction':
      return validateMsgSetFunction({ signer, ...o.value });
    default:
      throw ainError(ErrInvalidRequest, `unknown op ${(o as { $case: string }).$case}`);
  }
}

export function validateMsgBatch(msg: MsgBatch): void {
  checkSigner(msg.signer);
  if (msg.ops.length === 0 || msg.ops.length > MAX_BATCH_OPS) {
    throw ainError(ErrInvalidBatch, `a batch holds 1 to ${MAX_BATCH_OPS} ops, not ${msg.ops.length}`, { ops: msg.ops.length });
  }
  msg.ops.forEach((op, i) => {
    try {
      validateOp(op, msg.signer);
    } catch (error) {
      throw inOp(error, i, op);
    }
  });
}
