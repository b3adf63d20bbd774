/**
 * Property tests of the rule language: random sources give a compiled rule or a positioned rules/1-3
 * error; well-formed rules from the grammar evaluate, on random data, to a boolean result within the
 * gas limit or rules/4, the same every time, with gas that is exactly what the meter charged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError, type JsonValue } from '../../../core/index.ts';
import { compileRule } from './compileRule.ts';
import { RULES } from './errors.ts';
import { evaluateRule } from './evaluateRule.ts';
import { MAX_RULE_SOURCE_LENGTH } from './parseRule.ts';
import { testContext, testEnv } from './testEnv.fixture.ts';
import type { RuleResult } from './types.ts';

const TOKENS = [
  'auth',
  'auth.addr',
  'auth.fid',
  'data',
  'newData',
  'height',
  'time',
  'path',
  '$user',
  '$x',
  'getValue',
  'length',
  'keys',
  'toString',
  'concatPath',
  'includes',
  'exists',
  'isAddress',
  'true',
  'false',
  'null',
  'constructor',
  '__proto__',
  'process',
  'this',
  'new',
  'function',
  '0',
  '1',
  '0.1',
  '1e1000',
  '1e-1000',
  '1e1001',
  '9'.repeat(101),
  `0.${'0'.repeat(999)}1`,
  '00',
  '1.',
  '1e',
  '1x',
  "'a'",
  '"b"',
  "'\\u{10FFFF}'",
  "'\\ud800'",
  "'\\u{110000}'",
  "'\\q'",
  "'unterminated",
  "'\\",
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '?',
  ':',
  '!',
  '-',
  '+',
  '*',
  '/',
  '%',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '===',
  '!=',
  '!==',
  '&&',
  '||',
  '=',
  '=>',
  ';',
  '{',
  '}',
  '&',
  '|',
  '`',
  '\\',
  '#',
  '@',
  'é',
  '😀',
  '\ud800',
  '\u0000',
  '\n',
  '\t',
  ' ',
];

function expectRuleError(error: unknown, source: string): void {
  if (!(error instanceof AinError)) throw new Error(`${JSON.stringify(source)} threw ${String(error)}`);
  expect(error.codespace).toBe(RULES);
  expect([1, 2, 3]).toContain(error.code);
  if (error.code === 1 || error.code === 3) {
    // Syntax and type errors name where: `at line:column`, and the same in meta.
    expect(error.message).toMatch(/ at \d+:\d+/);
    expect(Number.isInteger(error.meta['line']) && Number.isInteger(error.meta['column'])).toBe(true);
  }
  if (error.code === 2 && source.length <= MAX_RULE_SOURCE_LENGTH) expect(error.message).toMatch(/ at \d+:\d+/);
}

/** compileRule's outcome: the rule, or the checked error. */
function compileOrError(source: string) {
  try {
    return compileRule(source, { vars: ['$user'] });
  } catch (error) {
    expectRuleError(error, source);
    return undefined;
  }
}

/** evaluateRule's outcome, with out of gas checked and turned into a value to compare. */
function outcome(source: string, data: JsonValue, newData: JsonValue, env: JsonValue, gas: number): RuleResult | 'out of gas' {
  try {
    const result = evaluateRule(compileRule(source, { vars: ['$user'] }), testContext({ data, newData }), testEnv(env), gas);
    expect(typeof result.allowed).toBe('boolean');
    expect(result.gasUsed).toBeLessThanOrEqual(gas);
    expect(result.allowed ? result.reason : typeof result.reason).toBe(result.allowed ? undefined : 'string');
    return result;
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    expect(error.codespace).toBe(RULES);
    expect(error.code).toBe(4);
    expect(error.meta['gasLimit']).toBe(gas);
    expect(error.meta['gasUsed'] as number).toBeGreaterThan(gas);
    return 'out of gas';
  }
}

