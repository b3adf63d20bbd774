import { describe, expect, it } from 'vitest';
import { ErrInvalidAddress, ErrUnauthorized, registeredErrors } from '../../core/index.ts';
import { MsgBatch } from '../../proto/gen/ain/state/v1/tx.ts';
import { ErrInvalidApp, ErrInvalidBatch, ErrInvalidRuleConfig, ErrInvalidStatePath, ErrInvalidValue } from './errors.ts';
import { parsePattern } from './keys.ts';
import {
  MAX_BATCH_OPS,
  parseDelta,
  validateMsgBatch,
  validateMsgCreateApp,
  validateMsgSetOwner,
  validateMsgSetRule,
  validateMsgSetValue,
} from './msgs.ts';
import { ALICE, BOB, thrown } from './testUtil.fixture.ts';

describe('validateBasic of state messages', () => {
  it('checks the signer, the path and the value', () => {
    expect(thrown(() => validateMsgSetValue({ signer: 'bob', path: '/apps/a/x', value: '1' })).is(ErrInvalidAddress)).toBe(true);
    expect(thrown(() => validateMsgSetValue({ signer: ALICE, path: '/params/x', value: '1' })).is(ErrUnauthorized)).toBe(true);
    expect(thrown(() => validateMsgSetValue({ signer: ALICE, path: '/apps/a/x', value: '{"a":[]}' })).is(ErrInvalidValue)).toBe(true);
    expect(thrown(() => validateMsgSetValue({ signer: ALICE, path: '/apps/a//x', value: '1' })).codespace).toBe('store');
    validateMsgSetValue({ signer: ALICE, path: 'apps/a/x/', value: '{"a":{"b":"c"}}' });
  });

  it('parses patterns: $vars only as whole labels, not the app, not repeated, none for owners', () => {
    expect(parsePattern('/apps/a/$x/b/$y', true)).toEqual({
      path: '/apps/a/$x/b/$y',
      labels: ['apps', 'a', '$x', 'b', '$y'],
      storageLabels: ['apps', 'a', '$', 'b', '$'],
      vars: ['$x', '$y'],
    });
    for (const bad of ['/apps/$a/x', '/apps/a/$x/$x', '/apps/a/$', '/apps/a/$1', '/apps/a/$x-y']) {
      expect(thrown(() => parsePattern(bad, true)).is(ErrInvalidStatePath)).toBe(true);
    }
    expect(thrown(() => parsePattern('/apps/a/$x', false)).is(ErrInvalidStatePath)).toBe(true);
    expect(thrown(() => parsePattern(`/apps/${'a/'.repeat(28)}b`, true)).message).toContain('at most 29');
  });

  it('checks rule and owner configs', () => {
    const rule = (text: string) => validateMsgSetRule({ signer: ALICE, path: '/apps/a/$user', rule: text });
    rule('{"write":"auth.addr == $user","state":{"max_children":10}}');
    rule('null');
    for (const bad of [
      '{}',
      '[]',
      '{"write":""}',
      '{"read":"true"}',
      '{"state":{"max_kids":1}}',
      '{"state":{"max_children":-1}}',
      '{"pattern":"/apps/b","write":"true"}',
    ]) {
      expect(thrown(() => rule(bad)).is(ErrInvalidRuleConfig)).toBe(true);
    }
    expect(thrown(() => rule('{"write":"$other == auth.addr"}')).codespace).toBe('rules');
    const owner = (owners: unknown) => validateMsgSetOwner({ signer: ALICE, path: '/apps/a', owner: JSON.stringify({ owners }) });
    owner({ '*': { branch_owner: false, write_function: false, write_owner: false, write_rule: true } });
    expect(
      thrown(() => owner({ [BOB]: { branch_owner: false, write_function: false, write_owner: false, write_rule: true, admin: true } }))
        .message,
    ).toContain('unknown permission');
    expect(thrown(() => owner({})).message).toContain('non-empty');
  });

  it('bounds batches and names the failing op', () => {
    const op = { op: { $case: 'setValue' as const, value: { path: '/apps/a/x', value: '1' } } };
    expect(thrown(() => validateMsgBatch(MsgBatch.fromPartial({ signer: ALICE, ops: [] }))).is(ErrInvalidBatch)).toBe(true);
    expect(
      thrown(() => validateMsgBatch({ signer: ALICE, ops: Array.from({ length: MAX_BATCH_OPS + 1 }, () => op) })).is(ErrInvalidBatch),
    ).toBe(true);
    const bad = thrown(() =>
      validateMsgBatch({ signer: ALICE, ops: [op, { op: { $case: 'setValue', value: { path: '/apps/a/x', value: '[]' } } }] }),
    );
    expect(bad.is(ErrInvalidValue)).toBe(true);
    expect(bad.message).toMatch(/^ops\[1\] \(set_value\): value: an array/);
    expect(thrown(() => validateMsgBatch({ signer: ALICE, ops: [{ op: undefined }] })).is(ErrInvalidBatch)).toBe(true);
  });

  it('checks apps and deltas', () => {
    validateMsgCreateApp({ signer: ALICE, name: 'my_app1', admins: [ALICE, BOB], public: false });
    for (const [name, admins] of [
      ['1app', [ALICE]],
      ['a'.repeat(65), [ALICE]],
      ['ok', []],
      ['ok', [ALICE, ALICE]],
    ] as const) {
      expect(thrown(() => validateMsgCreateApp({ signer: ALICE, name, admins: [...admins], public: false })).is(ErrInvalidApp)).toBe(true);
    }
    expect(parseDelta('+7')).toBe(7);
    expect(parseDelta('-0')).toBe(0);
  });

  it('registers codespace state, codes 1-17', () => {
    expect(
      registeredErrors()
        .filter((e) => e.codespace === 'state')
        .map((e) => e.code),
    ).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });
});
