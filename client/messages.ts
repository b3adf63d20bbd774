/**
 * Builders of the state module's messages as CosmJS `EncodeObject`s, and the JSON types they carry.
 * `AinClient` and the `aind tx state` commands build every message here.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import {
  MsgBatch,
  MsgCreateApp,
  MsgDecValue,
  MsgDeleteValue,
  MsgIncValue,
  MsgSetFunction,
  MsgSetOwner,
  MsgSetRule,
  MsgSetValue,
  type Op,
} from '../proto/gen/ain/state/v1/tx.ts';
import { STATE_TYPE_URLS } from './registry.ts';

/**
 * A JSON value as the state tree holds it: objects are subtrees, `null` means "nothing there". The
 * chain refuses arrays, empty objects and nulls nested in an object when written (state/1).
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// Config shapes are the state module's own, so client and chain cannot drift apart.
export type { FunctionConfig, OwnerConfig, OwnerPermissions, RuleConfig, StateLimits } from '../modules/state/index.ts';
import type { FunctionConfig, OwnerConfig, RuleConfig } from '../modules/state/index.ts';

/** An integer to add or subtract: decimal text, a bigint or a safe integer (the chain does no fractions). */
export type Delta = string | number | bigint;

/** One operation of an atomic batch. */
export type BatchOp =
  | { readonly type: 'setValue'; readonly path: string; readonly value: JsonValue }
  | { readonly type: 'incValue'; readonly path: string; readonly delta: Delta }
  | { readonly type: 'decValue'; readonly path: string; readonly delta: Delta }
  | { readonly type: 'deleteValue'; readonly path: string }
  | { readonly type: 'setRule'; readonly path: string; readonly rule: RuleConfig | null }
  | { readonly type: 'setOwner'; readonly path: string; readonly owner: OwnerConfig | null }
  | { readonly type: 'setFunction'; readonly path: string; readonly function: FunctionConfig | null };

/** A state message ready for `signAndBroadcast`. */
export interface StateEncodeObject<T> extends EncodeObject {
  readonly typeUrl: string;
  readonly value: T;
}

/**
 * The JSON text of a value, refusing what JSON would silently change or drop: `undefined`,
 * functions, symbols, bigints, NaN and infinities, and objects that are not plain (Date, Map, ...).
 * Throws `sdk/18`.
 * @example toJsonText({ title: 'hi', n: 1 }) // '{"title":"hi","n":1}'
 */
export function toJsonText(value: unknown, what = 'value'): string {
  checkJson(value, what, 0);
  return JSON.stringify(value);
}

function checkJson(value: unknown, where: string, depth: number): void {
  if (depth > 64) throw ainError(ErrInvalidRequest, `${where} is nested too deeply`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw ainError(ErrInvalidRequest, `${where} is ${value}; JSON has no NaN or Infinity`);
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => checkJson(item, `${where}[${i}]`, depth + 1));
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw ainError(
          ErrInvalidRequest,
          `${where} is a ${(value as object).constructor?.name ?? 'non-plain object'}; expected plain JSON`,
        );
      }
      for (const [key, item] of Object.entries(value)) checkJson(item, `${where}.${key}`, depth + 1);
      return;
    }
    default:
      throw ainError(
        ErrInvalidRequest,
        `${where} is ${typeof value === 'bigint' ? 'a bigint (pass it as a string)' : typeof value}; expected JSON`,
      );
  }
}

/**
 * Checks JSON text typed by a user (CLI argument) and returns it trimmed; throws `sdk/18` naming
 * `what` and the parser's complaint.
 * @example parseJsonText('{"write": "true"}', 'rule') // '{"write": "true"}'
 */
