/**
 * A small cache of compiled rules, keyed by the pattern's variables and the source. Compiling is pure,
 * so the cache changes speed only, never a result: a hit returns what compiling again would.
 */
import { RecentResults } from '../../core/index.ts';
import { type CompiledRule, compileRule } from './rules/index.ts';

/** Most compiled rules kept; the least recently used goes first. */
export const RULE_CACHE_SIZE = 256;

const cache = new RecentResults<CompiledRule>(RULE_CACHE_SIZE);

/**
 * The compiled rule for `source` under a pattern binding `vars` (with their `$`).
 * @throws AinError rules/1-3 when the source does not compile (never cached)
 */
export function compiledRule(source: string, vars: readonly string[]): CompiledRule {
  const key = `${vars.join(',')}\n${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rule = compileRule(source, { vars });
  cache.remember(key, rule);
  return rule;
}
