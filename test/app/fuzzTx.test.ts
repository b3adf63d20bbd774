/**
 * Malformed transactions through the whole app, in process (test/app/fuzzChain.fixture.ts: CheckTx,
 * recheck, FinalizeBlock and Commit on three apps): arbitrary bytes, and a valid signed MsgSend with
 * its bytes mutated or one field of its TxRaw, AuthInfo or TxBody replaced (then signed again, or
 * not). Every failure is a registered error with a log, never a panic; a tx whose signed bytes were
 * changed without signing them again never succeeds; a failed tx changes nothing but its fee and
 * sequence, and two apps given the same blocks agree.
 * The apps keep their state from run to run, so a failure is reported as found, not shrunk (endOnFailure).
 */
import { createHash } from 'node:crypto';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import secp256k1 from 'secp256k1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyAminoSignBytes } from '../../app/tx/aminoSignBytes.ts';
import { decodeTx } from '../../app/tx/decode.ts';
import { directSignBytes } from '../../app/tx/signature.ts';
import { sendMsg, type TestKey } from '../helpers/tx.ts';
import { CHAIN_ID, FuzzChain } from './fuzzChain.fixture.ts';

const bigintArb = fc.oneof(
  fc.constantFrom(0n, 1n, 2n ** 63n - 1n, 2n ** 64n - 1n, 100_000_000n, 100_000_001n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
const textArb = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'uain', 'ain1', 'x'.repeat(300), '\ud800', '-1', '1e3'));
const anyArb: fc.Arbitrary<Any> = fc.record({
  typeUrl: fc.oneof(
    fc.constantFrom('/cosmos.bank.v1beta1.MsgSend', '/cosmos.crypto.secp256k1.PubKey', '/cosmos.crypto.ed25519.PubKey', ''),
    textArb,
  ),
  value: fc.uint8Array({ maxLength: 60 }),
});
const coinsArb = fc.array(fc.record({ denom: textArb, amount: fc.oneof(textArb, bigintArb.map(String)) }), { maxLength: 3 });

interface Parts {
  body: TxBody;
  authInfo: AuthInfo;
  signatures: Uint8Array[];
}

/** One field of the tx replaced by a random value. */
const fieldMutationArb: fc.Arbitrary<(parts: Parts) => void> = fc.oneof(
  fc.array(anyArb, { maxLength: 3 }).map((messages) => (p: Parts) => void (p.body.messages = messages)),
  fc.constantFrom(0, 2, 65).map((n) => (p: Parts) => void (p.body.messages = Array.from({ length: n }, () => p.body.messages[0]!))),
  fc.oneof(textArb, fc.constantFrom('a'.repeat(257), 'é'.repeat(256))).map((memo) => (p: Parts) => void (p.body.memo = memo)),
  bigintArb.map((height) => (p: Parts) => void (p.body.timeoutHeight = height)),
  fc.array(anyArb, { minLength: 1, maxLength: 2 }).map((options) => (p: Parts) => void (p.body.extensionOptions = options)),
  fc.array(anyArb, { minLength: 1, maxLength: 2 }).map((options) => (p: Parts) => void (p.body.nonCriticalExtensionOptions = options)),
  fc
    .constantFrom(0, 2)
    .map((n) => (p: Parts) => void (p.authInfo.signerInfos = Array.from({ length: n }, () => p.authInfo.signerInfos[0]!))),
  anyArb.map((publicKey) => (p: Parts) => void (p.authInfo.signerInfos[0]!.publicKey = publicKey)),
  fc.uint8Array({ maxLength: 40 }).map((key) => (p: Parts) => {
    p.authInfo.signerInfos[0]!.publicKey = { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key }).finish() };
  }),
  fc.constant((p: Parts) => void delete p.authInfo.signerInfos[0]!.publicKey),
  fc.integer({ min: -1, max: 200 }).map((mode) => (p: Parts) => void (p.authInfo.signerInfos[0]!.modeInfo = { single: { mode } })),
  fc.constant((p: Parts) => {
    p.authInfo.signerInfos[0]!.modeInfo = { multi: { bitarray: { extraBitsStored: 1, elems: new Uint8Array([1]) }, modeInfos: [] } };
  }),
  fc.constant((p: Parts) => void delete p.authInfo.signerInfos[0]!.modeInfo),
  bigintArb.map((sequence) => (p: Parts) => void (p.authInfo.signerInfos[0]!.sequence = sequence)),
  coinsArb.map((amount) => (p: Parts) => void (p.authInfo.fee!.amount = amount)),
  bigintArb.map((gasLimit) => (p: Parts) => void (p.authInfo.fee!.gasLimit = gasLimit)),
  textArb.map((payer) => (p: Parts) => void (p.authInfo.fee!.payer = payer)),
  textArb.map((granter) => (p: Parts) => void (p.authInfo.fee!.granter = granter)),
  fc.constant((p: Parts) => void delete p.authInfo.fee),
  coinsArb.map((amount) => (p: Parts) => void (p.authInfo.tip = { amount, tipper: 'ain1' })),
  fc
    .array(fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ minLength: 64, maxLength: 64 })), { maxLength: 3 })
    .map((signatures) => (p: Parts) => void (p.signatures = signatures)),
);

