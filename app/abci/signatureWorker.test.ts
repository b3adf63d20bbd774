import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { afterAll, describe, expect, it } from 'vitest';
import { SLOT_INVALID, SLOT_VALID } from '../signatureCache.ts';
import { secp256k1Check, type Secp256k1Check } from '../tx/signature.ts';
import { packChecks, SignatureWorkers } from './signatureWorker.ts';

const privkey = createHash('sha256').update('signature-worker-test').digest();
const pubkey = secp256k1.publicKeyCreate(privkey, true);

/** A check of `message` signed by the test key, its signature a view into a larger buffer (as a tx read off the socket). */
function signedCheck(message: string, offset: number): Secp256k1Check {
  const bytes = Buffer.from(message);
  const { signature } = secp256k1.ecdsaSign(createHash('sha256').update(bytes).digest(), privkey);
  const socketRead = new Uint8Array(4096);
  socketRead.set(signature, offset);
  const check = secp256k1Check(pubkey, bytes, socketRead.subarray(offset, offset + 64));
  if (check === undefined) throw new Error('the test signature should be well formed');
  return check;
}

describe('signature workers', () => {
  const workers = new SignatureWorkers(2);
  afterAll(() => workers.close());

  const good = [signedCheck('first', 0), signedCheck('second', 1000), signedCheck('third', 4000)];
  const forged: Secp256k1Check = { ...good[1]!, digest: createHash('sha256').update('other').digest() };
  // A compressed key (secp256k1Check always gives 65 bytes): not vouched for, so the app's thread verifies it itself.
  const misshapen: Secp256k1Check = { ...good[0]!, key: pubkey };
  const checks = [good[0]!, forged, good[1]!, misshapen, good[2]!];

  it('packs each check into 161 bytes, leaving a misshapen one zero', () => {
    const packed = packChecks(checks);
    expect(packed.length).toBe(5 * 161);
    const bytesOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    expect(bytesOf(packed.subarray(0, 161))).toBe(bytesOf(Buffer.concat([good[0]!.signature, good[0]!.digest, good[0]!.key])));
    expect(packed.subarray(3 * 161, 4 * 161).every((b) => b === 0)).toBe(true);
  });

  it('answers each check of a CheckTx batch, refusing forged and misshapen ones', async () => {
    expect(await workers.verify(checks)).toEqual([true, false, true, false, true]);
    expect(await workers.verify([])).toEqual([]);
  });

  it("verifies a block's slice into the shared statuses, skipping slots another thread claimed", async () => {
    const status = new Int32Array(new SharedArrayBuffer(4 * checks.length));
    Atomics.store(status, 2, SLOT_VALID); // the app's thread got there first
    const verified = await workers.verifyShared(checks, status);
    expect(verified).toBe(4);
    expect([...status]).toEqual([SLOT_VALID, SLOT_INVALID, SLOT_VALID, SLOT_INVALID, SLOT_VALID]);
  });
});
