/**
 * Rule matching: which rule configs apply to a concrete path. Patterns live in `/rules` with each
 * `$name` level stored as `$`, so the candidates for `/apps/blog/posts/ain1x/p1` are the nodes
 * reachable by taking, at each level below `/rules/apps/blog`, the literal label or `$`.
 *
 * The search is a depth-first walk, literal before `$`, that prunes a node as soon as nothing is
 * stored at or under it (`list(node, 1)` is empty). The write rule is the deepest config with a
 * `write` expression; at equal depth the first found wins, i.e. the one whose literal labels come
 * earliest. Every matching config with `state` limits is collected too. The walk visits at most
 * {@link MAX_RULE_SEARCH_NODES} nodes per path.
 */
import { ainError } from '../../core/index.ts';
import type { ReadableState, StateValue } from '../../core/index.ts';
import { asRuleConfig, readStoredConfig, type RuleConfig } from './configs.ts';
import { ErrRuleSearchLimit } from './errors.ts';
import { isStorablePath, labelsOf, pathOf, RULES_ROOT, VARIABLE_LABEL } from './keys.ts';

/** Most pattern nodes one rule search may visit. */
export const MAX_RULE_SEARCH_NODES = 256;

/** A rule config that matches a concrete path. */
export interface RuleMatch {
  /** The pattern as set, e.g. `/apps/blog/posts/$user`. */
  readonly pattern: string;
  /** The concrete node the pattern matched: the path's prefix of the pattern's length. */
  readonly node: string;
  /** Labels in the pattern (= in `node`). */
  readonly depth: number;
  readonly config: RuleConfig;
  /** Each `$var` of the pattern (with its `$`) bound to the label it matched, in pattern order. */
  readonly vars: Readonly<Record<string, string>>;
}

export interface RuleSearch {
  /** The rule deciding writes: the deepest matching config with a `write` expression. */
  readonly write: RuleMatch | undefined;
  /** Every matching config with `state` limits, shallowest first. */
  readonly limits: readonly RuleMatch[];
}

/**
 * Searches rules over one state view; caches node listings and results, so use a fresh matcher
 * whenever the rules may have changed.
 */
export class RuleMatcher {
  private readonly firstLeaf = new Map<string, [string, StateValue] | null>();
  private readonly results = new Map<string, RuleSearch>();

  constructor(private readonly state: ReadableState) {}

  /**
   * The rules matching the value path with these labels (`['apps', app, ...]`).
   * @throws AinError state/17 past {@link MAX_RULE_SEARCH_NODES} visited nodes
   */
  search(labels: readonly string[]): RuleSearch {
    const path = pathOf(labels);
    const cached = this.results.get(path);
    if (cached) return cached;
    let visited = 0;
    let best: RuleMatch | undefined;
    const limits: RuleMatch[] = [];
    const storage: string[] = [];
    const visit = (depth: number): void => {
      visited++;
      if (visited > MAX_RULE_SEARCH_NODES) {
        throw ainError(
          ErrRuleSearchLimit,
          `matching a rule for ${path} visits more than ${MAX_RULE_SEARCH_NODES} pattern nodes; use fewer overlapping $variable patterns`,
          {
            path,
            max: MAX_RULE_SEARCH_NODES,
          },
        );
      }
      const node = `${RULES_ROOT}/${storage.join('/')}`;
      const first = this.first(node);
      if (first === null) return;
      if (first[0] === node) {
        const stored = readStoredConfig(first[1], node);
        const config = asRuleConfig(stored.config);
        const match = bind(stored.pattern, labels, storage, depth, config);
        if (config.write !== undefined && (best === undefined || depth > best.depth)) best = match;
        if (config.state !== undefined) limits.push(match);
      }
      if (depth === labels.length) return;
      storage.push(labels[depth]!);
      visit(depth + 1);
      storage[depth] = VARIABLE_LABEL;
      visit(depth + 1);
      storage.pop();
    };
    if (labels.length >= 2 && labels[0] === 'apps') {
      storage.push('apps', labels[1]!);
      visit(2);
    }
    limits.sort((a, b) => a.depth - b.depth);
    const result: RuleSearch = { write: best, limits };
    this.results.set(path, result);
    return result;
  }

  private first(node: string): [string, StateValue] | null {
    let entry = this.firstLeaf.get(node);
    if (entry === undefined) {
      // A node past the store's key bound (a value path near it, under `/rules`) holds no rule.
      entry = isStorablePath(node) ? (this.state.list(node, 1)[0] ?? null) : null;
      this.firstLeaf.set(node, entry);
    }
    return entry;
  }
}

function bind(pattern: string, labels: readonly string[], storage: readonly string[], depth: number, config: RuleConfig): RuleMatch {
  const patternLabels = labelsOf(pattern);
  const vars: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < depth; i++) if (storage[i] === VARIABLE_LABEL) vars[patternLabels[i]!] = labels[i]!;
  return { pattern, node: pathOf(labels.slice(0, depth)), depth, config, vars };
}
