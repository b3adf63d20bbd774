/**
 * Test helpers of the list tests (`listFrom`, `listReverse`): a fresh lmdb store removed after each
 * test, random writes on paths where path order and plain string order differ, and a model to apply
 * them to.
 */
import { afterEach } from 'vitest';
import type { StateValue, StateWrite } from '../../core/index.ts';
import { randomValue, tempDir } from '../index.ts';
import { type CommittedState, openCommittedState } from './committedState.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export function fresh(): CommittedState {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const state = openCommittedState(dir, { keepRecent: 6 });
  cleanups.push(() => state.close());
  return state;
}

/** Paths where path order and plain string order differ (`/a/1/x` before `/a/1!`, `/a` before `/a/0`). */
function randomPath(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const r = next();
  if (r < 0.05) return '/a';
  if (r < 0.45) return `/a/${pick(['0', '1', '1!', '10', '2', 'b', 'b c'])}`;
  if (r < 0.8) return `/a/${pick(['0', '1', '1!', '2'])}/${pick(['x', 'y', 'x!', 'x/z'])}`;
  return `/${pick(['a!', 'ab', 'b', '\u00e9', '\ud83d\ude00'])}`;
}

export function randomWrites(next: () => number, size: number): Map<string, StateWrite> {
  const writes = new Map<string, StateWrite>();
  for (let i = 0; i < size; i++) writes.set(randomPath(next), next() < 0.3 ? null : randomValue(next));
  return writes;
}

export function apply(model: ReadonlyMap<string, StateValue>, writes: ReadonlyMap<string, StateWrite>): Map<string, StateValue> {
  const out = new Map(model);
  for (const [p, v] of writes) {
    if (v === null) out.delete(p);
    else out.set(p, v);
  }
  return out;
}
