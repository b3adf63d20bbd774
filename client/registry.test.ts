import { decodeTxRaw } from '@cosmjs/proto-signing';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { describe, expect, it } from 'vitest';
import * as tx from '../proto/gen/ain/state/v1/tx.ts';
import { stateMsg } from './messages.ts';
import { ainRegistry, ainStateTypes, STATE_TYPE_URLS } from './registry.ts';

const SIGNER = 'ain1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu';

/** One filled-in example of every state message, keyed by type URL. */
const EXAMPLES: Record<string, unknown> = {
  [STATE_TYPE_URLS.setValue]: stateMsg.setValue(SIGNER, '/apps/a/x', '{"n":1}').value,
  [STATE_TYPE_URLS.incValue]: stateMsg.incValue(SIGNER, '/apps/a/n', '25').value,
  [STATE_TYPE_URLS.decValue]: stateMsg.decValue(SIGNER, '/apps/a/n', 1n).value,
  [STATE_TYPE_URLS.deleteValue]: stateMsg.deleteValue(SIGNER, '/apps/a/x').value,
  [STATE_TYPE_URLS.setRule]: stateMsg.setRule(SIGNER, '/apps/a/$user', '{"write":"auth.addr == $user"}').value,
  [STATE_TYPE_URLS.setOwner]: stateMsg.setOwner(SIGNER, '/apps/a', `{"owners":{"${SIGNER}":{"write_rule":true}}}`).value,
  [STATE_TYPE_URLS.setFunction]: stateMsg.setFunction(SIGNER, '/apps/a/f', '{"function_id":"f1"}').value,
  [STATE_TYPE_URLS.batch]: stateMsg.batch(SIGNER, [
    { type: 'setValue', path: '/apps/a/x', value: 'hi' },
    { type: 'incValue', path: '/apps/a/n', delta: 1 },
    { type: 'decValue', path: '/apps/a/n', delta: '-2' },
    { type: 'deleteValue', path: '/apps/a/old' },
    { type: 'setRule', path: '/apps/a', rule: { write: 'true' } },
    {
      type: 'setOwner',
      path: '/apps/a',
      owner: { owners: { '*': { branch_owner: false, write_function: false, write_owner: false, write_rule: false } } },
    },
    { type: 'setFunction', path: '/apps/a/f', function: { function_type: 'OFFCHAIN', function_id: 'f1' } },
  ]).value,
  [STATE_TYPE_URLS.createApp]: stateMsg.createApp(SIGNER, 'chat', [SIGNER], true).value,
};

describe('ainRegistry', () => {
  it('lists every Msg of ain.state.v1 (and no response) exactly once', () => {
    const generated = Object.entries(tx)
      .filter(
        ([name, value]) =>
          /^Msg[A-Z]\w*$/.test(name) && !name.endsWith('Response') && typeof value === 'object' && value !== null && '$type' in value,
      )
      .map(([, value]) => `/${(value as { $type: string }).$type}`)
      .sort();
    expect(ainStateTypes.map(([url]) => url).sort()).toEqual(generated);
    expect(Object.values(STATE_TYPE_URLS).sort()).toEqual(generated);
    expect(Object.keys(EXAMPLES).sort()).toEqual(generated);
  });

  it('round-trips every state message through encode/decode and a signed TxRaw', () => {
    const registry = ainRegistry();
    for (const [typeUrl, value] of Object.entries(EXAMPLES)) {
      const bytes = registry.encode({ typeUrl, value });
      expect(registry.decode({ typeUrl, value: bytes }), typeUrl).toEqual(value);
    }
    const bodyBytes = registry.encodeTxBody({
      messages: Object.entries(EXAMPLES).map(([typeUrl, value]) => ({ typeUrl, value })),
      memo: 'all',
    });
    const decoded = decodeTxRaw(TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes: new Uint8Array(), signatures: [] })).finish());
    expect(decoded.body.messages.map((any) => registry.decode(any))).toEqual(Object.values(EXAMPLES));
    expect(TxBody.decode(bodyBytes).memo).toBe('all');
  });

  it('keeps the default Cosmos types', () => {
    const registry = ainRegistry();
    for (const url of ['/cosmos.bank.v1beta1.MsgSend', '/cosmos.staking.v1beta1.MsgDelegate', '/cosmos.gov.v1beta1.MsgVote']) {
      expect(registry.lookupType(url), url).toBeDefined();
    }
  });

  it('gives a fresh registry each time', () => {
    expect(ainRegistry()).not.toBe(ainRegistry());
  });
});
