/**
 * `list(path, limit, from)`, the read that seeks (query pages start at their key): in every state
 * it equals the full list of the subtree filtered to the leaves at or after `from` in path order, cut
 * to `limit`. Checked against a model on the lmdb store (with commitAsync blocks still being written),
 * through overlays with sets and deletes, through the gas meter (same formula as any list), and at
 * older heights.
 */
import { describe, expect, it } from 'vitest';
import { GasMeter, GasMeteredState } from '../../core/index.ts';
import type { ReadableState, StateValue } from '../../core/index.ts';
import { EMPTY_STATE, Overlay, comparePaths, isAtOrUnder, rng } from '../index.ts';
import { apply, fresh, randomWrites } from './listModel.fixture.ts';

const LISTED = ['/', '/a', '/a/1', '/a/2/x', '/ab', '/zz'];
const FROMS = ['/', '/0', '/a', '/a/0', '/a/1', '/a/1/x', '/a/1/x/z/deeper', '/a/1!', '/a/10', '/a/3', '/a!', '/b', '/\uffff'];

/** `list(prefix, limit, from)` of `read` agrees with the model, for every prefix, start and limit. */
function expectListsFrom(
  read: (prefix: string, limit: number, from?: string) => Array<[string, StateValue]>,
  model: ReadonlyMap<string, StateValue>,
  label: string,
): void {
  const all = [...model].sort(([a], [b]) => comparePaths(a, b));
  const froms = [...FROMS, ...all.slice(0, 4).map(([p]) => p)];
  for (const prefix of LISTED) {
    const under = all.filter(([p]) => isAtOrUnder(p, prefix));
    expect(read(prefix, Infinity), `${label}: list ${prefix}`).toEqual(under);
    for (const from of froms) {
      const after = under.filter(([p]) => comparePaths(p, from) >= 0);
      for (const limit of [0, 1, 2, 5, Infinity]) {
        expect(read(prefix, limit, from), `${label}: list ${prefix} ${limit} from ${from}`).toEqual(after.slice(0, limit));
      }
    }
  }
}

describe('list from a path', () => {
  it('seeks on the lmdb store, with commitAsync blocks in flight, and at every retained height', async () => {
    const state = fresh();
    const next = rng(41);
    const models: Array<Map<string, StateValue>> = [new Map()];
    const inflight: Array<Promise<void>> = [];
    for (let h = 1; h <= 10; h++) {
      const writes = randomWrites(next, 20);
      if (h % 4 === 0) {
        // A synchronous commit waits for the blocks in flight.
        await Promise.all(inflight.splice(0));
        state.commit(state.prepare(writes), BigInt(h));
      } else inflight.push(state.commitAsync(state.prepare(writes), BigInt(h)));
      models.push(apply(models[h - 1]!, writes));
      expectListsFrom((p, l, f) => state.list(p, l, f), models[h]!, `height ${h}`);
      for (let k = Math.max(1, h - 4); k < h; k++) {
        expectListsFrom((p, l, f) => state.listAt(p, l, BigInt(k), f), models[k]!, `at ${k} of ${h}`);
        const view = state.stateAt(BigInt(k));
        expectListsFrom((p, l, f) => view.list(p, l, f), models[k]!, `view at ${k} of ${h}`);
      }
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    expectListsFrom((p, l, f) => state.list(p, l, f), models[10]!, 'written');
    expectListsFrom((p, l, f) => state.listAt(p, l, 8n, f), models[8]!, 'written, at 8');
  });

  it('merges overlays with sets and deletes over the store from the same point', () => {
    const state = fresh();
    const next = rng(42);
    let model = new Map<string, StateValue>();
    for (let h = 1; h <= 3; h++) {
      const writes = randomWrites(next, 30);
      state.commit(state.prepare(writes), BigInt(h));
      model = apply(model, writes);
    }
    for (let round = 0; round < 20; round++) {
      const block = new Overlay(state);
      const blockWrites = randomWrites(next, 10);
      for (const [p, v] of blockWrites) block.set(p, v);
      const tx = block.child();
      const txWrites = randomWrites(next, 6);
      for (const [p, v] of txWrites) tx.set(p, v);
      const blockModel = apply(model, blockWrites);
      expectListsFrom((p, l, f) => block.list(p, l, f), blockModel, `block ${round}`);
      expectListsFrom((p, l, f) => tx.list(p, l, f), apply(blockModel, txWrites), `tx ${round}`);
    }
  });

  it('through the gas meter: the leaves of a list from the path, charged by the formula of every list', () => {
    const state = fresh();
    const next = rng(43);
    const writes = randomWrites(next, 60);
    state.commit(state.prepare(writes), 1n);
    const tx = new Overlay(new Overlay(state));
    const txWrites = randomWrites(next, 10);
    for (const [p, v] of txWrites) tx.set(p, v);
    const model = apply(apply(new Map(), writes), txWrites);
    // The charge of a plain list of a state holding just those leaves: the formula of every list.
    const chargeOf = (prefix: string, entries: Array<[string, StateValue]>) => {
      const only = new Overlay(EMPTY_STATE);
      for (const [p, v] of entries) only.set(p, v);
      const meter = new GasMeter(0);
      new GasMeteredState(only, meter).list(prefix, Infinity);
      return meter.consumed;
    };
    expectListsFrom(
      (p, l, f) => {
        const meter = new GasMeter(0);
        const entries = new GasMeteredState(tx, meter).list(p, l, f);
        expect(meter.consumed).toBe(chargeOf(p, entries));
        return entries;
      },
      model,
      'metered',
    );
  });

  it('refuses an invalid start path like an invalid listed path', () => {
    const state = fresh();
    const views: ReadableState[] = [state, new Overlay(state), state.stateAt(0n)];
    for (const view of views) expect(() => view.list('/a', 5, '/a//b')).toThrow(/empty label/);
  });
});
