/** The authz messages' stateless checks: addresses, granter = grantee, the grant's expiration, MsgExec's nesting. */
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { MsgExec, MsgGrant, MsgRevoke, validateMsgExec, validateMsgGrant, validateMsgRevoke } from './msgs.ts';

const ALICE = toBech32('ain', new Uint8Array(20).fill(1));
const BOB = toBech32('ain', new Uint8Array(20).fill(2));
const generic = {
  typeUrl: GenericAuthorization.typeUrl,
  value: GenericAuthorization.encode({ msg: '/cosmos.bank.v1beta1.MsgSend' }).finish(),
};

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code}`;
    throw error;
  }
  return 'ok';
};

/** A MsgExec wrapping `levels - 1` more MsgExecs around one bank message. */
function nested(levels: number): MsgExec {
  let msg = MsgExec.fromPartial({ grantee: BOB, msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array() }] });
  for (let i = 1; i < levels; i++)
    msg = MsgExec.fromPartial({ grantee: BOB, msgs: [{ typeUrl: MsgExec.typeUrl, value: MsgExec.encode(msg).finish() }] });
  return msg;
}

describe('authz messages', () => {
  it('MsgGrant needs two different addresses, an authorization and an expiration in range', () => {
    expect(codeOf(() => validateMsgGrant(MsgGrant.fromPartial({ granter: ALICE, grantee: BOB, grant: { authorization: generic } })))).toBe(
      'ok',
    );
    expect(
      codeOf(() => validateMsgGrant(MsgGrant.fromPartial({ granter: ALICE, grantee: ALICE, grant: { authorization: generic } }))),
    ).toBe('authz/7');
    expect(codeOf(() => validateMsgGrant(MsgGrant.fromPartial({ granter: 'x', grantee: BOB, grant: { authorization: generic } })))).toBe(
      'sdk/7',
    );
    expect(codeOf(() => validateMsgGrant(MsgGrant.fromPartial({ granter: ALICE, grantee: BOB })))).toBe('sdk/18');
    expect(codeOf(() => validateMsgGrant(MsgGrant.fromPartial({ granter: ALICE, grantee: BOB, grant: {} })))).toBe('sdk/18');
    const far = { seconds: 10n ** 12n, nanos: 0 };
    expect(
      codeOf(() =>
        validateMsgGrant(MsgGrant.fromPartial({ granter: ALICE, grantee: BOB, grant: { authorization: generic, expiration: far } })),
      ),
    ).toBe('sdk/18');
  });

  it('MsgExec needs a grantee and messages, nested at most the given depth', () => {
    expect(codeOf(() => validateMsgExec(nested(5), 5))).toBe('ok');
    expect(codeOf(() => validateMsgExec(nested(6), 5))).toBe('authz/100');
    expect(codeOf(() => validateMsgExec(MsgExec.fromPartial({ grantee: BOB, msgs: [] }), 5))).toBe('sdk/18');
    expect(codeOf(() => validateMsgExec(MsgExec.fromPartial({ grantee: '', msgs: nested(1).msgs }), 5))).toBe('sdk/7');
  });

  it('MsgRevoke needs two different addresses and a type URL', () => {
    expect(codeOf(() => validateMsgRevoke(MsgRevoke.fromPartial({ granter: ALICE, grantee: BOB, msgTypeUrl: '/x.MsgY' })))).toBe('ok');
    expect(codeOf(() => validateMsgRevoke(MsgRevoke.fromPartial({ granter: ALICE, grantee: BOB, msgTypeUrl: '' })))).toBe('sdk/18');
    expect(codeOf(() => validateMsgRevoke(MsgRevoke.fromPartial({ granter: BOB, grantee: BOB, msgTypeUrl: '/x.MsgY' })))).toBe('authz/7');
  });
});
