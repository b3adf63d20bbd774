import { describe, expect, it } from 'vitest';
import { stakingGatewayJson } from './rest.ts';

describe('stakingGatewayJson', () => {
  it('prints LegacyDec atomics with 18 fraction digits and durations in seconds, and leaves whole coins alone', () => {
    const json = {
      validators: [
        {
          tokens: '1000000',
          delegator_shares: '1000000000000000000000000',
          commission: { commission_rates: { rate: '100000000000000000', max_rate: '200000000000000000', max_change_rate: '0' } },
        },
      ],
      delegation_responses: [{ delegation: { shares: '5' }, balance: { denom: 'uain', amount: '5' } }],
      rewards: [{ validator_address: 'ainvaloper1x', reward: [{ denom: 'uain', amount: '1500000000000000000' }] }],
      total: [{ denom: 'uain', amount: '1500000000000000000' }],
      params: {
        min_signed_per_window: Buffer.from('500000000000000000').toString('base64'),
        signed_blocks_window: '100',
        downtime_jail_duration: { seconds: '600', nanos: 0 },
      },
    };
    expect(stakingGatewayJson(json)).toEqual({
      validators: [
        {
          tokens: '1000000',
          delegator_shares: '1000000.000000000000000000',
          commission: {
            commission_rates: { rate: '0.100000000000000000', max_rate: '0.200000000000000000', max_change_rate: '0.000000000000000000' },
          },
        },
      ],
      delegation_responses: [{ delegation: { shares: '0.000000000000000005' }, balance: { denom: 'uain', amount: '5' } }],
      rewards: [{ validator_address: 'ainvaloper1x', reward: [{ denom: 'uain', amount: '1.500000000000000000' }] }],
      total: [{ denom: 'uain', amount: '1.500000000000000000' }],
      params: { min_signed_per_window: '0.500000000000000000', signed_blocks_window: '100', downtime_jail_duration: '600s' },
    });
  });
});
