import { EventCollector } from '../../core/events.ts';
import { GasMeter } from '../../core/gas.ts';
import type { AppState } from '../../app/genesis.ts';
import type { WritableState } from '../../core/state.ts';
import { MsgRegisterExecutor } from '../../proto/gen/ain/triggers/v1/tx.ts';
import type { TriggersKeeper } from './keeper.ts';
import { validateMsgRegisterExecutor } from './msgs.ts';

/**
 * `app_state.triggers` (optional): `{"executors": [{"address", "runtimes", "cpu", "memory_mb", "gpus",
 * "gpu_memory_mb", "price"}]}`, each registered as MsgRegisterExecutor would (same checks).
 */
export function initTriggersGenesis(state: WritableState, keeper: TriggersKeeper, genesis: AppState['triggers']): void {
  const ctx = { state, gas: new GasMeter(0), events: new EventCollector(), height: 0n, blockTimeSeconds: 0n };
  for (const executor of genesis?.executors ?? []) {
    const msg = MsgRegisterExecutor.fromPartial({
      signer: executor.address,
      runtimes: executor.runtimes,
      cpu: executor.cpu ?? 0,
      memoryMb: BigInt(executor.memory_mb ?? 0),
      gpus: executor.gpus ?? 0,
      gpuMemoryMb: BigInt(executor.gpu_memory_mb ?? 0),
      price: executor.price ?? '0',
    });
    validateMsgRegisterExecutor(msg);
    keeper.registerExecutor(ctx, msg);
  }
}
