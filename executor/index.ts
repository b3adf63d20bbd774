/**
 * The executor's public face: the sandbox that runs off-chain code (with a declared runtime, the GPUs
 * of a pool and a memory cgroup), the runtime probe, GPU and memory-control detection, the executor
 * config, and the daemon.
 */
export {
  EXECUTOR,
  ErrInsecureSandbox,
  ErrInvalidSandboxRequest,
  ErrRuntimeNotFound,
  ErrRuntimeProbe,
  ErrSandboxStart,
} from './errors.ts';
export { describeGpus, detectGpus, type Gpu, type GpuLease, GpuPool, parseNvidiaSmi, smallestGpuMemory } from './gpus.ts';
export { detectIsolation, type Isolation, type IsolationKind } from './isolation.ts';
export { detectMemoryControl, type MemoryControl, type MemoryControlKind } from './memory.ts';
export {
  DEFAULT_RUNTIME_NAMES,
  type ResolvedRuntime,
  type RuntimeKind,
  type RuntimeSpec,
  RuntimeTable,
  resolveRuntime,
} from './runtimes.ts';
export { describeProbe, probeRuntime, type RuntimeProbe } from './probe.ts';
export {
  findSandboxRuntime,
  runSandboxed,
  type SandboxFailure,
  type SandboxFailureReason,
  type SandboxRequest,
  type SandboxResult,
  type SandboxRuntime,
  type SandboxSuccess,
  withSandboxScope,
} from './sandbox.ts';
export { EXECUTOR_CONFIG_FILE, type ExecutorConfig, mergeRuntimeSpecs, parseRuntimeFlag, readExecutorConfig } from './config.ts';
export { BlobCache } from './blobs.ts';
export {
  checkIsolation,
  DEFAULT_EXECUTOR_MEMORY_MB,
  DEFAULT_EXECUTOR_TIMEOUT_MS,
  DEFAULT_FALLBACK_DELAY_MS,
  startExecutor,
} from './daemon.ts';
export type { RunningExecutor } from './daemon.ts';
export { describeError } from './errors.ts';
export { fitsInline, jsonOf, runEvaluatorProgram } from './jobs/programs.ts';
export type { FetchBlob } from './jobs/programs.ts';
export { JOB_ROLES } from './jobs/roles.ts';
export type { JobRole, JobRolesConfig } from './jobs/roles.ts';
