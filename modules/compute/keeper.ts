/**
 * The only code touching `/compute` and `/params/compute`: compute delivered per epoch, measured from
 * the chain's own records (accepted job results, weighted by the resources their job declared), its
 * moving average, and at each epoch's end a mint when compute grew past the growth threshold or a
 * burn from the block's fees when it fell past the fall threshold. Integer and 18-digit fixed-point
 * math only. See README.md.
 */
import {
  BASE_DENOM,
  type BlockContext,
  type CoinContext,
  DEC_ONE,
  decodeRecord,
  decToText,
  encodeRecord,
  moduleAddress,
  type ReadableState,
  unmeteredView,
} from '../../core/index.ts';
import type { ClosedRequest, JobsHooks } from '../jobs/index.ts';
import type { SettledCall, TriggersHooks } from '../triggers/index.ts';
import type { BankKeeper, DeclaredResources, JobsKeeper } from './expected_keepers.ts';
import { epochEndedEvent } from './events.ts';
import { EPOCH_PATH, WORKERS_ROOT, workerPath } from './keys.ts';
import { type ComputeParams, deleteComputeParams, readComputeParams, writeComputeParams } from './params.ts';

/** Most workers one epoch pays by name; units of any beyond still count, their share goes to the fee collector. */
export const MAX_PAID_WORKERS = 10_000;

/**
 * A restart of the moving average after a params change that starts the module or changes how work
 * is measured: the epoch in progress is `partial` (it neither mints, burns nor moves the average), the
 * next one `seed` (it sets the average to its units, as the first epoch does).
 */
export type EpochRestart = 'partial' | 'seed';

/**
 * The epoch record at `/compute/epoch`. `average` is in LegacyDec atomics (units x 10^18). `restart` is
 * written only while a restart is pending, so a chain that never sees one keeps its records (and app hash).
 */
export interface EpochRecord {
  readonly number: bigint;
  readonly units: bigint;
  readonly lastUnits: bigint;
  readonly average: bigint;
  readonly minted: bigint;
  readonly burned: bigint;
  readonly lastMinted: bigint;
  readonly lastBurned: bigint;
  readonly restart?: EpochRestart;
}

const EPOCH_BIGINTS: ReadonlySet<string> = new Set([
  'number',
  'units',
  'lastUnits',
  'average',
  'minted',
  'burned',
  'lastMinted',
  'lastBurned',
]);
const FIRST_EPOCH: EpochRecord = {
  number: 1n,
  units: 0n,
  lastUnits: 0n,
  average: 0n,
  minted: 0n,
  burned: 0n,
  lastMinted: 0n,
  lastBurned: 0n,
};

/** The epoch record (the first epoch's when none is stored yet). */
export function readEpoch(state: ReadableState): EpochRecord {
  const text = state.get(EPOCH_PATH);
  return typeof text === 'string' ? decodeRecord<EpochRecord>(text, EPOCH_BIGINTS) : FIRST_EPOCH;
}

/** Units of one accepted result of a job that declared `resources`. */
export function unitsOf(params: ComputeParams, resources: DeclaredResources): bigint {
  return (
    params.baseUnits +
    BigInt(resources.cpu) * params.unitsPerCpu +
    BigInt(resources.gpus) * params.unitsPerGpu +
    (resources.memoryMb / 1024n) * params.unitsPerGib
  );
}

/** What an epoch's end decides: the mint or burn and the new moving average (atomics). */
export interface EpochOutcome {
  readonly mint: bigint;
  readonly burnWanted: bigint;
  readonly average: bigint;
}

/**
 * Whether moving from params `before` (undefined: the module was off) to `after` restarts the moving
 * average: the module starts, or work is measured otherwise (epoch length or a unit weight).
 */
export function restartsAverage(before: ComputeParams | undefined, after: ComputeParams): boolean {
  return (
    before === undefined ||
    before.epochBlocks !== after.epochBlocks ||
    before.baseUnits !== after.baseUnits ||
    before.unitsPerCpu !== after.unitsPerCpu ||
    before.unitsPerGpu !== after.unitsPerGpu ||
    before.unitsPerGib !== after.unitsPerGib
  );
}

/**
 * The supply rule for an epoch that delivered `units` against the moving average `average` (atomics):
 * a partial epoch (a restart pending) changes nothing; the first epoch and a restart's seed epoch only
 * seed the average; above average x (1 + growth) mints (units - average) x
 * mint_per_unit, at most max_mint_per_epoch; below average x (1 - fall) burns (average - units) x
 * burn_per_unit (as far as the fees allow). The average then moves by average_weight toward units.
 */
