/**
 * Picking calls (`CallPicker`): which executor is preferred for a call (the registered executors
 * allowed for it and running its runtime, sorted by address, index = call id mod their count), whether
 * an executor that is not preferred should still wait (the preferred one looks alive: its results keep
 * arriving; the fallback delay has not passed; the call is not within `DEADLINE_MARGIN_BLOCKS` of its
 * deadline), and how long a run may take given the deadline and the chain's measured block interval
 * (`runTimeoutFor`). The registered executors and the block interval are refreshed on each poll.
 */
import type { comet38 } from '@cosmjs/tendermint-rpc';
import type { AinClient } from '../client/index.ts';
import { queryExecutors } from '../client/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';

export const SUBMITTED_EVENT = 'ain.triggers.v1.EventResultSubmitted';
/** Blocks over which the block interval is measured. */
const BLOCK_INTERVAL_SPAN = 10;
/** The shortest run a deadline may cut a call's run to. */
const MIN_RUN_TIMEOUT_MS = 1_000;
/** A call this close to its deadline is taken by any allowed executor, preferred or not. */
const DEADLINE_MARGIN_BLOCKS = 3;

/**
 * The preferred-executor rule and the deadline arithmetic of one executor.
 * @example
 * const picker = new CallPicker(client, { fallbackMs: 3_000, timeoutMs: 10_000 });
 * await picker.refreshExecutors();
 * if (picker.isPreferred(call)) run(call, picker.runTimeoutMs(Number(call.deadlineHeight) - height));
 */
export class CallPicker {
  private readonly address: string;
  /** Registered executors by runtime (sorted addresses), refreshed on each poll, for the preferred-executor rule. */
  private executorsByRuntime = new Map<string, string[]>();
  /** Recent block interval (ms), measured on each poll; undefined until the chain has 10 blocks. */
  private blockIntervalMs: number | undefined;
  /** `Date.now()` when a result of each executor was last seen in a block. */
  private readonly lastResultSeen = new Map<string, number>();

  constructor(
    private readonly client: AinClient,
    private readonly limits: { readonly fallbackMs: number; readonly timeoutMs: number },
  ) {
    this.address = client.address ?? '';
  }

  /** How long an executor that is not preferred waits for a silent preferred one (`fallbackDelayMs`). */
  get fallbackMs(): number {
    return this.limits.fallbackMs;
  }

  /** Whether this executor is the call's preferred one (see `ExecutorOptions.fallbackDelayMs`). */
  isPreferred(call: Call): boolean {
    const preferred = this.preferredExecutor(call);
    return preferred === undefined || preferred === this.address;
  }

  /**
   * Whether an executor that is not preferred for a pending call, read at `height`, should keep waiting:
   * the call is not near its deadline, and it heard of the call (at `heardAt`) less than the fallback
   * delay ago or the preferred executor's last result is more recent than that.
   */
  shouldWait(call: Call, height: number, heardAt: number): boolean {
    if (this.isPreferred(call)) return false;
    const fallbackMs = this.limits.fallbackMs;
    const preferred = this.preferredExecutor(call);
    const lastSeen = (preferred && this.lastResultSeen.get(preferred)) || 0;
    const now = Date.now();
    const nearDeadline = height + DEADLINE_MARGIN_BLOCKS >= Number(call.deadlineHeight);
    return !(nearDeadline || (now - heardAt >= fallbackMs && now - lastSeen >= fallbackMs));
  }

  /** Notes the executors whose results are in a tx: a sign that they are alive. */
  noteResults(event: comet38.TxEvent): void {
    for (const e of event.result.events) {
      if (e.type !== SUBMITTED_EVENT) continue;
      const executor = e.attributes.find((a) => a.key === 'executor')?.value;
      if (executor) this.lastResultSeen.set(executor, Date.now());
    }
  }

  /** How long a run may take with `blocksLeft` blocks to the call's deadline (see {@link runTimeoutFor}). */
  runTimeoutMs(blocksLeft: number): number {
    return runTimeoutFor(this.limits.timeoutMs, blocksLeft, this.blockIntervalMs);
  }

  /** The chain's recent block interval, from the times of the latest block and the one 10 below it. */
  async refreshBlockInterval(): Promise<void> {
    const status = await this.client.cometClient.status();
    const latest = status.syncInfo.latestBlockHeight;
    if (latest <= BLOCK_INTERVAL_SPAN) return;
    const earlier = await this.client.cometClient.block(latest - BLOCK_INTERVAL_SPAN);
    const span = status.syncInfo.latestBlockTime.getTime() - earlier.block.header.time.getTime();
    if (span > 0) this.blockIntervalMs = span / BLOCK_INTERVAL_SPAN;
  }

  async refreshExecutors(): Promise<void> {
    const byRuntime = new Map<string, string[]>();
    for (const executor of await queryExecutors(this.client.cometClient)) {
      for (const runtime of executor.runtimes) byRuntime.set(runtime, [...(byRuntime.get(runtime) ?? []), executor.address]);
    }
    for (const list of byRuntime.values()) list.sort();
    this.executorsByRuntime = byRuntime;
  }

  /** The registered executor preferred for a call: sorted candidates, index = call id mod count. */
  private preferredExecutor(call: Call): string | undefined {
    const registered = this.executorsByRuntime.get(call.runtime) ?? [];
    const candidates = call.executors.length > 0 ? registered.filter((a) => call.executors.includes(a)) : registered;
    if (!candidates.includes(this.address)) return undefined;
    return candidates[Number(call.id % BigInt(candidates.length))];
  }
}

/**
 * How long a run may take: the executor's limit, cut to what the call's deadline leaves. The result
 * must be in a block at or before the deadline, so of the `blocksLeft` blocks one is kept for the
 * result's tx; at least 1 s (the chain refunds the caller anyway when a result comes too late). With
 * no measured block interval yet, the limit.
 * @example runTimeoutFor(10_000, 5, 1_000) // 4000: four blocks of 1 s before the one for the result
 */
export function runTimeoutFor(limitMs: number, blocksLeft: number, blockIntervalMs: number | undefined): number {
  if (blockIntervalMs === undefined) return limitMs;
  return Math.max(MIN_RUN_TIMEOUT_MS, Math.min(limitMs, Math.floor((blocksLeft - 1) * blockIntervalMs)));
}
