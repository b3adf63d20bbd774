/**
 * The executor daemon (`aind executor`): registers on chain, listens to CometBFT's websocket for the
 * off-chain calls it can run, fetches their code from Big Storage by hash (checked), runs it in the
 * sandbox and broadcasts `MsgSubmitResult` with its own key. It keeps a cursor (the last height it
 * processed) and on (re)connect catches up with the chain's pending calls, so nothing is missed while
 * it was away; it never submits twice for one call. With `jobs` the same process also takes the job
 * market's worker and evaluator roles (`jobs/roles.ts`), sharing its key, sandbox slots and tx queue.
 * This file only wires the parts (`startExecutor`) and re-exports the daemon's public names: the
 * options and defaults are in `options.ts`, registration in `registration.ts`, the cursor file and
 * finished calls in `ledger.ts`, the preferred-executor rule and deadlines in `preferred.ts`, the
 * function-call pipeline in `calls.ts` (with `resources.ts`) and result batching in `results.ts`.
 */
import { cpus, totalmem } from 'node:os';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { connectAin } from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/index.ts';
import { CallRunner } from './calls.ts';
import { detectGpus } from './gpus.ts';
import { startJobRoles } from './jobs/roles.ts';
import { CallLedger } from './ledger.ts';
import {
  DEFAULT_EXECUTOR_MEMORY_MB,
  DEFAULT_EXECUTOR_TIMEOUT_MS,
  DEFAULT_FALLBACK_DELAY_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_RUNTIMES,
  type ExecutorOptions,
  type RunningExecutor,
} from './options.ts';
import { CallPicker } from './preferred.ts';
import { registerExecutor } from './registration.ts';
import { ResultBatcher } from './results.ts';
import { detectIsolation } from './sandbox.ts';
import { serializeBroadcasts } from './serialClient.ts';
import { Slots } from './slots.ts';

export {
  type CallOutcome,
  DEFAULT_EXECUTOR_MEMORY_MB,
  DEFAULT_EXECUTOR_TIMEOUT_MS,
  DEFAULT_FALLBACK_DELAY_MS,
  DEFAULT_MAX_CODE_BYTES,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_POLL_INTERVAL_MS,
  type ExecutorKey,
  type ExecutorOptions,
  type RunningExecutor,
} from './options.ts';
export { runTimeoutFor } from './preferred.ts';

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
  const runtimes = options.runtimes ?? DEFAULT_RUNTIMES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXECUTOR_TIMEOUT_MS;
  const ledger = new CallLedger(options.cursorFile, log);
  const executor = new CallRunner({
    options,
    client,
    isolation,
    slots,
    runtimes,
    gpuCount: gpus.count,
    ledger,
    picker: new CallPicker(client, { fallbackMs: options.fallbackDelayMs ?? DEFAULT_FALLBACK_DELAY_MS, timeoutMs }),
    results: new ResultBatcher(client, ledger, log),
    log,
  });
  try {
    await registerExecutor(client, { runtimes, gpus: { count: gpus.count, memoryMb: gpuMemoryMb }, price: options.price ?? '0' }, log);
    await executor.start();
    if (options.jobs) {
      executor.jobs = await startJobRoles({
        ...options.jobs,
        rpcUrl: options.rpcUrl,
        runtimes,
        client,
        key: options.key,
        storageUrl: options.storageUrl,
        isolation,
        slots,
        machine: { cpus: cpus().length, memoryMb: Math.floor(totalmem() / (1024 * 1024)), gpus: gpus.count, gpuMemoryMb },
        timeoutMs,
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
