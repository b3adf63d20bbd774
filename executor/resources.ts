/**
 * What a function call gives the sandbox besides its code: what its function asks for in its
 * registered config (`functionResources`, read from the chain's state at call time: the memory, with
 * the executor's default when it does not say, the GPUs and GPU memory, the package requirements),
 * and the program's input, the call's written value as JSON (or the raw text when it is not JSON:
 * `callInput`).
 */
import type { AinClient } from '../client/index.ts';
import type { JsonValue } from '../core/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import type { FunctionNeeds } from './serving.ts';

/** Most GPUs one function may ask for. */
const MAX_FUNCTION_GPUS = 64;
/** The least memory (MiB) a function may ask for; less means the default. */
const MIN_FUNCTION_MEMORY_MB = 16;

/** The fields of a stored function config read here (the chain checked them when it was set). */
interface StoredConfig {
  readonly resources?: Record<string, unknown>;
  readonly requires?: unknown;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);

/**
 * The memory (MiB) and GPUs a call's function asks for, with the executor's default memory, and the
 * function's needs as the serving check reads them (the call's runtime; no config found: no needs).
 * @example const { memoryMb, gpus, needs } = await functionResources(client, call, 256);
 */
export async function functionResources(
  client: AinClient,
  call: Call,
  defaultMemoryMb: number,
): Promise<{ memoryMb: number; gpus: number; needs: FunctionNeeds }> {
  let config: StoredConfig | null = null;
  try {
    config = (await client.ref(call.functionPath).getFunction()).value as StoredConfig | null;
  } catch {
    // unreadable: run with the defaults
  }
  const resources = config?.resources ?? {};
  const mb = resources['memory_mb'];
  const gpus = Math.min(count(resources['gpus']), MAX_FUNCTION_GPUS);
  const requires = Array.isArray(config?.requires) ? (config.requires as string[]) : [];
  return {
    memoryMb: typeof mb === 'number' && mb >= MIN_FUNCTION_MEMORY_MB ? mb : defaultMemoryMb,
    gpus,
    needs: {
      runtime: call.runtime,
      resources: { cpu: count(resources['cpu']), memory_mb: count(mb), gpus, gpu_memory_mb: count(resources['gpu_memory_mb']) },
      requires,
    },
  };
}

/**
 * A call's input for its program: the written value parsed as JSON, or the text itself when it is not JSON.
 * @example callInput('{"n":2}') // { n: 2 }; callInput('hello') // 'hello'
 */
export function callInput(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}
