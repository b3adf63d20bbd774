/**
 * The function-call pipeline (`CallRunner`, the `RunningExecutor` that `startExecutor` returns): hears
 * of calls for its runtimes from the websocket (`EventFunctionCalled`), from a poll of the pending
 * calls every few seconds and from a catch-up after each reconnect; for each call it waits while
 * another executor is preferred (`preferred.ts`), confirms the call is pending, allowed and in time,
 * fetches its code from Big Storage by hash (checked, cached), runs it in the sandbox under a shared
 * slot with the function's memory and GPUs (`resources.ts`) and a deadline-cut timeout, and hands the
 * result to the batcher (`results.ts`). The ledger (`ledger.ts`) settles each call and keeps the cursor
 * file. It also holds the job roles, when started, so that `stop` ends everything.
 */
import type { comet38 } from '@cosmjs/tendermint-rpc';
import type { AinClient } from '../client/index.ts';
import { queryCall, queryPendingCalls } from '../client/index.ts';
import { AinError } from '../core/index.ts';
import type { Executor } from '../modules/triggers/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import type { RuntimeInfo } from '../proto/gen/ain/triggers/v1/tx.ts';
import { ErrStorageHashMismatch, ErrStorageNotFound, STORAGE } from '../storage/index.ts';
import { BlobCache } from './blobs.ts';
import { describeError as describe, ErrInvalidSandboxRequest, EXECUTOR } from './errors.ts';
import { EventStream, type Subscriber } from './events.ts';
import type { Gpu } from './gpus.ts';
import type { HttpGateway } from './httpGateway.ts';
import type { JobRoles } from './jobs/roles.ts';
import { type CallLedger, MAX_ATTEMPTS } from './ledger.ts';
import type { MemoryControl } from './memory.ts';
import {
  type CallOutcome,
  DEFAULT_EXECUTOR_MEMORY_MB,
  DEFAULT_MAX_CODE_BYTES,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_POLL_INTERVAL_MS,
  type ExecutorOptions,
  type RunningExecutor,
} from './options.ts';
import { type CallPicker, SUBMITTED_EVENT } from './preferred.ts';
import { callInput, functionResources } from './resources.ts';
import type { ResultBatcher } from './results.ts';
import type { Isolation } from './isolation.ts';
import { runSandboxed } from './sandbox.ts';
import { cannotRunFunction } from './serving.ts';
import type { Slots } from './slots.ts';

const CALLED_EVENT = 'ain.triggers.v1.EventFunctionCalled';
/** Programs kept in memory (each at most DEFAULT_MAX_CODE_BYTES). */
const MAX_CACHED_CODES = 16;

/** What a `CallRunner` works with, made by `startExecutor`. */
export interface CallRunnerParts {
  readonly options: ExecutorOptions;
  /** The one-tx-at-a-time client every role shares. */
  readonly client: AinClient;
  readonly isolation: Isolation;
  readonly memoryControl: MemoryControl;
  readonly gpus: readonly Gpu[];
  readonly slots: Slots;
  readonly runtimes: readonly string[];
  /** The record this executor registered: what it can serve (`serving.ts`). */
  readonly self: Executor;
  readonly ledger: CallLedger;
  readonly picker: CallPicker;
  readonly results: ResultBatcher;
  readonly log: (line: string) => void;
}

export class CallRunner implements RunningExecutor {
  readonly address: string;
  readonly isolation: Isolation;
  readonly memoryControl: MemoryControl;
  readonly gpus: readonly Gpu[];
  readonly runtimeInfo: readonly RuntimeInfo[];
  readonly outcomes: readonly CallOutcome[];
  private readonly options: ExecutorOptions;
  private readonly client: AinClient;
  private readonly slots: Slots;
  private readonly runtimes: readonly string[];
  private readonly self: Executor;
  private readonly ledger: CallLedger;
  private readonly picker: CallPicker;
  private readonly results: ResultBatcher;
  private readonly log: (line: string) => void;
  /** Calls being processed now. */
  private readonly inFlight = new Set<bigint>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly work = new Set<Promise<void>>();
  private readonly codes: BlobCache;
  private readonly events: EventStream;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private catchingUp: Promise<void> | undefined;
  jobs: JobRoles | undefined;
  http: HttpGateway | undefined;

