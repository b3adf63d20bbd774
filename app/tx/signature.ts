import { hash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { RecentResults, bytesKey } from '../../core/index.ts';

/** Half the secp256k1 group order, big-endian: signatures with s above it are malleable and refused. */
const HALF_ORDER = Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex');
const ZERO = Buffer.alloc(32);

/**
 * Recent signers' keys in uncompressed form: libsecp256k1 parses a compressed key with a square root
 * on every verify (about 4 us of its 43 here), an uncompressed one without.
 */
const uncompressed = new RecentResults<Uint8Array>(8192);

function uncompressedKey(pubkey: Uint8Array): Uint8Array {
  const id = bytesKey(pubkey);
  // publicKeyConvert throws for a point not on the curve.
  return uncompressed.get(id) ?? uncompressed.remember(id, secp256k1.publicKeyConvert(pubkey, false));
}

/** The SIGN_MODE_DIRECT bytes: the encoded SignDoc over the tx's raw body and auth-info bytes. */
export function directSignBytes(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber }).finish();
}

export function isLowS(signature: Uint8Array): boolean {
  const s = Buffer.from(signature.buffer, signature.byteOffset + 32, 32);
  return s.compare(HALF_ORDER) <= 0 && !s.equals(ZERO);
}

/**
 * Verifies a 64-byte r||s secp256k1 signature over sha256(message) with libsecp256k1 (native,
 * ~24k verifies/s here). Returns false for malformed keys or signatures and for high-S signatures.
 */
export function verifySecp256k1(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const check = secp256k1Check(pubkey, message, signature);
  return check !== undefined && ecdsaVerify(check);
}

/** What libsecp256k1's verify takes: the signature, sha256 of the message, the uncompressed key. */
export interface Secp256k1Check {
  readonly signature: Uint8Array;
  readonly digest: Uint8Array;
  readonly key: Uint8Array;
}

/**
 * The cheap half of {@link verifySecp256k1}: shape and low-S checks, the digest and the key's
 * uncompressed form; undefined where the signature is already refused. A worker thread runs the
 * other half (`ecdsaVerify`) with the same binding.
 */
export function secp256k1Check(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): Secp256k1Check | undefined {
  if (signature.length !== 64 || pubkey.length !== 33 || !isLowS(signature)) return undefined;
  try {
    return { signature, digest: hash('sha256', message, 'buffer'), key: uncompressedKey(pubkey) };
  } catch {
    return undefined; // not a point on the curve
  }
}

/** libsecp256k1's verify of a prepared check; false for anything it refuses. */
export function ecdsaVerify(check: Secp256k1Check): boolean {
  try {
    return secp256k1.ecdsaVerify(check.signature, check.digest, check.key);
  } catch {
    return false;
  }
}
