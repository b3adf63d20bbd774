/**
 * `ChannelsKeeper`: the only code touching `/channels`. A payer opens a channel with a deposit for
 * one executor; the executor redeems the payer's latest signed voucher per channel in batches, paid
 * the increase over what was redeemed; after expiry the payer closes it and gets the rest back.
 * Budget (amount <= deposit), double spend (amount and nonce must grow) and expiry are checked here,
 * so an executor that accepts a voucher off chain knows what the chain will pay. See README.md.
 */
import { ainError, BASE_DENOM, encodeRecord, moduleAddress, readRecord } from '../../core/index.ts';
import type { BlockContext, Context, ReadableState } from '../../core/index.ts';
import type { MsgCloseChannel, MsgOpenChannel, MsgRedeem } from '../../proto/gen/ain/channels/v1/tx.ts';
import { type Channel, ChannelStatus } from '../../proto/gen/ain/channels/v1/types.ts';
import {
  ErrBadVoucherSignature,
  ErrChannelClosed,
  ErrChannelExpired,
  ErrChannelNotFound,
  ErrInsufficientFunds,
  ErrNotExpired,
  ErrOverBudget,
  ErrStaleVoucher,
  ErrUnauthorized,
} from './errors.ts';
import { channelClosedEvent, channelOpenedEvent, voucherRedeemedEvent } from './events.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { channelPath, channelsByPath, ESCROW_TOTAL_PATH, NEXT_CHANNEL_ID_PATH } from './keys.ts';
import { verifyVoucher } from './voucher.ts';

export const CHANNELS_MODULE = 'channels';
/** Gas per voucher checked: a secp256k1 verification, as the SDK's ante charges one (1000). */
export const VOUCHER_VERIFY_GAS = 1000;

export type ChannelStatusName = 'open' | 'closed';

/** A channel as stored (canonical JSON, amounts as decimal text, the key as base64). */
export interface StoredChannel {
  id: bigint;
  payer: string;
  payerPubkey: string;
  executor: string;
  deposit: bigint;
  redeemed: bigint;
  nonce: bigint;
  expiresAt: bigint;
  status: ChannelStatusName;
}

const CHANNEL_BIGINTS = new Set(['id', 'deposit', 'redeemed', 'nonce', 'expiresAt']);
const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];

export class ChannelsKeeper {
  /** The module account holding every open channel's unredeemed deposit. */
  readonly moduleAddress = moduleAddress(CHANNELS_MODULE);

  constructor(private readonly bank: BankKeeper) {}

  getChannel(state: ReadableState, id: bigint): StoredChannel | undefined {
    return readRecord<StoredChannel>(state, channelPath(id), CHANNEL_BIGINTS);
  }

  /** uain the module account holds for open channels. */
  escrowTotal(state: ReadableState): bigint {
    const text = state.get(ESCROW_TOTAL_PATH);
    return typeof text === 'string' ? BigInt(text) : 0n;
  }

  /** uain the module account holds: at genesis, checked against `escrowTotal` and the records. */
  escrowBalance(state: ReadableState): bigint {
    return this.bank.getBalance(state, this.moduleAddress, BASE_DENOM);
  }

  /** MsgOpenChannel: escrows the deposit; returns the channel's id and expiry. */
  openChannel(ctx: Context, msg: MsgOpenChannel): { channelId: bigint; expiresAt: bigint } {
    const deposit = BigInt(msg.deposit);
    const balance = this.bank.getBalance(ctx.state, msg.signer, BASE_DENOM);
    if (balance < deposit) throw ainError(ErrInsufficientFunds, `${msg.signer} has ${balance}uain; the deposit is ${deposit}uain`);
    const next = ctx.state.get(NEXT_CHANNEL_ID_PATH);
    const id = typeof next === 'string' ? BigInt(next) : 1n;
    ctx.state.set(NEXT_CHANNEL_ID_PATH, (id + 1n).toString());
    this.bank.sendCoins(ctx, msg.signer, this.moduleAddress, uain(deposit));
    this.addEscrow(ctx, deposit);
    const channel: StoredChannel = {
      id,
      payer: msg.signer,
      payerPubkey: Buffer.from(msg.payerPubkey).toString('base64'),
      executor: msg.executor,
      deposit,
      redeemed: 0n,
      nonce: 0n,
      expiresAt: ctx.blockTimeSeconds + msg.durationSeconds,
      status: 'open',
    };
    this.put(ctx, channel);
    ctx.state.set(`${channelsByPath('payer', channel.payer)}/${id}`, true);
    ctx.state.set(`${channelsByPath('executor', channel.executor)}/${id}`, true);
    ctx.events.emit(
      channelOpenedEvent({ channelId: id, payer: msg.signer, executor: msg.executor, deposit: msg.deposit, expiresAt: channel.expiresAt }),
    );
    return { channelId: id, expiresAt: channel.expiresAt };
  }

