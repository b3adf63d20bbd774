/**
 * Sharded runs, `aind job run --data FILE|HASH [--shards K] [--rounds N]`: the architecture paper's
 * distributed patterns (section 2.2.4) driven by the client. The data set (a JSON object whose
 * top-level arrays are one per example) is stored in Big Storage and cut into K contiguous shards;
 * each request's input is the `--input` object with `shard` set to one of them, and the K requests
 * run at once on one connection (one request per shard, so each gets its own evaluator and, with
 * `--workers`, its own worker). Without `--rounds` the results are joined in the data set's order
 * (distributed inference). With `--rounds N` the client is the parameter server: each round sends
 * `weights` and `round` with every shard, averages the `weights` of the results by their `examples`,
 * reports the round's `loss` (the results' mean, by examples) and, after the last round, stores the
 * model in Big Storage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest, type JsonValue } from '../../core/index.ts';
import { getBlob, putBlob } from '../../storage/index.ts';
import { formatLoss, tagFields } from './jobProgress.ts';
import { type JobPayout, type JobRunOptions, type JobRunResult, type JobSession, openJobSession, runFailure, runJobIn } from './jobRun.ts';

/** Most shards of one run: each is a request with its own escrow. */
export const MAX_SHARDS = 64;
/** Most rounds of one run. */
export const MAX_ROUNDS = 1000;

export interface ShardedRunOptions extends JobRunOptions {
  /** The data set: a JSON file (stored in Big Storage first) or the sha256 of a blob there. */
  readonly data: string;
  /** Shards (default: the number of workers in `terms.workers`, else 1). */
  readonly shards?: number | undefined;
  /** Rounds of training with the client as parameter server; undefined: one pass, results joined. */
  readonly rounds?: number | undefined;
}

/** One request of a sharded run. */
export interface ShardRequest {
  readonly round?: number;
  readonly shard: number;
  readonly request_id: string;
  readonly status: string;
  readonly outcome: string;
  readonly worker: string;
  readonly evaluator: string;
  readonly payouts: readonly JobPayout[];
}

/** What a round of parameter-server training gave. */
export interface RoundSummary {
  readonly round: number;
  /** The mean of the results' `loss` by examples (null when a result reports none). */
  readonly loss: number | null;
  readonly examples: number;
  /** Shards whose result went into the average. */
  readonly shards: number;
  readonly requests: readonly string[];
}

export interface ShardedRunResult {
  readonly job_id: string;
  readonly data_hash: string;
  readonly shards: number;
  /** `completed`, or `failed` with `error` when a shard (one pass) or every shard of a round gave no result. */
  readonly status: 'completed' | 'failed';
  readonly error?: string;
  readonly rounds?: readonly RoundSummary[];
  /** The final model's Big Storage hash (`--rounds`). */
  readonly model_hash?: string;
  /** The results joined in the data set's order (one pass), or the final model (`--rounds`). */
  readonly result: JsonValue;
  readonly requests: readonly ShardRequest[];
}

/**
 * Runs a sharded job (see the file's comment) and returns its joined result or final model.
 * @throws AinError `sdk/18` for a data set or input that cannot be sharded, the chain's refusal of a tx
 * @example await runShardedJob({ ...options, data: 'data.json', shards: 2, rounds: 3 }) // { rounds: [{ round: 1, loss: 0.69, ... }], model_hash, ... }
 */
