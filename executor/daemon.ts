/**
 * The executor daemon (`aind executor`): registers on chain, listens to CometBFT's websocket for the
 * off-chain calls it can run, fetches their code from Big Storage by hash (checked), runs it in the
 * sandbox and broadcasts `MsgSubmitResult` with its own key. It keeps a cursor (the last height it
 * processed) and on (re)connect catches up with the chain's pending calls, so nothing is missed while
 * it was away; it never submits twice for one call. With `jobs` the same process also takes the job
 * market's worker and evaluator roles (`jobs/roles.ts`), sharing its key, sandbox slots and tx queue.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import type { comet38 } from '@cosmjs/tendermint-rpc';
import { AinError } from '../core/errors.ts';
import type { JsonValue } from '../core/protoJson.ts';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { queryCall, queryExecutors, queryPendingCalls } from '../client/queryTriggers.ts';
import { TRIGGERS_TYPE_URLS } from '../client/registry.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { MAX_RESULTS_PER_MSG } from '../modules/triggers/msgs.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import {
  type CallResult,
  type MsgRegisterExecutor,
  type MsgSubmitResults,
  MsgSubmitResultsResponse,
} from '../proto/gen/ain/triggers/v1/tx.ts';
import { ErrStorageHashMismatch, ErrStorageNotFound, STORAGE } from '../storage/errors.ts';
import { BlobCache } from './blobs.ts';
import { describeError as describe, ErrInvalidSandboxRequest, EXECUTOR } from './errors.ts';
import { EventStream } from './events.ts';
import { detectGpus } from './gpus.ts';
import { type JobRoles, type JobRolesConfig, startJobRoles } from './jobs/roles.ts';
import { serializeBroadcasts } from './serialClient.ts';
import { Slots } from './slots.ts';
import { detectIsolation, type Isolation, runSandboxed, type SandboxRuntime } from './sandbox.ts';

export const DEFAULT_EXECUTOR_TIMEOUT_MS = 10_000;
export const DEFAULT_EXECUTOR_MEMORY_MB = 256;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CODE_BYTES = 16 * 1024 * 1024;
/** How often pending calls are polled besides the websocket (a safety net for lost events). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_FALLBACK_DELAY_MS = 3_000;
const MAX_ERROR_CHARS = 1024;
/** Transient failures (storage down, broadcast errors) of one call before it is reported failed. */
const MAX_ATTEMPTS = 5;
const CALLED_EVENT = 'ain.triggers.v1.EventFunctionCalled';
const SKIPPED_EVENT = 'ain.triggers.v1.EventResultSkipped';
const SUBMITTED_EVENT = 'ain.triggers.v1.EventResultSubmitted';
/** Blocks over which the block interval is measured. */
const BLOCK_INTERVAL_SPAN = 10;
/** The shortest run a deadline may cut a call's run to. */
const MIN_RUN_TIMEOUT_MS = 1_000;
/** A call this close to its deadline is taken by any allowed executor, preferred or not. */
const DEADLINE_MARGIN_BLOCKS = 3;
/** Most results in one MsgSubmitResults (the chain's bound). */
const MAX_RESULTS_PER_TX = MAX_RESULTS_PER_MSG;
/** Programs kept in memory (each at most DEFAULT_MAX_CODE_BYTES). */
const MAX_CACHED_CODES = 16;
/** Finished call ids kept in the cursor file. */
const MAX_REMEMBERED_CALLS = 10_000;

export interface ExecutorKey {
  /** 32-byte secp256k1 private key. */
  readonly privkey: Uint8Array;
}

