/**
 * Test helper of the pagination tests: an in-memory state answering `list` as the tree does (from a
 * path, forwards or backwards), counting the leaves it returns, and a subtree `/r` of numbered items.
 */
import { comparePathKeys } from './pagination.ts';
import type { ReadableState, StateValue } from './state.ts';

/** An in-memory state answering `list` as the tree does, counting the leaves each page reads. */
export class CountingState implements ReadableState {
  readonly #sorted: Array<[string, StateValue]>;
  leavesRead = 0;
  calls = 0;

  constructor(leaves: ReadonlyArray<[string, StateValue]>) {
    this.#sorted = [...leaves].sort(([a], [b]) => comparePathKeys(a, b));
  }

  get(path: string): StateValue | undefined {
    return this.#sorted.find(([p]) => p === path)?.[1];
  }

  list(path: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
    this.calls++;
    const out: Array<[string, StateValue]> = [];
    const order = reverse ? -1 : 1;
    for (const leaf of reverse ? [...this.#sorted].reverse() : this.#sorted) {
      if (out.length >= limit) break;
      if (leaf[0] !== path && !leaf[0].startsWith(`${path}/`)) continue;
      if (from !== undefined && order * comparePathKeys(leaf[0], from) < 0) continue;
      out.push(leaf);
    }
    this.leavesRead += out.length;
    return out;
  }
}

export const pad = (n: number) => String(n).padStart(4, '0');

/** Item `i` of `/r` has `1 + i % spread` leaves; `/q` and `/r!` (outside the subtree) have some too. */
export function subtree(items: number, spread: number): CountingState {
  const leaves: Array<[string, StateValue]> = [
    ['/q/0001', 1],
    ['/r!/0001', 1],
  ];
  for (let i = 0; i < items; i++) for (let j = 0; j < 1 + (i % spread); j++) leaves.push([`/r/${pad(i)}/f${j}`, i]);
  return new CountingState(leaves);
}
