/**
 * What a function call gives the sandbox besides its code: the memory (MiB) and GPUs its function asks
 * for in the `resources` of its registered config (`functionResources`, read from the chain's state at
 * call time, with the executor's default memory when it does not say), and the program's input, the
 * call's written value as JSON (or the raw text when it is not JSON: `callInput`).
 */
import type { AinClient } from '../client/index.ts';
import type { JsonValue } from '../core/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';

/** Most GPUs one function may ask for. */
const MAX_FUNCTION_GPUS = 64;
/** The least memory (MiB) a function may ask for; less means the default. */
const MIN_FUNCTION_MEMORY_MB = 16;

/**
 * The memory (MiB) and GPUs a call's function asks for (`resources`), with the executor's default memory.
 * @example const { memoryMb, gpus } = await functionResources(client, call, 256);
 */
export async function functionResources(
  client: AinClient,
  call: Call,
  defaultMemoryMb: number,
): Promise<{ memoryMb: number; gpus: number }> {
  try {
    const config = (await client.ref(call.functionPath).getFunction()).value as {
      resources?: { memory_mb?: number; gpus?: number };
    } | null;
    const mb = config?.resources?.memory_mb;
    const gpus = config?.resources?.gpus;
    return {
      memoryMb: typeof mb === 'number' && mb >= MIN_FUNCTION_MEMORY_MB ? mb : defaultMemoryMb,
      gpus: typeof gpus === 'number' && Number.isSafeInteger(gpus) && gpus > 0 ? Math.min(gpus, MAX_FUNCTION_GPUS) : 0,
    };
  } catch {
    return { memoryMb: defaultMemoryMb, gpus: 0 };
  }
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
