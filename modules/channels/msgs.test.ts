import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { AinError, pubkeyToAddress } from '../../core/index.ts';
import { validateMsgCloseChannel, validateMsgOpenChannel, validateMsgRedeem } from './msgs.ts';

const pubkey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
const payer = pubkeyToAddress(pubkey);
const executor = pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
const open = { signer: payer, executor, deposit: '1000', durationSeconds: 60n, payerPubkey: pubkey };
const voucher = { channelId: 1n, amount: '10', nonce: 1n, signature: new Uint8Array(64) };

/** The field a refusal names (channels/1). */
function refusedField(check: () => void): unknown {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).codespace).toBe('channels');
    return (error as AinError).meta['field'];
  }
  throw new Error('expected a refusal');
}

describe('channels validateBasic', () => {
  it('accepts well-formed messages', () => {
    validateMsgOpenChannel(open);
    validateMsgRedeem({ signer: executor, vouchers: [voucher, { ...voucher, channelId: 2n }] });
    validateMsgCloseChannel({ signer: payer, channelId: 1n });
  });

  it('names the field of each refusal', () => {
    expect(refusedField(() => validateMsgOpenChannel({ ...open, executor: payer }))).toBe('executor');
    expect(refusedField(() => validateMsgOpenChannel({ ...open, deposit: '01' }))).toBe('deposit');
    expect(refusedField(() => validateMsgOpenChannel({ ...open, durationSeconds: 0n }))).toBe('duration_seconds');
    expect(
      refusedField(() =>
        validateMsgOpenChannel({ ...open, signer: pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)) }),
      ),
    ).toBe('payer_pubkey');
    expect(refusedField(() => validateMsgRedeem({ signer: executor, vouchers: [] }))).toBe('vouchers');
    expect(refusedField(() => validateMsgRedeem({ signer: executor, vouchers: [voucher, voucher] }))).toBe('vouchers[1].channel_id');
    expect(refusedField(() => validateMsgRedeem({ signer: executor, vouchers: [{ ...voucher, amount: '0' }] }))).toBe('vouchers[0].amount');
    expect(refusedField(() => validateMsgRedeem({ signer: executor, vouchers: [{ ...voucher, nonce: 0n }] }))).toBe('vouchers[0].nonce');
    expect(refusedField(() => validateMsgRedeem({ signer: executor, vouchers: [{ ...voucher, signature: new Uint8Array(65) }] }))).toBe(
      'vouchers[0].signature',
    );
    expect(refusedField(() => validateMsgCloseChannel({ signer: payer, channelId: 0n }))).toBe('channel_id');
  });
});
