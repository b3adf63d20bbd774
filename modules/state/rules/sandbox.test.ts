/**
 * Rule-injection and sandbox-escape attempts. Each one must be refused when the rule is set
 * (rules/1 syntax, rules/2 too large, rules/3 type), or run out of gas (rules/4), or evaluate to
 * false; none may reach the host: no environment call other than the state read it names, no change
 * to any prototype or global, no call of process.exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AinError } from '../../../core/index.ts';
import { compileRule } from './compileRule.ts';
import { ErrRuleInvalidContext, ErrRuleSyntax, ErrRuleTooLarge, ErrRuleType, RULES } from './errors.ts';
import { evaluateRule } from './evaluateRule.ts';
import { parseRule } from './parseRule.ts';
import { ALICE, BOB, testContext, testEnv } from './testEnv.fixture.ts';
import type { CompiledRule } from './compileRule.ts';
import type { JsonValue } from '../../../core/index.ts';

type Outcome = 'syntax' | 'too large' | 'type' | 'out of gas' | 'false';

const GLOBALS: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['Function.prototype', Function.prototype],
  ['Map.prototype', Map.prototype],
  ['globalThis', globalThis],
];

function snapshot(): Record<string, string[]> {
  return Object.fromEntries(GLOBALS.map(([name, object]) => [name, Reflect.ownKeys(object).map(String).sort()]));
}

/** The host tree: JSON.parse gives `__proto__` as an own key, the way a client's JSON would. */
const TREE = JSON.parse('{"apps":{"blog":{"n":1}},"weird":{"__proto__":{"polluted":true},"constructor":"plain label"}}') as JsonValue;

function attempt(source: string, data: JsonValue = JSON.parse('{"a":1}') as JsonValue): { outcome: Outcome; calls: string[] } {
  const env = testEnv(TREE);
  let rule: CompiledRule;
  try {
    rule = compileRule(source);
  } catch (error) {
    if (!(error instanceof AinError) || error.codespace !== RULES) throw error;
    const outcome = error.is(ErrRuleSyntax)
      ? 'syntax'
      : error.is(ErrRuleTooLarge)
        ? 'too large'
        : error.is(ErrRuleType)
          ? 'type'
          : undefined;
    if (outcome === undefined) throw error;
    return { outcome, calls: env.calls };
  }
  try {
    const result = evaluateRule(rule, testContext({ auth: { addr: BOB, fid: null }, data, newData: {} }), env, 50_000);
    if (result.allowed) throw new Error(`${source} was allowed`);
    return { outcome: 'false', calls: env.calls };
  } catch (error) {
    if (error instanceof AinError && error.codespace === RULES && error.code === 4) return { outcome: 'out of gas', calls: env.calls };
    throw error;
  }
}