export interface ExecutorOptions {
  /** CometBFT RPC, `http://host:port` (the websocket is `ws://host:port/websocket`). */
  readonly rpcUrl: string;
  /** Big Storage node the code is fetched from. */
  readonly storageUrl: string;
  readonly key: ExecutorKey;
  /** Runtimes this executor runs (default node and python3). */
  readonly runtimes?: readonly SandboxRuntime[];
  /** Least price (uain, decimal integer text) registered on chain (default "0"). */
  readonly price?: string;
  /**
   * JSON file holding the cursor `{height, finished}`: the last height processed and the ids of the
   * latest calls this executor is done with (so a restart never runs one again); absent: kept in memory only.
   */
  readonly cursorFile?: string;
  /** Wall-clock limit of one run (default 10 s). */
  readonly timeoutMs?: number;
  /** Memory of one run when the function does not say (default 256 MiB). */
  readonly defaultMemoryMb?: number;
  readonly maxOutputBytes?: number;
  readonly pollIntervalMs?: number;
  /**
   * How long an executor that is not a call's preferred one waits before taking the call itself
   * (default 3 s). Each call has one preferred executor among those registered for its runtime
   * (sorted by address, index = call id mod count), so executors share the work instead of all
   * running every call, and a dead or slow preferred executor is covered after this delay.
   */
  readonly fallbackDelayMs?: number;
  /** Runs at most this many programs at once (default the CPU count). */
  readonly concurrency?: number;
  readonly gasPrice?: string;
  /** Overrides the detected isolation. */
  readonly isolation?: Isolation;
  /** Turns on the job market roles (worker, evaluator) beside the function runner (`jobs/roles.ts`). */
  readonly jobs?: JobRolesConfig;
  readonly log?: (line: string) => void;
}

/** What became of one call, as reported to `onCall`. */
export interface CallOutcome {
  readonly callId: bigint;
  readonly kind: 'submitted' | 'failed' | 'skipped';
  readonly detail: string;
  readonly txhash?: string;
  /** Height of the block whose event (or poll) told this executor of the call. */
  readonly height: number;
  /** `Date.now()` when the executor first heard of the call. */
  readonly receivedAt: number;
}

export interface RunningExecutor {
  readonly address: string;
  readonly isolation: Isolation;
  /** Outcomes so far, in order. */
  readonly outcomes: readonly CallOutcome[];
  /** The job roles, when `jobs` was given. */
  readonly jobs: JobRoles | undefined;
  /** Processes pending calls now (what a reconnect does). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts an executor; resolves once it is registered on chain, subscribed and caught up.
 * @example
 * const executor = await startExecutor({ rpcUrl: 'http://127.0.0.1:26657', storageUrl: 'http://127.0.0.1:7070', key });
 * // ... later
 * await executor.stop();
 */
export async function startExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const isolation = options.isolation ?? (await detectIsolation({ log }));
  if (options.isolation) log(`sandbox isolation: ${isolation.kind} (${isolation.details})`);
  const gpus = await detectGpus();
  const gpuMemoryMb = gpus.memoryMiB.reduce((a, b) => Math.min(a, b), gpus.count > 0 ? Number.MAX_SAFE_INTEGER : 0);
  log(`gpus: ${gpus.count}${gpus.count > 0 ? ` (${gpus.names.join(', ')}; ${gpuMemoryMb} MiB each at least)` : ' (CPU mode)'}`);
  const wallet = await DirectSecp256k1Wallet.fromKey(options.key.privkey, ADDRESS_PREFIX);
  // One account sequence: every role's txs go out one at a time through this client.
  const client = serializeBroadcasts(
    await connectAin({ rpcUrl: options.rpcUrl, signer: wallet, ...(options.gasPrice ? { gasPrice: options.gasPrice } : {}) }),
  );
  const slots = new Slots(options.concurrency ?? Math.max(1, cpus().length));
  const executor = new Executor(options, client, isolation, slots, log);
  try {
    await executor.register({ count: gpus.count, memoryMb: gpuMemoryMb });
    await executor.start();
    if (options.jobs) {
      executor.jobs = await startJobRoles({
        ...options.jobs,
        rpcUrl: options.rpcUrl,
        runtimes: options.runtimes ?? ['node', 'python3'],
        client,
        key: options.key,
        storageUrl: options.storageUrl,
        isolation,
        slots,
        machine: { cpus: cpus().length, memoryMb: Math.floor(totalmem() / (1024 * 1024)), gpus: gpus.count, gpuMemoryMb },
        timeoutMs: options.timeoutMs ?? DEFAULT_EXECUTOR_TIMEOUT_MS,
        defaultMemoryMb: options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB,
        maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        log,
      });
    }
  } catch (error) {
    await executor.stop();
    throw error;
  }
  return executor;
}

