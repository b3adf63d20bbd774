/**
 * What the two parties of a service contract sign off chain. The client signs each call (contract,
 * sequence number, deadline, body hash); the executor answers with a receipt signed over the request's
 * hash and the time it answered. A miss is claimed on chain with the client's signed request and
 * disputed with the executor's receipt. secp256k1 from @noble/curves: sha256 of the sign bytes,
 * 64-byte compact low-S signatures, as vouchers (`voucher.ts`).
 */
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';

export interface ContractRequestTerms {
  readonly chainId: string;
  readonly contractId: bigint;
  /** The client's call number in this contract (from 1; each used once). */
  readonly seq: bigint;
  /** Block-time unix seconds by which the answer is due. */
  readonly deadline: bigint;
  /** sha256 of the call's body (32 bytes). */
  readonly bodyHash: Uint8Array;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * The bytes a client's request signature covers.
 * @example contractRequestSignBytes({ chainId: 'ain-1', contractId: 1n, seq: 1n, deadline: 1700000000n, bodyHash })
 */
export function contractRequestSignBytes(terms: ContractRequestTerms): Uint8Array {
  return new TextEncoder().encode(
    `ain-contract-request/v1\n${terms.chainId}\n${terms.contractId}\n${terms.seq}\n${terms.deadline}\n${hex(terms.bodyHash)}`,
  );
}

/** sha256 of a request's sign bytes: what the executor's receipt names. */
export function contractRequestHash(terms: ContractRequestTerms): Uint8Array {
  return new Uint8Array(createHash('sha256').update(contractRequestSignBytes(terms)).digest());
}

/**
 * The bytes an executor's receipt signature covers: the request's hash and when it was answered.
 * @example contractReceiptSignBytes('ain-1', 1n, 1n, requestHash, 1700000000n)
 */
export function contractReceiptSignBytes(
  chainId: string,
  contractId: bigint,
  seq: bigint,
  requestHash: Uint8Array,
  answeredAt: bigint,
): Uint8Array {
  return new TextEncoder().encode(`ain-contract-receipt/v1\n${chainId}\n${contractId}\n${seq}\n${hex(requestHash)}\n${answeredAt}`);
}

/**
 * Signs a request with the client's secp256k1 private key.
 * @example const signature = signContractRequest(clientKey, terms);
 */
export function signContractRequest(privkey: Uint8Array, terms: ContractRequestTerms): Uint8Array {
  return secp256k1.sign(contractRequestSignBytes(terms), privkey, { lowS: true });
}

/**
 * Signs a receipt with the executor's secp256k1 private key.
 * @example const receipt = signContractReceipt(executorKey, terms, answeredAt);
 */
export function signContractReceipt(privkey: Uint8Array, terms: ContractRequestTerms, answeredAt: bigint): Uint8Array {
  const bytes = contractReceiptSignBytes(terms.chainId, terms.contractId, terms.seq, contractRequestHash(terms), answeredAt);
  return secp256k1.sign(bytes, privkey, { lowS: true });
}

/** Whether `signature` (64 bytes, low S) is the holder of `pubkey`'s over `bytes`; false for malformed input. */
export function verifySigned(pubkey: Uint8Array, signature: Uint8Array, bytes: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return secp256k1.verify(signature, bytes, pubkey, { lowS: true });
  } catch {
    return false;
  }
}
