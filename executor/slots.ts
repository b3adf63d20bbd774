/**
 * Sandbox slots: an executor runs at most `limit` programs at once, shared by the function runner and
 * the job roles; callers wait in order for a free slot. A run that needs GPUs first waits for that many
 * free GPUs of the pool (so a GPU run never holds a CPU slot while it waits), then for a slot; its
 * function runs inside a sandbox scope holding exactly those GPUs and the executor's runtimes, so the
 * programs it starts (also those of `jobs/programs.ts`, which pass neither) get them. A run marked
 * `priority` waits in a queue served before the others (contract calls before paid-per-call ones).
 * @example const slots = new Slots(2, { gpus: pool, runtimes: table }); await slots.run((lease) => runSandboxed({ ..., gpuDevices: lease.gpus }), { gpus: 1 });
 */
import { type Gpu, GpuPool } from './gpus.ts';
import type { RuntimeTable } from './runtimes.ts';
import { withSandboxScope } from './sandbox.ts';

/** What one run holds while its function runs. */
export interface SlotLease {
  readonly gpus: readonly Gpu[];
  readonly runtimes: RuntimeTable | undefined;
}

export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Runs marked `priority` (contract calls of the HTTP gateway) take a freed slot before `waiting`. */
  private readonly urgent: Array<() => void> = [];
  readonly gpus: GpuPool;
  readonly runtimes: RuntimeTable | undefined;

  constructor(
    private readonly limit: number,
    options: { readonly gpus?: GpuPool; readonly runtimes?: RuntimeTable } = {},
  ) {
    this.gpus = options.gpus ?? new GpuPool([]);
    this.runtimes = options.runtimes;
  }

  /** Whether every slot is taken (a new run would wait). */
  get busy(): boolean {
    return this.running >= this.limit;
  }

  async run<T>(fn: (lease: SlotLease) => Promise<T>, needs: { readonly gpus?: number; readonly priority?: boolean } = {}): Promise<T> {
    const gpus = await this.gpus.acquire(needs.gpus ?? 0);
    const queue = needs.priority ? this.urgent : this.waiting;
    try {
      while (this.running >= this.limit) await new Promise<void>((resolve) => queue.push(resolve));
      this.running += 1;
      try {
        const lease = { gpus: gpus.gpus, runtimes: this.runtimes };
        return await withSandboxScope({ gpus: lease.gpus, ...(this.runtimes ? { runtimes: this.runtimes } : {}) }, () => fn(lease));
      } finally {
        this.running -= 1;
        (this.urgent.shift() ?? this.waiting.shift())?.();
      }
    } finally {
      gpus.release();
    }
  }
}