describe('rule sources (property)', () => {
  it('random token soups compile or fail with a positioned rules/1-3 error', () => {
    const soup = fc
      .array(fc.constantFrom(...TOKENS), { maxLength: 30 })
      .chain((tokens) =>
        fc
          .array(fc.constantFrom(' ', ''), { minLength: tokens.length, maxLength: tokens.length })
          .map((gaps) => tokens.map((t, i) => t + gaps[i]).join('')),
      );
    fc.assert(
      fc.property(soup, (source) => {
        const rule = compileOrError(source);
        if (rule !== undefined) outcome(source, null, null, {}, 100_000);
      }),
      { seed: 42, numRuns: 4000 },
    );
  });

  it('random characters compile or fail with a positioned rules/1-3 error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (source) => {
        compileOrError(source);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('deep nesting and long sources are refused as too large, never a stack overflow', () => {
    const shapes = fc.tuple(fc.constantFrom('(', '!', '-', 'length(', 'data[', 'a.'), fc.integer({ min: 1, max: 3000 }));
    fc.assert(
      fc.property(shapes, ([open, n]) => {
        compileOrError(`${open.repeat(n)}true`);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

// Well-typed rules from the grammar: booleans built from numbers, strings and dynamic values.
const NUMBERS = ['0', '1', '2', '7', '0.1', '0.2', '0.3', '1e1000', '1e-1000', '123456789012345678901234567890', '3.14159', '1e21'];
const STRINGS = ["'a'", "'ab'", "''", "'😀'", "'\\u{10FFFF}'", "'\\ud800'", "'/apps/x'", "'..'", "'__proto__'", "'constructor'"];
const { expr } = fc.letrec<{ bool: string; num: string; str: string; any: string; object: string; expr: string }>((tie) => ({
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('true', 'false'),
    fc.tuple(tie('num'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('num')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('str'), fc.constantFrom('<', '>=', '==', '!='), tie('str')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('any'), fc.constantFrom('==', '!='), tie('any')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('bool').map((b) => `!(${b})`),
    fc.tuple(tie('bool'), fc.constantFrom('&&', '||'), tie('bool')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(tie('bool'), tie('bool'), tie('bool')).map(([a, b, c]) => `(${a}) ? (${b}) : (${c})`),
    fc
      .tuple(fc.constantFrom('exists', 'isString', 'isNumber', 'isBoolean', 'isObject', 'isAddress'), tie('any'))
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('includes', 'startsWith', 'endsWith'), tie('str'), tie('str')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('object'), tie('any')).map(([a, b]) => `includes(keys(${a}), ${b})`),
  ),
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NUMBERS, 'height', 'time'),
    fc.tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%'), tie('num')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('num').map((n) => `-${n}`),
    fc.oneof(tie('object'), tie('str')).map((a) => `length(${a})`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([a, b, c]) => `((${a}) ? ${b} : ${c})`),
  ),
  str: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...STRINGS, 'auth.addr', '$user'),
    fc.tuple(tie('str'), tie('str')).map(([a, b]) => `(${a} + ${b})`),
    tie('any').map((a) => `toString(${a})`),
    fc.tuple(tie('str'), tie('num')).map(([a, b]) => `concatPath(${a}, ${b})`),
  ),
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('data', 'newData', 'path', 'null', 'auth.fid'),
    tie('num'),
    tie('str'),
    fc
      .tuple(fc.constantFrom('data', 'newData', 'path'), fc.constantFrom('a', 'b', 'constructor', '__proto__', 'length'))
      .map(([a, k]) => `${a}.${k}`),
    fc.tuple(fc.constantFrom('data', 'newData', 'path'), fc.oneof(tie('str'), tie('num'))).map(([a, k]) => `${a}[${k}]`),
    tie('str').map((p) => `getValue(concatPath('/apps', ${p}))`),
    tie('object').map((a) => `keys(${a})`),
  ),
  object: fc.oneof(
    fc.constantFrom('data', 'newData', 'data.a', 'newData.b', "getValue('/apps')", "getValue('/apps/a')"),
    tie('str').map((p) => `getValue(concatPath('/apps', ${p}))`),
  ),
  expr: tie('bool'),
}));

/** JSON with the awkward numbers: -0, huge, tiny, unsafe integers. */
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => v as JsonValue);
const stateTree = fc.record({ apps: fc.dictionary(fc.constantFrom('a', 'b', '..', 'x'), json) }).map((t) => t as unknown as JsonValue);

describe('rule evaluation (property)', () => {
  it('well-formed rules evaluate to a boolean within their gas, deterministically, with exact gas accounting', () => {
    fc.assert(
      fc.property(expr, json, json, stateTree, fc.integer({ min: 0, max: 20_000 }), (source, data, newData, tree, gas) => {
        const rule = compileOrError(source);
        if (rule === undefined) return;
        const first = outcome(source, data, newData, tree, gas);
        // Determinism: a second compile and evaluation gives the same result, reason and gas.
        expect(outcome(source, data, newData, tree, gas)).toEqual(first);
        if (first === 'out of gas') {
          expect(outcome(source, data, newData, tree, gas + 1_000_000)).not.toBe('out of gas');
          return;
        }
        // The gas used is exactly enough, and one less runs out.
        expect(outcome(source, data, newData, tree, first.gasUsed)).toEqual(first);
        if (first.gasUsed > 0) expect(outcome(source, data, newData, tree, first.gasUsed - 1)).toBe('out of gas');
      }),
      { seed: 42, numRuns: 1500 },
    );
  });

  it('numbers are exact decimals: sums and products of state doubles match their decimal digits', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const result = outcome('newData.a + newData.b - newData.b == newData.a && newData.a * 1 == newData.a', null, { a, b }, {}, 1_000);
        if (result !== 'out of gas' && !result.allowed) expect(result.reason).toMatch(/^runtime error at .*number (needs|exponent)/);
        else expect(result).toMatchObject({ allowed: true });
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
