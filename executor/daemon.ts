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
 * function-call pipeline in `calls.ts` (with `resources.ts`) and result batching in `results.ts`. At
 * start it refuses isolation weaker than bwrap unless told `insecureSandbox`, logs the memory control
 * and GPUs, and probes its runtimes in the sandbox (`probe.ts`) for the record it registers.
 */
import { cpus, totalmem } from 'node:os';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { connectAin } from '../client/index.ts';
import { ADDRESS_PREFIX, ainError } from '../core/index.ts';
import { BlobCache } from './blobs.ts';
import { CallRunner } from './calls.ts';
import { ErrInsecureSandbox, ErrInvalidSandboxRequest } from './errors.ts';
import { describeGpus, detectGpus, GpuPool } from './gpus.ts';
import { HttpGateway } from './httpGateway.ts';
import { detectIsolation, type Isolation } from './isolation.ts';
import { startJobRoles } from './jobs/roles.ts';
import { CallLedger } from './ledger.ts';
import { detectMemoryControl } from './memory.ts';
import {
  DEFAULT_EXECUTOR_MEMORY_MB,
  DEFAULT_EXECUTOR_TIMEOUT_MS,
  DEFAULT_FALLBACK_DELAY_MS,
  DEFAULT_MAX_CODE_BYTES,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_POLL_INTERVAL_MS,
  type ExecutorOptions,
  type RunningExecutor,
} from './options.ts';
import { CallPicker } from './preferred.ts';
import { probeRuntimes } from './probe.ts';
import { registerExecutor } from './registration.ts';
import { ResultBatcher } from './results.ts';
import { RuntimeTable } from './runtimes.ts';
import { serializeBroadcasts } from './serialClient.ts';
import { cannotRunJob, selfRecord } from './serving.ts';
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
 * Refuses isolation weaker than bubblewrap namespaces unless the operator said `insecure`.
 * @throws AinError executor/5 saying to install bubblewrap or pass --insecure-sandbox
 */
export function checkIsolation(isolation: Isolation, insecure: boolean | undefined): void {
  if (isolation.kind === 'bwrap' || insecure === true) return;
  throw ainError(
    ErrInsecureSandbox,
    `the sandbox here is ${isolation.kind} (${isolation.details}): programs could read this machine's files and keys. ` +
      'Install the bubblewrap package (e.g. apt-get install bubblewrap) and make sure it can create user namespaces, ' +
      'or pass --insecure-sandbox to run programs without filesystem isolation',
    { isolation: isolation.kind },
  );
}

/**
 * Refuses a default run memory (`--memory-mb`, what a function that does not say gets) above this
 * machine's memory: every such run would be given a limit the machine cannot honour.
 * @throws AinError executor/1 naming --memory-mb and the machine's MiB
 */
export function checkDefaultMemory(defaultMemoryMb: number, machineMb: number): void {
  if (defaultMemoryMb <= machineMb) return;
  throw ainError(
    ErrInvalidSandboxRequest,
    `--memory-mb ${defaultMemoryMb} is more than this machine's memory (${machineMb} MiB): give each run at most ${machineMb}`,
    { field: 'memory_mb' },
  );
}

/**
 * Starts an executor; resolves once it is registered on chain, subscribed and caught up.
 * @example
 * const executor = await startExecutor({ rpcUrl: 'http://127.0.0.1:26657', storageUrl: 'http://127.0.0.1:7070', key });
 * // ... later
 * await executor.stop();
 */
export async function startExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const plainLog = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const machineMb = Math.floor(totalmem() / (1024 * 1024));
  checkDefaultMemory(options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB, machineMb);
  const isolation = options.isolation ?? (await detectIsolation());
  plainLog(`sandbox isolation: ${isolation.kind} (${isolation.details})`);
  checkIsolation(isolation, options.insecureSandbox);
  // With weaker isolation every line says so, so no run's log reads as if it were contained.
  const log = isolation.kind === 'bwrap' ? plainLog : (line: string) => plainLog(`[INSECURE SANDBOX: ${isolation.kind}] ${line}`);
  const memoryControl = options.memoryControl ?? (await detectMemoryControl());
  log(`memory control: ${memoryControl.kind} (${memoryControl.details})`);
  const gpus = options.gpus ?? (await detectGpus());
  log(describeGpus(gpus));
  const runtimes = new RuntimeTable(options.declaredRuntimes ?? []);
  const runtimeInfo = await probeRuntimes(options.runtimes, { runtimes, gpus, isolation, memoryControl }, log);
  const wallet = await DirectSecp256k1Wallet.fromKey(options.key.privkey, ADDRESS_PREFIX);
  // One account sequence: every role's txs go out one at a time through this client.
  const client = serializeBroadcasts(
    await connectAin({ rpcUrl: options.rpcUrl, signer: wallet, ...(options.gasPrice ? { gasPrice: options.gasPrice } : {}) }),
  );
  const self = selfRecord({
    address: client.address ?? '',
    runtimeInfo,
    cpus: cpus().length,
    memoryMb: machineMb,
    gpus,
    price: options.price ?? '0',
  });
  const slots = new Slots(options.concurrency ?? Math.max(1, cpus().length), { gpus: new GpuPool(gpus), runtimes });
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXECUTOR_TIMEOUT_MS;
  const ledger = new CallLedger(options.cursorFile, log);
  const executor = new CallRunner({
    options,
    client,
    isolation,
    memoryControl,
    gpus,
    slots,
    runtimes: self.runtimes,
    self,
    ledger,
    picker: new CallPicker(client, { fallbackMs: options.fallbackDelayMs ?? DEFAULT_FALLBACK_DELAY_MS, timeoutMs }),
    results: new ResultBatcher(client, ledger, log),
    log,
  });
  try {
    await registerExecutor(client, self, log);
    await executor.start();
    if (options.jobs) {
      executor.jobs = await startJobRoles({
        ...options.jobs,
        rpcUrl: options.rpcUrl,
        client,
        key: options.key,
        storageUrl: options.storageUrl,
        isolation,
        slots,
        cannotRun: (job) => cannotRunJob(self, job),
        timeoutMs,
        defaultMemoryMb: options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB,
        maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        log,
      });
    }
    if (options.http) {
      const gateway = new HttpGateway({
        port: options.http.port,
        host: options.http.host,
        rpcUrl: options.rpcUrl,
        client,
        codes: new BlobCache({ storageUrl: options.storageUrl, maxEntries: 16, maxBytes: DEFAULT_MAX_CODE_BYTES }),
        slots,
        isolation,
        self,
        timeoutMs,
        defaultMemoryMb: options.defaultMemoryMb ?? DEFAULT_EXECUTOR_MEMORY_MB,
        maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        redeemIntervalMs: options.http.redeemIntervalMs,
        expiryMarginSeconds: options.http.expiryMarginSeconds,
        vouchersFile: options.http.vouchersFile,
        receiptKey: options.key.privkey,
        log,
      });
      executor.http = gateway;
      await gateway.start();
    }
  } catch (error) {
    await executor.stop();
    throw error;
  }
  return executor;
}
