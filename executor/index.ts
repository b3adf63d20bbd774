/** The executor's public face: the sandbox that runs off-chain function code, and GPU discovery. */
export { EXECUTOR, ErrInvalidSandboxRequest, ErrRuntimeNotFound, ErrSandboxStart } from './errors.ts';
export { detectGpus, type GpuInfo, parseNvidiaSmi } from './gpus.ts';
export {
  detectIsolation,
  findSandboxRuntime,
  type Isolation,
  type IsolationKind,
  runSandboxed,
  type SandboxFailure,
  type SandboxFailureReason,
  type SandboxRequest,
  type SandboxResult,
  type SandboxRuntime,
  type SandboxSuccess,
} from './sandbox.ts';
export { BlobCache } from './blobs.ts';
export { DEFAULT_EXECUTOR_MEMORY_MB, DEFAULT_EXECUTOR_TIMEOUT_MS, DEFAULT_FALLBACK_DELAY_MS, startExecutor } from './daemon.ts';
export type { RunningExecutor } from './daemon.ts';
export { describeError } from './errors.ts';
export { fitsInline, jsonOf, runEvaluatorProgram } from './jobs/programs.ts';
export type { FetchBlob } from './jobs/programs.ts';
export { JOB_ROLES } from './jobs/roles.ts';
export type { JobRole, JobRolesConfig } from './jobs/roles.ts';
