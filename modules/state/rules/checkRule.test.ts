import { describe, expect, it } from 'vitest';
import { AinError } from '../../../core/index.ts';
import { checkRule } from './checkRule.ts';
import { compileRule } from './compileRule.ts';
import { ErrRuleType } from './errors.ts';
import { parseRule } from './parseRule.ts';

function refusal(source: string, vars?: readonly string[]): AinError {
  try {
    checkRule(parseRule(source), vars === undefined ? {} : { vars });
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('checkRule accepts', () => {
  it.each([
    'true',
    'false',
    'auth.addr == $user',
    "auth.addr === $user || isAppAdmin('blog', auth.addr)",
    'auth.fid == null || auth.fid == "_transfer"',
    "auth['addr'] == $user",
    'exists(data) && data.owner == auth.addr',
    '!exists(data)',
    'isString(newData) && length(newData) <= 280',
    'isNumber(newData) && newData >= 0 && newData <= data + 10',
    'newData == data + 1',
    "newData.title + ' by ' + $user == 'x'",
    "'abc' < 'abd'",
    'height > 100 && time % 1000 == 0',
    "path[0] == 'apps' && length(path) == 4",
    "getValue(concatPath('/apps/blog/users', $user, 'banned')) != true",
    "getValue('/x') == true",
    'keys(newData) == keys(data)',
    "includes(keys(newData), 'title') && includes('abc', 'b')",
    "startsWith(auth.addr, 'ain1') && endsWith($user, 'x')",
    "toString(newData) == '1'",
    'isAddress(newData.to) && isBoolean(newData.flag) && isObject(data)',
    "isOwner('/apps/blog', auth.addr)",
    "getRule('/a') == null && getOwner('/a') == null && getFunction('/a') == null",
    "exists(auth.fid) ? auth.fid == 'f' : auth.addr == $user",
    '(exists(data) ? data.n : 0) < 5',
    "data['constructor'] == null",
    "'x'.constructor == null",
    '-newData < 0',
    "newData[0] == 1 && newData['k'] == 2 && newData[$user] == 3",
    "concatPath('/a', 1, $x) == '/a/1/y'",
  ])('%s', (source) => {
    expect(() => compileRule(source)).not.toThrow();
  });

  it('accepts variables bound by the path pattern, with or without $', () => {
    expect(() => compileRule('auth.addr == $user', { vars: ['$user'] })).not.toThrow();
    expect(() => compileRule('auth.addr == $user', { vars: ['user'] })).not.toThrow();
  });
});

describe('checkRule refuses, naming the position', () => {
  it.each([
    ['process', "unknown identifier 'process'; the identifiers are auth, data, newData, height, time, path and $variables at 1:1"],
    [
      'true && globalThis',
      "unknown identifier 'globalThis'; the identifiers are auth, data, newData, height, time, path and $variables at 1:9",
    ],
    [
      'constructor == null',
      "unknown identifier 'constructor'; the identifiers are auth, data, newData, height, time, path and $variables at 1:1",
    ],
    [
      'undefined == null',
      "unknown identifier 'undefined'; the identifiers are auth, data, newData, height, time, path and $variables at 1:1",
    ],
    [
      'now() > 0',
      "unknown function 'now'; the library has concatPath, endsWith, exists, getChildValue, getFunction, getOwner, getRule, getValue, includes, isAddress, isAppAdmin, isBoolean, isNumber, isObject, isOwner, isString, keys, length, startsWith, toString at 1:1",
    ],
    ['getValue() == 1', 'getValue takes 1 argument but is given 0 at 1:1'],
    ["isOwner('/a') ", 'isOwner takes 2 arguments but is given 1 at 1:1'],
    ['exists(data, 1)', 'exists takes 1 argument but is given 2 at 1:1'],
    ['concatPath() == "/"', 'concatPath takes at least 1 argument but is given 0 at 1:1'],
    ['getValue(1) == 1', 'argument 1 of getValue must be string but is number at 1:10'],
    ['length(1) == 1', 'argument 1 of length must be string or array or object but is number at 1:8'],
    ["keys('a') == null", 'argument 1 of keys must be object but is string at 1:6'],
    ['concatPath("/a", true) == "x"', 'argument 2 of concatPath must be number or string but is boolean at 1:18'],
    ["!'x'", "the operand of '!' must be boolean but is string at 1:2"],
    ['!1', "the operand of '!' must be boolean but is number at 1:2"],
    ["-'x' == 1", "the operand of '-' must be number but is string at 1:2"],
    ['1 && true', "the left operand of '&&' must be boolean but is number at 1:1"],
    ["true || 'x'", "the right operand of '||' must be boolean but is string at 1:9"],
    ['1 ? true : false', 'the test of a conditional must be boolean but is number at 1:1'],
    ['auth.addr == 1', "'==' compares string with number, which never match at 1:11"],
    ['auth.addr != null', "'!=' compares string with null, which never match at 1:11"],
    ["1 == '1'", "'==' compares number with string, which never match at 1:3"],
    ["1 + 'a' == 'x'", "'+' needs two numbers or two strings but has number and string at 1:3"],
    ["1 < 'a'", "'<' needs two numbers or two strings but has number and string at 1:3"],
    ['true < false', "the left operand of '<' must be number or string but is boolean at 1:1"],
    ["'a' * 2 == 1", "the left operand of '*' must be number but is string at 1:1"],
    ['height - true == 1', "the right operand of '-' must be number but is boolean at 1:10"],
    ['auth.constructor == null', "auth has no field 'constructor'; it has addr and fid at 1:1"],
    ["auth['__proto__'] == null", "auth has no field '__proto__'; it has addr and fid at 1:1"],
    ['null.x == 1', 'cannot read a member of null at 1:1'],
    ['data[true] == 1', 'a key must be number or string but is boolean at 1:6'],
    ['data[null] == 1', 'a key must be number or string but is null at 1:6'],
    ['data', "a rule must produce a boolean, but this produces any value; compare it, e.g. '... == true' at 1:1"],
    ["getValue('/x')", "a rule must produce a boolean, but this produces any value; compare it, e.g. '... == true' at 1:1"],
    ['1', "a rule must produce a boolean, but this produces number; compare it, e.g. '... == true' at 1:1"],
    ["'true'", "a rule must produce a boolean, but this produces string; compare it, e.g. '... == true' at 1:1"],
    ['null', "a rule must produce a boolean, but this produces null; compare it, e.g. '... == true' at 1:1"],
    ['true ? true : 1', "a rule must produce a boolean, but this produces boolean or number; compare it, e.g. '... == true' at 1:1"],
    ['auth', "a rule must produce a boolean, but this produces object; compare it, e.g. '... == true' at 1:1"],
  ])('%s', (source, message) => {
    const error = refusal(source);
    expect(error.is(ErrRuleType)).toBe(true);
    expect(error.message).toBe(`${message}: rule type error`);
  });

  it('refuses a variable the path pattern does not bind', () => {
    const error = refusal('auth.addr == $usr', ['$user']);
    expect(error.message).toBe("unbound variable $usr: the rule's path has no $usr at 1:14: rule type error");
    expect(error.meta).toMatchObject({ line: 1, column: 14, variable: 'usr' });
  });

  it('puts the position in the metadata', () => {
    expect(refusal('true &&\n  process').meta).toMatchObject({ line: 2, column: 3, identifier: 'process' });
  });
});
