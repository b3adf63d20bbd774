import { describe, expect, it } from 'vitest';
import { compileRule } from './compileRule.ts';
import { ErrRuleInvalidContext, ErrRuleOutOfGas } from './errors.ts';
import { evaluateRule } from './evaluateRule.ts';
import { RULE_GAS } from './library.ts';
import { ALICE, BOB, type RecordingEnv, testContext, testEnv } from './testEnv.fixture.ts';
import type { RuleContext, RuleResult } from './types.ts';
import type { JsonValue } from '../../../core/index.ts';
import { thrownBy } from '../../../test/helpers/errorCode.ts';

const GAS = 1_000_000;

function run(source: string, ctx: Partial<RuleContext> = {}, env: RecordingEnv = testEnv(), gas = GAS): RuleResult {
  return evaluateRule(compileRule(source), testContext(ctx), env, gas);
}

const allowed = (source: string, ctx: Partial<RuleContext> = {}, env?: RecordingEnv) => run(source, ctx, env).allowed;

describe('evaluateRule: the context', () => {
  it('lets the author write and refuses others with the deciding sub-expression', () => {
    expect(run('auth.addr == $user')).toEqual({ allowed: true, gasUsed: 5 });
    const refused = run('auth.addr == $user', { auth: { addr: BOB, fid: null } });
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toBe(`\`auth.addr == $user\` is false at 1:1 (\`auth.addr\` is "${BOB}", \`$user\` is "${ALICE}")`);
  });

  it('reads $variables with or without the $ in the key, own properties only', () => {
    expect(allowed('$user == "x"', { vars: { user: 'x' } })).toBe(true);
    expect(allowed('$user == "x"', { vars: { $user: 'x', user: 'y' } })).toBe(true);
    const unbound = run('$constructor == "x"', { vars: {} });
    expect(unbound).toMatchObject({ allowed: false, reason: 'runtime error at 1:1 in `$constructor`: unbound variable $constructor' });
    expect(allowed('$toString == "x"', { vars: Object.create({ toString: 'x' }) as Record<string, string> })).toBe(false);
  });

  it('binds auth.fid, height, time and path', () => {
    expect(allowed('auth.fid == null')).toBe(true);
    expect(allowed("auth.fid == '_transfer'", { auth: { addr: ALICE, fid: '_transfer' } })).toBe(true);
    expect(allowed('height == 100 && height + 1 == 101')).toBe(true);
    expect(allowed('height == 9007199254740993', { height: 9007199254740993n })).toBe(true);
    expect(allowed('height == 7', { height: 7 })).toBe(true);
    expect(allowed('time == 1700000000000 && time % 1000 == 0')).toBe(true);
    expect(allowed(`path[0] == 'apps' && path[3] == $user && length(path) == 5 && path[5] == null`)).toBe(true);
  });

  it('refuses a malformed context, gas limit or uncompiled rule with rules/5', () => {
    const rule = compileRule('true');
    const env = testEnv();
    const bad: Array<() => unknown> = [
      () => evaluateRule(rule, testContext({ auth: { addr: 1 as unknown as string, fid: null } }), env, GAS),
      () => evaluateRule(rule, testContext({ auth: { addr: ALICE, fid: 2 as unknown as string } }), env, GAS),
      () => evaluateRule(rule, testContext({ height: -1 }), env, GAS),
      () => evaluateRule(rule, testContext({ height: 1.5 }), env, GAS),
      () => evaluateRule(rule, testContext({ time: 0.5 }), env, GAS),
      () => evaluateRule(rule, testContext({ path: [1] as unknown as string[] }), env, GAS),
      () => evaluateRule(rule, testContext({ vars: null as unknown as Record<string, string> }), env, GAS),
      () => evaluateRule(rule, testContext(), env, -1),
      () => evaluateRule(rule, testContext(), env, 1.5),
      () => evaluateRule(rule, testContext(), env, Number.POSITIVE_INFINITY),
      () => evaluateRule({ ...rule }, testContext(), env, GAS),
    ];
    for (const fn of bad) expect(thrownBy(fn).is(ErrRuleInvalidContext)).toBe(true);
  });
});

