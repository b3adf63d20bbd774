/**
 * Helpers for the state module's unit tests: a context over an in-memory overlay, addresses, and a
 * way to catch AinErrors.
 */
import { AinError, EventCollector, GasMeter, GasMeteredState } from '../../core/index.ts';
import { EMPTY_STATE, Overlay } from '../../tree/index.ts';
import { ALICE, BOB } from './rules/testEnv.fixture.ts';
import type { StateContext, Writer } from './keeper.ts';

export { ALICE, BOB };
export const CAROL = 'ain1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnwxcs6';

export interface TestContext extends StateContext {
  readonly store: Overlay;
  readonly gas: GasMeter;
  readonly events: EventCollector;
}

/** A context whose state is a gas-metered view of `store` (default: a fresh overlay over nothing). */
export function testContext(store: Overlay = new Overlay(EMPTY_STATE), gasLimit = 0): TestContext {
  const gas = new GasMeter(gasLimit);
  return {
    store,
    state: new GasMeteredState(store, gas),
    gas,
    events: new EventCollector(),
    height: 42n,
    blockTimeSeconds: 1_700_000_000n,
  };
}

export const as = (addr: string): Writer => ({ addr, fid: null });

export function thrown(fn: () => unknown): AinError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  throw new Error('expected an AinError');
}
