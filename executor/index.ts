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
