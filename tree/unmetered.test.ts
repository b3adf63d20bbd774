/**
 * `unmeteredView` (core) through the views a tx stacks up: a gas meter over an overlay, an overlay
 * over a meter (a native function's branch). The lookups the shards module's guard makes read the
 * same leaves, own writes included, and charge nothing.
 */
import { describe, expect, it } from 'vitest';
import { GasMeter, GasMeteredState, unmeteredView } from '../core/index.ts';
import { EMPTY_STATE, Overlay } from './overlay.ts';

describe('unmeteredView', () => {
  it('reads under a gas meter, and under an overlay over one, without charging', () => {
    const block = new Overlay(EMPTY_STATE);
    block.set('/shards/branched/chat', true);
    const gas = new GasMeter(0);
    const tx = new GasMeteredState(block.child(), gas);
    tx.set('/apps/x/y', 1);
    const used = gas.consumed;
    const view = unmeteredView(tx);
    expect(view.get('/shards/branched/chat')).toBe(true);
    expect(view.get('/apps/x/y')).toBe(1);
    expect(gas.consumed).toBe(used);

    const branch = new Overlay(tx);
    branch.set('/apps/x/z', 2);
    const through = unmeteredView(branch);
    expect([through.get('/apps/x/z'), through.get('/apps/x/y'), through.get('/shards/branched/chat')]).toEqual([2, 1, true]);
    expect(through.list('/apps/x', 10)).toEqual([
      ['/apps/x/y', 1],
      ['/apps/x/z', 2],
    ]);
    expect(gas.consumed).toBe(used);
    // A view with no meter below is itself.
    expect(unmeteredView(block)).toBe(block);
  });
});
