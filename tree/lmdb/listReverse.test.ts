/**
 * `list(path, limit, from, true)`, the read that goes backwards (queries' reverse pages): in every
 * state it equals the full forward list of the subtree, reversed, cut to the leaves at or before
 * `from` and to `limit`. Checked against a model on the lmdb store (with commitAsync blocks still
 * being written), at older heights (listAt and stateAt views), through overlays with sets and deletes
 * (random trees of three levels), through the gas meter (the formula of every list) and on EMPTY_STATE.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GasMeter, GasMeteredState } from '../../core/index.ts';
import type { ReadableState, StateValue } from '../../core/index.ts';
import { EMPTY_STATE, Overlay, comparePaths, isAtOrUnder, rng } from '../index.ts';
import { apply, fresh, randomWrites } from './listModel.fixture.ts';

const LISTED = ['/', '/a', '/a/1', '/a/2/x', '/ab', '/zz'];
const FROMS = ['/', '/0', '/a', '/a/0', '/a/1', '/a/1/x', '/a/1/x/z/deeper', '/a/1!', '/a/10', '/a/3', '/a!', '/b', '/\uffff'];

type Read = (prefix: string, limit: number, from?: string, reverse?: boolean) => Array<[string, StateValue]>;

/** `list(prefix, limit, from, true)` of `read` is the reversed forward list, for every prefix, start and limit. */
function expectReverseLists(read: Read, model: ReadonlyMap<string, StateValue>, label: string): void {
  const all = [...model].sort(([a], [b]) => comparePaths(a, b));
  const froms = [undefined, ...FROMS, ...all.slice(-4).map(([p]) => p)];
  for (const prefix of LISTED) {
    const under = all.filter(([p]) => isAtOrUnder(p, prefix));
    expect(read(prefix, Infinity), `${label}: forward ${prefix}`).toEqual(under);
    for (const from of froms) {
      const before = under.filter(([p]) => from === undefined || comparePaths(p, from) <= 0).reverse();
      for (const limit of [0, 1, 2, 5, Infinity]) {
        expect(read(prefix, limit, from, true), `${label}: reverse ${prefix} ${limit} from ${from}`).toEqual(before.slice(0, limit));
      }
    }
  }
}

describe('list in reverse', () => {
  it('reads the lmdb store backwards, with commitAsync blocks in flight, and at every retained height', async () => {
    const state = fresh();
    const next = rng(51);
    const models: Array<Map<string, StateValue>> = [new Map()];
    const inflight: Array<Promise<void>> = [];
    for (let h = 1; h <= 10; h++) {
      const writes = randomWrites(next, 20);
      if (h % 4 === 0) {
        await Promise.all(inflight.splice(0));
        state.commit(state.prepare(writes), BigInt(h));
      } else inflight.push(state.commitAsync(state.prepare(writes), BigInt(h)));
      models.push(apply(models[h - 1]!, writes));
      expectReverseLists((p, l, f, r) => state.list(p, l, f, r), models[h]!, `height ${h}`);
      for (let k = Math.max(1, h - 4); k < h; k++) {
        expectReverseLists((p, l, f, r) => state.listAt(p, l, BigInt(k), f, r), models[k]!, `at ${k} of ${h}`);
        const view = state.stateAt(BigInt(k));
        expectReverseLists((p, l, f, r) => view.list(p, l, f, r), models[k]!, `view at ${k} of ${h}`);
      }
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    expectReverseLists((p, l, f, r) => state.list(p, l, f, r), models[10]!, 'written');
    expectReverseLists((p, l, f, r) => state.listAt(p, l, 8n, f, r), models[8]!, 'written, at 8');
  });

  it('merges overlays with sets and deletes over the store backwards (deletes shadow the parent)', () => {
    const state = fresh();
    const next = rng(52);
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
      expectReverseLists((p, l, f, r) => block.list(p, l, f, r), blockModel, `block ${round}`);
      expectReverseLists((p, l, f, r) => tx.list(p, l, f, r), apply(blockModel, txWrites), `tx ${round}`);
    }
  });

  it('equals the reversed forward list on random trees of overlays (property)', () => {
    const label = fc.constantFrom('a', 'b', 'a!', 'ab', '0', '\u00e9');
    const path = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `/${labels.join('/')}`);
    const writes = fc.array(fc.tuple(path, fc.option(fc.integer({ min: 0, max: 9 }), { nil: null })), { maxLength: 25 });
    fc.assert(
      fc.property(
        writes,
        writes,
        writes,
        path,
        fc.option(path, { nil: undefined }),
        fc.integer({ min: 0, max: 8 }),
        (w0, w1, w2, prefix, from, limit) => {
          const levels = [new Overlay(EMPTY_STATE)];
          levels.push(levels[0]!.child());
          levels.push(levels[1]!.child());
          [w0, w1, w2].forEach((ws, i) => {
            for (const [p, v] of ws) levels[i]!.set(p, v);
          });
          for (const level of levels) {
            const forward = level.list(prefix, Infinity);
            const expected = forward.filter(([p]) => from === undefined || comparePaths(p, from) <= 0).reverse();
            expect(level.list(prefix, limit, from, true)).toEqual(expected.slice(0, limit));
            expect(level.list(prefix, Infinity, from, true)).toEqual(expected);
          }
        },
      ),
      { seed: 53, numRuns: 500 },
    );
  });

  it('through the gas meter: charged by the formula of every list, as forwards', () => {
    const state = fresh();
    const next = rng(54);
    const writes = randomWrites(next, 60);
    state.commit(state.prepare(writes), 1n);
    const tx = new Overlay(new Overlay(state));
    const txWrites = randomWrites(next, 10);
    for (const [p, v] of txWrites) tx.set(p, v);
    const model = apply(apply(new Map(), writes), txWrites);
    const chargeOf = (prefix: string, entries: Array<[string, StateValue]>) => {
      const only = new Overlay(EMPTY_STATE);
      for (const [p, v] of entries) only.set(p, v);
      const meter = new GasMeter(0);
      new GasMeteredState(only, meter).list(prefix, Infinity);
      return meter.consumed;
    };
    expectReverseLists(
      (p, l, f, r) => {
        const meter = new GasMeter(0);
        const entries = new GasMeteredState(tx, meter).list(p, l, f, r);
        expect(meter.consumed).toBe(chargeOf(p, entries));
        return entries;
      },
      model,
      'metered',
    );
  });

  it('EMPTY_STATE lists nothing backwards, and an invalid start path is refused like a listed one', () => {
    expect(EMPTY_STATE.list('/a', 5, '/a/b', true)).toEqual([]);
    const state = fresh();
    const views: ReadableState[] = [state, new Overlay(state), state.stateAt(0n), EMPTY_STATE];
    for (const view of views) expect(() => view.list('/a', 5, '/a//b', true)).toThrow(/empty label/);
  });
});
