import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey } from '../../../home/index.ts';
import { parseAdmins, STATE_TX_COMMANDS, stateTxMessage } from './handler.ts';

const ME = toBech32('ain', new Uint8Array(20).fill(1));
/** ME with its last character changed: a bad checksum. */
const BAD = `${ME.slice(0, -1)}${ME.endsWith('q') ? 'p' : 'q'}`;
let home: string;
let alice: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-state-cli-'));
  alice = (await addKey(home, 'alice')).key.address;
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('stateTxMessage', () => {
  it('builds the message of every tx state command from its arguments', () => {
    const built = Object.fromEntries(
      STATE_TX_COMMANDS.map((command) => {
        const args = {
          'set-value': ['/apps/a/x', ' {"text": "hi"} '],
          'inc-value': ['/apps/a/n', '25'],
          'dec-value': ['/apps/a/n', '1'],
          'delete-value': ['/apps/a/x'],
          'set-rule': ['/apps/a/posts/$user', '{"write":"auth.addr == $user"}'],
          'set-owner': ['/apps/a', `{"owners":{"${ME}":{"write_owner":true}}}`],
          'set-function': ['/apps/a/f', '{"function_id":"f"}'],
          'create-app': ['chat'],
        }[command];
        return [command, stateTxMessage(command, args, ME, { admins: [ME, alice], public: true })];
      }),
    );
    expect(built).toEqual({
      'set-value': { typeUrl: '/ain.state.v1.MsgSetValue', value: { signer: ME, path: '/apps/a/x', value: '{"text": "hi"}' } },
      'inc-value': { typeUrl: '/ain.state.v1.MsgIncValue', value: { signer: ME, path: '/apps/a/n', delta: '25' } },
      'dec-value': { typeUrl: '/ain.state.v1.MsgDecValue', value: { signer: ME, path: '/apps/a/n', delta: '1' } },
      'delete-value': { typeUrl: '/ain.state.v1.MsgDeleteValue', value: { signer: ME, path: '/apps/a/x' } },
      'set-rule': {
        typeUrl: '/ain.state.v1.MsgSetRule',
        value: { signer: ME, path: '/apps/a/posts/$user', rule: '{"write":"auth.addr == $user"}' },
      },
      'set-owner': {
        typeUrl: '/ain.state.v1.MsgSetOwner',
        value: { signer: ME, path: '/apps/a', owner: `{"owners":{"${ME}":{"write_owner":true}}}` },
      },
      'set-function': {
        typeUrl: '/ain.state.v1.MsgSetFunction',
        value: { signer: ME, path: '/apps/a/f', function: '{"function_id":"f"}' },
      },
      'create-app': { typeUrl: '/ain.state.v1.MsgCreateApp', value: { signer: ME, name: 'chat', admins: [ME, alice], public: true } },
    });
  });

  it('makes the signer the only admin of an app by default', () => {
    expect(stateTxMessage('create-app', ['chat'], ME).value).toEqual({ signer: ME, name: 'chat', admins: [ME], public: false });
  });

  it('refuses invalid JSON and empty arguments before anything is sent', () => {
    expect(() => stateTxMessage('set-value', ['/apps/a/x', 'hello'], ME)).toThrow(/VALUE is not valid JSON/);
    expect(() => stateTxMessage('set-rule', ['/apps/a/x', '{write: true}'], ME)).toThrow(/RULE is not valid JSON/);
    expect(() => stateTxMessage('inc-value', ['/apps/a/x', ' '], ME)).toThrow(/DELTA is empty/);
    expect(() => stateTxMessage('delete-value', [''], ME)).toThrow(/PATH is empty/);
  });
});

describe('addresses and admins', () => {
  it('parses --admins as a comma list, deduplicated, defaulting to the signer', () => {
    expect(parseAdmins(home, undefined, ME)).toEqual([ME]);
    expect(parseAdmins(home, `alice, ${ME},alice`, ME)).toEqual([alice, ME]);
    expect(() => parseAdmins(home, ' , ', ME)).toThrow(/--admins is empty/);
    expect(() => parseAdmins(home, `alice,${BAD}`, ME)).toThrow(/--admins entry .*not valid bech32/);
  });
});
