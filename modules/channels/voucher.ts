/**
 * Payment vouchers: what a payer signs per call and an executor redeems. The sign bytes bind the
 * chain, the channel, the cumulative amount and the nonce, so a voucher is worth nothing on another
 * chain or channel, and an older one (lower amount or nonce) is refused where a newer one was seen.
 * secp256k1 from @noble/curves: sha256 of the sign bytes, 64-byte compact low-S signatures.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';

export interface VoucherTerms {
  readonly chainId: string;
  readonly channelId: bigint;
  /** Cumulative uain the executor may take from the channel. */
  readonly amount: bigint;
  readonly nonce: bigint;
}

/**
 * The bytes a voucher's signature covers.
 * @example voucherSignBytes({ chainId: 'ain-1', channelId: 1n, amount: 30n, nonce: 3n })
 */
export function voucherSignBytes(terms: VoucherTerms): Uint8Array {
  return new TextEncoder().encode(`ain-voucher/v1\n${terms.chainId}\n${terms.channelId}\n${terms.amount}\n${terms.nonce}`);
}

/**
 * Signs a voucher with the payer's secp256k1 private key (32 bytes).
 * @example const signature = signVoucher(privkey, { chainId, channelId: 1n, amount: 10n, nonce: 1n });
 */
export function signVoucher(privkey: Uint8Array, terms: VoucherTerms): Uint8Array {
  return secp256k1.sign(voucherSignBytes(terms), privkey, { lowS: true });
}

/** Whether `signature` is the holder of `pubkey`'s over the voucher (low-S only; false for malformed input). */
export function verifyVoucher(pubkey: Uint8Array, signature: Uint8Array, terms: VoucherTerms): boolean {
  if (signature.length !== 64) return false;
  try {
    return secp256k1.verify(signature, voucherSignBytes(terms), pubkey, { lowS: true });
  } catch {
    return false;
  }
}