const ATTEMPTS: Array<[string, Outcome]> = [
  // AI Network's own escape, and its variants.
  ["constructor.constructor('return process')()", 'syntax'],
  ["auth.constructor.constructor('return process')()", 'syntax'],
  ["auth['constructor']['constructor']('return process')()", 'syntax'],
  ['auth.constructor', 'type'],
  ['auth.constructor == null', 'type'],
  ["auth['__proto__'] != null", 'type'],
  // Prototype pollution by assignment, and reads of prototype keys.
  ['data.__proto__.polluted = 1', 'syntax'],
  ["data['__proto__']['polluted'] = true", 'syntax'],
  ['data.__proto__ != null', 'false'],
  ["data['__proto__'] != null", 'false'],
  ["data['\\u005f_proto__'] != null", 'false'],
  ['data.constructor != null', 'false'],
  ["data['\\u0063onstructor'] != null", 'false'],
  ['data.prototype != null || data.toString != null || data.valueOf != null || data.hasOwnProperty != null', 'false'],
  ['newData.constructor.name == "Object"', 'false'],
  ["'x'.constructor != null", 'false'],
  ["'abc'.length == 3", 'type'], // a member of a string is always null: comparing it with 3 is refused
  ["'abc'.length != null", 'false'],
  ['path.constructor != null', 'false'],
  ['path.length == 5', 'false'],
  ['path.map != null || path.__proto__ != null', 'false'],
  ['height.constructor != null || auth.addr.constructor != null', 'false'],
  ["getValue('/apps').constructor != null", 'false'],
  ["toString(data) == '[object Object]'", 'false'],
  // Host globals and modules.
  ['this', 'syntax'],
  ['this.process != null', 'syntax'],
  ['process', 'type'],
  ['process.exit(1)', 'syntax'],
  ['process.mainModule != null', 'type'],
  ["require('fs')", 'type'],
  ["require('child_process').execSync('id') == ''", 'syntax'],
  ['globalThis.process != null', 'type'],
  ['global != null', 'type'],
  ["import('fs')", 'syntax'],
  ['import.meta != null', 'syntax'],
  ["eval('1') == 1", 'type'],
  ["Function('return process')() != null", 'syntax'],
  ["new Function('return 1')", 'syntax'],
  ['new Date() > 0', 'syntax'],
  ['Date.now() > 0', 'syntax'],
  ['now() > 0', 'type'],
  ['Math.random() < 1', 'syntax'],
  ['toString.constructor != null', 'type'],
  ["getValue.call(null, '/') != null", 'syntax'],
  ['Object.keys(data) == null', 'syntax'],
  ['arguments != null', 'syntax'],
  ['typeof process == "object"', 'syntax'],
  ['void 0 == null', 'syntax'],
  ['delete data.a', 'syntax'],
  ['data instanceof Object', 'syntax'],
  ["'a' in data", 'syntax'],
  ['undefined == null', 'type'],
  // JavaScript syntax the language does not have.
  ['`${process.exit()}` == ""', 'syntax'],
  ['data[`constructor`] != null', 'syntax'],
  ['a = 1', 'syntax'],
  ['auth.addr = "x"', 'syntax'],
  ['true; process.exit()', 'syntax'],
  ['() => 1', 'syntax'],
  ['x => x', 'syntax'],
  ['function () { return true }', 'syntax'],
  ['{}.constructor', 'syntax'],
  ['[].constructor', 'syntax'],
  ["data[['constructor']] != null", 'syntax'],
  ['data?.a == 1', 'syntax'],
  ['data ?? true', 'syntax'],
  ['1 | 1 == 1', 'syntax'],
  ['2 ** 3 == 8', 'syntax'],
  ['// comment\ntrue', 'syntax'],
  ['/* comment */ true', 'syntax'],
  ['true /* comment */', 'syntax'],
  ['getValue`/`', 'syntax'],
  ['$f()', 'syntax'],
  ['getValue("/")("x")', 'syntax'],
  ['(getValue)("/") != null', 'syntax'],
  // Unicode tricks: escapes only exist inside strings, identifiers are ASCII.
  ['\\u0063onstructor', 'syntax'],
  ['\\u{63}onstructor.constructor', 'syntax'],
  ['\u0440rocess', 'syntax'], // Cyrillic er
  ['pro\u200bcess', 'syntax'], // zero-width space
  ['true\u2028|| true', 'syntax'], // line separator
  // Variables cannot reach prototypes either.
  ["$constructor == 'x'", 'false'],
  ["$__proto__ == 'x'", 'false'],
  ['$constructor != null', 'type'], // a variable is a string, never null
  ['$hasOwnProperty == "x"', 'false'],
  // Paths are data for the environment, which validates them.
  ["getValue('/../../etc/passwd') != null", 'false'],
  ["getValue('/etc/passwd') != null", 'false'],
  ["getValue('..') != null", 'false'],
  ["getValue('/apps//blog') != null", 'false'],
  ["getValue('/apps/\\u0000') != null", 'false'],
  ["isOwner('../../', auth.addr)", 'false'],
  // Size and depth.
  ['a'.repeat(100_000), 'too large'],
  [`${'('.repeat(10_000)}true${')'.repeat(10_000)}`, 'too large'],
  [`${'('.repeat(1_000)}true${')'.repeat(1_000)}`, 'too large'],
  [`${'!'.repeat(4_000)}true`, 'too large'],
  [`${'-'.repeat(4_000)}1 == 1`, 'too large'],
  [Array(2_000).fill('true').join('&&'), 'too large'],
  [`data${'.a'.repeat(2_000)} == 1`, 'too large'],
  [`${'isOwner('.repeat(300)}`, 'too large'],
  [`1${'1'.repeat(200)} > 0`, 'syntax'],
  ['1e999999999 > 0', 'syntax'],
  // Expensive work is charged.
  [Array(60).fill("getValue('/none') == null").join(' && '), 'out of gas'],
  ["toString(getValue('/')) == '' && toString(getValue('/')) == ''", 'false'],
];