class Executor implements RunningExecutor {
  readonly address: string;
  readonly outcomes: CallOutcome[] = [];
  private readonly runtimes: readonly SandboxRuntime[];
  /** Calls being processed now. */
  private readonly inFlight = new Set<bigint>();
  /** Calls this executor is finished with (submitted, refused, or not for it). */
  private readonly finished = new Set<bigint>();
  private readonly attempts = new Map<bigint, number>();
  /** When and at which height each call in progress was first heard of. */
  private readonly heard = new Map<bigint, { height: number; receivedAt: number }>();
  /** Registered executors by runtime (sorted addresses), refreshed on each poll, for the preferred-executor rule. */
  private executorsByRuntime = new Map<string, string[]>();
  /** NVIDIA GPUs found at start (0: CPU mode). */
  private gpuCount = 0;
  /** Recent block interval (ms), measured on each poll; undefined until the chain has 10 blocks. */
  private blockIntervalMs: number | undefined;
  /** `Date.now()` when a result of each executor was last seen in a block. */
  private readonly lastResultSeen = new Map<string, number>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly work = new Set<Promise<void>>();
  /** Results waiting for the next MsgSubmitResults tx. */
  private readonly resultQueue: Array<{ call: Call; result: CallResult; settled: () => void }> = [];
  private flushing: Promise<void> | undefined;
  private readonly codes: BlobCache;
  private readonly events: EventStream;
  private cursor = 0;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private catchingUp: Promise<void> | undefined;
  jobs: JobRoles | undefined;

  constructor(
    private readonly options: ExecutorOptions,
    private readonly client: AinClient,
    readonly isolation: Isolation,
    private readonly slots: Slots,
    private readonly log: (line: string) => void,
  ) {
    this.address = client.address ?? '';
    this.runtimes = options.runtimes ?? ['node', 'python3'];
    this.codes = new BlobCache({ storageUrl: options.storageUrl, maxEntries: MAX_CACHED_CODES, maxBytes: DEFAULT_MAX_CODE_BYTES });
    this.events = new EventStream({
      rpcUrl: options.rpcUrl,
      label: `for runtimes ${this.runtimes.join(',')}`,
      log,
      onReconnect: () => void this.catchUp(),
      subscribe: ({ comet }, lost) => {
        const observer = <T>(next: (value: T) => void) => ({
          next,
          error: (error: unknown) => lost(`subscription error: ${describe(error)}`),
          complete: () => lost('subscription ended'),
        });
        return [
          ...this.runtimes.map((runtime) =>
            comet.subscribeTx(`tm.event='Tx' AND ${CALLED_EVENT}.runtime='${runtime}'`).subscribe(observer((event) => this.onTx(event))),
          ),
          // Results of other executors: a sign that they are alive (see process()).
          comet.subscribeTx(`tm.event='Tx' AND ${SUBMITTED_EVENT}.executor EXISTS`).subscribe(observer((event) => this.onResults(event))),
        ];
      },
    });
    const saved = readCursor(options.cursorFile);
    this.cursor = saved.height;
    for (const id of saved.finished) this.finished.add(id);
  }

  async register(gpus: { count: number; memoryMb: number }): Promise<void> {
    this.gpuCount = gpus.count;
    const msg: MsgRegisterExecutor = {
      signer: this.address,
      runtimes: [...this.runtimes],
      cpu: cpus().length,
      memoryMb: BigInt(Math.floor(totalmem() / (1024 * 1024))),
      gpus: gpus.count,
      gpuMemoryMb: BigInt(gpus.memoryMb),
      price: this.options.price ?? '0',
    };
    const existing = (await queryExecutors(this.client.cometClient)).find((e) => e.address === this.address);
    if (
      existing &&
      existing.runtimes.join(',') === msg.runtimes.join(',') &&
      existing.cpu === msg.cpu &&
      existing.memoryMb === msg.memoryMb &&
      existing.gpus === msg.gpus &&
      existing.gpuMemoryMb === msg.gpuMemoryMb &&
      existing.price === msg.price
    ) {
      this.log(`executor ${this.address} already registered (runtimes ${msg.runtimes.join(',')})`);
      return;
    }
    const result = await this.broadcast(TRIGGERS_TYPE_URLS.registerExecutor, msg);
    this.log(
      `registered executor ${this.address}: runtimes ${msg.runtimes.join(',')}, cpu ${msg.cpu}, memory ${msg.memoryMb} MiB, gpus ${msg.gpus} (tx ${result})`,
    );
  }

