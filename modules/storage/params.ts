/**
 * The storage module's params: the longest reservation, the most grants on one blob, and how long
 * the readers of a job request keep access after it settles. A chain whose genesis sets none stores
 * none and uses the defaults, so adding the module changed no existing chain's state.
 */
import { ainError, paramsFieldsOf } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import type { Params as ParamsProto } from '../../proto/gen/ain/storage/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';
import { PARAMS_ROOT, paramPath } from './keys.ts';

export interface StorageParams {
  readonly maxReservationSeconds: bigint;
  readonly maxGrants: number;
  readonly requestAccessSeconds: bigint;
}

type ParamName = 'max_reservation_seconds' | 'max_grants' | 'request_access_seconds';
/** `app_state.storage.params`: decimal integer text (or JSON integers); missing names take their default. */
export type StorageParamsJson = { [K in ParamName]?: string | number };

const SPECS: ReadonlyArray<{ name: ParamName; key: keyof StorageParams; min: bigint; max: bigint }> = [
  { name: 'max_reservation_seconds', key: 'maxReservationSeconds', min: 1n, max: 10n * 365n * 86_400n },
  { name: 'max_grants', key: 'maxGrants', min: 1n, max: 1024n },
  { name: 'request_access_seconds', key: 'requestAccessSeconds', min: 0n, max: 365n * 86_400n },
];

export function defaultStorageParams(): StorageParams {
  return { maxReservationSeconds: 365n * 86_400n, maxGrants: 64, requestAccessSeconds: 86_400n };
}

/**
 * Checked params from genesis JSON: unknown names refused, each within its bounds.
 * @throws AinError bigstorage/12 naming the field
 */
export function storageParamsFromJson(json: StorageParamsJson | undefined): StorageParams {
  const params: Record<string, bigint | number> = { ...defaultStorageParams() };
  if (json === undefined) return params as unknown as StorageParams;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw ainError(ErrInvalidParams, 'storage.params must be an object');
  for (const name of Object.keys(json))
    if (!SPECS.some((spec) => spec.name === name))
      throw ainError(ErrInvalidParams, `storage.params.${name} is not a param; expected ${SPECS.map((s) => s.name).join(', ')}`, {
        field: name,
      });
  for (const spec of SPECS) {
    const value = json[spec.name];
    if (value === undefined) continue;
    const field = `storage.params.${spec.name}`;
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !/^[0-9]{1,12}$/.test(text) || BigInt(text) < spec.min || BigInt(text) > spec.max)
      throw ainError(ErrInvalidParams, `${field} ${JSON.stringify(value)} must be an integer in [${spec.min}, ${spec.max}]`, { field });
    params[spec.key] = spec.key === 'maxGrants' ? Number(text) : BigInt(text);
  }
  return params as unknown as StorageParams;
}

/** Writes the params genesis names (and only those) at `/params/storage/<name>`. */
export function writeStorageParams(state: WritableState, json: StorageParamsJson | undefined): void {
  const params = storageParamsFromJson(json);
  for (const spec of SPECS) if (json?.[spec.name] !== undefined) state.set(paramPath(spec.name), String(params[spec.key]));
}

/** The params in force: the stored ones over the defaults. */
export function readStorageParams(state: ReadableState): StorageParams {
  const stored = state.list(PARAMS_ROOT, SPECS.length + 1);
  if (stored.length === 0) return defaultStorageParams();
  const json: Record<string, string> = {};
  for (const [path, value] of stored) if (typeof value === 'string') json[path.slice(PARAMS_ROOT.length + 1)] = value;
  return storageParamsFromJson(json as StorageParamsJson);
}

export function storageParamsToJson(params: StorageParams): StorageParamsJson {
  return Object.fromEntries(SPECS.map((spec) => [spec.name, String(params[spec.key])])) as StorageParamsJson;
}

export function storageParamsToProto(params: StorageParams): ParamsProto {
  return {
    maxReservationSeconds: params.maxReservationSeconds,
    maxGrants: BigInt(params.maxGrants),
    requestAccessSeconds: params.requestAccessSeconds,
  };
}

/**
 * The params of a MsgUpdateParams (the gov authority's): every field of the message, checked as in
 * genesis (an absent message is refused naming `params`).
 * @throws AinError naming the field
 */
export function storageParamsFromProto(proto: ParamsProto | undefined): StorageParams {
  const fields = paramsFieldsOf(
    proto,
    SPECS.map((spec) => spec.name),
  );
  if (!fields) throw ainError(ErrInvalidParams, 'params is missing', { field: 'params' });
  return storageParamsFromJson(fields as StorageParamsJson);
}
