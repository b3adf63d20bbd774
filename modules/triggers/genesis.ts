/**
 * `app_state.triggers` (optional): executors registered at genesis, as MsgRegisterExecutor would
 * (same checks), and, in an exported genesis, every leaf of `/triggers` (calls, the pending queue,
 * executors, the call counter) as stored.
 */
import type { BlockContext, ModuleGenesis } from '../../core/index.ts';
import { ainError, ErrInvalidRequest, exportSubtrees, importSubtrees, type SubtreeLeaves } from '../../core/index.ts';
import { MsgRegisterExecutor } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { checkTriggersLeaves } from './genesisLeaves.ts';
import type { TriggersKeeper } from './keeper.ts';
import { TRIGGERS_ROOT } from './keys.ts';
import { validateMsgRegisterExecutor } from './msgs.ts';

export interface GenesisExecutorJson {
  address: string;
  runtimes: string[];
  cpu?: number;
  memory_mb?: number | string;
  gpus?: number;
  gpu_memory_mb?: number | string;
  price?: string;
}

export interface TriggersGenesisJson {
  executors: GenesisExecutorJson[];
  leaves?: SubtreeLeaves;
}

const toMsg = (executor: GenesisExecutorJson): MsgRegisterExecutor =>
  MsgRegisterExecutor.fromPartial({
    signer: executor.address,
    runtimes: executor.runtimes,
    cpu: executor.cpu ?? 0,
    memoryMb: BigInt(executor.memory_mb ?? 0),
    gpus: executor.gpus ?? 0,
    gpuMemoryMb: BigInt(executor.gpu_memory_mb ?? 0),
    price: executor.price ?? '0',
  });

function validateTriggersGenesis(genesis: TriggersGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || !Array.isArray(genesis.executors ?? []))
    throw ainError(ErrInvalidRequest, 'genesis triggers must be {"executors": [...]}');
  for (const executor of genesis.executors ?? []) validateMsgRegisterExecutor(toMsg(executor));
}

function initTriggersGenesis(ctx: BlockContext, keeper: TriggersKeeper, genesis: TriggersGenesisJson | undefined): void {
  if (genesis === undefined) return;
  validateTriggersGenesis(genesis);
  importSubtrees(ctx.state, genesis.leaves, [TRIGGERS_ROOT], 'genesis triggers.leaves');
  // Checked before the executors are registered: those are new records, not the export's.
  if (genesis.leaves !== undefined) checkTriggersLeaves(genesis.leaves, keeper.escrowBalance(ctx.state));
  for (const executor of genesis.executors ?? []) keeper.registerExecutor(ctx, toMsg(executor));
}

/** The triggers module's part of the genesis contract. */
export function triggersGenesis(keeper: TriggersKeeper): ModuleGenesis<TriggersGenesisJson> {
  return {
    defaultGenesis: () => ({ executors: [] }),
    validate: validateTriggersGenesis,
    init: (ctx, genesis) => {
      initTriggersGenesis(ctx, keeper, genesis);
      return undefined;
    },
    exportGenesis: (state) => ({ executors: [], leaves: exportSubtrees(state, [TRIGGERS_ROOT]) }),
  };
}
