/**
 * The executor daemon's public shapes and defaults: the options `startExecutor` takes
 * (`ExecutorOptions`, `ExecutorKey`), what it hands back (`RunningExecutor`), what became of each call
 * (`CallOutcome`), and the default limits the CLI shows. Types and constants only, so every part of the
 * daemon (`cursor.ts`, `preferred.ts`, `results.ts`, `calls.ts`, `daemon.ts`) can import them without a
 * loop; `daemon.ts` re-exports all of them.
 */
import type { RuntimeInfo } from '../proto/gen/ain/triggers/v1/tx.ts';
import type { Gpu } from './gpus.ts';
import type { HttpGateway } from './httpGateway.ts';
import type { Isolation } from './isolation.ts';
import type { JobRoles, JobRolesConfig } from './jobs/roles.ts';
import type { MemoryControl } from './memory.ts';
import type { RuntimeSpec } from './runtimes.ts';

export const DEFAULT_EXECUTOR_TIMEOUT_MS = 10_000;
export const DEFAULT_EXECUTOR_MEMORY_MB = 256;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CODE_BYTES = 16 * 1024 * 1024;
/** How often pending calls are polled besides the websocket (a safety net for lost events). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_FALLBACK_DELAY_MS = 3_000;

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
  /**
   * Runtimes this executor runs, by name (default: python3 and node where found, and every declared
   * one). A runtime named here or declared that cannot be probed stops the start.
   */
  readonly runtimes?: readonly string[];
  /** Runtimes the operator declares (`HOME/executor.toml`, `--runtime NAME=PATH`); one named python3 or node replaces the default. */
  readonly declaredRuntimes?: readonly RuntimeSpec[];
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
  /**
   * Runs programs even when the isolation is weaker than bwrap namespaces (no filesystem isolation);
   * every log line then says so. Without it such an executor refuses to start.
   */
  readonly insecureSandbox?: boolean;
  /** Overrides the detected memory control (tests). */
  readonly memoryControl?: MemoryControl;
  /** Overrides the detected GPUs (tests). */
  readonly gpus?: readonly Gpu[];
  /** Turns on the job market roles (worker, evaluator) beside the function runner (`jobs/roles.ts`). */
  readonly jobs?: JobRolesConfig;
  /**
   * Serves HTTP-triggered functions on this port (`httpGateway.ts`; 0 picks a free one), paid by
   * vouchers redeemed every `redeemIntervalMs` (default 10 s); channels expiring within
   * `expiryMarginSeconds` (default 60) are refused.
   */
  readonly http?: {
    readonly port: number;
    readonly host?: string;
    readonly redeemIntervalMs?: number;
    readonly expiryMarginSeconds?: number;
    /** JSON file keeping accepted vouchers until redeemed (absent: memory only, lost in a crash). */
    readonly vouchersFile?: string;
  };
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
  readonly memoryControl: MemoryControl;
  readonly gpus: readonly Gpu[];
  /** The runtimes it registered, as probed. */
  readonly runtimeInfo: readonly RuntimeInfo[];
  /** Outcomes so far, in order. */
  readonly outcomes: readonly CallOutcome[];
  /** The job roles, when `jobs` was given. */
  readonly jobs: JobRoles | undefined;
  /** The HTTP gateway, when `http` was given. */
  readonly http: HttpGateway | undefined;
  /** Processes pending calls now (what a reconnect does). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}