  constructor(parts: CallRunnerParts) {
    const { options, client, log } = parts;
    this.options = options;
    this.client = client;
    this.log = log;
    this.isolation = parts.isolation;
    this.memoryControl = parts.memoryControl;
    this.gpus = parts.gpus;
    this.runtimeInfo = parts.self.runtimeInfo;
    this.slots = parts.slots;
    this.runtimes = parts.runtimes;
    this.self = parts.self;
    this.ledger = parts.ledger;
    this.picker = parts.picker;
    this.results = parts.results;
    this.address = client.address ?? '';
    this.outcomes = parts.ledger.outcomes;
    this.codes = new BlobCache({ storageUrl: options.storageUrl, maxEntries: MAX_CACHED_CODES, maxBytes: DEFAULT_MAX_CODE_BYTES });
    this.events = new EventStream({
      rpcUrl: options.rpcUrl,
      label: `for runtimes ${this.runtimes.join(',')}`,
      log,
      onReconnect: () => void this.catchUp(),
      subscribe: () => {
        const on =
          (query: string, next: (event: comet38.TxEvent) => void): Subscriber =>
          ({ comet }, lost) =>
            comet.subscribeTx(query).subscribe({
              next,
              error: (error: unknown) => lost(`subscription error: ${describe(error)}`),
              complete: () => lost('subscription ended'),
            });
        return [
          ...this.runtimes.map((runtime) => on(`tm.event='Tx' AND ${CALLED_EVENT}.runtime='${runtime}'`, (event) => this.onTx(event))),
          // Results of other executors: a sign that they are alive (see process()).
          on(`tm.event='Tx' AND ${SUBMITTED_EVENT}.executor EXISTS`, (event) => this.picker.noteResults(event)),
        ];
      },
    });
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
        await this.picker.refreshExecutors();
        await this.picker.refreshBlockInterval();
        const { calls, height } = await queryPendingCalls(this.client.cometClient);
        for (const call of calls) {
          if (this.runtimes.includes(call.runtime)) this.enqueue(call.id, Number(call.height));
        }
        if (calls.length === 0) this.ledger.save(height);
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
    await this.http?.stop();
    await Promise.allSettled([...this.work]);
    await this.results.idle();
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
      if (!id || !/^\d+$/.test(id) || !this.runtimes.includes(runtime ?? '')) continue;
      this.enqueue(BigInt(id), event.height);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private enqueue(callId: bigint, height: number): void {
    if (this.stopped || this.inFlight.has(callId) || this.ledger.isFinished(callId)) return;
    this.inFlight.add(callId);
    this.ledger.heardOf(callId, height);
    // Only the sandbox run takes a slot: fetching code and waiting for the result's tx do not.
    const job = this.process(callId)
      .catch((error) => this.log(`call ${callId}: ${describe(error)}`))
      .finally(() => {
        this.inFlight.delete(callId);
        this.work.delete(job);
        if (this.ledger.isFinished(callId)) this.ledger.save(height);
      });
    this.work.add(job);
  }

  private async process(callId: bigint): Promise<void> {
    const heardAt = Date.now();
    let read = await this.readCall(callId);
    // Another executor is preferred: wait while it looks alive (its results keep coming) and the call
    // is not near its deadline; take the call once the preferred one has been silent for the delay.
    while (read && read.call.status === 'pending' && this.picker.shouldWait(read.call, read.height, heardAt)) {
      await this.sleep(Math.min(this.picker.fallbackMs, 1000));
      if (this.stopped) return;
      read = await this.readCall(callId);
    }
    const finish = (detail: string) => this.ledger.finish(callId, 'skipped', detail);
    if (!read) return finish('call not found');
    const { call, height } = read;
    if (call.status !== 'pending') return finish(`call is ${call.status}`);
    if (call.executors.length > 0 && !call.executors.includes(this.address)) return finish('this executor is not allowed');
    if (!this.runtimes.includes(call.runtime)) return finish(`runtime ${call.runtime}`);
    if (height >= Number(call.deadlineHeight)) return finish('deadline passed');

    let code: Uint8Array;
    try {
      code = await this.codes.get(call.codeHash);
    } catch (error) {
      if (error instanceof AinError && error.codespace === STORAGE && error.code === ErrStorageHashMismatch.code) {
        this.log(`call ${callId}: code refused, its bytes do not match code_hash ${call.codeHash}`);
        return this.results.submit(call, { failed: true, error: `code refused: bytes do not match code_hash ${call.codeHash}` });
      }
      if (error instanceof AinError && error.codespace === STORAGE && error.code === ErrStorageNotFound.code) {
        return this.retryOrFail(call, `code ${call.codeHash} not found in storage`);
      }
      return this.retryOrFail(call, `cannot fetch code: ${describe(error)}`);
    }

    const input = callInput(call.value);
    const { memoryMb, gpus, needs } = await functionResources(
      this.client,
      call,
      this.options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB,
    );
    // A function this executor cannot serve (packages, GPUs, GPU memory) is left to one that can.
    const cannot = cannotRunFunction(this.self, needs);
    if (cannot !== undefined) return finish(`cannot serve: ${cannot}`);
    const preferred = this.picker.isPreferred(call);
    let result: Awaited<ReturnType<typeof runSandboxed>> | undefined;
    try {
      // The run waits for its GPUs (one run per GPU), then for a slot.
      result = await this.slots.run(
        async (lease) => {
          // A call another executor is preferred for may have been answered while this one waited.
          if (!preferred && (await this.readCall(callId))?.call.status !== 'pending') return undefined;
          const onGpus = lease.gpus.length > 0 ? ` on GPU ${lease.gpus.map((g) => g.index).join(',')}` : '';
          this.log(`call ${callId}: running ${call.functionId} (${call.runtime})${onGpus}`);
          return runSandboxed({
            runtime: call.runtime,
            ...(lease.runtimes ? { runtimes: lease.runtimes } : {}),
            code,
            input,
            timeoutMs: this.picker.runTimeoutMs(Number(call.deadlineHeight) - height),
            memoryBytes: memoryMb * 1024 * 1024,
            gpus,
            gpuDevices: lease.gpus,
            network: call.network,
            maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
            isolation: this.isolation,
          });
        },
        { gpus },
      );
    } catch (error) {
      if (error instanceof AinError && error.codespace === EXECUTOR && error.code === ErrInvalidSandboxRequest.code) {
        return this.results.submit(call, { failed: true, error: describe(error) });
      }
      // The runtime is missing or the sandbox cannot start: leave the call to another executor.
      return finish(`cannot run: ${describe(error)}`);
    }
    if (!result) return finish('answered by another executor');
    if (result.ok) {
      this.log(`call ${callId}: ran ${call.functionId} in ${Math.round(result.durationMs)} ms`);
      return this.results.submit(call, { failed: false, output: JSON.stringify(result.output) });
    }
    const error = `${result.reason}${result.exitCode === null ? '' : ` (exit ${result.exitCode})`}: ${result.stderrTail}`;
    this.log(`call ${callId}: ${call.functionId} failed: ${result.reason}`);
    return this.results.submit(call, { failed: true, error });
  }

  private async retryOrFail(call: Call, reason: string): Promise<void> {
    const attempts = this.ledger.attempt(call.id);
    if (attempts >= MAX_ATTEMPTS) return this.results.submit(call, { failed: true, error: reason });
    this.log(`call ${call.id}: ${reason} (attempt ${attempts} of ${MAX_ATTEMPTS}; retried on the next poll)`);
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
}
