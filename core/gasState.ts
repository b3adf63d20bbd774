import { type GasMeter, STATE_GAS } from './gas.ts';
import type { ReadableState, StateValue, StateWrite, WritableState } from './state.ts';

/** Size in bytes used for gas: the path's and the value's UTF-16 length, cheap and deterministic. */
function valueSize(value: StateValue): number {
  return typeof value === 'string' ? value.length : 8;
}

/** A state view that charges gas for every read and write before doing it. */
export class GasMeteredState implements WritableState {
  constructor(
    private readonly inner: WritableState,
    private readonly gas: GasMeter,
  ) {}

  /** The state beneath, without this meter or any below it (see {@link unmeteredView}). */
  get unmetered(): ReadableState {
    return unmeteredView(this.inner);
  }

  get(path: string): StateValue | undefined {
    this.gas.consume(STATE_GAS.readFlat, 'ReadFlat');
    const value = this.inner.get(path);
    this.gas.consume(STATE_GAS.readPerByte * (path.length + (value === undefined ? 0 : valueSize(value))), 'ReadPerByte');
    return value;
  }

  /** Charged by one formula either way: a flat cost, and per leaf returned its count and bytes. */
  list(path: string, limit: number, from?: string, reverse = false): Array<[string, StateValue]> {
    this.gas.consume(STATE_GAS.listFlat, 'IterFlat');
    const entries = this.inner.list(path, limit, from, reverse);
    let bytes = 0;
    for (const [p, v] of entries) bytes += p.length + valueSize(v);
    this.gas.consume(STATE_GAS.listPerItem * entries.length + STATE_GAS.readPerByte * bytes, 'IterNextPerItem');
    return entries;
  }

  set(path: string, value: StateWrite): void {
    if (value === null) {
      this.gas.consume(STATE_GAS.deleteFlat, 'Delete');
    } else {
      this.gas.consume(STATE_GAS.writeFlat, 'WriteFlat');
      this.gas.consume(STATE_GAS.writePerByte * (path.length + valueSize(value)), 'WritePerByte');
    }
    this.inner.set(path, value);
  }
}

/**
 * The state under a gas meter, read without charging: for a lookup that must cost nothing unless it
 * finds something (the shards module's guard of branched paths, asked before every value write).
 */
export function unmeteredView(state: ReadableState): ReadableState {
  // A view that meters (or sits over a meter, like an Overlay over a tx's state) offers `unmetered`.
  return (state as { readonly unmetered?: ReadableState }).unmetered ?? state;
}
