import { describe, expect, it } from 'vitest';
import { legacyDecsForGateway, legacyDecsToWire } from './legacyDec.ts';

const SLASHING = '/cosmos.slashing.v1beta1.MsgUpdateParams';
const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

describe('proposal messages LegacyDecs', () => {
  it('to the wire: decimals to atomics (bytes fields as base64 ASCII); others untouched; sdk/18 naming the field', () => {
    expect(legacyDecsToWire('/cosmos.distribution.v1beta1.MsgUpdateParams', { params: { communityTax: '0.02' } }, 'm')).toEqual({
      params: { communityTax: '20000000000000000' },
    });
    expect(legacyDecsToWire(SLASHING, { params: { slash_fraction_downtime: '0.0001' } }, 'm')).toEqual({
      params: { slash_fraction_downtime: b64('100000000000000') },
    });
    expect(legacyDecsToWire('/cosmos.gov.v1.MsgUpdateParams', { params: { quorum: '0.4' } }, 'm')).toEqual({ params: { quorum: '0.4' } });
    expect(() => legacyDecsToWire(SLASHING, { params: { min_signed_per_window: '-1' } }, 'messages[2]')).toThrow(
      /messages\[2\]\.params\.min_signed_per_window "-1" is not a decimal/,
    );
  });

  it("for the gateway: a proposal's messages print their LegacyDecs with 18 digits, at any depth", () => {
    const answer = {
      proposals: [
        {
          messages: [
            {
              '@type': SLASHING,
              authority: 'ain1...',
              params: { min_signed_per_window: b64('500000000000000000'), signed_blocks_window: '100' },
            },
          ],
        },
        { messages: [{ '@type': '/cosmos.staking.v1beta1.MsgUpdateParams', params: { min_commission_rate: '0' } }] },
      ],
    };
    expect(legacyDecsForGateway(answer)).toEqual({
      proposals: [
        {
          messages: [
            {
              '@type': SLASHING,
              authority: 'ain1...',
              params: { min_signed_per_window: '0.500000000000000000', signed_blocks_window: '100' },
            },
          ],
        },
        { messages: [{ '@type': '/cosmos.staking.v1beta1.MsgUpdateParams', params: { min_commission_rate: '0.000000000000000000' } }] },
      ],
    });
  });
});