  async start(): Promise<void> {
    this.events.start();
    await this.catchUp();
    this.schedulePoll();
  }

  catchUp(): Promise<void> {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = (async () => {
      try {
        await this.refreshExecutors();
        await this.refreshBlockInterval();
        const { calls, height } = await queryPendingCalls(this.client.cometClient);
        for (const call of calls) {
          if (this.runtimes.includes(call.runtime as SandboxRuntime)) this.enqueue(call.id, Number(call.height));
        }
        if (calls.length === 0) this.saveCursor(Math.max(this.cursor, height));
      } catch (error) {
        if (!this.stopped) this.log(`catch-up failed: ${describe(error)}`);
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const { timer, resolve } of this.sleepers) {
      clearTimeout(timer);
      resolve();
    }
    this.sleepers.clear();
    this.events.stop();
    await this.jobs?.stop();
    await Promise.allSettled([...this.work]);
    await this.flushing;
    this.client.disconnect();
  }

  // -------------------------------------------------------------------------------------------
  // Events and polling

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      void this.catchUp().finally(() => this.schedulePoll());
    }, this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  }

  private onTx(event: comet38.TxEvent): void {
    for (const e of event.result.events) {
      if (e.type !== CALLED_EVENT) continue;
      const attrs = new Map(e.attributes.map((a) => [a.key, a.value]));
      const runtime = attrs.get('runtime');
      const id = attrs.get('call_id');
      if (!id || !/^\d+$/.test(id) || !this.runtimes.includes(runtime as SandboxRuntime)) continue;
      this.enqueue(BigInt(id), event.height);
    }
  }

