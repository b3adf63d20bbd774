/**
 * modules/compute/README.md's supply rule written as a model, apart from the keeper's code, for
 * test/app/fuzzCompute.test.ts: each epoch's units, moving average, mint, burn and worker payouts, and
 * the restart of the average that a params change measuring work differently starts, and turning it off.
 */
import { DEC_ONE } from '../../core/index.ts';
import type { ComputeParams } from '../../modules/compute/index.ts';
import { computeParamsToJson } from '../../modules/compute/params.ts';

/** The params that measure work: a change of one restarts the moving average. */
export const MEASURING = ['epoch_blocks', 'base_units', 'units_per_cpu', 'units_per_gpu', 'units_per_gib'] as const;

/** The resources a function declares, as the state module stores them. */
export interface DeclaredResources {
  readonly cpu: number;
  readonly memory_mb: number;
  readonly gpus: number;
}

export interface Model {
  params: ComputeParams | undefined;
  /** A restart of the average pending (README, "End of an epoch"): this epoch is partial, or the seed. */
  restart: 'partial' | 'seed' | undefined;
  number: bigint;
  units: bigint;
  lastUnits: bigint;
  /** 18-digit fixed point (atomics). */
  average: bigint;
  minted: bigint;
  burned: bigint;
  lastMinted: bigint;
  lastBurned: bigint;
  workers: Map<string, bigint>;
}

/** base_units + cpu x units_per_cpu + gpus x units_per_gpu + floor(memory_mb / 1024) x units_per_gib. */
export const unitsOf = (p: ComputeParams, r: DeclaredResources) =>
  p.baseUnits + BigInt(r.cpu) * p.unitsPerCpu + BigInt(r.gpus) * p.unitsPerGpu + (BigInt(r.memory_mb) / 1024n) * p.unitsPerGib;

export interface EpochEnd {
  units: bigint;
  average: bigint;
  minted: bigint;
  burned: bigint;
  /** Uain each worker is paid; the rest of the mint goes to the fee collector. */
  payouts: Map<string, bigint>;
  toCollector: bigint;
}

/** The end of an epoch as the README states it; `fees` is what the fee collector holds then. */
export function endEpoch(model: Model, p: ComputeParams, fees: bigint): EpochEnd {
  const units = model.units;
  const measured = units * DEC_ONE;
  const a = model.average;
  let mint = 0n;
  let burnWanted = 0n;
  let average: bigint;
  // A partial epoch neither mints, burns nor moves the average; the first epoch and a restart's seed set A = U.
  if (model.restart === 'partial') average = a;
  else if (model.number === 1n || model.restart === 'seed') average = measured;
  else {
    // U > A x (1 + growth): whole units of growth (truncated) x mint_per_unit, capped; below the fall
    // threshold whole units of fall (truncated) x burn_per_unit.
    if (measured * DEC_ONE > a * (DEC_ONE + p.growthThreshold)) {
      mint = ((measured - a) / DEC_ONE) * p.mintPerUnit;
      if (mint > p.maxMintPerEpoch) mint = p.maxMintPerEpoch;
    } else if (measured * DEC_ONE < a * (DEC_ONE - p.fallThreshold)) burnWanted = ((a - measured) / DEC_ONE) * p.burnPerUnit;
    // A += (U - A) x weight, in 18-digit fixed point (truncated toward zero).
    average = a + ((measured - a) * p.averageWeight) / DEC_ONE;
  }
  const payouts = new Map<string, bigint>();
  let paid = 0n;
  if (mint > 0n && units > 0n) {
    const pool = (mint * p.workerShare) / DEC_ONE;
    for (const [worker, done] of model.workers) {
      const pay = (pool * done) / units;
      if (pay > 0n) payouts.set(worker, pay);
      paid += pay;
    }
  }
  const burned = burnWanted < fees ? burnWanted : fees;
  return { units, average, minted: mint, burned, payouts, toCollector: mint - paid };
}

export function applyEnd(model: Model, end: EpochEnd): void {
  Object.assign(model, {
    restart: model.restart === 'partial' ? 'seed' : undefined,
    number: model.number + 1n,
    units: 0n,
    lastUnits: end.units,
    average: end.average,
    minted: model.minted + end.minted,
    burned: model.burned + end.burned,
    lastMinted: end.minted,
    lastBurned: end.burned,
  });
  model.workers.clear();
}

/**
 * A params change passed by gov: one that starts the module or changes how work is measured restarts
 * the average. `undefined` turns the module off: the epoch in progress and its tallies are dropped
 * (nothing minted or paid for them); the epoch's number and the minted and burned totals stay.
 */
export function applyChange(model: Model, params: ComputeParams | undefined): void {
  if (!params) {
    if (model.params)
      Object.assign(model, {
        params: undefined,
        restart: undefined,
        units: 0n,
        lastUnits: 0n,
        average: 0n,
        lastMinted: 0n,
        lastBurned: 0n,
      });
    model.workers.clear();
    return;
  }
  const [before, after] = [model.params, params].map((p) => (p ? computeParamsToJson(p) : undefined));
  if (!before || MEASURING.some((name) => before[name] !== after![name])) model.restart = 'partial';
  model.params = params;
}
