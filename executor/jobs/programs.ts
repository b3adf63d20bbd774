/**
 * Running a job's worker and evaluator programs (the paper's `Worker.CalculateRoot` and
 * `Evaluator.EvaluateRoot` services as programs that read JSON on stdin and write JSON on stdout) in
 * the sandbox. Shared by the executor's roles (`roles.ts`), `aind job evaluate` and `aind job run
 * --verify`, so a client or an admin re-evaluates exactly as an evaluator does.
 *
 * - A **worker** reads the request's input (a JSON value of the job's input type) and writes its
 *   output (a JSON value of the job's output type).
 * - An **evaluator** reads `{"request": <input>, "workers": [{"node": "ain1...", "response": <output>}, ...],
 *   "test_data": <the client's revealed test data, or null (none, or a blob no retry can read)>}` (the workers that revealed, in the
 *   chain's order) and writes a value of the evaluator rpc's reply type; the reply's first
 *   `repeated string` field is the ranking, best first (e.g. the paper's `EvaluationResult.node`).
 */
import { AinError, ainError } from '../../core/index.ts';
import { MAX_INLINE_BYTES, checkJson, findRpc, type JobSchema, parseSchema } from '../../modules/jobs/index.ts';
import type { Job, Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import { ErrStorageHashMismatch, ErrStorageNotFound, ErrStorageTooLarge } from '../../storage/index.ts';
import { ErrInvalidJobOutput } from '../errors.ts';
import { type Isolation, runSandboxed, type SandboxFailure, type SandboxRuntime } from '../sandbox.ts';
import type { JsonValue } from '../../core/index.ts';

/** Fetches a blob by hash (checked): `BlobCache.get`. */
export type FetchBlob = (hash: string) => Promise<Uint8Array>;

/** How a program runs: the sandbox limits. */
export interface ProgramLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly maxOutputBytes: number;
  readonly isolation?: Isolation | undefined;
}

/** A program that did not produce a usable answer: the sandbox's failure, or output that does not fit the job. */
export interface ProgramFailure {
  readonly ok: false;
  /** One line: the sandbox's reason (timeout, exit, bad-output, ...) with the stderr tail, or the schema error. */
  readonly reason: string;
}

export interface WorkerSuccess {
  readonly ok: true;
  /** The output as JSON text (what the worker commits to and reveals). */
  readonly output: string;
  readonly durationMs: number;
}

export interface EvaluatorSuccess {
  readonly ok: true;
  /** Workers best first: the program's ranking, keeping only workers that revealed, each once. */
  readonly ranking: string[];
  /** Entries of the program's ranking left out (unknown, unrevealed or repeated workers). */
  readonly dropped: string[];
  readonly durationMs: number;
}

/** The JSON a stored text holds: inline text, or a blob fetched by hash. */
export async function jsonOf(inline: string, hash: string, fetch: FetchBlob, what: string): Promise<JsonValue> {
  const text = inline !== '' ? inline : hash !== '' ? new TextDecoder().decode(await fetch(hash)) : '';
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw ainError(ErrInvalidJobOutput, `${what} is not JSON (${(cause as Error).message})`);
  }
}

/**
 * The evaluator's stdin for a request whose reveals are closed: the input, the revealed outputs and
 * the test data.
 * @example await evaluatorInput(request, fetch) // { request: { y: 4 }, workers: [{ node: 'ain1...', response: { x: 2.01 } }], test_data: null }
 */
export async function evaluatorInput(request: Request, fetch: FetchBlob): Promise<JsonValue> {
  const workers: JsonValue[] = [];
  for (const result of request.results) {
    if (result.revealedAt === 0n) continue;
    let response: JsonValue;
    try {
      response = await jsonOf(result.output, result.outputHash, fetch, `the output of ${result.worker}`);
    } catch (error) {
      // The chain cannot read an output revealed by hash: one storage lacks or that is not JSON is the
      // worker's fault and leaves it out, instead of stopping the evaluation (and forfeiting the deposit).
      if (unusableOutput(error)) continue;
      throw error;
    }
    workers.push({ node: result.worker, response });
  }
  let testData: JsonValue;
  try {
    testData = await jsonOf(request.testData, request.testDataHash, fetch, 'the test data');
  } catch (error) {
    // Test data revealed by hash that no retry can read is the client's fault: the evaluator ranks
    // without it (null, as when there is none) instead of forfeiting its deposit to that client.
    if (!unusableOutput(error)) throw error;
    testData = null;
  }
  return {
    request: await jsonOf(request.input, request.inputHash, fetch, 'the request input'),
    workers,
    test_data: testData,
  };
}

