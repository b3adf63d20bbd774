/**
 * `Redeemer`: turns the vouchers an executor accepted into money. Every `intervalMs` (and once more
 * on stop) it sends one MsgRedeem with the latest voucher of each channel not redeemed yet (up to 100
 * per tx), so any number of calls costs one tx per interval. Failures are logged and retried on the
 * next round (the vouchers stay in the book).
 */
import type { AinClient } from '../client/index.ts';
import { channelsMsg } from '../client/index.ts';
import { MAX_VOUCHERS_PER_REDEEM } from '../modules/channels/index.ts';
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
    for (let i = 0; i < pending.length; i += MAX_VOUCHERS_PER_REDEEM) {
      const vouchers = pending.slice(i, i + MAX_VOUCHERS_PER_REDEEM);
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
      } catch (error) {
        this.log(`redeeming ${vouchers.length} voucher(s) failed: ${describeError(error)} (retried next round)`);
      }
    }
  }
}
