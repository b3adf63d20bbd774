import type { EventCollector } from './events.ts';
import type { GasMeter } from './gas.ts';
import type { ChainParams } from '../app/params.ts';
import type { WritableState } from './state.ts';

/**
 * How a transaction is being run. `check` and `recheck` run against the mempool's state, `simulate`
 * against committed state with no signature check, `deliver` inside FinalizeBlock.
 */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver';

/** Everything a keeper or handler may know while running: no clock, no randomness, no I/O. */
export interface Context {
  /** Gas-metered view of the state this tx may change. */
  readonly state: WritableState;
  readonly gas: GasMeter;
  readonly events: EventCollector;
  readonly params: ChainParams;
  readonly chainId: string;
  readonly height: bigint;
  /** Block time from the header (seconds since epoch), never the local clock. */
  readonly blockTimeSeconds: bigint;
  readonly mode: ExecMode;
}
