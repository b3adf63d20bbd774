import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { AccessKind } from '../../proto/gen/ain/storage/v1/types.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { validateMsgRegisterProvider, validateMsgReserve, validateMsgSetAccess, validateMsgShareKeys } from './msgs.ts';

const signer = testKey('storage-msgs').address;
const hash = 'ab'.repeat(32);

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    return `${(error as AinError).codespace}/${(error as AinError).code}: ${(error as AinError).message}`;
  }
  throw new Error('expected a refusal');
}

describe('storage messages (validateBasic)', () => {
  it('checks a provider registration', () => {
    validateMsgRegisterProvider({ signer, url: 'http://127.0.0.1:7070', backends: ['folder'], pricePerGibDay: '10', capacityBytes: 1n });
    expect(
      refusal(() => validateMsgRegisterProvider({ signer, url: 'ftp://x', backends: ['folder'], pricePerGibDay: '1', capacityBytes: 1n })),
    ).toMatch(/^bigstorage\/1: url/);
    expect(
      refusal(() => validateMsgRegisterProvider({ signer, url: 'http://x', backends: ['gcs'], pricePerGibDay: '1', capacityBytes: 1n })),
    ).toContain('backends[0] "gcs"');
  });

  it('checks a reservation', () => {
    expect(refusal(() => validateMsgReserve({ signer, provider: signer, bytes: 0n, durationSeconds: 1n, maxPrice: '' }))).toContain(
      'bytes must be in',
    );
    expect(refusal(() => validateMsgReserve({ signer, provider: signer, bytes: 1n, durationSeconds: 0n, maxPrice: '' }))).toContain(
      'duration_seconds',
    );
  });

  it('ties request_id to REQUEST, key commitments to encryption and test data to both', () => {
    const base = {
      signer,
      hash,
      kind: AccessKind.ACCESS_KIND_LIST,
      requestId: 0n,
      grants: [],
      encrypted: false,
      keyCommitment: '',
      testData: false,
      provider: '',
    };
    validateMsgSetAccess(base);
    expect(refusal(() => validateMsgSetAccess({ ...base, requestId: 3n }))).toContain('request_id is set exactly when kind is REQUEST');
    expect(refusal(() => validateMsgSetAccess({ ...base, encrypted: true }))).toContain('key_commitment');
    expect(refusal(() => validateMsgSetAccess({ ...base, testData: true }))).toContain('test_data needs kind REQUEST');
    expect(refusal(() => validateMsgSetAccess({ ...base, hash: 'AB' }))).toContain('sha256');
    expect(
      refusal(() =>
        validateMsgSetAccess({
          ...base,
          grants: [
            { address: signer, expiresAt: 0n },
            { address: signer, expiresAt: 1n },
          ],
        }),
      ),
    ).toContain('listed twice');
  });

  it('wants 105-byte wrapped keys', () => {
    const wrapped = Buffer.alloc(105, 1).toString('base64');
    validateMsgShareKeys({ signer, hash, keys: [{ reader: signer, wrapped, sharedAt: 0n }] });
    expect(refusal(() => validateMsgShareKeys({ signer, hash, keys: [{ reader: signer, wrapped: 'AAAA', sharedAt: 0n }] }))).toContain(
      '105 bytes',
    );
  });
});
