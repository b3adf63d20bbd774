/**
 * `Redeemer`: turns the vouchers an executor accepted into money. Every `intervalMs` (and once more
 * on stop) it sends one MsgRedeem with the latest voucher of each channel not redeemed yet (up to 100
 * per tx), so any number of calls costs one tx per interval. Failures are logged and retried on the
 * next round (the vouchers stay in the book), except a voucher the chain refuses for good: it is
 * dropped and the others are sent without it.
 */
import type { AinClient } from '../client/index.ts';
import { channelsMsg } from '../client/index.ts';
import { AinError } from '../core/index.ts';
import { MAX_VOUCHERS_PER_REDEEM } from '../modules/channels/index.ts';
import type { Voucher } from '../proto/gen/ain/channels/v1/types.ts';
import { describeError } from './errors.ts';
import type { VoucherBook } from './vouchers.ts';

/** What the redeemer has done so far. */
export interface RedeemStats {
  txs: number;
  vouchers: number;
  /** uain paid to the executor by the chain. */
  paid: bigint;
  gasUsed: bigint;
}

export class Redeemer {
  readonly stats: RedeemStats = { txs: 0, vouchers: 0, paid: 0n, gasUsed: 0n };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly client: AinClient,
    private readonly book: VoucherBook,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Redeems what is pending now; resolves when its txs are in blocks (or failed). */
  flush(): Promise<void> {
    this.running ??= this.redeemAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.flush();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.flush().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private async redeemAll(): Promise<void> {
    const pending = this.book.unredeemed();
    for (let i = 0; i < pending.length; i += MAX_VOUCHERS_PER_REDEEM) await this.redeemBatch(pending.slice(i, i + MAX_VOUCHERS_PER_REDEEM));
  }

  /**
   * One MsgRedeem. The chain takes all of its vouchers or none, so a voucher it refuses for good
   * (`refusedVoucher`) is dropped from the book and the rest are sent again at once: one closed,
   * expired or already redeemed channel must not hold back the others' pay.
   */
  private async redeemBatch(batch: Voucher[]): Promise<void> {
    let vouchers = batch;
    while (vouchers.length > 0) {
      try {
        const result = await this.client.signAndBroadcast([channelsMsg.redeem(this.client.address ?? '', { vouchers })]);
        this.book.redeemed(vouchers);
        const paid = result.events
          .filter((e) => e.type === 'ain.channels.v1.EventVoucherRedeemed')
          .reduce((sum, e) => sum + BigInt(e.attributes.find((a) => a.key === 'paid')?.value ?? '0'), 0n);
        this.stats.txs += 1;
        this.stats.vouchers += vouchers.length;
        this.stats.paid += paid;
        this.stats.gasUsed += result.gasUsed;
        this.log(`redeemed ${vouchers.length} voucher(s) for ${paid} uain in tx ${result.transactionHash} (height ${result.height})`);
        return;
      } catch (error) {
        const refused = refusedVoucher(error, vouchers.length);
        if (refused === undefined) {
          this.log(`redeeming ${vouchers.length} voucher(s) failed: ${describeError(error)} (retried next round)`);
          return;
        }
        const dropped = vouchers[refused]!;
        this.book.forget(dropped);
        this.log(`dropped the voucher of channel ${dropped.channelId} (${dropped.amount} uain): ${describeError(error)}`);
        vouchers = vouchers.filter((_, i) => i !== refused);
      }
    }
  }
}

/** Channels refusals that no later round changes: no channel, not ours, over the deposit, redeemed, closed, expired, a bad signature. */
const FINAL_REFUSALS = new Set([2, 3, 4, 5, 6, 8, 11]);

/**
 * The index of the voucher a MsgRedeem was refused for, when the refusal is final (the chain's log
 * names `vouchers[i]`); undefined for anything a later round may get through (a node down, fees).
 * @example refusedVoucher(new TxError({ codespace: 'channels', code: 11, log: 'vouchers[1]: channel 4 expired ...', stage: 'deliver' }), 3) // 1
 */
export function refusedVoucher(error: unknown, count: number): number | undefined {
  if (!(error instanceof AinError) || error.codespace !== 'channels' || !FINAL_REFUSALS.has(error.code)) return undefined;
  const match = /vouchers\[(\d+)\]/.exec(error.message);
  const index = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(index) && index < count ? index : undefined;
}
