import { Response, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { rng } from '../../tree/index.ts';
import { encodeResponse } from './responseEncoding.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Strings that exercise the UTF-8 paths: empty, ASCII, 2-, 3- and 4-byte characters, 200+ bytes. */
const STRINGS = ['', 'transfer', 'ain1dqwddnh3rx5c766ldadcxpg8a42dpdwc57869a', 'é', '€ük', '😀 ok', 'x'.repeat(300)];

function finalizeBlockOf(next: () => number): ResponseFinalizeBlock {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const events = () =>
    Array.from({ length: Math.floor(next() * 4) }, () => ({
      type: pick(STRINGS),
      attributes: Array.from({ length: Math.floor(next() * 4) }, () => ({ key: pick(STRINGS), value: pick(STRINGS), index: next() < 0.5 })),
    }));
  return ResponseFinalizeBlock.fromPartial({
    events: events(),
    txResults: Array.from({ length: Math.floor(next() * 5) }, () => ({
      code: pick([0, 1, 5, 127, 128, 2 ** 32 - 1]),
      data: Uint8Array.from({ length: pick([0, 1, 40, 200]) }, (_, i) => i),
      log: pick(STRINGS),
      info: pick(STRINGS),
      gasWanted: pick([0n, 1n, 100_000n, 2n ** 40n, 2n ** 63n - 1n, -1n]),
      gasUsed: pick([0n, 42_052n, 2n ** 53n + 1n]),
      events: events(),
      codespace: pick(['', 'sdk', 'bank']),
    })),
    validatorUpdates:
      next() < 0.3 ? [{ pubKey: { ed25519: Uint8Array.from({ length: 32 }, (_, i) => i) }, power: pick([0n, 10n, 2n ** 50n]) }] : [],
    ...(next() < 0.3 ? { consensusParamUpdates: { block: { maxBytes: 22_020_096n, maxGas: -1n } } } : {}),
    appHash: next() < 0.8 ? Uint8Array.from({ length: 32 }, () => Math.floor(next() * 256)) : new Uint8Array(0),
  });
}

describe('encodeResponse', () => {
  it("writes FinalizeBlock's response byte for byte as cosmjs-types does, for 500 random responses", () => {
    const next = rng(20261205);
    for (let i = 0; i < 500; i++) {
      const response = Response.fromPartial({ finalizeBlock: finalizeBlockOf(next) });
      expect(hex(encodeResponse(response)), `response ${i}`).toBe(hex(Response.encode(response).finish()));
    }
  });

  it('writes an empty FinalizeBlock response and a bank send result as cosmjs-types does, and they decode back', () => {
    const send = Response.fromPartial({
      finalizeBlock: {
        txResults: [
          {
            gasWanted: 100_000n,
            gasUsed: 42_052n,
            events: [
              { type: 'tx', attributes: [{ key: 'fee', value: '2500uain', index: true }] },
              { type: 'transfer', attributes: [{ key: 'amount', value: '1uain', index: false }] },
            ],
          },
        ],
        appHash: new Uint8Array(32).fill(7),
      },
    });
    for (const response of [Response.fromPartial({ finalizeBlock: {} }), send]) {
      const bytes = encodeResponse(response);
      expect(hex(bytes)).toBe(hex(Response.encode(response).finish()));
      expect(Response.decode(bytes)).toEqual(response);
    }
  });

  it('writes strings with lone surrogates as cosmjs-types does (3 bytes each, not U+FFFD)', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83d\ude00\ud83d']) {
      const response = Response.fromPartial({
        finalizeBlock: {
          events: [{ type: text, attributes: [{ key: text, value: text, index: true }] }],
          txResults: [{ log: text, info: text, codespace: text }],
        },
      });
      expect(hex(encodeResponse(response)), JSON.stringify(text)).toBe(hex(Response.encode(response).finish()));
    }
  });

  it('leaves every other response to cosmjs-types', () => {
    for (const response of [
      Response.fromPartial({ checkTx: { code: 5, log: 'insufficient funds', gasWanted: 100_000n, codespace: 'sdk' } }),
      Response.fromPartial({ commit: { retainHeight: 7n } }),
      Response.fromPartial({ exception: { error: 'HANDLER_FAILED: boom' } }),
      Response.fromPartial({ flush: {} }),
    ]) {
      expect(hex(encodeResponse(response))).toBe(hex(Response.encode(response).finish()));
    }
  });
});
