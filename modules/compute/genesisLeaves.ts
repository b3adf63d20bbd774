/**
 * The shapes of the compute module's leaves, which InitChain checks in exported genesis leaves: every
 * end of block reads the params, and an epoch's end reads the epoch record and each worker's units as
 * bigints and mints to the workers by address; a hand-edited leaf that is not what the keeper writes
 * would throw there and halt the chain. The epoch's shape is the JSON of `EpochRecord` (bigints as
 * decimal strings; the compile-time check below keeps the two the same), and its units are the sum
 * of the workers' as the keeper keeps them. Its totals hold what the keeper's epoch ends make of them
 * (`checkEpochTotals`). They are not checked against the bank's supply: no sound check exists (the
 * README's "Genesis" says why).
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
  const record = typeof text === 'string' ? (JSON.parse(text) as EpochJson) : undefined;
  const units = record ? BigInt(record.units) : 0n;
  if (units !== workers)
    throw ainError(ErrInvalidRequest, `${FIELD}["${EPOCH_PATH}"] has units ${units}; the workers' units add up to ${workers}`);
  if (record) checkEpochTotals(record);
}

type EpochJson = z.infer<typeof epoch>;

/**
 * The minted and burned totals as epoch ends leave them (on every chain, whatever its params and
 * proposals): each total includes its last epoch's figure; an epoch mints or burns, never both; the
 * end of a partial epoch, which leaves `restart: "seed"`, mints and burns nothing; and epoch 1 only
 * seeds the average, so the first mint or burn is epoch 2's at the earliest and a record with a total
 * above 0 is at epoch 3 or later (turning the module off keeps the number and the totals).
 */
function checkEpochTotals(record: EpochJson): void {
  const [number, minted, burned, lastMinted, lastBurned] = [
    record.number,
    record.minted,
    record.burned,
    record.lastMinted,
    record.lastBurned,
  ].map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
  const refuse = (why: string) => ainError(ErrInvalidRequest, `${FIELD}["${EPOCH_PATH}"] ${why}`, { field: EPOCH_PATH });
  if (lastMinted > minted) throw refuse(`has lastMinted ${lastMinted} above minted ${minted}; the total includes the last epoch's mint`);
  if (lastBurned > burned) throw refuse(`has lastBurned ${lastBurned} above burned ${burned}; the total includes the last epoch's burn`);
  if (lastMinted > 0n && lastBurned > 0n)
    throw refuse(`has lastMinted ${lastMinted} and lastBurned ${lastBurned}; an epoch mints or burns, expected one of them 0`);
  if (record.restart === 'seed' && (lastMinted > 0n || lastBurned > 0n))
    throw refuse(
      `has restart "seed" with lastMinted ${lastMinted} and lastBurned ${lastBurned}; the partial epoch that ended before a seed mints and burns nothing, expected both 0`,
    );
  if (number < 3n && (minted > 0n || burned > 0n))
    throw refuse(
      `has number ${number} with minted ${minted} and burned ${burned}; before epoch 3 only the first epoch has ended, and it only seeds the average: expected both 0`,
    );
}

const FIELD = 'genesis compute.leaves';
