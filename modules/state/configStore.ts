/**
 * Reading configs back from their subtrees: the config stored for an exact pattern, and the owner
 * config governing a path (the closest at or above it).
 */
import { AinError, ErrUnauthorized } from '../../core/index.ts';
import type { ReadableState, JsonValue } from '../../core/index.ts';
import { readStoredConfig } from './configs.ts';
import { type ConfigKind, configPath, isStorablePath, MAX_PATTERN_DEPTH, parseConfigPattern, type parsePattern, pathOf } from './keys.ts';

/**
 * The config of `kind` set for exactly this pattern (variable names included), without its
 * `pattern` key; null when there is none, or the path is outside `/apps/<app>`.
 * @throws AinError state/3 or store/1-5 for a malformed pattern
 */
export function readConfig(state: ReadableState, kind: ConfigKind, path: string): Readonly<Record<string, JsonValue>> | null {
  let pattern: ReturnType<typeof parsePattern>;
  try {
    pattern = parseConfigPattern(kind, path);
  } catch (error) {
    if (error instanceof AinError && error.is(ErrUnauthorized)) return null;
    throw error;
  }
  const at = configPath(kind, pattern.storageLabels);
  const leaf = state.get(at);
  if (leaf === undefined) return null;
  const stored = readStoredConfig(leaf, at);
  return stored.pattern === pattern.path ? stored.config : null;
}

/** An owner config and the path it was set at. */
export interface OwnerAt {
  readonly path: string;
  readonly config: Readonly<Record<string, JsonValue>>;
}

/**
 * The owner config governing `labels[0..upTo)`: the closest one at or above it, walking up with one
 * `get` per level down to `/apps/<app>`. Labels may be a rule pattern's (`$user` levels hold no owner).
 */
export function closestOwner(state: ReadableState, labels: readonly string[], upTo = labels.length): OwnerAt | undefined {
  for (let depth = Math.min(upTo, MAX_PATTERN_DEPTH); depth >= 2; depth--) {
    const at = configPath('owner', labels.slice(0, depth));
    // A value path near the store's key bound has no owner config at its own depth: `/owners/...` is 7
    // bytes longer and past the bound, where parseConfigPattern refuses a config.
    if (!isStorablePath(at)) continue;
    const leaf = state.get(at);
    if (leaf !== undefined) return { path: pathOf(labels.slice(0, depth)), config: readStoredConfig(leaf, at).config };
  }
  return undefined;
}
