import { describe, expect, it } from 'vitest';
import { batchOp, deltaText, parseJsonText, stateMsg, toJsonText } from './messages.ts';
import { codeOf } from '../test/helpers/errorCode.ts';

describe('toJsonText', () => {
  it('writes JSON values as JSON text', () => {
    expect(toJsonText({ title: 'hi', n: 1.5, ok: true, tags: ['a'], none: null })).toBe(
      '{"title":"hi","n":1.5,"ok":true,"tags":["a"],"none":null}',
    );
    expect(toJsonText('hi')).toBe('"hi"');
    expect(toJsonText(Object.assign(Object.create(null) as object, { a: 1 }))).toBe('{"a":1}');
  });

  it('refuses what JSON would change or drop, naming where', () => {
    expect(() => toJsonText({ a: { b: Number.NaN } })).toThrow(/value\.a\.b is NaN/);
    expect(() => toJsonText({ a: undefined })).toThrow(/value\.a is undefined/);
    expect(() => toJsonText([1, () => 1])).toThrow(/value\[1\] is function/);
    expect(() => toJsonText(5n)).toThrow(/bigint/);
    expect(() => toJsonText(new Date(0))).toThrow(/Date/);
    expect(() => toJsonText(new Map())).toThrow(/Map/);
    expect(codeOf(() => toJsonText(Infinity, 'rule'))).toBe('sdk/18');
  });
});

describe('parseJsonText and deltaText', () => {
  it('keeps valid JSON text as typed and refuses invalid text', () => {
    expect(parseJsonText(' {"write": "true"} ', 'RULE')).toBe('{"write": "true"}');
    expect(parseJsonText('12345678901234567890', 'VALUE')).toBe('12345678901234567890');
    expect(() => parseJsonText('{bad', 'RULE')).toThrow(/RULE is not valid JSON/);
    expect(() => parseJsonText('hello', 'VALUE')).toThrow(/VALUE is not valid JSON/);
  });

  it('writes deltas as decimal text', () => {
    expect(deltaText(5n)).toBe('5');
    expect(deltaText(-3)).toBe('-3');
    expect(deltaText(' 7 ')).toBe('7');
    expect(() => deltaText(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => deltaText('')).toThrow(/empty/);
  });
});

describe('message builders', () => {
  it('build MsgSetValue and MsgCreateApp with their type URLs', () => {
    expect(stateMsg.setValue('ain1x', '/apps/a/x', '1')).toEqual({
      typeUrl: '/ain.state.v1.MsgSetValue',
      value: { signer: 'ain1x', path: '/apps/a/x', value: '1' },
    });
    expect(stateMsg.createApp('ain1x', 'chat', ['ain1x', 'ain1y'], false)).toEqual({
      typeUrl: '/ain.state.v1.MsgCreateApp',
      value: { signer: 'ain1x', name: 'chat', admins: ['ain1x', 'ain1y'], public: false },
    });
  });

  it('maps every batch op to its oneof case', () => {
    expect(batchOp({ type: 'setValue', path: '/p', value: { a: 1 } })).toEqual({
      op: { $case: 'setValue', value: { path: '/p', value: '{"a":1}' } },
    });
    expect(batchOp({ type: 'incValue', path: '/p', delta: 1 })).toEqual({ op: { $case: 'incValue', value: { path: '/p', delta: '1' } } });
    expect(batchOp({ type: 'decValue', path: '/p', delta: '2' })).toEqual({ op: { $case: 'decValue', value: { path: '/p', delta: '2' } } });
    expect(batchOp({ type: 'deleteValue', path: '/p' })).toEqual({ op: { $case: 'deleteValue', value: { path: '/p' } } });
    expect(batchOp({ type: 'setRule', path: '/p', rule: { write: 'true' } })).toEqual({
      op: { $case: 'setRule', value: { path: '/p', rule: '{"write":"true"}' } },
    });
    const all = { branch_owner: true, write_function: true, write_owner: true, write_rule: true };
    expect(batchOp({ type: 'setOwner', path: '/p', owner: { owners: { '*': all } } })).toEqual({
      op: { $case: 'setOwner', value: { path: '/p', owner: `{"owners":{"*":${JSON.stringify(all)}}}` } },
    });
    expect(batchOp({ type: 'setFunction', path: '/p', function: { function_type: 'NATIVE', function_id: 'f' } })).toEqual({
      op: { $case: 'setFunction', value: { path: '/p', function: '{"function_type":"NATIVE","function_id":"f"}' } },
    });
    expect(batchOp({ type: 'setRule', path: '/p', rule: null })).toEqual({ op: { $case: 'setRule', value: { path: '/p', rule: 'null' } } });
    expect(() => batchOp({ type: 'nope', path: '/p' } as never)).toThrow(/unknown batch op type "nope"/);
  });
});
