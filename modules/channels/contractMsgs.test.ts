import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { AinError, pubkeyToAddress } from '../../core/index.ts';
import {
  validateMsgAcceptContract,
  validateMsgClaimMisses,
  validateMsgDisputeMisses,
  validateMsgEndContract,
  validateMsgProposeContract,
} from './contractMsgs.ts';

const clientKey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
const executorKey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
const client = pubkeyToAddress(clientKey);
const executor = pubkeyToAddress(executorKey);
const propose = {
  signer: client,
  clientPubkey: clientKey,
  executor,
  requestsPerSecond: 10,
  gpus: 1,
  price: '6000',
  deposit: '1000',
  penaltyPerMiss: '100',
  durationSeconds: 3600n,
  disputeSeconds: 600n,
};
const request = { seq: 1n, deadline: 1_700_000_000n, bodyHash: new Uint8Array(32), signature: new Uint8Array(64) };
const receipt = { seq: 1n, answeredAt: 1_700_000_000n, signature: new Uint8Array(64) };

/** The field a refusal names (channels/1). */
function refusedField(check: () => void): unknown {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).codespace).toBe('channels');
    expect((error as AinError).code).toBe(1);
    return (error as AinError).meta['field'];
  }
  throw new Error('expected a refusal');
}

describe('contract messages validateBasic', () => {
  it('accepts well-formed messages', () => {
    validateMsgProposeContract(propose);
    validateMsgAcceptContract({ signer: executor, contractId: 1n, executorPubkey: executorKey });
    validateMsgEndContract({ signer: client, contractId: 1n });
    validateMsgClaimMisses({ signer: client, contractId: 1n, requests: [request, { ...request, seq: 2n }] });
    validateMsgDisputeMisses({ signer: executor, contractId: 1n, receipts: [receipt] });
  });

  it('names the field of each refusal', () => {
    expect(refusedField(() => validateMsgProposeContract({ ...propose, executor: client }))).toBe('executor');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, clientPubkey: executorKey }))).toBe('client_pubkey');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, requestsPerSecond: 0 }))).toBe('requests_per_second');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, gpus: 5000 }))).toBe('gpus');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, price: '0' }))).toBe('price');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, deposit: '-1' }))).toBe('deposit');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, penaltyPerMiss: '1.5' }))).toBe('penalty_per_miss');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, durationSeconds: 0n }))).toBe('duration_seconds');
    expect(refusedField(() => validateMsgProposeContract({ ...propose, disputeSeconds: 0n }))).toBe('dispute_seconds');
    expect(refusedField(() => validateMsgAcceptContract({ signer: executor, contractId: 1n, executorPubkey: clientKey }))).toBe(
      'executor_pubkey',
    );
    expect(refusedField(() => validateMsgEndContract({ signer: client, contractId: 0n }))).toBe('contract_id');
    expect(refusedField(() => validateMsgClaimMisses({ signer: client, contractId: 1n, requests: [] }))).toBe('requests');
    expect(
      refusedField(() =>
        validateMsgClaimMisses({ signer: client, contractId: 1n, requests: [{ ...request, bodyHash: new Uint8Array(31) }] }),
      ),
    ).toBe('requests[0].body_hash');
    expect(refusedField(() => validateMsgClaimMisses({ signer: client, contractId: 1n, requests: [{ ...request, seq: 0n }] }))).toBe(
      'requests[0].seq',
    );
    expect(refusedField(() => validateMsgDisputeMisses({ signer: executor, contractId: 1n, receipts: [receipt, receipt] }))).toBe(
      'receipts[1].seq',
    );
    expect(
      refusedField(() =>
        validateMsgDisputeMisses({ signer: executor, contractId: 1n, receipts: [{ ...receipt, signature: new Uint8Array(63) }] }),
      ),
    ).toBe('receipts[0].signature');
  });
});