export async function runShardedJob(options: ShardedRunOptions): Promise<ShardedRunResult> {
  const template = objectOf(options.terms.input, 'the input');
  if ('shard' in template) throw ainError(ErrInvalidRequest, 'the input has a "shard" field: a sharded run sets it per request');
  const workers = (options.terms.workers ?? '').split(',').filter((w) => w !== '');
  const count = options.shards ?? Math.max(workers.length, 1);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS)
    throw ainError(ErrInvalidRequest, `--shards must be 1 to ${MAX_SHARDS}; got ${count}`);
  if (options.rounds !== undefined && (!Number.isInteger(options.rounds) || options.rounds < 1 || options.rounds > MAX_ROUNDS))
    throw ainError(ErrInvalidRequest, `--rounds must be 1 to ${MAX_ROUNDS}; got ${options.rounds}`);
  const session = await openJobSession(options);
  try {
    const data = await loadData(options, session);
    const shards = splitData(data.value, count);
    const sizes = shards.map((s) => exampleCount(s));
    options.progress({
      event: 'data_stored',
      message: `data set ${data.hash} in Big Storage (${data.bytes} bytes, ${sizes.reduce((a, b) => a + b, 0)} examples): ${count} shard${count === 1 ? '' : 's'} of ${sizes.join(', ')}`,
      data_hash: data.hash,
      shards: count,
    });
    const run = new ShardedRun(options, session, shards, workers, data.hash);
    return options.rounds === undefined ? await run.once(template) : await run.train(template, options.rounds);
  } finally {
    session.close();
  }
}

class ShardedRun {
  readonly requests: ShardRequest[] = [];

  constructor(
    private readonly options: ShardedRunOptions,
    private readonly session: JobSession,
    private readonly shards: ReadonlyArray<Record<string, JsonValue>>,
    private readonly workers: readonly string[],
    private readonly dataHash: string,
  ) {}

  /** One request per shard at once; the results joined in shard order. */
  async once(template: Record<string, JsonValue>): Promise<ShardedRunResult> {
    const runs = await this.runRound(undefined, (shard) => ({ ...template, shard }));
    const failures = runs.flatMap((r, i) => (runFailure(r) ? [`shard ${i + 1}: ${runFailure(r)}`] : []));
    return {
      ...this.base(failures.length === 0 ? undefined : failures.join('; ')),
      result: failures.length === 0 ? joinOutputs(runs.map((r) => r.result)) : null,
    };
  }

  /** `rounds` rounds of parameter-server training from the input's `weights`; the final model stored. */
  async train(template: Record<string, JsonValue>, rounds: number): Promise<ShardedRunResult> {
    let weights = numbersOf(template['weights'], 'the input\'s "weights"');
    const summaries: RoundSummary[] = [];
    for (let round = 1; round <= rounds; round++) {
      const runs = await this.runRound(round, (shard) => ({ ...template, weights, round, shard }));
      const done = runs.filter((r) => runFailure(r) === undefined);
      const average =
        done.length === 0
          ? undefined
          : averageUpdates(
              done.map((r) => r.result),
              weights.length,
            );
      if (!average) {
        const error = `round ${round}: no shard gave a usable result (${runs.map((r) => runFailure(r) ?? `request ${r.request_id}: no weights of length ${weights.length}`).join('; ')})`;
        return { ...this.base(error), rounds: summaries, result: { weights } };
      }
      weights = average.weights;
      const summary: RoundSummary = {
        round,
        loss: average.loss,
        examples: average.examples,
        shards: average.used,
        requests: runs.map((r) => r.request_id),
      };
      summaries.push(summary);
      const left = runs.length - average.used;
      this.options.progress({
        event: 'round_done',
        message: `round ${round}/${rounds}: loss ${summary.loss === null ? 'not reported' : formatLoss(summary.loss)} over ${summary.examples} examples (${summary.shards} of ${runs.length} shards${left > 0 ? `; ${left} without a usable result left out` : ''})`,
        ...tagFields({ round, rounds }),
        ...(summary.loss === null ? {} : { loss: summary.loss }),
        examples: summary.examples,
        requests: summary.requests,
      });
    }
    const model: Record<string, JsonValue> = {
      job_id: this.options.terms.jobId,
      data_hash: this.dataHash,
      rounds,
      losses: summaries.map((s) => s.loss),
      weights,
    };
    const { hash } = await putBlob(this.options.storage, new TextEncoder().encode(JSON.stringify(model)), this.session.signer);
    this.options.progress({ event: 'model_stored', message: `model stored in Big Storage: ${hash}`, model_hash: hash });
    return { ...this.base(undefined), rounds: summaries, model_hash: hash, result: model };
  }

