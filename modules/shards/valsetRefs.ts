/**
 * Reference counts of a link's validator sets, so that pruning headers deletes the sets no retained
 * header names any more, at a cost of the headers pruned (no scan). A header names its validators'
 * set and its next validators' set (one count when both are the same); `R/valset_refs/<hash>` holds
 * how many counted headers name the set, and is deleted at zero with the set (unless the trusted
 * state still names it).
 *
 * Chains that stored headers before the counts existed have headers and sets with no count: a
 * missing count never means zero. The first header a link stores with counting writes its height to
 * `R/valset_refs_from`; headers below it are not counted, and pruning one changes no count and
 * deletes no set. Pruning walks up from the oldest header, so once it reaches a counted header every
 * uncounted one is gone and a count of zero means no stored header names the set. Sets only
 * uncounted headers named, and the trust root's set when no header names it, stay (bounded: written
 * once, never again).
 */
import type { WritableState } from '../../core/index.ts';
import type { ConsensusState } from '../../proto/gen/ain/shards/v1/types.ts';
import { valsetPath, valsetRefsFromPath, valsetRefsPath } from './keys.ts';

/** The sets a header names, each once. */
export const setsNamedBy = (header: ConsensusState): string[] =>
  header.validatorsHash === header.nextValidatorsHash ? [header.validatorsHash] : [header.validatorsHash, header.nextValidatorsHash];

const countAt = (state: WritableState, path: string): bigint | undefined => {
  const text = state.get(path);
  return typeof text === 'string' ? BigInt(text) : undefined;
};

/** Counts a header being stored on the link at `root` (its sets are written already). */
export function holdSets(state: WritableState, root: string, header: ConsensusState): void {
  if (state.get(valsetRefsFromPath(root)) === undefined) state.set(valsetRefsFromPath(root), header.height.toString());
  for (const hash of setsNamedBy(header)) {
    const path = valsetRefsPath(root, hash);
    state.set(path, ((countAt(state, path) ?? 0n) + 1n).toString());
  }
}

/**
 * Uncounts a header being pruned; deletes each set it was the last counted header to name, unless
 * `client` (the trusted state, after the report) names it. Returns the hashes of the sets deleted.
 */
export function releaseSets(state: WritableState, root: string, header: ConsensusState, client: ConsensusState): string[] {
  const from = countAt(state, valsetRefsFromPath(root));
  if (from === undefined || header.height < from) return [];
  const deleted: string[] = [];
  for (const hash of setsNamedBy(header)) {
    const path = valsetRefsPath(root, hash);
    const count = countAt(state, path);
    // No count: written before counting; never taken for zero.
    if (count === undefined) continue;
    if (count > 1n) {
      state.set(path, (count - 1n).toString());
      continue;
    }
    // The trusted state is the latest header, counted: never reached; if it were, over-counting is the safe side.
    if (hash === client.validatorsHash || hash === client.nextValidatorsHash) continue;
    state.set(path, null);
    state.set(valsetPath(root, hash), null);
    deleted.push(hash);
  }
  return deleted;
}
