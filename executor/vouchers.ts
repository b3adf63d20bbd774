/**
 * `VoucherBook`: the executor's side of payment channels. Before an HTTP function runs, the caller's
 * voucher must be for a channel open to this executor and not about to expire, signed by its payer
 * on this chain, within the deposit, with a nonce above the last one accepted and an amount at least
 * the price above it: exactly what the chain will check when the executor redeems, so an accepted
 * voucher is money. The latest accepted voucher of each channel waits for the redeemer (`redeemer.ts`).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AinClient, VoucherJson } from '../client/index.ts';
import { queryChannel, QueryError } from '../client/index.ts';
import { ainError } from '../core/index.ts';
import {
  ErrBadVoucherSignature,
  ErrChannelClosed,
  ErrChannelExpired,
  ErrChannelNotFound,
  ErrOverBudget,
  ErrStaleVoucher,
  ErrUnauthorized,
  verifyVoucher,
} from '../modules/channels/index.ts';
import { ChannelStatus } from '../proto/gen/ain/channels/v1/types.ts';
import type { Voucher } from '../proto/gen/ain/channels/v1/types.ts';
import { ErrVoucherMalformed, ErrVoucherUnderpaid } from './errors.ts';

/** What the executor knows of a channel: as last read from the chain, and the latest voucher accepted. */
interface ChannelView {
  readonly id: bigint;
  readonly payer: string;
  readonly payerPubkey: Uint8Array;
  readonly executor: string;
  readonly deposit: bigint;
  readonly expiresAt: bigint;
  readonly open: boolean;
  /** Redeemed on chain (read, or after our own redemption). */
  redeemed: bigint;
  redeemedNonce: bigint;
  /** The latest voucher accepted (undefined: none since the last read). */
  latest: { amount: bigint; nonce: bigint; signature: Uint8Array } | undefined;
}

/** One accepted voucher as the vouchers file keeps it. */
interface SavedVoucher {
  readonly channel_id: string;
  readonly amount: string;
  readonly nonce: string;
  readonly signature: string;
}

export interface VoucherBookOptions {
  readonly client: Pick<AinClient, 'cometClient' | 'chainId' | 'address'>;
  /** Vouchers of a channel expiring within this many seconds are refused (the redeemer needs the time). */
  readonly expiryMarginSeconds: number;
  /** Wall clock, unix seconds (tests replace it). */
  readonly nowSeconds?: () => bigint;
  /**
   * JSON file keeping the latest accepted voucher of each channel not redeemed yet, written before a
   * call runs, so an executor that crashes still redeems what it was paid after a restart.
   */
  readonly file?: string | undefined;
}

export class VoucherBook {
  private readonly channels = new Map<bigint, ChannelView>();
  private readonly loading = new Map<bigint, Promise<ChannelView>>();
  /** Per channel, the latest voucher before the one accepted last (what `refund` restores). */
  private readonly previous = new Map<bigint, { nonce: bigint; latest: ChannelView['latest'] }>();

  constructor(private readonly options: VoucherBookOptions) {}

  /** Takes back the vouchers the file kept (those the chain has not redeemed); returns how many. */
  async restore(): Promise<number> {
    const file = this.options.file;
    if (!file || !existsSync(file)) return 0;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedVoucher[];
    let restored = 0;
    for (const v of saved) {
      let channel: ChannelView;
      try {
        channel = await this.channel(BigInt(v.channel_id));
      } catch {
        continue; // gone: nothing to redeem
      }
      const amount = BigInt(v.amount);
      if (amount <= channel.redeemed || (channel.latest && channel.latest.amount >= amount)) continue;
      channel.latest = { amount, nonce: BigInt(v.nonce), signature: new Uint8Array(Buffer.from(v.signature, 'base64')) };
      restored += 1;
    }
    return restored;
  }