export function epochOutcome(
  params: ComputeParams,
  epoch: Pick<EpochRecord, 'number' | 'average' | 'restart'>,
  units: bigint,
): EpochOutcome {
  const measured = units * DEC_ONE;
  if (epoch.restart === 'partial') return { mint: 0n, burnWanted: 0n, average: epoch.average };
  if (epoch.number === 1n || epoch.restart === 'seed') return { mint: 0n, burnWanted: 0n, average: measured };
  let mint = 0n;
  let burnWanted = 0n;
  if (measured * DEC_ONE > epoch.average * (DEC_ONE + params.growthThreshold)) {
    const excess = (measured - epoch.average) / DEC_ONE;
    mint = excess * params.mintPerUnit;
    if (mint > params.maxMintPerEpoch) mint = params.maxMintPerEpoch;
  } else if (measured * DEC_ONE < epoch.average * (DEC_ONE - params.fallThreshold)) {
    burnWanted = ((epoch.average - measured) / DEC_ONE) * params.burnPerUnit;
  }
  const average = epoch.average + ((measured - epoch.average) * params.averageWeight) / DEC_ONE;
  return { mint, burnWanted, average };
}

export class ComputeKeeper {
  readonly feeCollector: string;

  constructor(
    private readonly bank: BankKeeper,
    private readonly jobs: JobsKeeper,
    feeCollectorName: string,
  ) {
    this.feeCollector = moduleAddress(feeCollectorName);
  }

  /** The params in force, undefined while compute-driven supply is off. */
  params(state: ReadableState): ComputeParams | undefined {
    return readComputeParams(state);
  }

  epoch(state: ReadableState): EpochRecord {
    return readEpoch(state);
  }

  /**
   * MsgUpdateParams: stores `params`. A change that starts the module or changes how work is measured
   * makes the epoch in progress partial (its units span part of an epoch, or two rules), restarting
   * the average; one that touches only other params leaves the epoch as it is.
   */
  updateParams(ctx: Pick<BlockContext, 'state'>, params: ComputeParams): void {
    const before = readComputeParams(ctx.state);
    writeComputeParams(ctx.state, params);
    if (!restartsAverage(before, params)) return;
    ctx.state.set(EPOCH_PATH, encodeRecord({ ...readEpoch(ctx.state), restart: 'partial' }));
  }

  /**
   * MsgUpdateParams with disable: compute-driven supply off, as before genesis or a proposal set params.
   * The params and the worker tallies go, and the epoch in progress with them: its work is neither
   * minted for nor paid. The record keeps the epoch's number and the minted and burned totals (the
   * supply is genesis + block rewards + minted - burned, and epoch numbers in events stay unique); its
   * other figures go to zero, so turning it on again is a first activation (a partial epoch, then a
   * seed). Already off: nothing changes. The tallies are those written since the last epoch's end,
   * each by a tx that paid for it, as many as that end would have cleared; listed in path order.
   */
  turnOff(ctx: Pick<BlockContext, 'state'>): void {
    if (!readComputeParams(ctx.state)) return;
    deleteComputeParams(ctx.state);
    for (const [path] of ctx.state.list(WORKERS_ROOT, Number.MAX_SAFE_INTEGER)) ctx.state.set(path, null);
    // No record yet (on since genesis, no epoch ended, no work): none written, as if never on.
    if (typeof ctx.state.get(EPOCH_PATH) !== 'string') return;
    const { number, minted, burned } = readEpoch(ctx.state);
    ctx.state.set(EPOCH_PATH, encodeRecord({ ...FIRST_EPOCH, number, minted, burned }));
  }

  /**
   * The jobs hook: a completed request's ranked results are accepted work; each counts the units of
   * its job's declared resources for its worker, and its ranking as much for whoever ranked it (the
   * evaluator, or the resolver that replaced its ranking: it ran the job's evaluator code on the
   * results). While compute-driven supply is off it reads nothing metered, so a tx costs the same gas
   * as before the module.
   */
  jobsHooks(): JobsHooks {
    return {
      afterRequestClosed: (ctx, request: ClosedRequest) => {
        if (request.status !== 'completed' || request.ranking.length === 0) return;
        const params = readComputeParams(unmeteredView(ctx.state));
        if (!params) return;
        const resources = this.jobs.jobResources(ctx.state, request.jobId) ?? { cpu: 0, memoryMb: 0n, gpus: 0 };
        const units = unitsOf(params, resources);
        for (const worker of request.ranking) this.recordWork(ctx, worker, units);
        if (request.rankedBy !== '') this.recordWork(ctx, request.rankedBy, units);
      },
    };
  }