/** A blob revealed by hash that no retry can read: not in storage, not its hash, too large, or not JSON. */
function unusableOutput(error: unknown): boolean {
  if (!(error instanceof AinError)) return false;
  if (error.is(ErrInvalidJobOutput)) return true;
  return error.is(ErrStorageNotFound) || error.is(ErrStorageHashMismatch) || error.is(ErrStorageTooLarge);
}

/**
 * The ranking in an evaluator's reply: checked against the evaluator rpc's reply type, read from its
 * first `repeated string` field, then kept to workers that revealed (each once, first place wins).
 * @throws AinError executor/4 when the reply does not fit the type, or the type has no such field
 */
export function rankingOf(job: Job, reply: JsonValue, revealed: readonly string[]): { ranking: string[]; dropped: string[] } {
  const schema = parseSchema(job.schema);
  const type = findRpc(schema, job.evaluatorRpc, 'Evaluator', 'evaluator_rpc').output;
  const field = rankingField(schema, type);
  checkJson(schema, type, reply, 'evaluation', ErrInvalidJobOutput);
  const object = reply as Record<string, JsonValue>;
  // Own keys only: a field named like an Object.prototype member (`constructor`) left out of the reply is empty.
  const own = (key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
  const listed = (own(field.name) ?? own(field.jsonName) ?? []) as string[];
  const ranking: string[] = [];
  const dropped: string[] = [];
  for (const worker of listed) {
    if (revealed.includes(worker) && !ranking.includes(worker)) ranking.push(worker);
    else dropped.push(worker);
  }
  return { ranking, dropped };
}

function rankingField(schema: JobSchema, type: string): { name: string; jsonName: string } {
  const field = schema.messages.get(type)?.fields.find((f) => f.repeated && f.type === 'string');
  if (!field) throw ainError(ErrInvalidJobOutput, `the evaluator's reply type ${type} has no repeated string field to rank by`);
  return field;
}

/**
 * Runs a job's worker program on a request's input. Output that is not JSON of the job's output type
 * is a failure: an honest worker does not commit to it.
 */
export async function runWorkerProgram(options: {
  readonly job: Job;
  readonly request: Request;
  readonly code: Uint8Array;
  readonly fetch: FetchBlob;
  readonly limits: ProgramLimits;
}): Promise<WorkerSuccess | ProgramFailure> {
  const { job, request } = options;
  const input = await jsonOf(request.input, request.inputHash, options.fetch, 'the request input');
  const result = await run(job.runtime, options.code, input, options.limits);
  if (!result.ok) return { ok: false, reason: failureText(result) };
  try {
    checkJson(parseSchema(job.schema), job.outputType, result.output, 'output', ErrInvalidJobOutput);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true, output: JSON.stringify(result.output), durationMs: result.durationMs };
}

/** Runs a job's evaluator program on a request whose reveals are closed, and reads its ranking. */
export async function runEvaluatorProgram(options: {
  readonly job: Job;
  readonly request: Request;
  readonly code: Uint8Array;
  readonly fetch: FetchBlob;
  readonly limits: ProgramLimits;
}): Promise<EvaluatorSuccess | ProgramFailure> {
  const { job, request } = options;
  const input = await evaluatorInput(request, options.fetch);
  const result = await run(job.runtime, options.code, input, options.limits);
  if (!result.ok) return { ok: false, reason: failureText(result) };
  // Workers whose output was left out of the input are not ranked.
  const revealed = ((input as { workers: { node: string }[] }).workers ?? []).map((w) => w.node);
  try {
    return { ok: true, ...rankingOf(job, result.output, revealed), durationMs: result.durationMs };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Whether an output is small enough to reveal inline (else it goes to Big Storage by hash). */
export function fitsInline(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_INLINE_BYTES;
}

function run(runtime: string, code: Uint8Array, input: JsonValue, limits: ProgramLimits) {
  return runSandboxed({
    runtime: runtime as SandboxRuntime,
    code,
    input,
    timeoutMs: limits.timeoutMs,
    memoryBytes: limits.memoryMb * 1024 * 1024,
    network: false,
    maxOutputBytes: limits.maxOutputBytes,
    ...(limits.isolation ? { isolation: limits.isolation } : {}),
  });
}

function failureText(result: SandboxFailure): string {
  const exit = result.exitCode === null ? '' : ` (exit ${result.exitCode})`;
  const tail = result.stderrTail.trim().split('\n').slice(-3).join(' | ');
  return `${result.reason}${exit}${tail === '' ? '' : `: ${tail}`}`.slice(0, 1024);
}
