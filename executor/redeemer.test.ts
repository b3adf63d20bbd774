import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { TxError, VoucherWallet } from '../client/index.ts';
import { pubkeyToAddress } from '../core/index.ts';
import { QueryChannelRequest, QueryChannelResponse } from '../proto/gen/ain/channels/v1/query.ts';
import { ChannelStatus, type Voucher } from '../proto/gen/ain/channels/v1/types.ts';
import { Redeemer, refusedVoucher } from './redeemer.ts';
import { VoucherBook } from './vouchers.ts';

const payerKey = secp256k1.utils.randomSecretKey();
const payerPubkey = secp256k1.getPublicKey(payerKey, true);
const executor = pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
const CHAIN = 'ain-test-1';
const NOW = 1_700_000_000n;

/** A book over channels 1 and 2 (deposit 100 each, nothing redeemed) as the node would answer them. */
function book(): VoucherBook {
  const cometClient = {
    abciQuery: async ({ data }: { data: Uint8Array }) => {
      const id = QueryChannelRequest.decode(data).channelId;
      const channel = {
        id,
        payer: pubkeyToAddress(payerPubkey),
        payerPubkey,
        executor,
        deposit: '100',
        redeemed: '0',
        nonce: 0n,
        expiresAt: NOW + 3600n,
        status: ChannelStatus.CHANNEL_STATUS_OPEN,
      };
      return { code: 0, value: QueryChannelResponse.encode({ channel }).finish(), height: 5 };
    },
  };
  return new VoucherBook({
    client: { cometClient, chainId: CHAIN, address: executor } as never,
    expiryMarginSeconds: 60,
    nowSeconds: () => NOW,
  });
}

const voucherJson = (channel: bigint, amount: bigint) => new VoucherWallet(payerKey, CHAIN, channel).next(amount);

describe('Redeemer', () => {
  it('drops a voucher the chain refuses for good and redeems the others at once', async () => {
    const vouchers = book();
    await vouchers.accept(voucherJson(1n, 10n), 10n);
    await vouchers.accept(voucherJson(2n, 10n), 10n);
    const sent: Voucher[][] = [];
    const client = {
      address: executor,
      signAndBroadcast: async (messages: Array<{ value: { vouchers: Voucher[] } }>) => {
        const batch = messages[0]!.value.vouchers;
        sent.push(batch);
        // Channel 1 expired before the redeemer got to it: the chain refuses the whole tx.
        if (batch.some((v) => v.channelId === 1n))
          throw new TxError({
            codespace: 'channels',
            code: 11,
            log: 'vouchers[0]: channel 1 expired at 1; block time is 2: channel expired',
            stage: 'deliver',
          });
        return { events: [], transactionHash: 'AB', height: 7, gasUsed: 100n };
      },
    };
    const lines: string[] = [];
    const redeemer = new Redeemer(client as never, vouchers, 60_000, (line) => lines.push(line));
    await redeemer.flush();
    expect(sent.map((batch) => batch.map((v) => v.channelId))).toEqual([[1n, 2n], [2n]]);
    expect(vouchers.unredeemed()).toEqual([]);
    expect(redeemer.stats.txs).toBe(1);
    expect(lines[0]).toContain('dropped the voucher of channel 1');
  });

  it('keeps a newer voucher of a channel accepted while the refused one was in flight', async () => {
    const vouchers = book();
    const wallet = new VoucherWallet(payerKey, CHAIN, 1n);
    await vouchers.accept(wallet.next(10n), 10n);
    const client = {
      address: executor,
      signAndBroadcast: async () => {
        // A call paid while the tx was in flight: its voucher is newer than the one refused.
        await vouchers.accept(wallet.next(10n), 10n);
        throw new TxError({
          codespace: 'channels',
          code: 6,
          log: 'vouchers[0]: channel 1 has redeemed 10 at nonce 1; ...',
          stage: 'deliver',
        });
      },
    };
    await new Redeemer(client as never, vouchers, 60_000, () => {}).flush();
    expect(vouchers.unredeemed()).toMatchObject([{ channelId: 1n, amount: '20', nonce: 2n }]);
  });

  it('keeps every voucher after a refusal a later round may get through', async () => {
    const vouchers = book();
    await vouchers.accept(voucherJson(1n, 10n), 10n);
    const client = {
      address: executor,
      signAndBroadcast: async () => {
        throw new TxError({ codespace: 'sdk', code: 13, log: 'insufficient fee', stage: 'check' });
      },
    };
    await new Redeemer(client as never, vouchers, 60_000, () => {}).flush();
    expect(vouchers.unredeemed().map((v) => v.channelId)).toEqual([1n]);
  });

  it('reads the refused voucher from the log of a final channels refusal only', () => {
    const refusal = (code: number, log: string) => new TxError({ codespace: 'channels', code, log, stage: 'simulate' });
    expect(refusedVoucher(refusal(6, 'vouchers[2]: channel 3 has redeemed 30 at nonce 3; ...'), 3)).toBe(2);
    expect(refusedVoucher(refusal(6, 'vouchers[5]: ...'), 3)).toBeUndefined();
    expect(refusedVoucher(refusal(1, 'vouchers[0].amount ...'), 3)).toBeUndefined();
    expect(refusedVoucher(new Error('socket hang up'), 3)).toBeUndefined();
  });
});