export function parseJsonText(text: string, what: string): string {
  const trimmed = text.trim();
  try {
    JSON.parse(trimmed);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${what} is not valid JSON (${(cause as Error).message}): ${text}`);
  }
  return trimmed;
}

/**
 * The decimal text of a delta. Throws `sdk/18` for a non-finite number or an empty string; the chain
 * checks the rest (a decimal integer, at most 2^53 - 1 in size: state/11).
 * @example deltaText(5n) // '5'
 */
export function deltaText(delta: Delta): string {
  if (typeof delta === 'number' && !Number.isFinite(delta)) throw ainError(ErrInvalidRequest, `delta ${delta} is not a finite number`);
  const text = String(delta).trim();
  if (text === '') throw ainError(ErrInvalidRequest, 'delta is empty; expected a decimal integer such as "1" or "-3"');
  return text;
}

/**
 * Message builders. JSON-valued fields take JSON text (see {@link toJsonText}).
 * @example
 * const msg = stateMsg.setValue('ain1...', '/apps/chat/posts/ain1.../1', '{"text":"hi"}');
 * await signing.signAndBroadcast('ain1...', [msg], 'auto');
 */
export const stateMsg = {
  setValue: (signer: string, path: string, valueJson: string): StateEncodeObject<MsgSetValue> => ({
    typeUrl: STATE_TYPE_URLS.setValue,
    value: MsgSetValue.fromPartial({ signer, path, value: valueJson }),
  }),
  incValue: (signer: string, path: string, delta: Delta): StateEncodeObject<MsgIncValue> => ({
    typeUrl: STATE_TYPE_URLS.incValue,
    value: MsgIncValue.fromPartial({ signer, path, delta: deltaText(delta) }),
  }),
  decValue: (signer: string, path: string, delta: Delta): StateEncodeObject<MsgDecValue> => ({
    typeUrl: STATE_TYPE_URLS.decValue,
    value: MsgDecValue.fromPartial({ signer, path, delta: deltaText(delta) }),
  }),
  deleteValue: (signer: string, path: string): StateEncodeObject<MsgDeleteValue> => ({
    typeUrl: STATE_TYPE_URLS.deleteValue,
    value: MsgDeleteValue.fromPartial({ signer, path }),
  }),
  setRule: (signer: string, path: string, ruleJson: string): StateEncodeObject<MsgSetRule> => ({
    typeUrl: STATE_TYPE_URLS.setRule,
    value: MsgSetRule.fromPartial({ signer, path, rule: ruleJson }),
  }),
  setOwner: (signer: string, path: string, ownerJson: string): StateEncodeObject<MsgSetOwner> => ({
    typeUrl: STATE_TYPE_URLS.setOwner,
    value: MsgSetOwner.fromPartial({ signer, path, owner: ownerJson }),
  }),
  setFunction: (signer: string, path: string, functionJson: string): StateEncodeObject<MsgSetFunction> => ({
    typeUrl: STATE_TYPE_URLS.setFunction,
    value: MsgSetFunction.fromPartial({ signer, path, function: functionJson }),
  }),
  batch: (signer: string, ops: readonly BatchOp[]): StateEncodeObject<MsgBatch> => ({
    typeUrl: STATE_TYPE_URLS.batch,
    value: MsgBatch.fromPartial({ signer, ops: ops.map(batchOp) }),
  }),
  createApp: (signer: string, name: string, admins: readonly string[], isPublic: boolean): StateEncodeObject<MsgCreateApp> => ({
    typeUrl: STATE_TYPE_URLS.createApp,
    value: MsgCreateApp.fromPartial({ signer, name, admins: [...admins], public: isPublic }),
  }),
} as const;

/**
 * The protobuf `Op` of a batch operation.
 * @example batchOp({ type: 'incValue', path: '/apps/a/n', delta: 1 }) // { op: { $case: 'incValue', value: { path: '/apps/a/n', delta: '1' } } }
 */
export function batchOp(op: BatchOp): Op {
  switch (op.type) {
    case 'setValue':
      return { op: { $case: 'setValue', value: { path: op.path, value: toJsonText(op.value) } } };
    case 'incValue':
      return { op: { $case: 'incValue', value: { path: op.path, delta: deltaText(op.delta) } } };
    case 'decValue':
      return { op: { $case: 'decValue', value: { path: op.path, delta: deltaText(op.delta) } } };
    case 'deleteValue':
      return { op: { $case: 'deleteValue', value: { path: op.path } } };
    case 'setRule':
      return { op: { $case: 'setRule', value: { path: op.path, rule: toJsonText(op.rule, 'rule') } } };
    case 'setOwner':
      return { op: { $case: 'setOwner', value: { path: op.path, owner: toJsonText(op.owner, 'owner') } } };
    case 'setFunction':
      return { op: { $case: 'setFunction', value: { path: op.path, function: toJsonText(op.function, 'function') } } };
    default:
      throw ainError(ErrInvalidRequest, `unknown batch op type "${(op as { type?: unknown }).type}"`);
  }
}
