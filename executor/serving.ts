/**
 * What this executor can serve, decided the way the chain decides it: the executor builds the record
 * it registers (`selfRecord`) and asks the triggers module's own `cannotServe` of it, for a call's
 * function config (runtime name, package requirements, GPU count and GPU memory) and for a job (the
 * same fields, plus the CPUs and memory the job asks for, which the chain leaves to executors). The
 * chain refuses a write nobody registered could serve; an executor skips a call or a job it cannot.
 */
import { cannotServe, type Executor } from '../modules/triggers/index.ts';
import type { Job } from '../proto/gen/ain/jobs/v1/types.ts';
import type { RuntimeInfo } from '../proto/gen/ain/triggers/v1/tx.ts';
import { type Gpu, smallestGpuMemory } from './gpus.ts';

/** What a function config asks of an executor (the chain's `OffchainFunction` fields). */
export interface FunctionNeeds {
  readonly runtime: string;
  readonly resources: { readonly cpu: number; readonly memory_mb: number; readonly gpus: number; readonly gpu_memory_mb: number };
  readonly requires?: readonly string[];
}

/**
 * The record this executor registers, as the chain stores and matches it.
 * @example selfRecord({ address, runtimeInfo, cpus: 16, memoryMb: 131072, gpus, price: '0' })
 */
export function selfRecord(parts: {
  readonly address: string;
  readonly runtimeInfo: readonly RuntimeInfo[];
  readonly cpus: number;
  readonly memoryMb: number;
  readonly gpus: readonly Gpu[];
  readonly price: string;
}): Executor {
  return {
    address: parts.address,
    runtimes: parts.runtimeInfo.map((info) => info.name),
    cpu: parts.cpus,
    memoryMb: BigInt(parts.memoryMb),
    gpus: parts.gpus.length,
    gpuMemoryMb: BigInt(smallestGpuMemory(parts.gpus)),
    price: parts.price,
    runtimeInfo: [...parts.runtimeInfo],
  };
}

/**
 * Why `self` cannot run a function's calls, or undefined when it can: the chain's own check, plus
 * the memory it asks for (its sandbox's limit), which the chain leaves to executors. Both the calls
 * a trigger writes and the HTTP gateway's ask it.
 * @example cannotRunFunction(self, { runtime: 'torch', resources: { cpu: 1, memory_mb: 0, gpus: 1, gpu_memory_mb: 0 }, requires: ['torch>=2.4'] })
 */
export function cannotRunFunction(self: Executor, fn: FunctionNeeds): string | undefined {
  return chainRefusal(self, fn) ?? memoryShort(self, fn.resources.memory_mb, 'function');
}

/** Why `self` cannot run a job's programs, or undefined when it can: the chain's check plus CPUs and memory. */
export function cannotRunJob(self: Executor, job: Job): string | undefined {
  const needs = job.resources;
  const why = chainRefusal(self, {
    runtime: job.runtime,
    resources: {
      cpu: needs?.cpu ?? 0,
      memory_mb: Number(needs?.memoryMb ?? 0n),
      gpus: needs?.gpus ?? 0,
      gpu_memory_mb: Number(needs?.gpuMemoryMb ?? 0n),
    },
    requires: job.requires,
  });
  if (why !== undefined || !needs) return why;
  if (needs.cpu > self.cpu) return `${self.cpu} CPUs, the job needs ${needs.cpu}`;
  return memoryShort(self, Number(needs.memoryMb), 'job');
}

/** The triggers module's `cannotServe`. */
function chainRefusal(self: Executor, fn: FunctionNeeds): string | undefined {
  try {
    return cannotServe(self, fn);
  } catch (error) {
    // The chain checked the config when it was set; a config it would now refuse is not run.
    return `its requires cannot be read: ${(error as Error).message}`;
  }
}

/** Why `memoryMb` (0: not said, the executor's default) is more than `self` has, or undefined. */
function memoryShort(self: Executor, memoryMb: number, what: 'function' | 'job'): string | undefined {
  return memoryMb > Number(self.memoryMb) ? `${self.memoryMb} MiB of memory, the ${what} needs ${memoryMb}` : undefined;
}
