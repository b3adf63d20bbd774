import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { afterEach, describe, expect, it } from 'vitest';
import { toValoper } from '../../../modules/staking/index.ts';
import { parseConsensusPubkey } from '../../common/index.ts';
import { posTxMessages } from './handler.ts';
import { codeOf } from '../../../test/helpers/errorCode.ts';

const signer = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';
const valoper = toValoper(signer);
const key = Buffer.alloc(32, 9).toString('base64');
let home: string | undefined;
afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

describe('posTxMessages', () => {
  it('builds the standard messages, decimals as LegacyDec atomics', () => {
    const [create] = posTxMessages(
      'create-validator',
      [],
      signer,
      { amount: '5000000uain', pubkey: key, moniker: 'n', commissionRate: '0.07' },
      '/nowhere',
    );
    expect(create!.typeUrl).toBe('/cosmos.staking.v1beta1.MsgCreateValidator');
    expect(create!.value).toMatchObject({
      validatorAddress: valoper,
      delegatorAddress: '',
      commission: { rate: '70000000000000000', maxRate: '200000000000000000', maxChangeRate: '10000000000000000' },
      minSelfDelegation: '1',
      value: { denom: 'uain', amount: '5000000' },
      description: { moniker: 'n' },
    });
    expect(Buffer.from(PubKey.decode(create!.value.pubkey.value).key).toString('base64')).toBe(key);

    const [edit] = posTxMessages('edit-validator', [], signer, { commissionRate: '0.08' }, '/nowhere');
    expect(edit!.value).toMatchObject({
      validatorAddress: valoper,
      commissionRate: '80000000000000000',
      minSelfDelegation: '',
      description: { moniker: '[do-not-modify]' },
    });

    expect(posTxMessages('delegate', [valoper, '10uain'], signer, {}, '/nowhere')).toEqual([
      {
        typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
        value: { delegatorAddress: signer, validatorAddress: valoper, amount: { denom: 'uain', amount: '10' } },
      },
    ]);
    expect(posTxMessages('unbond', [valoper, '10uain'], signer, {}, '/nowhere')[0]!.typeUrl).toBe('/cosmos.staking.v1beta1.MsgUndelegate');
    expect(posTxMessages('redelegate', [valoper, valoper, '10uain'], signer, {}, '/nowhere')[0]!.typeUrl).toBe(
      '/cosmos.staking.v1beta1.MsgBeginRedelegate',
    );
    expect(posTxMessages('withdraw-rewards', [valoper], signer, { commission: true }, '/nowhere').map((m) => m.typeUrl)).toEqual([
      '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
      '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
    ]);
    expect(posTxMessages('unjail', [], signer, {}, '/nowhere')).toEqual([
      { typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail', value: { validatorAddr: valoper } },
    ]);
  });

  it('refuses bad arguments before contacting the node', () => {
    expect(codeOf(() => posTxMessages('delegate', [signer, '10uain'], signer, {}, '/nowhere'))).toBe('sdk/7');
    expect(codeOf(() => posTxMessages('delegate', [valoper, '10'], signer, {}, '/nowhere'))).toBe('sdk/10');
    expect(codeOf(() => posTxMessages('delegate', [valoper, '1uain,2foo'], signer, {}, '/nowhere'))).toBe('sdk/18');
    expect(codeOf(() => posTxMessages('create-validator', [], signer, { amount: '1uain', pubkey: 'AAAA' }, '/nowhere'))).toBe('sdk/8');
    expect(
      codeOf(() => posTxMessages('create-validator', [], signer, { amount: '1uain', pubkey: key, commissionRate: 'ten' }, '/nowhere')),
    ).toBe('sdk/18');
    home = mkdtempSync(join(tmpdir(), 'aind-pos-tx-'));
    expect(codeOf(() => posTxMessages('create-validator', [], signer, { amount: '1uain' }, home!))).toBe('sdk/18');
    const other = toValoper('ain1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnwxcs6');
    expect(codeOf(() => posTxMessages('withdraw-rewards', [other], signer, { commission: true }, '/nowhere'))).toBe('sdk/18');
    expect(parseConsensusPubkey(JSON.stringify({ '@type': '/cosmos.crypto.ed25519.PubKey', key }))).toEqual(Buffer.from(key, 'base64'));
  });
});
