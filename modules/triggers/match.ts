/** Finding the function a value write fires, over the state module's `/functions` subtree. */
import { ainError } from '../../core/index.ts';
import type { ReadableState, JsonValue } from '../../core/index.ts';
import {
  readStoredConfig,
  FUNCTIONS_ROOT,
  isStorablePath,
  labelsOf,
  pathOf,
  VARIABLE_LABEL,
  MAX_FUNCTION_SEARCH_NODES,
  type TriggerFunction,
} from '../state/index.ts';
import { ErrFunctionSearchLimit } from './errors.ts';

/** A function config matching a written value path. */
export interface FunctionMatch {
  /** The pattern as set, e.g. `/apps/a/transfer/$from/$to/$key/value`. */
  readonly pattern: string;
  readonly config: TriggerFunction;
  /** Each `$var` (with its `$`) bound to the label it matched. */
  readonly vars: Readonly<Record<string, string>>;
}

/**
 * The function a write at the value path with these labels fires: among function patterns of the
 * same length matching every label (literal or `$`), the first found by a depth-first walk that
 * tries the literal label before `$` (so literal labels earlier in the path win, as for rules).
 * Prunes empty nodes; visits at most {@link MAX_FUNCTION_SEARCH_NODES} nodes.
 * @throws AinError triggers/9 past the visit bound
 */
export function matchFunction(state: ReadableState, labels: readonly string[]): FunctionMatch | undefined {
  if (labels.length < 2 || labels[0] !== 'apps') return undefined;
  let visited = 0;
  const storage: string[] = ['apps', labels[1]!];
  const visit = (depth: number): FunctionMatch | undefined => {
    if (++visited > MAX_FUNCTION_SEARCH_NODES) {
      throw ainError(
        ErrFunctionSearchLimit,
        `matching a function for ${pathOf(labels)} visits more than ${MAX_FUNCTION_SEARCH_NODES} nodes`,
        {
          path: pathOf(labels),
        },
      );
    }
    const node = `${FUNCTIONS_ROOT}/${storage.join('/')}`;
    // A value path near the store's key bound can name a node past it: no config can be stored there.
    if (!isStorablePath(node)) return undefined;
    const first = state.list(node, 1)[0];
    if (!first) return undefined;
    if (depth === labels.length) {
      if (first[0] !== node) return undefined;
      const stored = readStoredConfig(first[1], node);
      const names = labelsOf(stored.pattern);
      const vars: Record<string, string> = Object.create(null) as Record<string, string>;
      storage.forEach((label, i) => {
        if (label === VARIABLE_LABEL) vars[names[i]!] = labels[i]!;
      });
      return { pattern: stored.pattern, config: stored.config as unknown as TriggerFunction, vars };
    }
    storage.push(labels[depth]!);
    const literal = visit(depth + 1);
    if (literal) return literal;
    storage[depth] = VARIABLE_LABEL;
    const variable = visit(depth + 1);
    storage.pop();
    return variable;
  };
  return visit(2);
}

/** The output path of a call: the config's `output_path` with the trigger's `$vars` substituted. */
export function substituteVars(pattern: string, vars: Readonly<Record<string, string>>): string {
  return pathOf(labelsOf(pattern).map((label) => (label.startsWith('$') ? (vars[label] ?? label) : label)));
}

/** JSON text of a written value for a call record (the value as it was written). */
export const valueText = (value: JsonValue): string => JSON.stringify(value);