  /**
   * Checks a voucher for a call priced `price` and records it as the channel's latest.
   * @throws AinError executor/7 (malformed), executor/8 (underpaid), channels/2, 3, 4, 5, 6, 8, 11
   */
  async accept(json: unknown, price: bigint): Promise<{ channelId: bigint; amount: bigint; nonce: bigint }> {
    const voucher = parseVoucher(json);
    const channel = await this.channel(voucher.channelId);
    // From here on nothing awaits: two calls with one voucher cannot both pass.
    const self = this.options.client.address ?? '';
    if (!channel.open) throw ainError(ErrChannelClosed, `channel ${channel.id} is closed`, { field: 'channel_id' });
    if (channel.executor !== self)
      throw ainError(ErrUnauthorized, `channel ${channel.id} pays ${channel.executor}, not this executor ${self}`, { field: 'channel_id' });
    const now = this.options.nowSeconds?.() ?? BigInt(Math.floor(Date.now() / 1000));
    if (now + BigInt(this.options.expiryMarginSeconds) > channel.expiresAt)
      throw ainError(ErrChannelExpired, `channel ${channel.id} expires at ${channel.expiresAt}, too soon to redeem a voucher on it`, {
        field: 'channel_id',
      });
    const terms = { chainId: this.options.client.chainId, channelId: channel.id, amount: voucher.amount, nonce: voucher.nonce };
    if (!verifyVoucher(channel.payerPubkey, voucher.signature, terms))
      throw ainError(
        ErrBadVoucherSignature,
        `the signature is not ${channel.payer}'s over channel ${channel.id}, amount ${voucher.amount}, nonce ${voucher.nonce}`,
        {
          field: 'signature',
        },
      );
    if (voucher.amount > channel.deposit)
      throw ainError(ErrOverBudget, `amount ${voucher.amount} is over channel ${channel.id}'s deposit ${channel.deposit}`, {
        field: 'amount',
      });
    const last = channel.latest ?? { amount: channel.redeemed, nonce: channel.redeemedNonce };
    if (voucher.nonce <= last.nonce || voucher.amount < last.amount)
      throw ainError(
        ErrStaleVoucher,
        `channel ${channel.id} is at amount ${last.amount}, nonce ${last.nonce}; this voucher is for ${voucher.amount} at nonce ${voucher.nonce}`,
        {
          field: 'nonce',
        },
      );
    if (voucher.amount - last.amount < price)
      throw ainError(
        ErrVoucherUnderpaid,
        `amount ${voucher.amount} is ${voucher.amount - last.amount} above the last voucher; the price is ${price}`,
        { field: 'amount' },
      );
    this.previous.set(channel.id, { nonce: voucher.nonce, latest: channel.latest });
    channel.latest = { amount: voucher.amount, nonce: voucher.nonce, signature: voucher.signature };
    this.save();
    return { channelId: channel.id, amount: voucher.amount, nonce: voucher.nonce };
  }

  /**
   * Gives back a voucher `accept` took for a call that then could not run (no slot, a sandbox that
   * cannot start): the channel returns to the voucher before it, so the caller may send the same one
   * again. Only while it is the channel's latest: a later voucher already covers this call's price.
   */
  refund(paid: { readonly channelId: bigint; readonly nonce: bigint }): void {
    const channel = this.channels.get(paid.channelId);
    const before = this.previous.get(paid.channelId);
    if (!channel || !before || before.nonce !== paid.nonce || channel.latest?.nonce !== paid.nonce) return;
    channel.latest = before.latest;
    this.previous.delete(paid.channelId);
    this.save();
  }

