/**
 * Property test of encodeResponse: for random FinalizeBlock responses (any UTF-16 strings, lone
 * surrogates and long ones included; codes and gas over their whole ranges) it writes the bytes
 * cosmjs-types' `Response.encode` writes, as its doc says.
 */
import { Response } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeResponse } from './responseEncoding.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Any UTF-16 code unit, so lone and reversed surrogate halves appear as well as pairs. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', 'a\udc00\ud800b', '\ud83d\ude00\ud83d') },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, minLength: 200, maxLength: 3000 }) },
);
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint32 = fc.oneof(fc.constantFrom(0, 1, 127, 128, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const bytes = fc.uint8Array({ maxLength: 64 });

const event = fc.record({
  type: text,
  attributes: fc.array(fc.record({ key: text, value: text, index: fc.boolean() }), { maxLength: 4 }),
});
const events = fc.array(event, { maxLength: 3 });
const txResult = fc.record({
  code: uint32,
  data: bytes,
  log: text,
  info: text,
  gasWanted: int64,
  gasUsed: int64,
  events,
  codespace: text,
});
const finalizeBlock = fc.record({
  events,
  txResults: fc.array(txResult, { maxLength: 4 }),
  validatorUpdates: fc.array(fc.record({ pubKey: fc.record({ ed25519: fc.uint8Array({ minLength: 32, maxLength: 32 }) }), power: int64 }), {
    maxLength: 2,
  }),
  appHash: fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ minLength: 32, maxLength: 32 })),
});

describe('encodeResponse on random responses', () => {
  it("writes a FinalizeBlock response byte for byte as cosmjs-types' Response.encode", () => {
    fc.assert(
      fc.property(finalizeBlock, (partial) => {
        const response = Response.fromPartial({ finalizeBlock: partial });
        expect(hex(encodeResponse(response))).toBe(hex(Response.encode(response).finish()));
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('writes every other response kind through cosmjs-types, with the same random strings', () => {
    fc.assert(
      fc.property(text, text, uint32, int64, (log, codespace, code, gas) => {
        for (const response of [
          Response.fromPartial({ checkTx: { code, log, codespace, gasWanted: gas } }),
          Response.fromPartial({ query: { code, log, codespace, height: gas } }),
          Response.fromPartial({ exception: { error: log } }),
        ]) {
          expect(hex(encodeResponse(response))).toBe(hex(Response.encode(response).finish()));
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
