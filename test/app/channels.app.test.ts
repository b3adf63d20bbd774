/**
 * The channels module through the whole app, in process (the jobs harness: real AinApplication,
 * lmdb, signed txs, block time set by the test): a payer opens a channel with a deposit for an
 * executor, signs cumulative vouchers off chain, the executor redeems the latest in one batch and is
 * paid the increase; a forged, replayed (stale) or over-budget voucher and one after expiry are
 * refused with their own codes and change nothing; the payer closes after expiry and gets the rest.
 * The module account always holds exactly `/channels/escrow_total`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/address.ts';
import { signVoucher } from '../../modules/channels/index.ts';
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryContractsRequest,
} from '../../proto/gen/ain/channels/v1/query.ts';
import { MsgCloseChannel, MsgOpenChannel, MsgRedeem } from '../../proto/gen/ain/channels/v1/tx.ts';
import { ChannelStatus } from '../../proto/gen/ain/channels/v1/types.ts';
import { any, CHAIN_ID, FEE, type JobsHarness, keys, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, dan, w1 } = keys;
const CHANNELS_ACCOUNT = moduleAddress('channels');
const codeOf = (result: { codespace: string; code: number }) => `${result.codespace}/${result.code}`;

describe('channels module in the app, in process', () => {
  let h: JobsHarness;
  const escrowInvariant = () =>
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(BigInt((h.get('/channels/escrow_total') as string | undefined) ?? '0'));
  const channel = (id: bigint) => {
    const data = QueryChannelRequest.encode({ channelId: id }).finish();
    const response = h.app.query({ path: '/ain.channels.v1.Query/Channel', data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return QueryChannelResponse.decode(response.value).channel!;
  };
  const voucher = (channelId: bigint, amount: bigint, nonce: bigint, signer = carl) => ({
    channelId,
    amount: amount.toString(),
    nonce,
    signature: signVoucher(signer.privkey, { chainId: CHAIN_ID, channelId, amount, nonce }),
  });
  const redeem = (vouchers: object[], by = w1) => h.send(by, [any(MsgRedeem, { signer: by.address, vouchers })]);
  const open = (deposit: string, durationSeconds: bigint) =>
    h.send(carl, [any(MsgOpenChannel, { signer: carl.address, executor: w1.address, deposit, durationSeconds, payerPubkey: carl.pubkey })]);

  beforeEach(() => {
    h = startJobsApp();
  });
  afterEach(async () => {
    await h.close();
  });

  it('escrows a deposit, pays a batch of vouchers by their increase, refuses forged, stale and over-budget ones, refunds after expiry', () => {
    const carlBefore = h.balance(carl.address);
    const w1Before = h.balance(w1.address);
    expect(open('1000', 600n).log).toBe('');
    const opened = h.now();
    expect(open('50', 600n).log).toBe('');
    expect(h.balance(carl.address)).toBe(carlBefore - 1050n - 2n * FEE);
    escrowInvariant();
    expect(channel(1n)).toMatchObject({
      payer: carl.address,
      executor: w1.address,
      deposit: '1000',
      redeemed: '0',
      expiresAt: opened + 600n,
    });

    // 30 calls at 10 uain: only the latest voucher of each channel goes on chain, in one tx.
    const latest = voucher(1n, 300n, 30n);
    const batch = redeem([latest, voucher(2n, 20n, 2n)]);
    expect(batch.log).toBe('');
    expect(h.balance(w1.address)).toBe(w1Before + 320n - FEE);
    expect(channel(1n)).toMatchObject({ redeemed: '300', nonce: 30n });
    escrowInvariant();

    // Replayed (the same voucher again) and older ones: refused, nothing paid.
    expect(codeOf(redeem([latest]))).toBe('channels/6');
    expect(codeOf(redeem([voucher(1n, 200n, 20n)]))).toBe('channels/6');
    // A higher amount with a nonce that does not grow is a replay too.
    expect(codeOf(redeem([voucher(1n, 400n, 30n)]))).toBe('channels/6');
    // Forged: dan signs for carl's channel; a signature over other terms.
    const forged = redeem([voucher(1n, 500n, 31n, dan)]);
    expect(codeOf(forged)).toBe('channels/4');
    expect(forged.log).toContain('vouchers[0].signature');
    expect(codeOf(redeem([{ ...voucher(1n, 500n, 31n), amount: '900' }]))).toBe('channels/4');
    // Over budget.
    const over = redeem([voucher(1n, 1001n, 31n)]);
    expect(codeOf(over)).toBe('channels/5');
    expect(over.log).toContain('over channel 1');
    // Only the channel's executor redeems; one bad voucher fails the whole batch.
    expect(codeOf(redeem([voucher(1n, 500n, 31n)], dan))).toBe('channels/3');
    expect(codeOf(redeem([voucher(1n, 500n, 31n), voucher(2n, 60n, 3n)]))).toBe('channels/5');
    expect(channel(1n)).toMatchObject({ redeemed: '300', nonce: 30n });
    expect(h.balance(w1.address)).toBe(w1Before + 320n - 8n * FEE);
    escrowInvariant();

    // Closing before expiry is refused; after it, redeeming is, and the payer gets the rest.
    expect(codeOf(h.send(carl, [any(MsgCloseChannel, { signer: carl.address, channelId: 1n })]))).toBe('channels/7');
    expect(codeOf(h.send(dan, [any(MsgCloseChannel, { signer: dan.address, channelId: 1n })]))).toBe('channels/3');
    h.advance(600n);
    expect(codeOf(redeem([voucher(1n, 400n, 31n)]))).toBe('channels/11');
    const carlBeforeClose = h.balance(carl.address);
    expect(h.send(carl, [any(MsgCloseChannel, { signer: carl.address, channelId: 1n })]).log).toBe('');
    expect(h.balance(carl.address)).toBe(carlBeforeClose + 700n - FEE);
    expect(channel(1n).status).toBe(ChannelStatus.CHANNEL_STATUS_CLOSED);
    expect(codeOf(h.send(carl, [any(MsgCloseChannel, { signer: carl.address, channelId: 1n })]))).toBe('channels/8');
    expect(h.send(carl, [any(MsgCloseChannel, { signer: carl.address, channelId: 2n })]).log).toBe('');
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(0n);
    escrowInvariant();
  });

  it("refuses a key that is not the payer's, a deposit the payer lacks, and malformed vouchers, naming the field", () => {
    const wrongKey = h.send(carl, [
      any(MsgOpenChannel, { signer: carl.address, executor: w1.address, deposit: '10', durationSeconds: 60n, payerPubkey: dan.pubkey }),
    ]);
    expect(codeOf(wrongKey)).toBe('channels/1');
    expect(wrongKey.log).toContain('payer_pubkey');
    expect(codeOf(open('999999999999999', 60n))).toBe('channels/9');
    expect(codeOf(open('0', 60n))).toBe('channels/1');
    expect(open('100', 60n).log).toBe('');
    const twice = redeem([voucher(1n, 10n, 1n), voucher(1n, 20n, 2n)]);
    expect(codeOf(twice)).toBe('channels/1');
    expect(twice.log).toContain('vouchers[1].channel_id');
    expect(codeOf(redeem([voucher(9n, 10n, 1n)]))).toBe('channels/2');
    escrowInvariant();
  });

  it("lists a payer's channels and refuses a list query whose party is not an address, naming the field", () => {
    expect(open('100', 60n).log).toBe('');
    const list = (path: string, data: Uint8Array) =>
      h.app.query({ path: `/ain.channels.v1.Query/${path}`, data, height: 0n, prove: false });
    const mine = list('Channels', QueryChannelsRequest.encode({ payer: carl.address, executor: '', pagination: undefined }).finish());
    expect(QueryChannelsResponse.decode(mine.value).channels.map((c) => c.id)).toEqual([1n]);
    const bad = list('Channels', QueryChannelsRequest.encode({ payer: 'notanaddr', executor: '', pagination: undefined }).finish());
    expect(`${bad.codespace}/${bad.code}`).toBe('sdk/7');
    expect(bad.log).toContain('payer');
    const badContracts = list(
      'Contracts',
      QueryContractsRequest.encode({ client: '', executor: 'ain1/../x', pagination: undefined }).finish(),
    );
    expect(`${badContracts.codespace}/${badContracts.code}`).toBe('sdk/7');
    expect(badContracts.log).toContain('executor');
  });
});