  /** The latest accepted voucher of each channel not redeemed yet, for MsgRedeem. */
  unredeemed(): Voucher[] {
    const out: Voucher[] = [];
    for (const channel of [...this.channels.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const latest = channel.latest;
      if (latest && latest.amount > channel.redeemed)
        out.push({ channelId: channel.id, amount: latest.amount.toString(), nonce: latest.nonce, signature: latest.signature });
    }
    return out;
  }

  /** Writes the unredeemed vouchers to the file (atomically: a temp file renamed over it). */
  private save(): void {
    const file = this.options.file;
    if (!file) return;
    const saved: SavedVoucher[] = this.unredeemed().map((v) => ({
      channel_id: v.channelId.toString(),
      amount: v.amount,
      nonce: v.nonce.toString(),
      signature: Buffer.from(v.signature).toString('base64'),
    }));
    writeFileSync(`${file}.tmp`, JSON.stringify(saved));
    renameSync(`${file}.tmp`, file);
  }

  /**
   * Forgets a channel the chain refused this voucher of for good (closed, expired, not ours, or already
   * redeemed at that amount, e.g. by a redeem tx whose answer was lost): its voucher leaves the
   * pending list, and the next call on it reads the channel from the chain again.
   */
  forget(voucher: Pick<Voucher, 'channelId' | 'nonce'>): void {
    const channel = this.channels.get(voucher.channelId);
    // A newer voucher accepted since stays: the next round sends it (and drops it if refused too).
    if (!channel || (channel.latest && channel.latest.nonce > voucher.nonce)) return;
    this.channels.delete(voucher.channelId);
    this.previous.delete(voucher.channelId);
    this.save();
  }

  /** Records vouchers the chain paid. */
  redeemed(vouchers: readonly Voucher[]): void {
    for (const v of vouchers) {
      const channel = this.channels.get(v.channelId);
      if (!channel) continue;
      const amount = BigInt(v.amount);
      if (amount > channel.redeemed) {
        channel.redeemed = amount;
        channel.redeemedNonce = v.nonce;
      }
    }
    this.save();
  }

  private channel(id: bigint): Promise<ChannelView> {
    const known = this.channels.get(id);
    if (known) return Promise.resolve(known);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async load(id: bigint): Promise<ChannelView> {
    let channel: Awaited<ReturnType<typeof queryChannel>>['channel'];
    try {
      channel = (await queryChannel(this.options.client.cometClient, id)).channel;
    } catch (error) {
      if (error instanceof QueryError && error.codespace === 'channels' && error.code === 2)
        throw ainError(ErrChannelNotFound, `no channel ${id}`, { field: 'channel_id' });
      throw error;
    }
    const view: ChannelView = {
      id,
      payer: channel.payer,
      payerPubkey: channel.payerPubkey,
      executor: channel.executor,
      deposit: BigInt(channel.deposit),
      expiresAt: channel.expiresAt,
      open: channel.status === ChannelStatus.CHANNEL_STATUS_OPEN,
      redeemed: BigInt(channel.redeemed),
      redeemedNonce: channel.nonce,
      latest: undefined,
    };
    // A closed channel is not kept: the caller may ask about a newer one later.
    if (view.open) this.channels.set(id, this.channels.get(id) ?? view);
    return this.channels.get(id) ?? view;
  }
}

const DIGITS = /^(0|[1-9][0-9]{0,29})$/;
/** channel_id and nonce are uint64 on chain (MsgRedeem, the channel query): larger ones could never be redeemed. */
const UINT64_MAX = 2n ** 64n - 1n;

/** The `ain-voucher` header's JSON as terms and signature. @throws AinError executor/7 naming the field */
export function parseVoucher(json: unknown): { channelId: bigint; amount: bigint; nonce: bigint; signature: Uint8Array } {
  const v = (typeof json === 'object' && json !== null ? json : {}) as Partial<Record<keyof VoucherJson, unknown>>;
  const digits = (field: 'channel_id' | 'amount' | 'nonce'): bigint => {
    const text = v[field];
    if (typeof text !== 'string' || !DIGITS.test(text))
      throw ainError(ErrVoucherMalformed, `voucher.${field} must be decimal integer text`, { field });
    const value = BigInt(text);
    if (field !== 'amount' && value > UINT64_MAX)
      throw ainError(ErrVoucherMalformed, `voucher.${field} ${text} is more than the uint64 maximum ${UINT64_MAX}`, { field });
    return value;
  };
  const channelId = digits('channel_id');
  const amount = digits('amount');
  const nonce = digits('nonce');
  const signature = typeof v.signature === 'string' ? new Uint8Array(Buffer.from(v.signature, 'base64')) : new Uint8Array();
  if (signature.length !== 64) throw ainError(ErrVoucherMalformed, 'voucher.signature must be 64 bytes, base64', { field: 'signature' });
  return { channelId, amount, nonce, signature };
}
