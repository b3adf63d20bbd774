import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { describe, expect, it } from 'vitest';
import { feegrantAminoConverters } from './feegrantAmino.ts';

const converters = feegrantAminoConverters();
const grant = converters['/cosmos.feegrant.v1beta1.MsgGrantAllowance']!;
const basic = {
  typeUrl: BasicAllowance.typeUrl,
  value: BasicAllowance.encode({
    spendLimit: [{ denom: 'uain', amount: '500' }],
    expiration: { seconds: 1_893_456_000n, nanos: 500_000_000 },
  }).finish(),
};

describe('feegrant amino JSON', () => {
  it('prints a grant as the SDK names and shapes it: allowance as {type, value}, times RFC3339Nano, durations in nanoseconds', () => {
    expect(grant.aminoType).toBe('cosmos-sdk/MsgGrantAllowance');
    expect(grant.toAmino({ granter: 'ain1a', grantee: 'ain1b', allowance: basic })).toEqual({
      granter: 'ain1a',
      grantee: 'ain1b',
      allowance: {
        type: 'cosmos-sdk/BasicAllowance',
        value: { spend_limit: [{ amount: '500', denom: 'uain' }], expiration: '2030-01-01T00:00:00.5Z' },
      },
    });
    const periodic = PeriodicAllowance.encode({
      basic: { spendLimit: [] },
      period: { seconds: 3600n, nanos: 0 },
      periodSpendLimit: [{ denom: 'uain', amount: '10' }],
      periodCanSpend: [],
      periodReset: { seconds: 1_893_456_000n, nanos: 0 },
    }).finish();
    const filtered = AllowedMsgAllowance.encode({
      allowance: { typeUrl: PeriodicAllowance.typeUrl, value: periodic },
      allowedMessages: ['/cosmos.bank.v1beta1.MsgSend'],
    }).finish();
    expect(
      grant.toAmino({ granter: 'ain1a', grantee: 'ain1b', allowance: { typeUrl: AllowedMsgAllowance.typeUrl, value: filtered } }).allowance,
    ).toEqual({
      type: 'cosmos-sdk/AllowedMsgAllowance',
      value: {
        allowance: {
          type: 'cosmos-sdk/PeriodicAllowance',
          value: {
            basic: { spend_limit: [] },
            period: '3600000000000',
            period_spend_limit: [{ amount: '10', denom: 'uain' }],
            period_can_spend: [],
            period_reset: '2030-01-01T00:00:00Z',
          },
        },
        allowed_messages: ['/cosmos.bank.v1beta1.MsgSend'],
      },
    });
    expect(converters['/cosmos.feegrant.v1beta1.MsgRevokeAllowance']!.toAmino({ granter: 'ain1a', grantee: 'ain1b' })).toEqual({
      granter: 'ain1a',
      grantee: 'ain1b',
    });
    expect(converters['/cosmos.feegrant.v1beta1.MsgPruneAllowances']!.aminoType).toBe('cosmos-sdk/MsgPruneAllowances');
  });
});
