/**
 * The ainft module's params: bounds on compositions and on the walks through them (payments,
 * cycle checks, queries). A chain whose genesis sets none stores none and uses the defaults, so
 * adding the module changed no existing chain's state.
 */
import { ainError, paramsFieldsOf } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import type { Params as ParamsProto } from '../../proto/gen/ain/ainft/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';
import { PARAMS_ROOT, paramPath } from './keys.ts';

export interface AinftParams {
  /** Most children one token is composed of. */
  readonly maxChildren: number;
  /** How deep a payment is split down the composition; a token at this depth keeps its whole share. */
  readonly maxDepth: number;
  /** Most tokens one walk visits (a payment's split, a cycle check, a query). */
  readonly maxNodes: number;
}

type ParamName = 'max_children' | 'max_depth' | 'max_nodes';
/** `app_state.ainft.params`: decimal integer text (or JSON integers); missing names take their default. */
export type AinftParamsJson = { [K in ParamName]?: string | number };

const SPECS: ReadonlyArray<{ name: ParamName; key: keyof AinftParams; min: number; max: number }> = [
  { name: 'max_children', key: 'maxChildren', min: 1, max: 64 },
  { name: 'max_depth', key: 'maxDepth', min: 1, max: 16 },
  { name: 'max_nodes', key: 'maxNodes', min: 1, max: 4096 },
];

export function defaultAinftParams(): AinftParams {
  return { maxChildren: 16, maxDepth: 8, maxNodes: 256 };
}

/**
 * Checked params from genesis JSON: unknown names refused, each within its bounds.
 * @throws AinError ainft/16 naming the field
 */
export function ainftParamsFromJson(json: AinftParamsJson | undefined): AinftParams {
  const params: Record<string, number> = { ...defaultAinftParams() };
  if (json === undefined) return params as unknown as AinftParams;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ainError(ErrInvalidParams, 'ainft.params must be an object');
  for (const name of Object.keys(json))
    if (!SPECS.some((spec) => spec.name === name))
      throw ainError(ErrInvalidParams, `ainft.params.${name} is not a param; expected ${SPECS.map((s) => s.name).join(', ')}`, {
        field: name,
      });
  for (const spec of SPECS) {
    const value = json[spec.name];
    if (value === undefined) continue;
    const field = `ainft.params.${spec.name}`;
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !/^[0-9]{1,9}$/.test(text) || Number(text) < spec.min || Number(text) > spec.max)
      throw ainError(ErrInvalidParams, `${field} ${JSON.stringify(value)} must be an integer in [${spec.min}, ${spec.max}]`, { field });
    params[spec.key] = Number(text);
  }
  return params as unknown as AinftParams;
}

/** Writes the params genesis names (and only those) at `/params/ainft/<name>`. */
export function writeAinftParams(state: WritableState, json: AinftParamsJson | undefined): void {
  const params = ainftParamsFromJson(json);
  for (const spec of SPECS) if (json?.[spec.name] !== undefined) state.set(paramPath(spec.name), String(params[spec.key]));
}

/** The params in force: the stored ones over the defaults. */
export function readAinftParams(state: ReadableState): AinftParams {
  const stored = state.list(PARAMS_ROOT, SPECS.length + 1);
  if (stored.length === 0) return defaultAinftParams();
  const json: Record<string, string> = {};
  for (const [path, value] of stored) if (typeof value === 'string') json[path.slice(PARAMS_ROOT.length + 1)] = value;
  return ainftParamsFromJson(json as AinftParamsJson);
}

export function ainftParamsToJson(params: AinftParams): AinftParamsJson {
  return Object.fromEntries(SPECS.map((spec) => [spec.name, String(params[spec.key])])) as AinftParamsJson;
}

export function ainftParamsToProto(params: AinftParams): ParamsProto {
  return { maxChildren: params.maxChildren, maxDepth: params.maxDepth, maxNodes: params.maxNodes };
}

/**
 * The params of a MsgUpdateParams (the gov authority's): every field of the message, checked as in
 * genesis (an absent message is refused naming `params`).
 * @throws AinError naming the field
 */
export function ainftParamsFromProto(proto: ParamsProto | undefined): AinftParams {
  const fields = paramsFieldsOf(
    proto,
    SPECS.map((spec) => spec.name),
  );
  if (!fields) throw ainError(ErrInvalidParams, 'params is missing', { field: 'params' });
  return ainftParamsFromJson(fields as AinftParamsJson);
}
