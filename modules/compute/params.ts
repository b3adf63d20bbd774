/**
 * The compute module's params. Compute-driven supply is off until genesis or a passed proposal sets
 * them: a chain whose genesis sets none stores none, measures nothing and keeps its app hash.
 */
import type { Params as ParamsProto } from '../../proto/gen/ain/compute/v1/types.ts';
import { ainError, DEC_ONE, decFromText, decToText, type ReadableState, type WritableState } from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { PARAMS_ROOT, paramPath } from './keys.ts';

export interface ComputeParams {
  readonly epochBlocks: bigint;
  /** LegacyDec atomics. */
  readonly averageWeight: bigint;
  readonly growthThreshold: bigint;
  readonly fallThreshold: bigint;
  /** uain. */
  readonly mintPerUnit: bigint;
  readonly burnPerUnit: bigint;
  readonly maxMintPerEpoch: bigint;
  /** LegacyDec atomics. */
  readonly workerShare: bigint;
  readonly baseUnits: bigint;
  readonly unitsPerCpu: bigint;
  readonly unitsPerGpu: bigint;
  readonly unitsPerGib: bigint;
}

const SPECS = [
  ['epoch_blocks', 'epochBlocks', 'count'],
  ['average_weight', 'averageWeight', 'share'],
  ['growth_threshold', 'growthThreshold', 'ratio'],
  ['fall_threshold', 'fallThreshold', 'ratio'],
  ['mint_per_unit', 'mintPerUnit', 'amount'],
  ['burn_per_unit', 'burnPerUnit', 'amount'],
  ['max_mint_per_epoch', 'maxMintPerEpoch', 'amount'],
  ['worker_share', 'workerShare', 'ratio'],
  ['base_units', 'baseUnits', 'weight'],
  ['units_per_cpu', 'unitsPerCpu', 'weight'],
  ['units_per_gpu', 'unitsPerGpu', 'weight'],
  ['units_per_gib', 'unitsPerGib', 'weight'],
] as const;
type ParamName = (typeof SPECS)[number][0];
type Kind = (typeof SPECS)[number][2];
/** The unit weights are uint64 in the proto (MsgUpdateParams, the Params query): genesis may not set more. */
const MAX_WEIGHT = 2n ** 64n - 1n;

/** `app_state.compute.params`: text values; missing names take their default. */
export type ComputeParamsJson = { [K in ParamName]?: string };

export function defaultComputeParams(): ComputeParams {
  return {
    epochBlocks: 100n,
    averageWeight: DEC_ONE / 4n,
    growthThreshold: DEC_ONE / 10n,
    fallThreshold: DEC_ONE / 5n,
    mintPerUnit: 1_000n,
    burnPerUnit: 1_000n,
    maxMintPerEpoch: 100_000_000_000n,
    workerShare: DEC_ONE / 2n,
    baseUnits: 10n,
    unitsPerCpu: 1n,
    unitsPerGpu: 100n,
    unitsPerGib: 1n,
  };
}

function parse(text: unknown, field: string, kind: Kind): bigint {
  if (typeof text !== 'string') throw ainError(ErrInvalidParams, `${field} must be a string`, { field });
  if (kind === 'count' || kind === 'amount' || kind === 'weight') {
    if (!/^(0|[1-9][0-9]{0,29})$/.test(text))
      throw ainError(ErrInvalidParams, `${field} "${text}" is not a non-negative integer`, { field });
    const value = BigInt(text);
    if (kind === 'count' && (value < 1n || value > 1_000_000n))
      throw ainError(ErrInvalidParams, `${field} ${text} must be in [1, 1000000]`, { field });
    if (kind === 'weight' && value > MAX_WEIGHT)
      throw ainError(ErrInvalidParams, `${field} ${text} must be at most ${MAX_WEIGHT} (uint64)`, { field });
    return value;
  }
  let value: bigint;
  try {
    value = decFromText(text, field);
  } catch {
    throw ainError(ErrInvalidParams, `${field} "${text}" is not a decimal`, { field });
  }
  if (value > DEC_ONE || (kind === 'share' && value === 0n))
    throw ainError(ErrInvalidParams, `${field} ${text} must be in ${kind === 'share' ? '(0' : '[0'}, 1]`, { field });
  return value;
}