  private onResults(event: comet38.TxEvent): void {
    for (const e of event.result.events) {
      if (e.type !== SUBMITTED_EVENT) continue;
      const executor = e.attributes.find((a) => a.key === 'executor')?.value;
      if (executor) this.lastResultSeen.set(executor, Date.now());
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private enqueue(callId: bigint, height: number): void {
    if (this.stopped || this.inFlight.has(callId) || this.finished.has(callId)) return;
    this.inFlight.add(callId);
    this.heard.set(callId, { height, receivedAt: Date.now() });
    // Only the sandbox run takes a slot; fetching code and waiting for the result's tx do not.
    const job = this.process(callId)
      .catch((error) => this.log(`call ${callId}: ${describe(error)}`))
      .finally(() => {
        this.inFlight.delete(callId);
        this.work.delete(job);
        if (this.finished.has(callId)) this.saveCursor(Math.max(this.cursor, height));
      });
    this.work.add(job);
  }

  private async process(callId: bigint): Promise<void> {
    const fallbackMs = this.options.fallbackDelayMs ?? DEFAULT_FALLBACK_DELAY_MS;
    const heardAt = Date.now();
    let read = await this.readCall(callId);
    // Another executor is preferred: wait while it looks alive (its results keep coming) and the call
    // is not near its deadline; take the call once the preferred one has been silent for the delay.
    while (read && read.call.status === 'pending' && !this.isPreferred(read.call)) {
      const preferred = this.preferredExecutor(read.call);
      const lastSeen = (preferred && this.lastResultSeen.get(preferred)) || 0;
      const now = Date.now();
      const nearDeadline = read.height + DEADLINE_MARGIN_BLOCKS >= Number(read.call.deadlineHeight);
      if (nearDeadline || (now - heardAt >= fallbackMs && now - lastSeen >= fallbackMs)) break;
      await this.sleep(Math.min(fallbackMs, 1000));
      if (this.stopped) return;
      read = await this.readCall(callId);
    }
    if (!read) return this.finish(callId, 'skipped', 'call not found');
    const { call, height } = read;
    if (call.status !== 'pending') return this.finish(callId, 'skipped', `call is ${call.status}`);
    if (call.executors.length > 0 && !call.executors.includes(this.address))
      return this.finish(callId, 'skipped', 'this executor is not allowed');
    if (!this.runtimes.includes(call.runtime as SandboxRuntime)) return this.finish(callId, 'skipped', `runtime ${call.runtime}`);
    if (height >= Number(call.deadlineHeight)) return this.finish(callId, 'skipped', 'deadline passed');

    let code: Uint8Array;
    try {
      code = await this.codes.get(call.codeHash);
    } catch (error) {
      if (error instanceof AinError && error.codespace === STORAGE && error.code === ErrStorageHashMismatch.code) {
        this.log(`call ${callId}: code refused, its bytes do not match code_hash ${call.codeHash}`);
        return this.submit(call, { failed: true, error: `code refused: bytes do not match code_hash ${call.codeHash}` });
      }
      if (error instanceof AinError && error.codespace === STORAGE && error.code === ErrStorageNotFound.code) {
        return this.retryOrFail(call, `code ${call.codeHash} not found in storage`);
      }
      return this.retryOrFail(call, `cannot fetch code: ${describe(error)}`);
    }

    let input: JsonValue;
    try {
      input = JSON.parse(call.value) as JsonValue;
    } catch {
      input = call.value;
    }
    const { memoryMb, gpus } = await this.resources(call);
    // A function that needs more GPUs than this machine has is left to an executor that has them.
    if (gpus > this.gpuCount) return this.finish(callId, 'skipped', `needs ${gpus} GPUs; this executor has ${this.gpuCount}`);
    const preferred = this.isPreferred(call);
    let result: Awaited<ReturnType<typeof runSandboxed>> | undefined;
    try {
      result = await this.slots.run(async () => {
        // A call another executor is preferred for may have been answered while this one waited for a slot.
        if (!preferred && (await this.readCall(callId))?.call.status !== 'pending') return undefined;
        this.log(`call ${callId}: running ${call.functionId} (${call.runtime})`);
        return runSandboxed({
          runtime: call.runtime as SandboxRuntime,
          code,
          input,
          timeoutMs: this.runTimeoutMs(Number(call.deadlineHeight) - height),
          memoryBytes: memoryMb * 1024 * 1024,
          gpus,
          network: call.network,
          maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
          isolation: this.isolation,
        });
      });
    } catch (error) {
      if (error instanceof AinError && error.codespace === EXECUTOR && error.code === ErrInvalidSandboxRequest.code) {
        return this.submit(call, { failed: true, error: describe(error) });
      }
      // The runtime is missing or the sandbox cannot start: leave the call to another executor.
      return this.finish(callId, 'skipped', `cannot run: ${describe(error)}`);
    }
    if (!result) return this.finish(callId, 'skipped', 'answered by another executor');
    if (result.ok) {
      this.log(`call ${callId}: ran ${call.functionId} in ${Math.round(result.durationMs)} ms`);
      return this.submit(call, { failed: false, output: JSON.stringify(result.output) });
    }
    const error = `${result.reason}${result.exitCode === null ? '' : ` (exit ${result.exitCode})`}: ${result.stderrTail}`;
    this.log(`call ${callId}: ${call.functionId} failed: ${result.reason}`);
    return this.submit(call, { failed: true, error });
  }

  private async retryOrFail(call: Call, reason: string): Promise<void> {
    const attempts = (this.attempts.get(call.id) ?? 0) + 1;
    this.attempts.set(call.id, attempts);
    if (attempts >= MAX_ATTEMPTS) return this.submit(call, { failed: true, error: reason });
    this.log(`call ${call.id}: ${reason} (attempt ${attempts} of ${MAX_ATTEMPTS}; retried on the next poll)`);
  }

  /** The memory (MiB) and GPUs a call's function asks for (`resources`), with the executor's default memory. */
  private async resources(call: Call): Promise<{ memoryMb: number; gpus: number }> {
    const fallback = this.options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB;
    try {
      const config = (await this.client.ref(call.functionPath).getFunction()).value as {
        resources?: { memory_mb?: number; gpus?: number };
      } | null;
      const mb = config?.resources?.memory_mb;
      const gpus = config?.resources?.gpus;
      return {
        memoryMb: typeof mb === 'number' && mb >= 16 ? mb : fallback,
        gpus: typeof gpus === 'number' && Number.isSafeInteger(gpus) && gpus > 0 ? Math.min(gpus, 64) : 0,
      };
    } catch {
      return { memoryMb: fallback, gpus: 0 };
    }
  }

  private runTimeoutMs(blocksLeft: number): number {
    return runTimeoutFor(this.options.timeoutMs ?? DEFAULT_EXECUTOR_TIMEOUT_MS, blocksLeft, this.blockIntervalMs);
  }

  /** The chain's recent block interval, from the times of the latest block and the one 10 below it. */
  private async refreshBlockInterval(): Promise<void> {
    const status = await this.client.cometClient.status();
    const latest = status.syncInfo.latestBlockHeight;
    if (latest <= BLOCK_INTERVAL_SPAN) return;
    const earlier = await this.client.cometClient.block(latest - BLOCK_INTERVAL_SPAN);
    const span = status.syncInfo.latestBlockTime.getTime() - earlier.block.header.time.getTime();
    if (span > 0) this.blockIntervalMs = span / BLOCK_INTERVAL_SPAN;
  }

  /** Whether this executor is the call's preferred one (see {@link ExecutorOptions.fallbackDelayMs}). */
  private isPreferred(call: Call): boolean {
    const preferred = this.preferredExecutor(call);
    return preferred === undefined || preferred === this.address;
  }

  /** The registered executor preferred for a call: sorted candidates, index = call id mod count. */
  private preferredExecutor(call: Call): string | undefined {
    const registered = this.executorsByRuntime.get(call.runtime) ?? [];
    const candidates = call.executors.length > 0 ? registered.filter((a) => call.executors.includes(a)) : registered;
    if (!candidates.includes(this.address)) return undefined;
    return candidates[Number(call.id % BigInt(candidates.length))];
  }

  private async refreshExecutors(): Promise<void> {
    const byRuntime = new Map<string, string[]>();
    for (const executor of await queryExecutors(this.client.cometClient)) {
      for (const runtime of executor.runtimes) byRuntime.set(runtime, [...(byRuntime.get(runtime) ?? []), executor.address]);
    }
    for (const list of byRuntime.values()) list.sort();
    this.executorsByRuntime = byRuntime;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      this.sleepers.add(sleeper);
    });
  }

