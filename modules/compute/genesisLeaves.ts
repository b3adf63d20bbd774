/**
 * The shapes of the compute module's leaves, which InitChain checks in exported genesis leaves: every
 * end of block reads the params, and an epoch's end reads the epoch record and each worker's units as
 * bigints and mints to the workers by address; a hand-edited leaf that is not what the keeper writes
 * would throw there and halt the chain. The epoch's shape is the JSON of `EpochRecord` (bigints as
 * decimal strings; the compile-time check below keeps the two the same), and its units are the sum
 * of the workers' as the keeper keeps them.
 */
import { z } from 'zod';
import {
  ainError,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  type RecordJson,
} from '../../core/index.ts';
import type { EpochRecord } from './keeper.ts';
import { ErrInvalidParams } from './errors.ts';
import { EPOCH_PATH, PARAMS_ROOT, paramPath, WORKERS_ROOT } from './keys.ts';
import { type ComputeParamsJson, computeParamsFromJson } from './params.ts';

const { uint, address } = leafShapes;

const epoch = z.strictObject({
  number: uint,
  units: uint,
  lastUnits: uint,
  average: uint,
  minted: uint,
  burned: uint,
  lastMinted: uint,
  lastBurned: uint,
  // Only while a restart of the average is pending (the keeper writes nothing else there).
  restart: z.enum(['partial', 'seed']).exactOptional(),
});

// A field added to the record type and not here (or the other way round) fails to compile.
const shapeMatchesRecord: SameType<z.infer<typeof epoch>, RecordJson<EpochRecord>> = true;
void shapeMatchesRecord;

const COMPUTE_LEAVES: readonly LeafKind[] = [
  { path: EPOCH_PATH, schema: epoch, record: true },
  { path: `${WORKERS_ROOT}/*`, schema: uint },
];

/**
 * Checks the compute leaves of a genesis: the params as genesis would take them, the epoch record and
 * the workers' units as the keeper writes them (each under an address), and the epoch's units their sum.
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkComputeLeaves(leaves: SubtreeLeaves): void {
  checkLeafKinds(leaves, COMPUTE_LEAVES, FIELD);
  const params: Record<string, string> = {};
  let workers = 0n;
  for (const [path, value] of Object.entries(leaves)) {
    if (path.startsWith(`${PARAMS_ROOT}/`)) {
      if (typeof value !== 'string') throw ainError(ErrInvalidRequest, `${FIELD}["${path}"] must be text, as params are stored`);
      params[path.slice(PARAMS_ROOT.length + 1)] = value;
    } else if (path.startsWith(`${WORKERS_ROOT}/`)) {
      if (!address.safeParse(path.slice(WORKERS_ROOT.length + 1)).success)
        throw ainError(ErrInvalidRequest, `${FIELD}["${path}"] is not under a worker's address (ain1...)`);
      workers += BigInt(value as string);
    }
  }
  // Every end of block reads them: a param genesis would refuse would halt the chain there.
  for (const [name, value] of Object.entries(params)) {
    try {
      computeParamsFromJson({ [name]: value } as ComputeParamsJson, 'params');
    } catch (error) {
      const why = (error as Error).message.replace(`params.${name} `, '').replace(`: ${ErrInvalidParams.description}`, '');
      throw ainError(ErrInvalidRequest, `${FIELD}["${paramPath(name)}"] ${why}`);
    }
  }
  const text = leaves[EPOCH_PATH];
  const units = typeof text === 'string' ? BigInt((JSON.parse(text) as { units: string }).units) : 0n;
  if (units !== workers)
    throw ainError(ErrInvalidRequest, `${FIELD}["${EPOCH_PATH}"] has units ${units}; the workers' units add up to ${workers}`);
}

const FIELD = 'genesis compute.leaves';
