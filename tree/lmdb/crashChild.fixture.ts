/**
 * Test fixture for committedState.test.ts: commits blocks in a loop until it is killed.
 * Block h sets /height = h, /counter/0..999 = h and 300 new leaves /blocks/h/0..299, so every commit
 * rewrites a large part of the tree. Prints each height once it is durable.
 * Usage: node --import tsx crashChild.fixture.ts DIR [sync|async]
 * (async: commitAsync, up to three blocks in flight).
 */
import { openCommittedState } from './committedState.ts';
import type { StateWrite } from '../../core/index.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: crashChild.fixture.ts DIR');
const mode = process.argv[3] ?? 'sync';
const state = openCommittedState(dir);
const inflight: Array<Promise<void>> = [];
for (let h = state.height + 1n; ; h++) {
  const writes = new Map<string, StateWrite>();
  writes.set('/height', Number(h));
  for (let i = 0; i < 1000; i++) writes.set(`/counter/${i}`, Number(h));
  for (let i = 0; i < 300; i++) writes.set(`/blocks/${h}/${i}`, `block ${h} leaf ${i}`);
  const meta = new Map([['last', String(h)]]);
  if (mode === 'async') {
    inflight.push(state.commitAsync(state.prepare(writes), h, meta).then(() => void process.stdout.write(`${h}\n`)));
    if (inflight.length >= 3) await inflight.shift();
  } else {
    state.commit(state.prepare(writes), h, meta);
    process.stdout.write(`${h}\n`);
  }
}