describe('evaluateRule: values and member access', () => {
  const data: JsonValue = { a: 1, list: [10, 'x', { k: true }], nested: { deep: { v: 'y' } }, '1': 'one', 'a b': 2 };

  it.each([
    ['data.a == 1', true],
    ["data['a'] == 1", true],
    ["data['a b'] == 2", true],
    ['data[1] == "one"', true],
    ['data.list[0] == 10', true],
    ['data.list[2].k == true', true],
    ['data.list[3] == null', true],
    ['data.list[-1] == null', true],
    ['data.list[0.5] == null', true],
    ["data.list['0'] == null", true],
    ['data.nested.deep.v == "y"', true],
    ['data.missing == null', true],
    ['data.a.b == null', true],
    ["'abc'[0] == null", true],
    ['length(data) == 5 && length(data.list) == 3 && length("héllo") == 5', true],
    ['data == data', true],
  ])('%s -> %s', (source, expected) => {
    expect(allowed(source, { data })).toBe(expected);
  });

  it('makes a member of null a runtime error, so the rule is false with the reason', () => {
    expect(run('data.missing.x == 1', { data })).toEqual({
      allowed: false,
      gasUsed: 4, // ==, two members and data; the right side is never reached
      reason: "runtime error at 1:1 in `data.missing.x`: cannot read 'x' of null",
    });
    expect(run('data[newData] == 1', { data, newData: true }).reason).toBe(
      'runtime error at 1:1 in `data[newData]`: a key must be a string or a number, not boolean',
    );
  });

  it('compares structurally and strictly: no coercion', () => {
    expect(allowed('newData == data', { data: { a: 1, b: [1, 2] }, newData: { b: [1, 2], a: 1 } })).toBe(true);
    expect(allowed('newData == data', { data: { a: 1, b: [1, 2] }, newData: { a: 1, b: [2, 1] } })).toBe(false);
    expect(allowed('newData == data', { data: { a: 1 }, newData: { a: 1, c: null } })).toBe(false);
    expect(allowed('newData == 1', { newData: '1' })).toBe(false);
    expect(allowed('newData != 1', { newData: '1' })).toBe(true);
    expect(allowed('newData == true', { newData: 1 })).toBe(false);
    expect(allowed('newData == null', { newData: 0 })).toBe(false);
    expect(allowed("newData == ''", { newData: 0 })).toBe(false);
    expect(allowed('newData == 1.0', { newData: 1 })).toBe(true);
  });
});

describe('evaluateRule: numbers are exact decimals', () => {
  it.each([
    ['0.1 + 0.2 == 0.3', true],
    ['newData == 0.1 + 0.2', true, 0.3],
    ['newData == 0.3', false, 0.1 + 0.2],
    ['newData - 0.2 == 0.1', true, 0.3],
    ['10 / 4 == 2.5', true],
    ['1 / 3 * 3 == 1', false],
    ['7 % 3 == 1 && -7 % 3 == -1 && 5.5 % 2 == 1.5', true],
    ['(7 - 7 % 2) / 2 == 3', true],
    ['9007199254740993 + 1 == 9007199254740994', true],
    ['newData + 1 == 9007199254740992', true, 9007199254740991],
    ['1e21 == 1000000000000000000000', true],
    ['-newData == -5', true, 5],
    ['0.000001 * 1000000 == 1', true],
    ['2 * 3 + 4 * 5 == 26', true],
  ] as Array<[string, boolean, JsonValue?]>)('%s -> %s', (source, expected, newData = null) => {
    expect(allowed(source, { newData })).toBe(expected);
  });

  it('makes division by zero and out-of-range results runtime errors', () => {
    expect(run('1 / newData == 1', { newData: 0 }).reason).toBe('runtime error at 1:1 in `1 / newData`: division by zero');
    expect(run('1 % 0 == 1').reason).toBe('runtime error at 1:1 in `1 % 0`: remainder by zero');
    expect(run('newData + 1 > 0', { newData: 1e300 }).reason).toMatch(/needs 301 significant digits, at most 100/);
  });
});

