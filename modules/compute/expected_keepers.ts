/** The narrow parts of other modules compute-driven supply uses. */
import type { Coin, CoinContext, ReadableState } from '../../core/index.ts';
import type { JobsHooks } from '../jobs/index.ts';
import type { TriggersHooks } from '../triggers/index.ts';

/** Minting into and paying out of the module account, burning from the fee collector. */
export interface BankKeeper {
  mintCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
  burnCoins(ctx: CoinContext, address: string, coins: readonly Coin[]): void;
  sendCoins(ctx: CoinContext, from: string, to: string, coins: readonly Coin[]): void;
  getBalance(state: ReadableState, address: string, denom: string): bigint;
}

/** The resources a job declared, as the jobs keeper stores them. */
export interface DeclaredResources {
  readonly cpu: number;
  readonly memoryMb: bigint;
  readonly gpus: number;
}

/** What the measurement reads of the jobs module: a job's declared resources. */
export interface JobsKeeper {
  jobResources(state: ReadableState, jobId: bigint): DeclaredResources | undefined;
}

/** The jobs keeper as the app gives it: its jobs (with their declared resources) and its hooks. */
export interface JobsModuleKeeper {
  getJob(state: ReadableState, id: bigint): { readonly resources?: DeclaredResources | undefined } | undefined;
  addHooks(hooks: JobsHooks): void;
}

/** The triggers keeper as the app gives it: only its hooks (a settled call names its function's resources). */
export interface TriggersModuleKeeper {
  addHooks(hooks: TriggersHooks): void;
}