  /**
   * The triggers hook: an off-chain call answered with a result (not a failure) is delivered work;
   * it counts the units of the resources its function declares for its executor. Off: nothing read.
   */
  triggersHooks(): TriggersHooks {
    return {
      afterCallDone: (ctx, call: SettledCall) => {
        const params = readComputeParams(unmeteredView(ctx.state));
        if (!params) return;
        const declared = call.resources();
        const resources = declared
          ? { cpu: declared.cpu, gpus: declared.gpus, memoryMb: BigInt(declared.memory_mb) }
          : { cpu: 0, memoryMb: 0n, gpus: 0 };
        this.recordWork(ctx, call.executor, unitsOf(params, resources));
      },
    };
  }

  /** Adds `units` delivered by `worker` to this epoch. */
  recordWork(ctx: Pick<BlockContext, 'state'>, worker: string, units: bigint): void {
    const epoch = readEpoch(ctx.state);
    ctx.state.set(EPOCH_PATH, encodeRecord({ ...epoch, units: epoch.units + units }));
    const path = workerPath(worker);
    const before = ctx.state.get(path);
    ctx.state.set(path, (BigInt(typeof before === 'string' ? before : '0') + units).toString());
  }

  /** End of block: at the last block of an epoch, mint or burn by the rule and start the next epoch. */
  endBlock(ctx: BlockContext): void {
    const params = readComputeParams(ctx.state);
    if (!params || ctx.height % params.epochBlocks !== 0n) return;
    const epoch = readEpoch(ctx.state);
    const outcome = epochOutcome(params, epoch, epoch.units);
    const workers = ctx.state.list(WORKERS_ROOT, MAX_PAID_WORKERS);
    if (outcome.mint > 0n) this.payMint(ctx, outcome.mint, epoch.units, workers, params.workerShare);
    let burned = 0n;
    if (outcome.burnWanted > 0n) {
      const fees = this.bank.getBalance(ctx.state, this.feeCollector, BASE_DENOM);
      // bigint: Math.min does not take them.
      burned = fees;
      if (outcome.burnWanted < fees) burned = outcome.burnWanted;
      if (burned > 0n) this.bank.burnCoins(ctx, this.feeCollector, [{ denom: BASE_DENOM, amount: burned }]);
    }
    for (const [path] of ctx.state.list(WORKERS_ROOT, Number.MAX_SAFE_INTEGER)) ctx.state.set(path, null);
    // A partial epoch is followed by the seed epoch; after the seed the record drops the field again.
    const restart: EpochRestart | undefined = epoch.restart === 'partial' ? 'seed' : undefined;
    const next: EpochRecord = {
      ...(restart ? { restart } : {}),
      number: epoch.number + 1n,
      units: 0n,
      lastUnits: epoch.units,
      average: outcome.average,
      minted: epoch.minted + outcome.mint,
      burned: epoch.burned + burned,
      lastMinted: outcome.mint,
      lastBurned: burned,
    };
    ctx.state.set(EPOCH_PATH, encodeRecord(next));
    ctx.events.emit(
      epochEndedEvent({ number: epoch.number, units: epoch.units, average: decToText(outcome.average), minted: outcome.mint, burned }),
    );
  }

  /** Mints `amount`: `worker_share` of it to the epoch's workers by their units (floors), the rest to the fee collector. */
  private payMint(ctx: CoinContext, amount: bigint, units: bigint, workers: ReadonlyArray<[string, unknown]>, share: bigint): void {
    const pool = (amount * share) / DEC_ONE;
    let paid = 0n;
    if (units > 0n) {
      for (const [path, value] of workers) {
        const pay = (pool * BigInt(value as string)) / units;
        if (pay === 0n) continue;
        this.bank.mintCoins(ctx, path.slice(WORKERS_ROOT.length + 1), [{ denom: BASE_DENOM, amount: pay }]);
        paid += pay;
      }
    }
    if (amount > paid) this.bank.mintCoins(ctx, this.feeCollector, [{ denom: BASE_DENOM, amount: amount - paid }]);
  }
}

/**
 * Uain a year compute-driven supply mints at the last epoch's rate: last mint x blocks_per_year /
 * epoch_blocks (0 while off). The mint queries add it to the block reward's provisions.
 */
export function computeAnnualProvisions(state: ReadableState, blocksPerYear: bigint): bigint {
  const params = readComputeParams(state);
  if (!params) return 0n;
  return (readEpoch(state).lastMinted * blocksPerYear) / params.epochBlocks;
}