  private async readCall(callId: bigint): Promise<{ call: Call; height: number } | undefined> {
    try {
      return await queryCall(this.client.cometClient, callId);
    } catch (error) {
      if (error instanceof AinError && error.codespace === 'triggers' && error.code === 4) return undefined;
      throw error;
    }
  }

  /**
   * Queues a result for the next batch and resolves once the batch's tx is settled. One tx at a time
   * (one account sequence): results that arrive while a tx is in flight go into the next one, so an
   * executor sends about one tx per block however many calls it answers.
   */
  private submit(call: Call, result: { failed: boolean; output?: string; error?: string }): Promise<void> {
    if (this.finished.has(call.id)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.resultQueue.push({
        call,
        result: {
          callId: call.id,
          output: result.output ?? '',
          failed: result.failed,
          error: (result.error ?? '').slice(0, MAX_ERROR_CHARS),
        },
        settled: resolve,
      });
      if (!this.flushing) this.flushing = this.flushResults().finally(() => (this.flushing = undefined));
    });
  }

  private async flushResults(): Promise<void> {
    while (this.resultQueue.length > 0) {
      const batch = this.resultQueue.splice(0, MAX_RESULTS_PER_TX);
      const msg: MsgSubmitResults = { signer: this.address, results: batch.map((item) => item.result) };
      try {
        const response = await this.client.signAndBroadcast([{ typeUrl: TRIGGERS_TYPE_URLS.submitResults, value: msg }]);
        const answer = MsgSubmitResultsResponse.decode(response.msgResponses[0]?.value ?? new Uint8Array());
        const reasons = skipReasons(response.events);
        const accepted = new Set(answer.accepted);
        for (const { call, result, settled } of batch) {
          if (accepted.has(call.id)) {
            accepted.delete(call.id);
            this.finish(
              call.id,
              result.failed ? 'failed' : 'submitted',
              result.failed ? result.error : result.output,
              response.transactionHash,
            );
          } else {
            this.finish(
              call.id,
              'skipped',
              `result not counted: ${reasons.get(call.id) ?? 'skipped by the chain'}`,
              response.transactionHash,
            );
          }
          settled();
        }
      } catch (error) {
        // The whole tx failed (broadcast, sequence, not registered): each call is retried on the next
        // poll, at most MAX_ATTEMPTS times.
        for (const { call, settled } of batch) {
          const attempts = (this.attempts.get(call.id) ?? 0) + 1;
          this.attempts.set(call.id, attempts);
          if (attempts >= MAX_ATTEMPTS) this.finish(call.id, 'skipped', `giving up: ${describe(error)}`);
          else this.log(`call ${call.id}: result tx failed (${describe(error)}); retried on the next poll`);
          settled();
        }
      }
    }
  }

  private finish(callId: bigint, kind: CallOutcome['kind'], detail: string, txhash?: string): void {
    this.finished.add(callId);
    this.attempts.delete(callId);
    const heard = this.heard.get(callId) ?? { height: 0, receivedAt: Date.now() };
    this.heard.delete(callId);
    this.outcomes.push({ callId, kind, detail, ...heard, ...(txhash === undefined ? {} : { txhash }) });
    this.log(`call ${callId}: ${kind}${txhash ? ` (tx ${txhash})` : ''}: ${detail.slice(0, 200)}`);
  }

  /** Broadcasts one message (registration, before any result is sent). */
  private async broadcast(typeUrl: string, value: MsgRegisterExecutor): Promise<string> {
    return (await this.client.signAndBroadcast([{ typeUrl, value }])).transactionHash;
  }

  private saveCursor(height: number): void {
    this.cursor = Math.max(this.cursor, height);
    const file = this.options.cursorFile;
    if (!file) return;
    // The finished set is bounded: calls older than the newest MAX_REMEMBERED are past any deadline.
    while (this.finished.size > MAX_REMEMBERED_CALLS) this.finished.delete(this.finished.values().next().value as bigint);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ height: this.cursor, finished: [...this.finished].map(String) })}\n`);
      renameSync(temp, file);
    } catch (error) {
      this.log(`cannot write cursor ${file}: ${describe(error)}`);
    }
  }
}

function readCursor(file: string | undefined): { height: number; finished: bigint[] } {
  const empty = { height: 0, finished: [] };
  if (!file) return empty;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { height?: unknown; finished?: unknown };
    const height = typeof parsed.height === 'number' && Number.isSafeInteger(parsed.height) && parsed.height >= 0 ? parsed.height : 0;
    const finished = Array.isArray(parsed.finished)
      ? parsed.finished.filter((id): id is string => typeof id === 'string' && /^\d{1,20}$/.test(id)).map(BigInt)
      : [];
    return { height, finished: finished.slice(-MAX_REMEMBERED_CALLS) };
  } catch {
    return empty;
  }
}

/**
 * How long a run may take: the executor's limit, cut to what the call's deadline leaves. The result
 * must be in a block at or before the deadline, so of the `blocksLeft` blocks one is kept for the
 * result's tx; at least 1 s (the chain refunds the caller anyway when a result comes too late). With
 * no measured block interval yet, the limit.
 * @example runTimeoutFor(10_000, 5, 1_000) // 4000: four blocks of 1 s before the one for the result
 */
export function runTimeoutFor(limitMs: number, blocksLeft: number, blockIntervalMs: number | undefined): number {
  if (blockIntervalMs === undefined) return limitMs;
  return Math.max(MIN_RUN_TIMEOUT_MS, Math.min(limitMs, Math.floor((blocksLeft - 1) * blockIntervalMs)));
}

/** The reason of each EventResultSkipped in a tx's events, by call id. */
function skipReasons(events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]): Map<bigint, string> {
  const reasons = new Map<bigint, string>();
  for (const event of events) {
    if (event.type !== SKIPPED_EVENT) continue;
    const attrs = new Map(event.attributes.map((a) => [a.key, a.value]));
    const id = attrs.get('call_id');
    if (id && /^\d+$/.test(id)) reasons.set(BigInt(id), attrs.get('reason') ?? '');
  }
  return reasons;
}
