import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { queryCall, queryExecutors, queryPendingCalls } from '../../../client/index.ts';
import type { Call, Executor } from '../../../proto/gen/ain/triggers/v1/query.ts';
import { withCometClient } from '../../common/index.ts';

/** A call as the CLI prints it: the chain's record in snake_case JSON (64-bit integers as strings). */
export function callJson(call: Call): Record<string, unknown> {
  return {
    id: call.id.toString(),
    status: call.status,
    function_id: call.functionId,
    function_path: call.functionPath,
    trigger_path: call.triggerPath,
    value: call.value,
    caller: call.caller,
    price: call.price,
    height: call.height.toString(),
    deadline_height: call.deadlineHeight.toString(),
    output_path: call.outputPath,
    runtime: call.runtime,
    code_hash: call.codeHash,
    executors: call.executors.length === 0 ? 'any' : call.executors,
    network: call.network,
    executor: call.executor,
    error: call.error,
  };
}

export function executorJson(executor: Executor): Record<string, unknown> {
  return {
    address: executor.address,
    runtimes: executor.runtimes,
    cpu: executor.cpu,
    memory_mb: executor.memoryMb.toString(),
    gpus: executor.gpus,
    gpu_memory_mb: executor.gpuMemoryMb.toString(),
    price: executor.price,
  };
}

/** `query triggers call ID`. Throws `triggers/4` for an unknown call. */
export async function queryTriggersCall(node: string, id: string): Promise<Record<string, unknown>> {
  if (!/^[1-9][0-9]{0,19}$/.test(id)) throw ainError(ErrInvalidRequest, `call id "${id}" must be a positive integer`);
  return withCometClient(node, async (comet) => {
    const { call, height } = await queryCall(comet, BigInt(id));
    return { call: callJson(call), height: String(height) };
  });
}

/** `query triggers calls`: pending calls, earliest deadline first. */
export async function queryTriggersCalls(node: string, limit: number): Promise<Record<string, unknown>> {
  return withCometClient(node, async (comet) => {
    const { calls, height } = await queryPendingCalls(comet, limit);
    return { calls: calls.map(callJson), height: String(height) };
  });
}

/** `query triggers executors`: registered executors in address order. */
export async function queryTriggersExecutors(node: string, limit: number): Promise<Record<string, unknown>> {
  return withCometClient(node, async (comet) => ({ executors: (await queryExecutors(comet, limit)).map(executorJson) }));
}
