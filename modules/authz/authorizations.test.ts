/** Each authorization's stateless checks and `acceptMsg`: what it allows, what is left, what it refuses. */
import { AuthorizationType, StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { AinError, GasMeter } from '../../core/index.ts';
import {
  type AuthorizationJson,
  acceptMsg,
  authorizationFromAny,
  authorizationToAny,
  checkAuthorization,
  msgTypeUrlOf,
} from './authorizations.ts';

const ALICE = toBech32('ain', new Uint8Array(20).fill(1));
const BOB = toBech32('ain', new Uint8Array(20).fill(2));
const coins = (amount: string) => [{ denom: 'uain', amount }];

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code}`;
    throw error;
  }
  return 'ok';
};

const send = (limit: string, allow: string[] = []): AuthorizationJson =>
  checkAuthorization({ '@type': '/cosmos.bank.v1beta1.SendAuthorization', spend_limit: coins(limit), allow_list: allow }, 'a');
const stake = (fields: Record<string, unknown>): AuthorizationJson =>
  checkAuthorization(
    {
      '@type': '/cosmos.staking.v1beta1.StakeAuthorization',
      max_tokens: null,
      authorization_type: 'AUTHORIZATION_TYPE_DELEGATE',
      ...fields,
    },
    'a',
  );

describe('authorizations', () => {
  it('SendAuthorization: spends down its limit, is deleted at zero, refuses more and other recipients', () => {
    const gas = new GasMeter(0);
    expect(acceptMsg(gas, send('100'), '/cosmos.bank.v1beta1.MsgSend', { toAddress: BOB, amount: coins('40') })).toEqual({
      delete: false,
      updated: send('60'),
    });
    expect(acceptMsg(gas, send('100'), '/cosmos.bank.v1beta1.MsgSend', { toAddress: BOB, amount: coins('100') })).toEqual({
      delete: true,
      updated: undefined,
    });
    expect(codeOf(() => acceptMsg(gas, send('100'), '', { toAddress: BOB, amount: coins('101') }))).toBe('sdk/5');
    expect(codeOf(() => acceptMsg(gas, send('100'), '', { toAddress: BOB, amount: [{ denom: 'other', amount: '1' }] }))).toBe('sdk/5');
    // The allow list holds for the spend that uses the limit up too.
    expect(codeOf(() => acceptMsg(gas, send('100', [ALICE]), '', { toAddress: BOB, amount: coins('100') }))).toBe('sdk/4');
    const metered = new GasMeter(0);
    acceptMsg(metered, send('100', [ALICE, BOB]), '', { toAddress: BOB, amount: coins('1') });
    expect(metered.consumed).toBe(20);
  });

  it('SendAuthorization: refuses an empty or zero limit and duplicate or invalid allow list entries', () => {
    expect(codeOf(() => send('0'))).toBe('sdk/10');
    expect(codeOf(() => checkAuthorization({ '@type': '/cosmos.bank.v1beta1.SendAuthorization', spend_limit: [] }, 'a'))).toBe('sdk/10');
    expect(codeOf(() => send('1', [ALICE, ALICE]))).toBe('sdk/18');
    expect(codeOf(() => send('1', ['nope']))).toBe('sdk/7');
  });

  it('StakeAuthorization: max tokens, allow and deny lists, its one message type', () => {
    const gas = new GasMeter(0);
    const valoper = toBech32('ainvaloper', new Uint8Array(20).fill(3));
    const capped = stake({ max_tokens: { denom: 'uain', amount: '50' }, allow_list: { address: [valoper] } });
    expect(msgTypeUrlOf(capped)).toBe('/cosmos.staking.v1beta1.MsgDelegate');
    const delegate = (amount: string, validator = valoper) => ({ validatorAddress: validator, amount: { denom: 'uain', amount } });
    expect(acceptMsg(gas, capped, '/cosmos.staking.v1beta1.MsgDelegate', delegate('20')).updated).toMatchObject({
      max_tokens: { denom: 'uain', amount: '30' },
    });
    expect(acceptMsg(gas, capped, '/cosmos.staking.v1beta1.MsgDelegate', delegate('50')).delete).toBe(true);
    expect(codeOf(() => acceptMsg(gas, capped, '/cosmos.staking.v1beta1.MsgDelegate', delegate('51')))).toBe('sdk/5');
    expect(
      codeOf(() =>
        acceptMsg(gas, capped, '/cosmos.staking.v1beta1.MsgDelegate', delegate('1', toBech32('ainvaloper', new Uint8Array(20).fill(4)))),
      ),
    ).toBe('sdk/4');
    expect(codeOf(() => acceptMsg(gas, capped, '/cosmos.staking.v1beta1.MsgUndelegate', delegate('1')))).toBe('sdk/18');
    const denying = stake({ deny_list: { address: [valoper] } });
    expect(codeOf(() => acceptMsg(gas, denying, '/cosmos.staking.v1beta1.MsgDelegate', delegate('1')))).toBe('sdk/4');
    expect(acceptMsg(gas, stake({}), '/cosmos.staking.v1beta1.MsgDelegate', delegate('1'))).toEqual({ delete: false, updated: undefined });
    expect(codeOf(() => stake({ authorization_type: 'AUTHORIZATION_TYPE_UNSPECIFIED' }))).toBe('authz/4');
    expect(codeOf(() => stake({ max_tokens: { denom: 'uain', amount: '0' } }))).toBe('authz/12');
    expect(codeOf(() => stake({ allow_list: { address: [valoper] }, deny_list: { address: [valoper] } }))).toBe('sdk/18');
  });

  it('GenericAuthorization accepts any message of its type and stays', () => {
    const generic = checkAuthorization({ '@type': '/cosmos.authz.v1beta1.GenericAuthorization', msg: '/ain.state.v1.MsgSetValue' }, 'a');
    expect(msgTypeUrlOf(generic)).toBe('/ain.state.v1.MsgSetValue');
    expect(acceptMsg(new GasMeter(0), generic, '/ain.state.v1.MsgSetValue', {})).toEqual({ delete: false, updated: undefined });
    expect(codeOf(() => checkAuthorization({ '@type': '/cosmos.authz.v1beta1.GenericAuthorization', msg: '' }, 'a'))).toBe('sdk/18');
  });

  it('round-trips through the protobuf Any and refuses unknown types', () => {
    const original = stake({ max_tokens: { denom: 'uain', amount: '5' }, authorization_type: 'AUTHORIZATION_TYPE_REDELEGATE' });
    const any = authorizationToAny(original);
    expect(StakeAuthorization.decode(any.value).authorizationType).toBe(AuthorizationType.AUTHORIZATION_TYPE_REDELEGATE);
    expect(authorizationFromAny(any, 'a')).toEqual(original);
    for (const json of [
      send('7', [BOB]),
      checkAuthorization({ '@type': '/cosmos.authz.v1beta1.GenericAuthorization', msg: '/x.Msg' }, 'a'),
    ])
      expect(authorizationFromAny(authorizationToAny(json), 'a')).toEqual(json);
    expect(codeOf(() => authorizationFromAny({ typeUrl: '/cosmos.feegrant.v1beta1.BasicAllowance', value: new Uint8Array() }, 'a'))).toBe(
      'authz/4',
    );
  });
});
