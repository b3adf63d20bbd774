/** `aind tx channels ...` arguments into messages: vouchers, requests and receipts from JSON text or a file; refusals name the argument. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, describe, expect, it } from 'vitest';
import { pubkeyToAddress } from '../../../core/index.ts';
import { channelsTxMessages } from './handler.ts';

const pubkey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
const signer = pubkeyToAddress(pubkey);
const executor = pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
const dir = mkdtempSync(join(tmpdir(), 'ain-channels-cli-'));
const signature = Buffer.alloc(64, 7).toString('base64');
const build = (command: Parameters<typeof channelsTxMessages>[0], args: string[], flags = {}) =>
  channelsTxMessages(command, args, flags, dir, signer, pubkey);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('aind tx channels: messages from arguments', () => {
  it('opens a channel and proposes a contract with the signer key and the defaults', () => {
    expect(build('open', [executor, '1000'])[0]!.value).toMatchObject({
      signer,
      executor,
      deposit: '1000',
      durationSeconds: 3600n,
      payerPubkey: pubkey,
    });
    expect(build('propose-contract', [executor], { price: '6000', deposit: '500', penalty: '50', gpus: '1' })[0]).toMatchObject({
      typeUrl: '/ain.channels.v1.MsgProposeContract',
      value: { clientPubkey: pubkey, requestsPerSecond: 1, gpus: 1, price: '6000', penaltyPerMiss: '50', disputeSeconds: 600n },
    });
  });

  it('reads vouchers, requests and receipts from JSON text, arrays and @FILE', () => {
    const voucher = { channel_id: '3', amount: '30', nonce: '3', signature };
    const redeem = build('redeem', [JSON.stringify(voucher), JSON.stringify([{ ...voucher, channel_id: '4' }])])[0]!.value as {
      vouchers: Array<{ channelId: bigint }>;
    };
    expect(redeem.vouchers.map((v) => v.channelId)).toEqual([3n, 4n]);
    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify([{ seq: '2', deadline: '1700000000', body_hash: 'ab'.repeat(32), signature }]));
    expect(build('claim-misses', ['5', `@${file}`])[0]!.value).toMatchObject({
      contractId: 5n,
      requests: [{ seq: 2n, deadline: 1_700_000_000n, bodyHash: new Uint8Array(32).fill(0xab) }],
    });
    expect(build('dispute-misses', ['5', JSON.stringify({ seq: 2, answered_at: 1_699_999_999, signature })])[0]!.value).toMatchObject({
      receipts: [{ seq: 2n, answeredAt: 1_699_999_999n }],
    });
  });

  it('refuses malformed arguments, naming them', () => {
    expect(() => build('close', ['one'])).toThrow(/CHANNEL_ID "one"/);
    expect(() => build('propose-contract', [executor], { deposit: '1', penalty: '1' })).toThrow(/--price is required/);
    expect(() => build('redeem', ['{not json'])).toThrow(/VOUCHER must be JSON/);
    expect(() => build('redeem', [`@${join(dir, 'missing.json')}`])).toThrow(
      /VOUCHER file .*missing\.json does not exist: invalid request/,
    );
    expect(() => build('redeem', [JSON.stringify({ channel_id: '1', amount: '1', nonce: '1' })])).toThrow(/voucher.signature is missing/);
    expect(() => build('open', ['bob', '1'])).toThrow(/no key "bob"/);
  });
});