  /** One request per shard, all at once; a request whose run throws fails the run once all have ended. */
  private async runRound(round: number | undefined, inputOf: (shard: Record<string, JsonValue>) => JsonValue): Promise<JobRunResult[]> {
    const settled = await Promise.allSettled(
      this.shards.map((shard, index) =>
        runJobIn(this.session, {
          ...this.options,
          terms: {
            ...this.options.terms,
            input: JSON.stringify(inputOf(shard)),
            workers: this.workers.length > 0 ? this.workers[index % this.workers.length] : this.options.terms.workers,
          },
          tags: { round, rounds: this.options.rounds, shard: index + 1, shards: this.shards.length },
        }),
      ),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const runs = settled.map((s) => (s as PromiseFulfilledResult<JobRunResult>).value);
    runs.forEach((r, index) => {
      this.requests.push({
        ...(round === undefined ? {} : { round }),
        shard: index + 1,
        request_id: r.request_id,
        status: r.status,
        outcome: r.outcome,
        worker: r.worker,
        evaluator: r.evaluator,
        payouts: r.payouts,
      });
    });
    return runs;
  }

  private base(error: string | undefined) {
    return {
      job_id: this.options.terms.jobId,
      data_hash: this.dataHash,
      shards: this.shards.length,
      status: error === undefined ? ('completed' as const) : ('failed' as const),
      ...(error === undefined ? {} : { error }),
      requests: this.requests,
    };
  }
}

const HASH = /^[0-9a-f]{64}$/;

/** The data set: read from a file and stored in Big Storage, or fetched by its hash. */
async function loadData(options: ShardedRunOptions, session: JobSession) {
  let bytes: Uint8Array;
  let hash: string;
  if (HASH.test(options.data) && !existsSync(options.data)) {
    hash = options.data;
    bytes = await getBlob(options.storage, hash, { maxBytes: 64 * 1024 * 1024 });
  } else {
    try {
      bytes = readFileSync(options.data);
    } catch (cause) {
      throw ainError(ErrInvalidRequest, `cannot read --data ${options.data} (${(cause as Error).message})`);
    }
    hash = (await putBlob(options.storage, bytes, session.signer)).hash;
  }
  return { hash, bytes: bytes.length, value: objectOf(new TextDecoder().decode(bytes), 'the data set') };
}

function objectOf(text: string, what: string): Record<string, JsonValue> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${what} is not JSON (${(cause as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw ainError(ErrInvalidRequest, `${what} must be a JSON object for a sharded run`);
  return value as Record<string, JsonValue>;
}

function numbersOf(value: JsonValue | undefined, what: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    throw ainError(ErrInvalidRequest, `${what} must be an array of numbers: the starting weights of --rounds`);
  return value as number[];
}

/** Examples in a data set or shard: the length of its top-level arrays. */
function exampleCount(data: Record<string, JsonValue>): number {
  return Object.values(data).find((v): v is JsonValue[] => Array.isArray(v))?.length ?? 0;
}

/**
 * A data set cut into `count` contiguous shards: every top-level array (all of one length, one entry
 * per example) sliced, other fields copied into each shard.
 * @throws AinError `sdk/18` when there is no array, the arrays differ in length, or there are fewer examples than shards
 * @example splitData({ examples: [1, 2, 3], name: 'a' }, 2) // [{ examples: [1], name: 'a' }, { examples: [2, 3], name: 'a' }]
 */
export function splitData(data: Record<string, JsonValue>, count: number): Array<Record<string, JsonValue>> {
  const arrays = Object.entries(data).filter(([, v]) => Array.isArray(v)) as Array<[string, JsonValue[]]>;
  if (arrays.length === 0) throw ainError(ErrInvalidRequest, 'the data set has no top-level array to cut into shards');
  const length = arrays[0]![1].length;
  const uneven = arrays.find(([, v]) => v.length !== length);
  if (uneven)
    throw ainError(
      ErrInvalidRequest,
      `the data set's arrays differ in length (${arrays[0]![0]}: ${length}, ${uneven[0]}: ${uneven[1].length}); each must have one entry per example`,
    );
  if (length < count) throw ainError(ErrInvalidRequest, `the data set has ${length} examples; fewer than the ${count} shards`);
  return Array.from({ length: count }, (_, i) => {
    const [from, to] = [Math.floor((i * length) / count), Math.floor(((i + 1) * length) / count)];
    const shard: Record<string, JsonValue> = { ...data };
    for (const [key, values] of arrays) shard[key] = values.slice(from, to);
    return shard;
  });
}

/**
 * The results of a one-pass sharded run joined in shard order: each array field concatenated (other
 * fields, such as which device ran a shard, stay in the shards' own results on chain).
 * @example joinOutputs([{ scores: [1], device: 'cpu' }, { scores: [2, 3] }]) // { scores: [1, 2, 3] }
 */
export function joinOutputs(outputs: readonly JsonValue[]): Record<string, JsonValue> {
  const joined: Record<string, JsonValue[]> = {};
  for (const output of outputs)
    for (const [key, value] of Object.entries(objectOrUndefined(output) ?? {}))
      if (Array.isArray(value)) joined[key] = [...(joined[key] ?? []), ...value];
  return joined;
}

function objectOrUndefined(value: JsonValue): Readonly<Record<string, JsonValue>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>) : undefined;
}

/**
 * A round's results averaged by their `examples` (1 each when absent): the new `weights`, and the
 * mean `loss`. Results whose weights are not `width` finite numbers are left out; undefined when
 * none is left.
 * @example averageUpdates([{ weights: [0, 2], loss: 1, examples: 1 }, { weights: [3, 2], loss: 4, examples: 2 }], 2) // { weights: [2, 2], loss: 3, examples: 3, used: 2 }
 */
export function averageUpdates(
  updates: readonly JsonValue[],
  width: number,
): { weights: number[]; loss: number | null; examples: number; used: number } | undefined {
  const weights: number[] = new Array<number>(width).fill(0);
  let total = 0;
  let loss: number | null = 0;
  let used = 0;
  for (const value of updates) {
    const update = objectOrUndefined(value);
    if (!update) continue;
    const w = update['weights'];
    if (!Array.isArray(w) || w.length !== width || w.some((v) => typeof v !== 'number' || !Number.isFinite(v))) continue;
    const examples = typeof update['examples'] === 'number' && update['examples'] > 0 ? update['examples'] : 1;
    (w as number[]).forEach((v, i) => {
      weights[i]! += v * examples;
    });
    const l = update['loss'];
    loss = loss !== null && typeof l === 'number' && Number.isFinite(l) ? loss + l * examples : null;
    total += examples;
    used += 1;
  }
  if (used === 0) return undefined;
  return { weights: weights.map((v) => v / total), loss: loss === null ? null : loss / total, examples: total, used };
}

/** The text form of a sharded run's result (`-o text`). */
export function formatShardedSummary(result: ShardedRunResult): string {
  const lines = [`data: ${result.data_hash} in ${result.shards} shard${result.shards === 1 ? '' : 's'}`];
  for (const round of result.rounds ?? [])
    lines.push(
      `round ${round.round}: loss ${round.loss === null ? 'not reported' : formatLoss(round.loss)} over ${round.examples} examples (requests ${round.requests.join(', ')})`,
    );
  if (result.model_hash) lines.push(`model: ${result.model_hash}`);
  if (result.rounds === undefined) lines.push(`requests: ${result.requests.map((r) => `${r.request_id} (shard ${r.shard})`).join(', ')}`);
  lines.push(`result: ${JSON.stringify(result.result)}`);
  lines.push(`status: ${result.status}${result.error ? ` (${result.error})` : ''}`);
  return lines.join('\n');
}