/**
 * Checked params: unknown names refused, each within its bounds.
 * @throws AinError compute/2 naming the field
 */
export function computeParamsFromJson(json: ComputeParamsJson | undefined, prefix = 'compute.params'): ComputeParams {
  if (json !== undefined && (typeof json !== 'object' || json === null || Array.isArray(json)))
    throw ainError(ErrInvalidParams, `${prefix} must be an object`);
  const names: readonly string[] = SPECS.map(([name]) => name);
  for (const name of Object.keys(json ?? {}))
    if (!names.includes(name))
      throw ainError(ErrInvalidParams, `${prefix}.${name} is not a param; expected ${names.join(', ')}`, { field: name });
  const defaults = computeParamsToJson(defaultComputeParams());
  const params: Record<string, bigint> = {};
  for (const [name, key, kind] of SPECS) params[key] = parse(json?.[name] ?? defaults[name], `${prefix}.${name}`, kind);
  return params as unknown as ComputeParams;
}

export function computeParamsToJson(params: ComputeParams): Required<ComputeParamsJson> {
  const json: Record<string, string> = {};
  for (const [name, key, kind] of SPECS)
    json[name] = kind === 'share' || kind === 'ratio' ? decToText(params[key]) : params[key].toString();
  return json as Required<ComputeParamsJson>;
}

/** Stores every param (genesis with a `params` section, or a MsgUpdateParams): compute-driven supply is on from then. */
export function writeComputeParams(state: WritableState, params: ComputeParams): void {
  for (const [name, value] of Object.entries(computeParamsToJson(params))) state.set(paramPath(name), value);
}

/** Drops every param (a MsgUpdateParams with disable): compute-driven supply is off from then. */
export function deleteComputeParams(state: WritableState): void {
  for (const [name] of SPECS) state.set(paramPath(name), null);
}

/** The stored params, or undefined while compute-driven supply is off. */
export function readComputeParams(state: ReadableState): ComputeParams | undefined {
  const stored = state.list(PARAMS_ROOT, SPECS.length + 1);
  if (stored.length === 0) return undefined;
  const json: Record<string, string> = {};
  for (const [path, value] of stored) if (typeof value === 'string') json[path.slice(PARAMS_ROOT.length + 1)] = value;
  return computeParamsFromJson(json as ComputeParamsJson);
}

export function computeParamsToProto(params: ComputeParams): ParamsProto {
  const json = computeParamsToJson(params);
  return {
    epochBlocks: params.epochBlocks,
    averageWeight: json.average_weight,
    growthThreshold: json.growth_threshold,
    fallThreshold: json.fall_threshold,
    mintPerUnit: json.mint_per_unit,
    burnPerUnit: json.burn_per_unit,
    maxMintPerEpoch: json.max_mint_per_epoch,
    workerShare: json.worker_share,
    baseUnits: params.baseUnits,
    unitsPerCpu: params.unitsPerCpu,
    unitsPerGpu: params.unitsPerGpu,
    unitsPerGib: params.unitsPerGib,
  };
}

/** The params of a MsgUpdateParams. @throws AinError compute/2 naming the field */
export function computeParamsFromProto(proto: ParamsProto | undefined): ComputeParams {
  if (!proto)
    throw ainError(ErrInvalidParams, 'params is missing; expected every param, or disable to turn compute off', { field: 'params' });
  return computeParamsFromJson(
    {
      epoch_blocks: proto.epochBlocks.toString(),
      average_weight: proto.averageWeight,
      growth_threshold: proto.growthThreshold,
      fall_threshold: proto.fallThreshold,
      mint_per_unit: proto.mintPerUnit,
      burn_per_unit: proto.burnPerUnit,
      max_mint_per_epoch: proto.maxMintPerEpoch,
      worker_share: proto.workerShare,
      base_units: proto.baseUnits.toString(),
      units_per_cpu: proto.unitsPerCpu.toString(),
      units_per_gpu: proto.unitsPerGpu.toString(),
      units_per_gib: proto.unitsPerGib.toString(),
    },
    'params',
  );
}
