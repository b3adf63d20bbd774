/**
 * A module's subtrees as genesis JSON: the leaves under its roots exactly as stored, `{ path: value }`
 * in path order. Modules whose state has no other genesis form export it this way, so an exported
 * genesis restores every byte (and the app hash) without a converter per record type.
 */
import { ainError, ErrInvalidRequest } from './errors.ts';
import type { ReadableState, StateValue, WritableState } from './state.ts';

/** Leaves by path, as stored. */
export type SubtreeLeaves = Record<string, StateValue>;

/** Most leaves one module exports (a bound on memory; far above any chain this code runs). */
export const MAX_EXPORTED_LEAVES = 50_000_000;

const under = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

/** Every leaf under `roots`, in path order. */
export function exportSubtrees(state: ReadableState, roots: readonly string[]): SubtreeLeaves {
  const leaves: SubtreeLeaves = {};
  for (const root of roots) for (const [path, value] of state.list(root, MAX_EXPORTED_LEAVES)) leaves[path] = value;
  return leaves;
}

/**
 * Writes exported leaves back. Each path must lie under one of `roots` and each value be a string, a
 * finite number or a boolean; `field` names the genesis section in errors.
 */
export function importSubtrees(state: WritableState, leaves: SubtreeLeaves | undefined, roots: readonly string[], field: string): void {
  if (leaves === undefined) return;
  if (typeof leaves !== 'object' || leaves === null || Array.isArray(leaves))
    throw ainError(ErrInvalidRequest, `${field} must be an object of path: value`);
  for (const [path, value] of Object.entries(leaves)) {
    if (!roots.some((root) => under(path, root)))
      throw ainError(ErrInvalidRequest, `${field} has "${path}", outside this module's subtrees ${roots.join(', ')}`);
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw ainError(ErrInvalidRequest, `${field}["${path}"] must be a string, a finite number or a boolean`);
    state.set(path, value);
  }
}
