import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import {
  accept,
  type BasicAllowance,
  ExpiredAllowance,
  formatDuration,
  formatTime,
  NANOS,
  type PeriodicAllowance,
  parseDuration,
  resetPeriod,
  validateAllowance,
} from './allowance.ts';
import { allowanceFromAny, allowanceFromJson, allowanceToAny, allowanceToJson } from './codec.ts';

const T0 = 1_700_000_000n * NANOS;
const HOUR = 3600n * NANOS;
const uain = (amount: bigint) => [{ denom: 'uain', amount }];
const SEND = '/cosmos.bank.v1beta1.MsgSend';
const basic = (limit: bigint | undefined, expiration?: bigint): BasicAllowance => ({
  kind: 'basic',
  spendLimit: limit === undefined ? [] : uain(limit),
  expiration,
});
const periodic = (overrides: Partial<PeriodicAllowance> = {}): PeriodicAllowance => ({
  kind: 'periodic',
  basic: basic(1000n),
  period: HOUR,
  periodSpendLimit: uain(100n),
  periodCanSpend: uain(100n),
  periodReset: T0 + HOUR,
  ...overrides,
});

/** The AinError `run` throws (an expired allowance's wrapped one). */
function refusal(run: () => unknown): AinError {
  try {
    run();
  } catch (error) {
    const inner = error instanceof ExpiredAllowance ? error.error : error;
    if (inner instanceof AinError) return inner;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('BasicAllowance accept', () => {
  it('lowers the spend limit by the fee and asks for removal once used up', () => {
    const first = accept(basic(10_000n), uain(4_000n), [SEND], T0);
    expect(first).toEqual({ allowance: basic(6_000n), remove: false });
    expect(accept(first.allowance, uain(6_000n), [SEND], T0).remove).toBe(true);
  });

  it('refuses a fee over the limit or in another denom with feegrant/2, naming both amounts', () => {
    const over = refusal(() => accept(basic(10n), uain(11n), [SEND], T0));
    expect([over.codespace, over.code]).toEqual(['feegrant', 2]);
    expect(over.message).toBe('basic allowance: fee 11uain exceeds the spend limit 10uain left: fee limit exceeded');
    expect(refusal(() => accept(basic(10n), [{ denom: 'uatom', amount: 1n }], [SEND], T0)).code).toBe(2);
  });

  it('has no limit with an empty spend limit, and expires strictly after its expiration by block time', () => {
    expect(accept(basic(undefined), uain(10n ** 30n), [SEND], T0).remove).toBe(false);
    expect(accept(basic(10n, T0), uain(1n), [SEND], T0).remove).toBe(false);
    const expired = refusal(() => accept(basic(10n, T0), uain(1n), [SEND], T0 + NANOS));
    expect([expired.codespace, expired.code]).toEqual(['feegrant', 3]);
    expect(expired.message).toMatch(/expired at 2023-11-14T22:13:20Z; the block time is 2023-11-14T22:13:21Z/);
  });
});

describe('PeriodicAllowance accept', () => {
  it('spends from the period and the total, and refuses past the period limit until the block time resets it', () => {
    const a = accept(periodic(), uain(60n), [SEND], T0).allowance as PeriodicAllowance;
    expect(a.periodCanSpend).toEqual(uain(40n));
    expect(a.basic.spendLimit).toEqual(uain(940n));
    const over = refusal(() => accept(a, uain(50n), [SEND], T0 + 10n * NANOS));
    expect([over.codespace, over.code]).toEqual(['feegrant', 2]);
    expect(over.message).toMatch(/^period limit: fee 50uain exceeds the 40uain left in this period/);
    // At the reset time the period refills; the next reset is one period later.
    const b = accept(a, uain(50n), [SEND], T0 + HOUR).allowance as PeriodicAllowance;
    expect(b.periodCanSpend).toEqual(uain(50n));
    expect(b.periodReset).toBe(T0 + 2n * HOUR);
  });

  it('after a whole idle period resets from the block time, and caps the refill at the spend limit left', () => {
    const idle = resetPeriod(periodic({ basic: basic(30n) }), T0 + 5n * HOUR + 7n * NANOS);
    expect(idle.periodReset).toBe(T0 + 6n * HOUR + 7n * NANOS);
    expect(idle.periodCanSpend).toEqual(uain(30n));
    expect(resetPeriod(periodic(), T0)).toEqual(periodic());
  });

  it('refuses over the absolute limit, removes when it is used up, and expires by its basic expiration', () => {
    const small = periodic({ basic: basic(50n) });
    expect(refusal(() => accept(small, uain(60n), [SEND], T0)).code).toBe(2);
    expect(accept(small, uain(50n), [SEND], T0).remove).toBe(true);
    const expiring = periodic({ basic: basic(1000n, T0 + HOUR) });
    expect(refusal(() => accept(expiring, uain(1n), [SEND], T0 + HOUR + 1n)).code).toBe(3);
  });
});

describe('AllowedMsgAllowance accept', () => {
  it('takes only txs whose every message type is allowed, then judges the inner allowance', () => {
    const filtered = { kind: 'allowed_msg' as const, allowance: basic(100n), allowedMessages: [SEND] };
    expect(accept(filtered, uain(10n), [SEND, SEND], T0).allowance).toEqual({ ...filtered, allowance: basic(90n) });
    const refused = refusal(() => accept(filtered, uain(10n), [SEND, '/cosmos.staking.v1beta1.MsgDelegate'], T0));
    expect([refused.codespace, refused.code]).toEqual(['feegrant', 7]);
    expect(refused.message).toMatch(/message \/cosmos.staking.v1beta1.MsgDelegate does not exist in allowed messages/);
  });
});

describe('validateAllowance', () => {
  const codeOf = (allowance: Parameters<typeof validateAllowance>[0]) => {
    const error = refusal(() => validateAllowance(allowance));
    return [error.codespace, error.code, error.message];
  };

  it('refuses a zero period, a period limit outside the spend limit denoms, a reset after the expiration', () => {
    expect(codeOf(periodic({ period: 0n }))).toEqual([
      'feegrant',
      4,
      'allowance.period is 0s; expected a positive duration: invalid duration',
    ]);
    expect(codeOf(periodic({ periodSpendLimit: [{ denom: 'uatom', amount: 1n }], periodCanSpend: [] }))[2]).toMatch(
      /period_spend_limit has uatom, which allowance.basic.spend_limit \(1000uain\) lacks/,
    );
    expect(codeOf(periodic({ periodSpendLimit: [] }))[1]).toBe(10);
    expect(codeOf(periodic({ periodCanSpend: uain(101n) }))[2]).toMatch(
      /period_can_spend 101uain exceeds allowance.period_spend_limit 100uain/,
    );
    expect(codeOf(periodic({ basic: basic(1000n, T0) }))[2]).toMatch(/period_reset .* is after allowance.basic.expiration/);
    expect(codeOf({ kind: 'allowed_msg', allowance: basic(1n), allowedMessages: [] })).toEqual([
      'feegrant',
      6,
      'allowance.allowed_messages is empty; expected at least one message type URL: allowed messages are empty',
    ]);
    expect(codeOf(basic(10n, -1n))[1]).toBe(4);
    expect(() => validateAllowance(periodic())).not.toThrow();
  });

  it('refuses times past year 9999 and periods past Go time.Duration (before, a far expiration was stored as "+033658-..." or threw "Invalid time value")', () => {
    const year10000 = 253_402_300_800n * NANOS;
    expect(codeOf(basic(10n, year10000))).toEqual([
      'sdk',
      18,
      'allowance.expiration is out of range; expected a time between years 1 and 9999: invalid request',
    ]);
    expect(codeOf(basic(10n, 10n ** 15n * NANOS))[1]).toBe(18);
    expect(() => validateAllowance(basic(10n, year10000 - 1n))).not.toThrow();
    expect(codeOf(periodic({ periodReset: year10000 }))[2]).toMatch(/allowance.period_reset is out of range/);
    expect(codeOf(periodic({ period: 2n ** 63n }))[2]).toMatch(/allowance.period is .*; expected at most 9223372036.854775807s/);
    expect(() => validateAllowance(periodic({ period: 2n ** 63n - 1n }))).not.toThrow();
  });
});

describe('allowance codecs', () => {
  it('round-trip each kind through Any and the SDK JSON shape', () => {
    const kinds = [
      basic(5n, T0 + 123_456_789n),
      basic(undefined),
      periodic(),
      { kind: 'allowed_msg' as const, allowance: periodic(), allowedMessages: [SEND] },
    ];
    for (const allowance of kinds) {
      expect(allowanceFromAny(allowanceToAny(allowance))).toEqual(allowance);
      expect(allowanceFromJson(JSON.parse(JSON.stringify(allowanceToJson(allowance))))).toEqual(allowance);
    }
    expect(allowanceToJson(periodic())).toMatchObject({ period: '3600s', period_reset: '2023-11-14T23:13:20Z' });
    expect(formatTime(T0 + 123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect([formatDuration(1_500_000_000n), parseDuration('1.5s'), parseDuration('soon')]).toEqual(['1.500s', 1_500_000_000n, undefined]);
  });

  it('refuses an allowed-message allowance nested in another, and an unknown type', () => {
    const nested = { kind: 'allowed_msg' as const, allowance: basic(1n), allowedMessages: [SEND] };
    const any = allowanceToAny(nested);
    expect(() =>
      allowanceFromAny({
        typeUrl: '/cosmos.feegrant.v1beta1.AllowedMsgAllowance',
        value: allowanceToAny({ ...nested, allowance: nested as never }).value,
      }),
    ).toThrow(/allowance.allowance has type \/cosmos.feegrant.v1beta1.AllowedMsgAllowance; expected/);
    expect(() => allowanceFromAny({ typeUrl: '/x.Y', value: any.value })).toThrow(/allowance has type \/x.Y/);
  });
});
