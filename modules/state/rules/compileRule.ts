import type { RuleAst } from './ast.ts';
import { type CheckOptions, checkRule } from './checkRule.ts';
import { parseRule } from './parseRule.ts';

/** A rule that was parsed and type-checked; only {@link compileRule} makes one. */
export interface CompiledRule {
  readonly source: string;
  readonly ast: RuleAst;
}

const compiled = new WeakSet<object>();

/**
 * Parses and type-checks a rule, ready for `evaluateRule`. Hosts should cache the result per source.
 * @throws AinError rules/1 (syntax), rules/2 (too large) or rules/3 (type), naming `line:column`
 * @example const rule = compileRule("auth.addr == $user && isString(newData)")
 */
export function compileRule(source: string, options: CheckOptions = {}): CompiledRule {
  const ast = parseRule(source);
  checkRule(ast, options);
  const rule: CompiledRule = Object.freeze({ source: ast.source, ast });
  compiled.add(rule);
  return rule;
}

/** Whether `value` was made by {@link compileRule}. */
export function isCompiledRule(value: unknown): value is CompiledRule {
  return typeof value === 'object' && value !== null && compiled.has(value);
}
