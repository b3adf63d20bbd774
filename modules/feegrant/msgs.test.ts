import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { NANOS } from './allowance.ts';
import { allowanceToAny } from './codec.ts';
import { validateMsgGrantAllowance, validateMsgPruneAllowances, validateMsgRevokeAllowance } from './msgs.ts';

const [granter, grantee] = [testKey('fg-msgs-a').address, testKey('fg-msgs-b').address];
const basic = allowanceToAny({ kind: 'basic', spendLimit: [{ denom: 'uain', amount: 10n }], expiration: undefined });

function codeOf(run: () => unknown): [string, number, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return [error.codespace, error.code, error.message];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('feegrant messages, stateless', () => {
  it('MsgGrantAllowance: valid and different addresses, a known and valid allowance', () => {
    expect(validateMsgGrantAllowance({ granter, grantee, allowance: basic }).kind).toBe('basic');
    expect(codeOf(() => validateMsgGrantAllowance({ granter, grantee: granter, allowance: basic }))).toEqual([
      'sdk',
      7,
      `granter and grantee are both ${granter}; cannot self-grant fee authorization: invalid address`,
    ]);
    expect(codeOf(() => validateMsgGrantAllowance({ granter: 'ain1nope', grantee, allowance: basic }))[1]).toBe(7);
    expect(codeOf(() => validateMsgGrantAllowance({ granter, grantee }))[2]).toMatch(/^allowance is missing/);
    const zero = allowanceToAny({ kind: 'basic', spendLimit: [{ denom: 'uain', amount: 0n }], expiration: undefined });
    expect(codeOf(() => validateMsgGrantAllowance({ granter, grantee, allowance: zero }))).toEqual([
      'sdk',
      10,
      'allowance.spend_limit 0uain is not positive: invalid coins',
    ]);
    const noPeriod = allowanceToAny({
      kind: 'periodic',
      basic: { kind: 'basic', spendLimit: [], expiration: undefined },
      period: 0n,
      periodSpendLimit: [{ denom: 'uain', amount: 1n }],
      periodCanSpend: [],
      periodReset: 0n,
    });
    expect(codeOf(() => validateMsgGrantAllowance({ granter, grantee, allowance: noPeriod })).slice(0, 2)).toEqual(['feegrant', 4]);
    const expiredBefore1970 = allowanceToAny({ kind: 'basic', spendLimit: [], expiration: -NANOS });
    expect(codeOf(() => validateMsgGrantAllowance({ granter, grantee, allowance: expiredBefore1970 })).slice(0, 2)).toEqual([
      'feegrant',
      4,
    ]);
  });

  it('MsgRevokeAllowance and MsgPruneAllowances: valid addresses, a revoke between two', () => {
    expect(() => validateMsgRevokeAllowance({ granter, grantee })).not.toThrow();
    expect(codeOf(() => validateMsgRevokeAllowance({ granter: grantee, grantee }))[2]).toMatch(/addresses must be different/);
    expect(() => validateMsgPruneAllowances({ pruner: granter })).not.toThrow();
    expect(codeOf(() => validateMsgPruneAllowances({ pruner: '' }))[1]).toBe(7);
  });
});
