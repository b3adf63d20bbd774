/**
 * A block context over an empty in-memory state, for module unit tests (no store, no app); with a
 * chain id, so a module's genesis `init` takes it too.
 */
import type { GenesisContext } from '../../core/context.ts';
import { EventCollector } from '../../core/events.ts';
import { GasMeter } from '../../core/gas.ts';
import { EMPTY_STATE, Overlay } from '../../tree/overlay.ts';

export function emptyBlockContext(
  height = 1n,
  blockTimeSeconds = 1_700_000_000n,
  chainId = 'ain-test-1',
): GenesisContext & { state: Overlay } {
  return { state: new Overlay(EMPTY_STATE), gas: new GasMeter(0), events: new EventCollector(), height, blockTimeSeconds, chainId };
}

/** Every leaf an overlay holds, in path order (what a module wrote). */
export function leavesOf(state: Overlay): Array<[string, unknown]> {
  return state.list('/', 1_000_000);
}
