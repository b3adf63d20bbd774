import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  contractReceiptSignBytes,
  contractRequestHash,
  contractRequestSignBytes,
  signContractReceipt,
  signContractRequest,
  verifySigned,
} from './contractSigning.ts';

const client = secp256k1.utils.randomSecretKey();
const executor = secp256k1.utils.randomSecretKey();
const bodyHash = new Uint8Array(32).fill(0xab);
const terms = { chainId: 'ain-1', contractId: 3n, seq: 7n, deadline: 1_700_000_010n, bodyHash };

describe('contract requests and receipts', () => {
  it('binds chain, contract, seq, deadline and body in the request, and the request hash and answer time in the receipt', () => {
    expect(new TextDecoder().decode(contractRequestSignBytes(terms))).toBe(
      `ain-contract-request/v1\nain-1\n3\n7\n1700000010\n${'ab'.repeat(32)}`,
    );
    const hash = contractRequestHash(terms);
    expect(Buffer.from(hash)).toEqual(createHash('sha256').update(contractRequestSignBytes(terms)).digest());
    expect(new TextDecoder().decode(contractReceiptSignBytes('ain-1', 3n, 7n, hash, 1_700_000_009n))).toBe(
      `ain-contract-receipt/v1\nain-1\n3\n7\n${Buffer.from(hash).toString('hex')}\n1700000009`,
    );
  });

  it("verifies the client's request and the executor's receipt and nothing else", () => {
    const clientKey = secp256k1.getPublicKey(client, true);
    const executorKey = secp256k1.getPublicKey(executor, true);
    const request = signContractRequest(client, terms);
    expect(verifySigned(clientKey, request, contractRequestSignBytes(terms))).toBe(true);
    expect(verifySigned(executorKey, request, contractRequestSignBytes(terms))).toBe(false);
    for (const other of [
      { ...terms, seq: 8n },
      { ...terms, deadline: terms.deadline + 1n },
      { ...terms, bodyHash: new Uint8Array(32) },
    ])
      expect(verifySigned(clientKey, request, contractRequestSignBytes(other))).toBe(false);
    const receipt = signContractReceipt(executor, terms, 1_700_000_009n);
    const bytes = (answeredAt: bigint) => contractReceiptSignBytes('ain-1', 3n, 7n, contractRequestHash(terms), answeredAt);
    expect(verifySigned(executorKey, receipt, bytes(1_700_000_009n))).toBe(true);
    expect(verifySigned(executorKey, receipt, bytes(1_700_000_008n))).toBe(false);
    expect(verifySigned(executorKey, receipt.slice(1), bytes(1_700_000_009n))).toBe(false);
    expect(verifySigned(new Uint8Array(33), receipt, bytes(1_700_000_009n))).toBe(false);
  });
});
