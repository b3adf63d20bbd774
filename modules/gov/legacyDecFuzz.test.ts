/**
 * Property tests of the LegacyDec fields of proposal messages: decimal text to the wire and back to
 * the gateway's 18-digit form is the same value, and any other text is sdk/18 naming the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError, decFromText, decToFixed18 } from '../../core/index.ts';
import { legacyDecsForGateway, legacyDecsToWire, PROPOSAL_LEGACY_DEC_FIELDS } from './legacyDec.ts';

const SEED = 42;
const fields = Object.entries(PROPOSAL_LEGACY_DEC_FIELDS).flatMap(([typeUrl, list]) => list.map((field) => ({ typeUrl, field })));

describe('proposal LegacyDecs', () => {
  it('decimal text to the wire and back prints the same value in 18 digits; other text is sdk/18 naming the field', () => {
    const text = fc.oneof(
      fc
        .tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 }))
        .map(([whole, fraction]) => (fraction ? `${whole}.${fraction}` : `${whole}`)),
      fc.string({ unit: fc.constantFrom(...'0123456789.-e '), maxLength: 22 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), text, fc.boolean(), ({ typeUrl, field }, value, camel) => {
        const [outer, inner] = field.path as [string, string];
        const key = camel ? inner.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : inner;
        let expected: bigint | undefined;
        try {
          expected = decFromText(value, 'x');
        } catch {
          expected = undefined;
        }
        let wire: Record<string, unknown> | undefined;
        let error: unknown;
        try {
          wire = legacyDecsToWire(typeUrl, { [outer]: { [key]: value } }, 'messages[0]');
        } catch (e) {
          error = e;
        }
        if (expected === undefined) {
          expect(error).toBeInstanceOf(AinError);
          expect(error).toMatchObject({
            codespace: 'sdk',
            code: 18,
            message: expect.stringContaining(`messages[0].${field.path.join('.')}`),
          });
          return;
        }
        const printed = legacyDecsForGateway({ '@type': typeUrl, ...(wire as object) }) as Record<string, Record<string, string>>;
        expect(printed[outer]![key]).toBe(decToFixed18(expected));
        expect(decFromText(printed[outer]![key]!, 'x')).toBe(expected);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
