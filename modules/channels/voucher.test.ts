import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { signVoucher, verifyVoucher, voucherSignBytes } from './voucher.ts';

const payer = secp256k1.utils.randomSecretKey();
const pubkey = secp256k1.getPublicKey(payer, true);
const terms = { chainId: 'ain-1', channelId: 7n, amount: 120n, nonce: 12n };

describe('vouchers', () => {
  it('binds chain, channel, amount and nonce in the sign bytes', () => {
    expect(new TextDecoder().decode(voucherSignBytes(terms))).toBe('ain-voucher/v1\nain-1\n7\n120\n12');
  });

  it("verifies the payer's signature and nothing else", () => {
    const signature = signVoucher(payer, terms);
    expect(signature.length).toBe(64);
    expect(verifyVoucher(pubkey, signature, terms)).toBe(true);
    for (const other of [
      { ...terms, chainId: 'ain-2' },
      { ...terms, channelId: 8n },
      { ...terms, amount: 121n },
      { ...terms, nonce: 13n },
    ])
      expect(verifyVoucher(pubkey, signature, other)).toBe(false);
    const stranger = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
    expect(verifyVoucher(stranger, signature, terms)).toBe(false);
  });

  it('refuses malformed signatures and keys, and the high-S twin of a signature', () => {
    const signature = signVoucher(payer, terms);
    expect(verifyVoucher(pubkey, signature.slice(0, 63), terms)).toBe(false);
    expect(verifyVoucher(new Uint8Array(33), signature, terms)).toBe(false);
    const sig = secp256k1.Signature.fromBytes(signature);
    const highS = new secp256k1.Signature(sig.r, secp256k1.Point.CURVE().n - sig.s).toBytes();
    expect(verifyVoucher(pubkey, highS, terms)).toBe(false);
  });
});
