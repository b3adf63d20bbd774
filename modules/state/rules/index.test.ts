import { describe, expect, it } from 'vitest';
import { registeredErrors } from '../../../core/index.ts';
import * as rules from './index.ts';
import { testContext, testEnv } from './testEnv.fixture.ts';

describe('rules public face', () => {
  it('exports exactly these names (an API change shows up here in review)', () => {
    expect(Object.keys(rules).sort()).toMatchInlineSnapshot(`
      [
        "DIVISION_DIGITS",
        "Decimal",
        "ErrRuleInvalidContext",
        "ErrRuleOutOfGas",
        "ErrRuleSyntax",
        "ErrRuleTooLarge",
        "ErrRuleType",
        "LIBRARY_NAMES",
        "MAX_DIGITS",
        "MAX_EXPONENT",
        "MAX_RULE_DEPTH",
        "MAX_RULE_NODES",
        "MAX_RULE_SOURCE_LENGTH",
        "MAX_STRING_LENGTH",
        "MIN_EXPONENT",
        "RULES",
        "RULE_GAS",
        "RULE_IDENTIFIERS",
        "checkRule",
        "compileRule",
        "evaluateRule",
        "isCompiledRule",
        "parseRule",
      ]
    `);
  });

  it('registers codespace rules, codes 1-5', () => {
    expect(registeredErrors().filter((e) => e.codespace === rules.RULES)).toEqual([
      { codespace: 'rules', code: 1, description: 'syntax error' },
      { codespace: 'rules', code: 2, description: 'rule too large' },
      { codespace: 'rules', code: 3, description: 'rule type error' },
      { codespace: 'rules', code: 4, description: 'out of gas' },
      { codespace: 'rules', code: 5, description: 'invalid rule context' },
    ]);
  });

  it('compiles and evaluates the blog rule of the issue', () => {
    const rule = rules.compileRule('auth.addr == $user && isString(newData.title) && length(newData.title) <= 100', { vars: ['$user'] });
    expect(rules.evaluateRule(rule, testContext({ newData: { title: 'hello' } }), testEnv(), 10_000)).toEqual({
      allowed: true,
      // 14 nodes + 1 comparison by == + 2 library calls of 10
      gasUsed: 14 + 1 + 2 * rules.RULE_GAS.call,
    });
  });
});