describe('evaluateRule: strings, ordering and operators', () => {
  it.each([
    ["'ab' + 'c' == 'abc'", true],
    ["'B' < 'a'", true],
    ["'a' < 'ab' && 'ab' < 'b'", true],
    // By UTF-16 code unit: a surrogate (D83D) sorts before U+FF5E, unlike code point order.
    ["'\\u{1F600}' < '\\uFF5E'", true],
    ['2 < 10', true],
    ["newData < '10'", false, '2'],
    ['1 <= 1 && 1 >= 1 && !(1 < 1) && !(1 > 1)', true],
    ['!false && !!true', true],
    ['true ? 1 == 1 : false', true],
    ['false ? true : 2 > 3', false],
  ] as Array<[string, boolean, JsonValue?]>)('%s -> %s', (source, expected, newData = null) => {
    expect(allowed(source, { newData })).toBe(expected);
  });

  it('makes mismatched dynamic operands a runtime error, not a coercion', () => {
    expect(run('newData < 1', { newData: '0' }).reason).toBe(
      "runtime error at 1:1 in `newData < 1`: '<' needs two numbers or two strings, not string and number",
    );
    expect(run('newData + 1 == 2', { newData: '1' }).reason).toBe(
      "runtime error at 1:1 in `newData + 1`: '+' needs two numbers or two strings, not string and number",
    );
    expect(run('newData * 2 == 2', { newData: true }).reason).toMatch(/'\*' needs two numbers, not boolean and number/);
    expect(run('-newData == 1', { newData: 'a' }).reason).toMatch(/'-' needs a number, not string/);
    expect(run('!newData', { newData: 1 }).reason).toBe(
      "runtime error at 1:1 in `!newData`: the operand of '!' must be a boolean, not number",
    );
    expect(run('newData && true', { newData: 'yes' }).reason).toMatch(/the left operand of '&&' must be a boolean, not string/);
    expect(run('newData ? true : false', { newData: 1 }).reason).toMatch(/the test of a conditional must be a boolean/);
  });

  it('short-circuits && and || (the right side is never evaluated or charged)', () => {
    const env = testEnv();
    expect(run('exists(data) && data.x == 1', { data: null }, env).allowed).toBe(false);
    expect(run("false && getValue('/a') == 1", {}, env).allowed).toBe(false);
    expect(run("true || getValue('/a') == 1", {}, env)).toEqual({ allowed: true, gasUsed: 2 });
    expect(env.calls).toEqual([]);
  });
});

