import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { isLowS, verifySecp256k1 } from './signature.ts';

const ORDER = secp256k1.Point.CURVE().n;
const privkey = Uint8Array.from({ length: 32 }, (_, i) => i + 7);
const pubkey = secp256k1.getPublicKey(privkey, true);
const message = new TextEncoder().encode('sign doc bytes');

function sign(bytes: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(bytes).digest();
  return secp256k1.sign(digest, privkey, { prehash: false, lowS: true, format: 'compact' });
}

function withS(signature: Uint8Array, s: bigint): Uint8Array {
  const out = signature.slice();
  out.set(Buffer.from(s.toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

describe('verifySecp256k1', () => {
  it('accepts a low-S signature by the key, again and again (the key is kept uncompressed)', () => {
    const signature = sign(message);
    expect(isLowS(signature)).toBe(true);
    for (let i = 0; i < 3; i++) expect(verifySecp256k1(pubkey, message, signature)).toBe(true);
    // The key as a view into a larger buffer reads only its own 33 bytes.
    const padded = new Uint8Array(50);
    padded.set(pubkey, 9);
    expect(verifySecp256k1(padded.subarray(9, 42), message, signature)).toBe(true);
  });

  it('refuses another message, another key, the high-S twin, a zero s, and a key off the curve', () => {
    const signature = sign(message);
    expect(verifySecp256k1(pubkey, new TextEncoder().encode('other bytes'), signature)).toBe(false);
    expect(
      verifySecp256k1(
        secp256k1.getPublicKey(
          privkey.map((b) => b ^ 1),
          true,
        ),
        message,
        signature,
      ),
    ).toBe(false);
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
    const twin = withS(signature, ORDER - s);
    expect(isLowS(twin)).toBe(false);
    expect(verifySecp256k1(pubkey, message, twin)).toBe(false);
    expect(isLowS(withS(signature, 0n))).toBe(false);
    expect(verifySecp256k1(pubkey, message, withS(signature, 0n))).toBe(false);
    const offCurve = pubkey.slice();
    offCurve.fill(0xff, 1);
    expect(verifySecp256k1(offCurve, message, signature)).toBe(false);
    expect(verifySecp256k1(pubkey.subarray(0, 32), message, signature)).toBe(false);
  });

  it('puts the low-S bound at half the group order', () => {
    const signature = sign(message);
    const half = ORDER >> 1n;
    expect(isLowS(withS(signature, half))).toBe(true);
    expect(isLowS(withS(signature, half + 1n))).toBe(false);
    expect(isLowS(withS(signature, 1n))).toBe(true);
  });
});
