/**
 * Errors of the write-rule language, codespace `rules`. Append-only: codes are never renumbered or
 * reused. Codes 1-3 refuse a rule when it is set (a user's mistake, with the position in the
 * message); 4 is raised while a rule runs; 5 is a misuse by the host (a bug in the caller).
 *
 * A rule that evaluates to false, or fails at run time (member of null, division by zero, ...), is
 * not an error: `evaluateRule` returns `{ allowed: false, reason }`.
 */
import { registerError } from '../../../core/index.ts';

export const RULES = 'rules';

/** The source is not a rule: an unexpected character or token. The detail ends with `at line:column`. */
export const ErrRuleSyntax = registerError(RULES, 1, 'syntax error');
/** The source, its nesting or its node count exceeds the bounds (`MAX_RULE_SOURCE_LENGTH`, ...). */
export const ErrRuleTooLarge = registerError(RULES, 2, 'rule too large');
/** The type checker refused the rule: unknown identifier or function, wrong arity, wrong types. */
export const ErrRuleType = registerError(RULES, 3, 'rule type error');
/** Evaluating the rule used more gas than its limit. */
export const ErrRuleOutOfGas = registerError(RULES, 4, 'out of gas');
/** The host passed a context, rule or gas limit that breaks `evaluateRule`'s contract. */
export const ErrRuleInvalidContext = registerError(RULES, 5, 'invalid rule context');