describe('evaluateRule: the library', () => {
  const tree: JsonValue = { apps: { blog: { posts: { n: 3, obj: { b: 1, a: [1, 2] } }, admins: {} } } };
  const env = () => testEnv(tree, { blog: [BOB] });

  it.each([
    ["getValue('/apps/blog/posts/n') == 3", true],
    ["getValue('apps/blog/posts/n/') == 3", true],
    ["getValue('/apps/blog/nothing') == null", true],
    ["getValue(concatPath('/apps/blog', 'posts', 'n')) == 3", true],
    ["getRule('/apps/blog') == 'auth.addr == $user'", true],
    ["getOwner('/apps') == null && getFunction('/apps') == null", true],
    ["isAppAdmin('blog', auth.addr)", false],
    [`isAppAdmin('blog', '${BOB}')`, true],
    ["isOwner('/apps/blog', auth.addr)", true],
    ['exists(data) == false && exists(0) && exists(false)', true],
    ["isString('') && !isString(1) && isNumber(1.5) && !isNumber('1') && isBoolean(false) && !isBoolean(null)", true],
    ["isObject(getValue('/apps')) && !isObject(path) && !isObject(null) && !isObject('x')", true],
    [`isAddress('${ALICE}') && isAddress($user)`, true],
    [`isAddress('${ALICE.toUpperCase()}')`, false],
    [`isAddress('${ALICE.slice(0, -1)}q')`, false],
    ["isAddress('ain1') || isAddress(1) || isAddress(null) || isAddress('cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqstju5')", false],
    [
      "keys(getValue('/apps/blog/posts/obj')) == keys(getValue('/apps/blog/posts/obj')) && keys(getValue('/apps/blog/posts/obj'))[0] == 'a'",
      true,
    ],
    ["length(keys(getValue('/apps/blog'))) == 2", true],
    ["includes(path, 'blog') && !includes(path, 'x') && includes('hello', 'ell') && !includes('hello', 'z')", true],
    ["includes(getValue('/apps/blog/posts/obj').a, 2)", true],
    ["startsWith(auth.addr, 'ain1') && endsWith('abc', 'bc') && !startsWith('abc', 'b')", true],
    ["toString(12.50) == '12.5' && toString(true) == 'true' && toString(null) == 'null' && toString('s') == 's'", true],
    ['toString(getValue(\'/apps/blog/posts/obj\')) == \'{"a":[1,2],"b":1}\'', true],
    ["toString(1e21) == '1000000000000000000000'", true],
    ["concatPath('/apps', 'blog', 1) == '/apps/blog/1'", true],
  ])('%s -> %s', (source, expected) => {
    expect(allowed(source, {}, env())).toBe(expected);
  });

  it('hands paths to the environment unchanged; the environment validates them', () => {
    const e = env();
    expect(run("getValue('/../../etc/passwd') == null", {}, e).allowed).toBe(true);
    expect(e.calls).toEqual(['getValue /../../etc/passwd']);
    const refused = run("getValue('/apps//blog') == null", {}, e);
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toBe("runtime error at 1:1 in `getValue('/apps//blog')`: getValue failed: empty label at depth 2: invalid path");
  });

  it('makes wrong dynamic argument types runtime errors', () => {
    expect(run('length(newData) == 1', { newData: 1 }).reason).toMatch(/length expects a string, array or object, not number/);
    expect(run('length(keys(newData)) == 0', { newData: [1] }).reason).toMatch(/keys expects an object, not array/);
    expect(run('getValue(newData) == null', { newData: 1 }).reason).toMatch(/getValue expects a string as argument 1, not number/);
    expect(run("includes(newData, 'a')", { newData: 1 }).reason).toMatch(/includes expects a string or an array, not number/);
    expect(run("includes('abc', newData)", { newData: 1 }).reason).toMatch(/includes in a string expects a string, not number/);
    expect(run("concatPath('a', newData) == 'a'", { newData: {} }).reason).toMatch(/concatPath expects strings or numbers, not object/);
  });

  it('lets an environment failure that is not an AinError propagate (a host failure)', () => {
    const broken = {
      ...testEnv(),
      getValue: () => {
        throw new Error('disk on fire');
      },
    };
    expect(() => evaluateRule(compileRule("getValue('/a') == 1"), testContext(), broken, GAS)).toThrow('disk on fire');
  });
});

describe('evaluateRule: reasons', () => {
  it('names the first false conjunct, both sides of ||, the branch taken, and negations', () => {
    expect(run('true && height > 500 && auth.addr == $user').reason).toBe('`height > 500` is false at 1:9 (`height` is 100)');
    expect(run("height > 500 || auth.addr == 'x'").reason).toBe(
      `\`height > 500\` is false at 1:1 (\`height\` is 100), and \`auth.addr == 'x'\` is false at 1:17 (\`auth.addr\` is "${ALICE}")`,
    );
    expect(run('height > 1 ? exists(data) : true').reason).toBe('`height > 1` is true, and `exists(data)` is false at 1:14');
    expect(run('!exists(newData)', { newData: 1 }).reason).toBe('`!exists(newData)` is false at 1:1 (`exists(newData)` is true)');
    expect(run('false').reason).toBe('`false` is false at 1:1');
  });
});

