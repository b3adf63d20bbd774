import type { EventCollector } from './events.ts';
import type { GasMeter } from './gas.ts';
import type { WritableState } from './state.ts';

/**
 * How a transaction is being run. `check` and `recheck` run against the mempool's state, `simulate`
 * against committed state with no signature check, `deliver` inside FinalizeBlock.
 */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver';

/**
 * What a block phase (genesis, end of block) may know: the block's state, events and header fields.
 * No clock, no randomness, no I/O.
 */
export interface BlockContext {
  /** The state this phase may change (gas-metered inside a tx, unmetered in block hooks). */
  readonly state: WritableState;
  readonly gas: GasMeter;
  readonly events: EventCollector;
  readonly height: bigint;
  /** Block time from the header (seconds since epoch), never the local clock. */
  readonly blockTimeSeconds: bigint;
}

/**
 * What InitChain hands a module's genesis: a block phase's context and the id of the chain the genesis
 * starts (records a chain writes under its own id, such as the source of a packet it sent, are
 * checked against it).
 */
export interface GenesisContext extends BlockContext {
  readonly chainId: string;
}

/** Everything a keeper or message handler may know while running a transaction. */
export interface Context extends BlockContext {
  readonly chainId: string;
  readonly mode: ExecMode;
}

/** What moving coins needs: the state, somewhere to put the transfer events, and the block time (vesting coins unlock with it). */
export type CoinContext = Pick<BlockContext, 'state' | 'events' | 'blockTimeSeconds'>;