  /**
   * MsgRedeem: checks every voucher (the signer's channel, open, signed by its payer on this chain,
   * amount within the deposit, amount and nonce above what was redeemed) and pays the increases.
   * Redeeming ends at the channel's expiry (then the rest is the payer's). A voucher refused fails the
   * message, so nothing of it is paid.
   */
  redeem(ctx: Context, msg: MsgRedeem): { paid: string } {
    let total = 0n;
    for (const [i, voucher] of msg.vouchers.entries()) {
      const field = `vouchers[${i}]`;
      const channel = this.openChannelOf(ctx.state, voucher.channelId, field);
      if (channel.executor !== msg.signer)
        throw ainError(ErrUnauthorized, `${field}: channel ${channel.id} pays ${channel.executor}, not ${msg.signer}`, { field });
      if (ctx.blockTimeSeconds > channel.expiresAt)
        throw ainError(
          ErrChannelExpired,
          `${field}: channel ${channel.id} expired at ${channel.expiresAt}; block time is ${ctx.blockTimeSeconds}`,
          { field },
        );
      ctx.gas.consume(VOUCHER_VERIFY_GAS, 'voucher signature');
      const amount = BigInt(voucher.amount);
      const terms = { chainId: ctx.chainId, channelId: channel.id, amount, nonce: voucher.nonce };
      if (!verifyVoucher(Buffer.from(channel.payerPubkey, 'base64'), voucher.signature, terms))
        throw ainError(
          ErrBadVoucherSignature,
          `${field}.signature is not ${channel.payer}'s over channel ${channel.id}, amount ${amount}, nonce ${voucher.nonce}`,
          {
            field: `${field}.signature`,
          },
        );
      if (amount > channel.deposit)
        throw ainError(ErrOverBudget, `${field}.amount ${amount} is over channel ${channel.id}'s deposit ${channel.deposit}`, {
          field: `${field}.amount`,
        });
      if (amount <= channel.redeemed || voucher.nonce <= channel.nonce)
        throw ainError(
          ErrStaleVoucher,
          `${field}: channel ${channel.id} has redeemed ${channel.redeemed} at nonce ${channel.nonce}; this voucher is for ${amount} at nonce ${voucher.nonce}`,
          { field },
        );
      const paid = amount - channel.redeemed;
      this.bank.sendCoins(ctx, this.moduleAddress, channel.executor, uain(paid));
      this.addEscrow(ctx, -paid);
      this.put(ctx, { ...channel, redeemed: amount, nonce: voucher.nonce });
      ctx.events.emit(
        voucherRedeemedEvent({
          channelId: channel.id,
          executor: channel.executor,
          amount: voucher.amount,
          nonce: voucher.nonce,
          paid: paid.toString(),
        }),
      );
      total += paid;
    }
    return { paid: total.toString() };
  }

  /** MsgCloseChannel: the payer, after expiry, gets the unredeemed deposit back. */
  closeChannel(ctx: Context, msg: MsgCloseChannel): { refunded: string } {
    const channel = this.openChannelOf(ctx.state, msg.channelId, 'channel_id');
    if (channel.payer !== msg.signer)
      throw ainError(ErrUnauthorized, `channel ${channel.id} is ${channel.payer}'s, not ${msg.signer}'s`, { field: 'signer' });
    if (ctx.blockTimeSeconds <= channel.expiresAt)
      throw ainError(ErrNotExpired, `channel ${channel.id} expires at ${channel.expiresAt}; block time is ${ctx.blockTimeSeconds}`, {
        field: 'channel_id',
      });
    const refunded = channel.deposit - channel.redeemed;
    if (refunded > 0n) this.bank.sendCoins(ctx, this.moduleAddress, channel.payer, uain(refunded));
    this.addEscrow(ctx, -refunded);
    this.put(ctx, { ...channel, status: 'closed' });
    ctx.events.emit(channelClosedEvent({ channelId: channel.id, payer: channel.payer, refunded: refunded.toString() }));
    return { refunded: refunded.toString() };
  }

  /** The channel as its proto (for queries). */
  toProto(channel: StoredChannel): Channel {
    return {
      id: channel.id,
      payer: channel.payer,
      payerPubkey: new Uint8Array(Buffer.from(channel.payerPubkey, 'base64')),
      executor: channel.executor,
      deposit: channel.deposit.toString(),
      redeemed: channel.redeemed.toString(),
      nonce: channel.nonce,
      expiresAt: channel.expiresAt,
      status: channel.status === 'open' ? ChannelStatus.CHANNEL_STATUS_OPEN : ChannelStatus.CHANNEL_STATUS_CLOSED,
    };
  }

  private openChannelOf(state: ReadableState, id: bigint, field: string): StoredChannel {
    const channel = this.getChannel(state, id);
    if (!channel) throw ainError(ErrChannelNotFound, `${field}: no channel ${id}`, { field });
    if (channel.status !== 'open') throw ainError(ErrChannelClosed, `${field}: channel ${id} is closed`, { field });
    return channel;
  }

  private put(ctx: BlockContext, channel: StoredChannel): void {
    ctx.state.set(channelPath(channel.id), encodeRecord(channel));
  }

  private addEscrow(ctx: BlockContext, delta: bigint): void {
    addEscrow(ctx, delta);
  }
}

/** Adds `delta` (may be negative) to `/channels/escrow_total`: channels and contracts share the module account. */
export function addEscrow(ctx: BlockContext, delta: bigint): void {
  const text = ctx.state.get(ESCROW_TOTAL_PATH);
  ctx.state.set(ESCROW_TOTAL_PATH, ((typeof text === 'string' ? BigInt(text) : 0n) + delta).toString());
}