function encodeParts(parts: Parts): Uint8Array {
  return TxRaw.encode({
    bodyBytes: TxBody.encode(parts.body).finish(),
    authInfoBytes: AuthInfo.encode(parts.authInfo).finish(),
    signatures: parts.signatures,
  }).finish();
}

/** Signs the parts again as their (first) signer info says, with `key`: direct, amino JSON, or zeros when neither applies. */
function resign(parts: Parts, key: TestKey, accountNumber: bigint): void {
  const bodyBytes = TxBody.encode(parts.body).finish();
  const authInfoBytes = AuthInfo.encode(parts.authInfo).finish();
  const info = parts.authInfo.signerInfos[0];
  let signBytes: Uint8Array | undefined;
  try {
    if (info?.modeInfo?.single?.mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
      const tx = decodeTx(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish());
      signBytes = legacyAminoSignBytes(tx, CHAIN_ID, accountNumber, info.sequence);
    } else signBytes = directSignBytes(bodyBytes, authInfoBytes, CHAIN_ID, accountNumber);
  } catch {}
  const signature = signBytes
    ? secp256k1.ecdsaSign(createHash('sha256').update(signBytes).digest(), key.privkey).signature
    : new Uint8Array(64);
  parts.signatures = [signature, ...parts.signatures.slice(1)];
}

/** How a valid tx's bytes are damaged. */
const byteMutationArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

type ByteMutation = typeof byteMutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutateBytes(tx: Uint8Array, mutation: ByteMutation): Uint8Array {
  const at = mutation.at % tx.length;
  switch (mutation.kind) {
    case 'flip': {
      const copy = tx.slice();
      copy[at]! ^= 1 << mutation.bit;
      return copy;
    }
    case 'truncate':
      return tx.slice(0, at);
    case 'insert':
      return Buffer.concat([tx.subarray(0, at), mutation.bytes, tx.subarray(at)]);
    case 'drop':
      return Buffer.concat([tx.subarray(0, at), tx.subarray(at + mutation.count)]);
  }
}

/** What a signature covers: a tx whose signed bytes differ from the original's cannot succeed unsigned. */
function signedContent(tx: Uint8Array): string | undefined {
  try {
    const raw = TxRaw.decode(tx);
    return [raw.bodyBytes, raw.authInfoBytes, raw.signatures[0] ?? new Uint8Array()].map((b) => Buffer.from(b).toString('hex')).join('/');
  } catch {
    return undefined;
  }
}

describe('malformed transactions through the app', () => {
  let chain: FuzzChain;
  beforeAll(() => {
    chain = new FuzzChain();
  });
  afterAll(() => chain.close());

  const validSend = (key: TestKey) => chain.sign(key, [sendMsg(key.address, chain.keys[0]!.address, '1')]);

  it('arbitrary bytes fail with a registered error in CheckTx, recheck and FinalizeBlock', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 4 }), (txs) => {
        for (const result of chain.deliver(txs)) expect(result.code).not.toBe(0);
      }),
      { seed: 42, numRuns: 100, endOnFailure: true },
    );
  });

  it('a valid tx with damaged bytes fails with a registered error, unless its signed content is intact', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.nat({ max: 3 }), mutation: byteMutationArb }), {
          minLength: 1,
          maxLength: 4,
          selector: (t) => t.key,
        }),
        (plan) => {
          const signers = plan.map(({ key }) => chain.keys[key]!);
          const originals = signers.map(validSend);
          const txs = plan.map(({ mutation }, i) => mutateBytes(originals[i]!, mutation));
          const results = chain.deliver(txs, signers);
          results.forEach((result, i) => {
            if (result.code === 0) expect(signedContent(txs[i]!), `tx ${i} succeeded`).toBe(signedContent(originals[i]!));
          });
        },
      ),
      { seed: 42, numRuns: 300, endOnFailure: true },
    );
  });

  it('a valid tx with one field replaced fails with a registered error, and never succeeds unsigned', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.nat({ max: 3 }), mutate: fieldMutationArb, resign: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
          selector: (t) => t.key,
        }),
        (plan) => {
          const signers = plan.map(({ key }) => chain.keys[key]!);
          const originals = signers.map(validSend);
          const txs = plan.map(({ mutate, resign: signAgain, key }, i) => {
            const raw = TxRaw.decode(originals[i]!);
            const parts: Parts = {
              body: TxBody.decode(raw.bodyBytes),
              authInfo: AuthInfo.decode(raw.authInfoBytes),
              signatures: raw.signatures,
            };
            mutate(parts);
            if (signAgain) resign(parts, chain.keys[key]!, chain.accountNumber(chain.keys[key]!));
            return encodeParts(parts);
          });
          const results = chain.deliver(txs, signers);
          results.forEach((result, i) => {
            if (result.code === 0 && !plan[i]!.resign)
              expect(signedContent(txs[i]!), `tx ${i} succeeded`).toBe(signedContent(originals[i]!));
          });
        },
      ),
      { seed: 42, numRuns: 400, endOnFailure: true },
    );
  });
});
