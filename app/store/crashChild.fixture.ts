/**
 * Test fixture for committedState.test.ts: commits blocks in a loop until it is killed.
 * Block h sets /height = h, /counter/0..999 = h and 300 new leaves /blocks/h/0..299, so every commit
 * rewrites a large part of the tree. Prints each committed height on stdout.
 * Usage: node --import tsx crashChild.fixture.ts DIR
 */
import { openCommittedState } from './committedState.ts';
import type { StateWrite } from './types.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: crashChild.fixture.ts DIR');
const state = openCommittedState(dir);
for (let h = state.height + 1n; ; h++) {
  const writes = new Map<string, StateWrite>();
  writes.set('/height', Number(h));
  for (let i = 0; i < 1000; i++) writes.set(`/counter/${i}`, Number(h));
  for (let i = 0; i < 300; i++) writes.set(`/blocks/${h}/${i}`, `block ${h} leaf ${i}`);
  state.commit(state.prepare(writes), h, new Map([['last', String(h)]]));
  process.stdout.write(`${h}\n`);
}
