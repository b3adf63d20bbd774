/**
 * Executor records (`/triggers/executors/<address>`): what an executor registered (runtimes with
 * their probed packages and CUDA, CPUs, memory, GPUs and the memory of its smallest GPU, least
 * price), and whether any registered executor a function allows can run one of its calls. The chain
 * refuses a write whose call nobody registered could serve, instead of escrowing for a call that can
 * only expire.
 */
import {
  canonicalJson,
  type JsonValue,
  normalizePackageName,
  parseRequirements,
  type ReadableState,
  unmetRequirement,
} from '../../core/index.ts';
import type { OffchainFunction } from '../state/index.ts';
import type { MsgRegisterExecutor, RuntimeInfo } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { ErrInvalidFunctionConfig } from '../state/index.ts';
import { EXECUTORS_ROOT, executorPath } from './keys.ts';

/** Most registered executors a call's matching (and the Executors query) reads. */
export const MAX_EXECUTORS_LISTED = 1000;

/** A registered executor, as the keeper and queries read it. */
export interface Executor {
  readonly address: string;
  readonly runtimes: string[];
  readonly cpu: number;
  readonly memoryMb: bigint;
  readonly gpus: number;
  readonly gpuMemoryMb: bigint;
  readonly price: string;
  readonly runtimeInfo: RuntimeInfo[];
}

/** The stored record of a registration (canonical JSON; `runtime_info` only when the executor sent some). */
export function executorRecord(msg: MsgRegisterExecutor): string {
  const record: Record<string, JsonValue> = {
    address: msg.signer,
    runtimes: [...msg.runtimes],
    cpu: msg.cpu,
    memory_mb: msg.memoryMb.toString(),
    gpus: msg.gpus,
    gpu_memory_mb: msg.gpuMemoryMb.toString(),
    price: msg.price === '' ? '0' : msg.price,
  };
  if (msg.runtimeInfo.length > 0) {
    record['runtime_info'] = msg.runtimeInfo.map((info) => ({
      name: info.name,
      kind: info.kind,
      version: info.version,
      // Names normalized once here, so matching compares like with like.
      packages: info.packages.map((p) => ({ name: normalizePackageName(p.name), version: p.version })),
      cuda: info.cuda,
    }));
  }
  return canonicalJson(record);
}

export function parseExecutor(text: string): Executor {
  const record = JSON.parse(text) as Record<string, JsonValue>;
  const info = (record['runtime_info'] ?? []) as Array<{
    name: string;
    kind: string;
    version: string;
    packages: { name: string; version: string }[];
    cuda: boolean;
  }>;
  return {
    address: record['address'] as string,
    runtimes: record['runtimes'] as string[],
    cpu: record['cpu'] as number,
    memoryMb: BigInt(record['memory_mb'] as string),
    gpus: record['gpus'] as number,
    gpuMemoryMb: BigInt(record['gpu_memory_mb'] as string),
    price: record['price'] as string,
    runtimeInfo: info.map((i) => ({ name: i.name, kind: i.kind, version: i.version, packages: i.packages, cuda: i.cuda })),
  };
}

/** Registered executors in address order, at most `limit` (<= {@link MAX_EXECUTORS_LISTED}). */
export function listExecutors(state: ReadableState, limit: number): Executor[] {
  return state.list(EXECUTORS_ROOT, Math.min(limit, MAX_EXECUTORS_LISTED)).map(([, text]) => parseExecutor(text as string));
}

/** One executor's registration, or undefined. */
export function getExecutor(state: ReadableState, address: string): Executor | undefined {
  const text = state.get(executorPath(address));
  return typeof text === 'string' ? parseExecutor(text) : undefined;
}

/**
 * Why `executor` cannot run `fn`'s calls, or undefined when it can. Executors ask the same of
 * themselves (for calls and for jobs, which carry the same fields).
 */
export function cannotServe(executor: Executor, fn: Pick<OffchainFunction, 'runtime' | 'resources' | 'requires'>): string | undefined {
  if (!executor.runtimes.includes(fn.runtime)) return `no runtime ${fn.runtime}`;
  if (executor.gpus < fn.resources.gpus) return `${executor.gpus} GPUs, the function needs ${fn.resources.gpus}`;
  if (fn.resources.gpus > 0 && executor.gpuMemoryMb < BigInt(fn.resources.gpu_memory_mb))
    return `${executor.gpuMemoryMb} MiB per GPU, the function needs ${fn.resources.gpu_memory_mb}`;
  const requirements = parseRequirements(fn.requires ?? [], 'requires', ErrInvalidFunctionConfig);
  if (requirements.length === 0 && fn.resources.gpus === 0) return undefined;
  const info = executor.runtimeInfo.find((i) => i.name === fn.runtime);
  if (!info) return `runtime ${fn.runtime} registered without its packages`;
  const unmet = unmetRequirement(requirements, new Map(info.packages.map((p) => [p.name, p.version])));
  if (unmet) return `runtime ${fn.runtime} does not meet ${unmet.text}`;
  if (fn.resources.gpus > 0 && !info.cuda) return `runtime ${fn.runtime} cannot use CUDA`;
  return undefined;
}

/**
 * Whether some registered executor the function allows can run its calls; undefined when one can,
 * else why the first few candidates cannot (for the refusal's message).
 */
export function whyNobodyServes(state: ReadableState, fn: OffchainFunction): string | undefined {
  const candidates =
    fn.executors === 'any'
      ? listExecutors(state, MAX_EXECUTORS_LISTED)
      : fn.executors.flatMap((address) => getExecutor(state, address) ?? []);
  const reasons: string[] = [];
  for (const executor of candidates) {
    const reason = cannotServe(executor, fn);
    if (reason === undefined) return undefined;
    if (reasons.length < 3) reasons.push(`${executor.address}: ${reason}`);
  }
  return candidates.length === 0
    ? fn.executors === 'any'
      ? 'no executor is registered'
      : `none of the listed executors is registered (${fn.executors.join(', ')})`
    : `${candidates.length} registered executor(s) cannot: ${reasons.join('; ')}`;
}