describe('evaluateRule: gas', () => {
  it('charges every node, every call and every state read', () => {
    // == (1) + member (1) + auth (1) + $user (1) + one comparison (1)
    expect(run('auth.addr == $user').gasUsed).toBe(5);
    // call node + string arg + stateRead + 1 returned leaf; == node + literal + comparison
    const env = testEnv({ a: 1 });
    expect(run("getValue('/a') == 1", {}, env).gasUsed).toBe(2 + RULE_GAS.stateRead + RULE_GAS.stateReadPerNode + 2 + 1);
    // An object of 4 nodes returned: {x: {y: 1, z: 2}}
    const env2 = testEnv({ a: { x: { y: 1, z: 2 } } });
    expect(run("exists(getValue('/a'))", {}, env2).gasUsed).toBe(
      1 + RULE_GAS.call + 2 + RULE_GAS.stateRead + 4 * RULE_GAS.stateReadPerNode,
    );
  });

  it('is deterministic: the same inputs give the same result and gas', () => {
    const source = "exists(getValue('/a')) && toString(getValue('/a')) != '' && length(keys(getValue('/a'))) > 0";
    const env = testEnv({ a: { x: { y: 1, z: 2 }, w: 'v' } });
    const results = Array.from({ length: 3 }, () => run(source, {}, env));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('throws rules/4 out of gas past the limit, with the limit and use', () => {
    const error = thrownBy(() => run('auth.addr == $user', {}, testEnv(), 4));
    expect(error.is(ErrRuleOutOfGas)).toBe(true);
    expect(error.message).toBe('rule used 5 gas, more than its limit 4, in `auth.addr == $user` at 1:1: out of gas');
    expect(error.meta).toEqual({ gasLimit: 4, gasUsed: 5 });
    expect(run('auth.addr == $user', {}, testEnv(), 5).allowed).toBe(true);
    expect(thrownBy(() => run('true', {}, testEnv(), 0)).is(ErrRuleOutOfGas)).toBe(true);
  });

  it('runs out of gas on many state reads', () => {
    const source = Array.from({ length: 40 }, (_, i) => `getValue('/k${i}') == null`).join(' && ');
    const env = testEnv({});
    expect(evaluateRule(compileRule(source), testContext(), env, GAS).gasUsed).toBeGreaterThan(40 * RULE_GAS.stateRead);
    env.calls.length = 0;
    // 40 reads cost over 40,000; with 10,000 the evaluation stops at the tenth read.
    const error = thrownBy(() => evaluateRule(compileRule(source), testContext(), env, 10_000));
    expect(error.is(ErrRuleOutOfGas)).toBe(true);
    expect(env.calls.length).toBe(9);
  });

  it('runs out of gas on a huge expression', () => {
    let expr = 'height';
    for (let i = 0; i < 8; i++) expr = `(${expr}+${expr})`;
    const rule = compileRule(`${expr} > 0`);
    expect(rule.ast.nodeCount).toBe(513);
    expect(evaluateRule(rule, testContext(), testEnv(), GAS).gasUsed).toBe(513);
    expect(thrownBy(() => evaluateRule(rule, testContext(), testEnv(), 500)).is(ErrRuleOutOfGas)).toBe(true);
  });

  it('charges the nodes of a huge returned value and stops walking it at the limit', () => {
    const big: Record<string, JsonValue> = {};
    for (let i = 0; i < 100_000; i++) big[`k${i}`] = i;
    const env = testEnv({ big });
    const error = thrownBy(() => run("exists(getValue('/big'))", {}, env, 50_000));
    expect(error.is(ErrRuleOutOfGas)).toBe(true);
    expect(error.meta['gasUsed']).toBeLessThanOrEqual(50_000 + RULE_GAS.stateReadPerNode);
  });

  it('charges string building and comparisons by size', () => {
    const long = 'x'.repeat(1600);
    const small = run("newData + 'y' != ''", { newData: 'x' }).gasUsed;
    const large = run("newData + 'y' != ''", { newData: long }).gasUsed;
    expect(large - small).toBe(Math.ceil(1601 / 16) - 1);
    expect(run('newData + newData == ""', { newData: 'x'.repeat(40_000) }).reason).toMatch(/string longer than 65536 characters/);
  });
});
