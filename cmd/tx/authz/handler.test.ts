/** The authz tx commands' messages: each grant kind's authorization, exec files, revoke; bad arguments refused before the node is contacted. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthorizationType, StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import { afterEach, describe, expect, it } from 'vitest';
import { toValoper } from '../../../modules/staking/index.ts';
import { codeOf } from '../../../test/helpers/errorCode.ts';
import { authzTxMessages, execFileMessages } from './handler.ts';

const signer = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';
const grantee = 'ain1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnwxcs6';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('authzTxMessages', () => {
  it('builds grants of each kind, exec from a message list or a tx JSON, and revoke', () => {
    const [send] = authzTxMessages('grant', [grantee, 'send'], signer, {
      spendLimit: '100uain',
      allowList: grantee,
      expiration: '2000000000',
    });
    expect(send!.value).toMatchObject({ granter: signer, grantee, grant: { expiration: { seconds: 2_000_000_000n, nanos: 0 } } });
    expect(SendAuthorization.decode(send!.value.grant.authorization.value)).toEqual({
      spendLimit: [{ denom: 'uain', amount: '100' }],
      allowList: [grantee],
    });
    const [stake] = authzTxMessages('grant', [grantee, 'delegate'], signer, { maxTokens: '5uain', allowedValidators: toValoper(signer) });
    expect(StakeAuthorization.decode(stake!.value.grant.authorization.value)).toMatchObject({
      maxTokens: { denom: 'uain', amount: '5' },
      allowList: { address: [toValoper(signer)] },
      authorizationType: AuthorizationType.AUTHORIZATION_TYPE_DELEGATE,
    });
    dir = mkdtempSync(join(tmpdir(), 'aind-authz-'));
    const message = {
      '@type': '/cosmos.bank.v1beta1.MsgSend',
      from_address: grantee,
      to_address: signer,
      amount: [{ denom: 'uain', amount: '3' }],
    };
    writeFileSync(join(dir, 'msgs.json'), JSON.stringify([message]));
    const [exec] = authzTxMessages('exec', [join(dir, 'msgs.json')], signer, {});
    expect(exec!.value.grantee).toBe(signer);
    expect(MsgSend.decode(exec!.value.msgs[0].value)).toMatchObject({ fromAddress: grantee, toAddress: signer });
    expect(execFileMessages(JSON.stringify({ body: { messages: [message] } }), 'tx.json')).toEqual(exec!.value.msgs);
    expect(authzTxMessages('revoke', [grantee, '/cosmos.bank.v1beta1.MsgSend'], signer, {})[0]!.value).toEqual({
      granter: signer,
      grantee,
      msgTypeUrl: '/cosmos.bank.v1beta1.MsgSend',
    });
  });

  it('refuses bad arguments before contacting the node', () => {
    expect(codeOf(() => authzTxMessages('grant', ['nope', 'send'], signer, { spendLimit: '1uain' }))).toBe('sdk/7');
    expect(codeOf(() => authzTxMessages('grant', [grantee, 'send'], signer, {}))).toBe('sdk/18');
    expect(codeOf(() => authzTxMessages('grant', [grantee, 'generic'], signer, {}))).toBe('sdk/18');
    expect(codeOf(() => authzTxMessages('grant', [grantee, 'fly'], signer, {}))).toBe('sdk/18');
    expect(codeOf(() => authzTxMessages('grant', [grantee, 'send'], signer, { spendLimit: '1uain', expiration: 'soon' }))).toBe('sdk/18');
    expect(codeOf(() => execFileMessages('[]', 'x.json'))).toBe('sdk/18');
    expect(codeOf(() => execFileMessages('[{"@type": "/no.Such"}]', 'x.json'))).toBe('sdk/18');
    expect(codeOf(() => authzTxMessages('revoke', [grantee, 'MsgSend'], signer, {}))).toBe('sdk/18');
  });
});
