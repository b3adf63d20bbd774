import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { VoucherWallet } from '../client/index.ts';
import { AinError, pubkeyToAddress } from '../core/index.ts';
import { QueryChannelResponse } from '../proto/gen/ain/channels/v1/query.ts';
import { ChannelStatus } from '../proto/gen/ain/channels/v1/types.ts';
import { signVoucher } from '../modules/channels/index.ts';
import { parseVoucher, VoucherBook } from './vouchers.ts';

const payerKey = secp256k1.utils.randomSecretKey();
const payerPubkey = secp256k1.getPublicKey(payerKey, true);
const executor = pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
const CHAIN = 'ain-test-1';
const NOW = 1_700_000_000n;

/** A book over one channel (id 1, deposit 100, redeemed 20 at nonce 2) as the node would answer it. */
function bookWith(status = ChannelStatus.CHANNEL_STATUS_OPEN, expiresAt = NOW + 3600n, file?: string) {
  let queries = 0;
  const channel = {
    id: 1n,
    payer: pubkeyToAddress(payerPubkey),
    payerPubkey,
    executor,
    deposit: '100',
    redeemed: '20',
    nonce: 2n,
    expiresAt,
    status,
  };
  const cometClient = {
    abciQuery: async () => {
      queries += 1;
      return { code: 0, value: QueryChannelResponse.encode({ channel }).finish(), height: 5 };
    },
  };
  const book = new VoucherBook({
    client: { cometClient, chainId: CHAIN, address: executor } as never,
    expiryMarginSeconds: 60,
    nowSeconds: () => NOW,
    file,
  });
  return { book, queries: () => queries };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    return `${(error as AinError).codespace}/${(error as AinError).code}`;
  }
  throw new Error('expected a refusal');
}

describe('VoucherBook', () => {
  it('accepts vouchers that grow by the price from what was redeemed, and keeps the latest for redemption', async () => {
    const { book, queries } = bookWith();
    const wallet = new VoucherWallet(payerKey, CHAIN, 1n, { amount: 20n, nonce: 2n });
    expect(await book.accept(wallet.next(10n), 10n)).toEqual({ channelId: 1n, amount: 30n, nonce: 3n });
    expect(await book.accept(wallet.next(10n), 10n)).toEqual({ channelId: 1n, amount: 40n, nonce: 4n });
    expect(queries()).toBe(1);
    expect(book.unredeemed()).toMatchObject([{ channelId: 1n, amount: '40', nonce: 4n }]);
    book.redeemed(book.unredeemed());
    expect(book.unredeemed()).toEqual([]);
  });

  it('refuses replayed, forged, underpaid and over-budget vouchers, and a concurrent double use', async () => {
    const { book } = bookWith();
    const wallet = new VoucherWallet(payerKey, CHAIN, 1n, { amount: 20n, nonce: 2n });
    const v = wallet.next(10n);
    const twice = await Promise.allSettled([book.accept(v, 10n), book.accept(v, 10n)]);
    expect(twice.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await refusal(book.accept(v, 10n))).toBe('channels/6');
    const stranger = new VoucherWallet(secp256k1.utils.randomSecretKey(), CHAIN, 1n);
    expect(await refusal(book.accept(stranger.sign(50n, 9n), 10n))).toBe('channels/4');
    const otherChain = new VoucherWallet(payerKey, 'ain-other', 1n);
    expect(await refusal(book.accept(otherChain.sign(50n, 9n), 10n))).toBe('channels/4');
    expect(await refusal(book.accept(wallet.sign(35n, 9n), 10n))).toBe('executor/8');
    expect(await refusal(book.accept(wallet.sign(101n, 9n), 10n))).toBe('channels/5');
  });

  it('refuses channels closed, for another executor or about to expire', async () => {
    const wallet = new VoucherWallet(payerKey, CHAIN, 1n, { amount: 20n, nonce: 2n });
    expect(await refusal(bookWith(ChannelStatus.CHANNEL_STATUS_CLOSED).book.accept(wallet.next(10n), 10n))).toBe('channels/8');
    expect(await refusal(bookWith(ChannelStatus.CHANNEL_STATUS_OPEN, NOW + 30n).book.accept(wallet.next(10n), 10n))).toBe('channels/11');
  });

  it('keeps accepted vouchers in its file until redeemed, so a restarted book redeems them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ain-vouchers-'));
    try {
      const file = join(dir, 'executor-vouchers.json');
      const wallet = new VoucherWallet(payerKey, CHAIN, 1n, { amount: 20n, nonce: 2n });
      const first = bookWith(ChannelStatus.CHANNEL_STATUS_OPEN, NOW + 3600n, file).book;
      await first.accept(wallet.next(10n), 10n);
      await first.accept(wallet.next(10n), 10n);
      const second = bookWith(ChannelStatus.CHANNEL_STATUS_OPEN, NOW + 3600n, file).book;
      expect(await second.restore()).toBe(1);
      expect(second.unredeemed()).toMatchObject([{ channelId: 1n, amount: '40', nonce: 4n }]);
      // The restored voucher is the channel's latest: an older one is refused.
      expect(await refusal(second.accept(wallet.sign(30n, 3n), 10n))).toBe('channels/6');
      second.redeemed(second.unredeemed());
      expect(await bookWith(ChannelStatus.CHANNEL_STATUS_OPEN, NOW + 3600n, file).book.restore()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the header, naming the malformed field', () => {
    const good = new VoucherWallet(payerKey, CHAIN, 1n).next(5n);
    expect(parseVoucher(good)).toMatchObject({ channelId: 1n, amount: 5n, nonce: 1n });
    for (const [bad, field] of [
      [{ ...good, channel_id: 1 }, 'channel_id'],
      [{ ...good, amount: '1e3' }, 'amount'],
      [{ ...good, nonce: '' }, 'nonce'],
      [{ ...good, signature: 'AAAA' }, 'signature'],
      [null, 'channel_id'],
    ] as const) {
      try {
        parseVoucher(bad);
        throw new Error('expected a refusal');
      } catch (error) {
        expect((error as AinError).meta['field']).toBe(field);
      }
    }
  });

  it('refuses a channel id or nonce past uint64 as malformed: the chain could never redeem it', async () => {
    // channel_id 2^64 made the channel query throw a plain Error (the gateway answered 503); nonce
    // 2^64 with the payer's signature was accepted, so the call ran for a voucher MsgRedeem cannot carry.
    const { book } = bookWith();
    const signed = (channelId: bigint, nonce: bigint) => ({
      channel_id: channelId.toString(),
      amount: '30',
      nonce: nonce.toString(),
      signature: Buffer.from(signVoucher(payerKey, { chainId: CHAIN, channelId, amount: 30n, nonce })).toString('base64'),
    });
    for (const [voucher, field] of [
      [signed(2n ** 64n, 3n), 'channel_id'],
      [signed(1n, 2n ** 64n), 'nonce'],
    ] as const) {
      const error = await book.accept(voucher, 10n).then(
        () => undefined,
        (e: unknown) => e as AinError,
      );
      expect(error).toBeInstanceOf(AinError);
      expect(`${error?.codespace}/${error?.code}`).toBe('executor/7');
      expect(error?.meta['field']).toBe(field);
      expect(error?.message).toContain('18446744073709551615');
    }
    expect(book.unredeemed()).toEqual([]);
    // The largest nonce is still taken.
    await expect(book.accept(signed(1n, 2n ** 64n - 1n), 10n)).resolves.toMatchObject({ nonce: 2n ** 64n - 1n });
  });
});
