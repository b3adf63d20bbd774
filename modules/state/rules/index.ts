/**
 * Write rules: a small expression language of our own, parsed, type-checked and evaluated with a gas
 * meter by our interpreter (never `eval`, `new Function` or `vm`). See README.md for the language.
 *
 * @example
 *   const rule = compileRule("auth.addr == $user && isString(newData.title)");
 *   const { allowed, gasUsed, reason } = evaluateRule(rule, ctx, env, 100_000);
 */
export type {
  BinaryOperator,
  RuleAst,
  RuleNode,
  SourcePosition,
  UnaryOperator,
} from './ast.ts';
export { type CheckOptions, RULE_IDENTIFIERS, checkRule } from './checkRule.ts';
export { type CompiledRule, compileRule, isCompiledRule } from './compileRule.ts';
export { DIVISION_DIGITS, Decimal, MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT } from './decimal.ts';
export { ErrRuleInvalidContext, ErrRuleOutOfGas, ErrRuleSyntax, ErrRuleTooLarge, ErrRuleType, RULES } from './errors.ts';
export { evaluateRule } from './evaluateRule.ts';
export { LIBRARY_NAMES, RULE_GAS } from './library.ts';
export { MAX_RULE_DEPTH, MAX_RULE_NODES, MAX_RULE_SOURCE_LENGTH, parseRule } from './parseRule.ts';
export type { RuleContext, RuleEnvironment, RuleResult } from './types.ts';
export { MAX_STRING_LENGTH } from './values.ts';
