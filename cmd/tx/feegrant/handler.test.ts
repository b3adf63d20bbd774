import { describe, expect, it } from 'vitest';
import { grantAllowance } from './handler.ts';

const NOW = 1_700_000_000n;
const NANOS = 1_000_000_000n;

describe('tx feegrant grant: the allowance of the flags', () => {
  it('is basic by default, periodic with --period and --period-limit, filtered with --allowed-messages', () => {
    expect(grantAllowance({ spendLimit: '1000uain' }, NOW)).toEqual({
      kind: 'basic',
      spendLimit: [{ denom: 'uain', amount: 1000n }],
      expiration: undefined,
    });
    const periodic = grantAllowance(
      { spendLimit: '1000uain', period: '60', periodLimit: '10uain', expiration: '2030-01-01T00:00:00Z' },
      NOW,
    );
    expect(periodic).toMatchObject({ kind: 'periodic', period: 60n * NANOS, periodReset: (NOW + 60n) * NANOS });
    expect(grantAllowance({ allowedMessages: '/cosmos.bank.v1beta1.MsgSend, /ain.state.v1.MsgSetValue' }, NOW)).toMatchObject({
      kind: 'allowed_msg',
      allowedMessages: ['/cosmos.bank.v1beta1.MsgSend', '/ain.state.v1.MsgSetValue'],
    });
  });

  it('refuses what the chain would refuse, naming the flag', () => {
    expect(() => grantAllowance({ period: '60' }, NOW)).toThrow(/needs both --period \(seconds\) and --period-limit/);
    expect(() => grantAllowance({ period: '0', periodLimit: '1uain' }, NOW)).toThrow(/--period "0" must be a positive number of seconds/);
    expect(() => grantAllowance({ expiration: 'tomorrow' }, NOW)).toThrow(/--expiration "tomorrow" must be an RFC 3339 time/);
    expect(() => grantAllowance({ period: '3600', periodLimit: '1uain', expiration: '2023-11-14T22:30:00Z' }, NOW)).toThrow(
      /cannot reset after --expiration/,
    );
    expect(() => grantAllowance({ spendLimit: '10uain', period: '60', periodLimit: '1uatom' }, NOW)).toThrow(
      /period_spend_limit has uatom/,
    );
    expect(() => grantAllowance({ allowedMessages: ' , ' }, NOW)).toThrow(/allowed_messages is empty/);
  });
});