describe('sandbox: injection and escape attempts', () => {
  let before: Record<string, string[]>;
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
    throw new Error('process.exit was called');
  }) as never);

  beforeAll(() => {
    before = snapshot();
  });

  afterAll(() => {
    exit.mockRestore();
  });

  it('has at least 40 attempts', () => {
    expect(ATTEMPTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ATTEMPTS)('%j is refused or false (%s)', (source, expected) => {
    const { outcome, calls } = attempt(source);
    expect(outcome).toBe(expected);
    for (const call of calls) expect(call).toMatch(/^(getValue|isOwner) /);
  });

  it('passes paths to the environment as data, never as file paths', () => {
    expect(attempt("getValue('/../../etc/passwd') != null").calls).toEqual(['getValue /../../etc/passwd']);
  });

  it('treats JSON keys named __proto__ and constructor as plain data', () => {
    const data = JSON.parse('{"__proto__":{"polluted":true},"constructor":"label"}') as JsonValue;
    const rule = compileRule("data['__proto__'].polluted == true && data.constructor == 'label' && keys(data) == keys(data)");
    expect(evaluateRule(rule, testContext({ data }), testEnv(), 10_000).allowed).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const weird = compileRule("getValue('/weird/constructor') == 'plain label' && getValue('/weird').__proto__.polluted == true");
    expect(evaluateRule(weird, testContext(), testEnv(TREE), 100_000).allowed).toBe(true);
  });

  it('never invokes getters or reads inherited keys of host objects', () => {
    let touched = false;
    const data = Object.create({ inherited: 'x' }) as Record<string, unknown>;
    Object.defineProperty(data, 'trap', {
      enumerable: true,
      get() {
        touched = true;
        return 'x';
      },
    });
    const rule = compileRule("data.inherited == 'x' || data.trap == 'x'");
    expect(evaluateRule(rule, testContext({ data: { d: 1 } }), testEnv(), 10_000).allowed).toBe(false);
    // A class instance (here, with a getter-bearing prototype) is not JSON at all.
    const result = evaluateRule(rule, testContext({ data: data as JsonValue }), testEnv(), 10_000);
    expect(result.allowed).toBe(false);
    expect(result.reason).toMatch(/not JSON/);
    const plain = { ...Object.getOwnPropertyDescriptors({}) } as Record<string, unknown>;
    Object.defineProperty(plain, 'trap', { enumerable: true, get: () => ((touched = true), 'x') });
    expect(evaluateRule(compileRule("data.trap == 'x'"), testContext({ data: plain as JsonValue }), testEnv(), 10_000).allowed).toBe(false);
    expect(touched).toBe(false);
  });

  it('refuses to run a syntax tree that compileRule did not make', () => {
    const forged = {
      source: 'process',
      ast: { ...parseRule('true'), root: { kind: 'identifier', name: 'process', start: { offset: 0, line: 1, column: 1 }, end: 7 } },
    };
    expect(() => evaluateRule(forged as unknown as CompiledRule, testContext(), testEnv(), 10_000)).toThrow(
      expect.objectContaining({ codespace: ErrRuleInvalidContext.codespace, code: ErrRuleInvalidContext.code }),
    );
  });

  it('left every prototype and global as it was, and never called process.exit', () => {
    expect(snapshot()).toEqual(before);
    expect(exit).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(ALICE).toMatch(/^ain1/);
  });
});

describe('sandbox: the source never evaluates code', () => {
  const folder = import.meta.dirname;
  const files = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.fixture.ts'));

  it.each(files)('%s uses no eval, Function, vm, globals or dynamic imports', (name) => {
    const code = readFileSync(join(folder, name), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
    for (const forbidden of [
      /\beval\s*\(/,
      /\bFunction\s*\(/,
      /node:vm/,
      /\bglobalThis\b/,
      /\bprocess\./,
      /\brequire\s*\(/,
      /\bimport\s*\(/,
      /\bReflect\./,
    ]) {
      expect(code).not.toMatch(forbidden);
    }
  });
});
