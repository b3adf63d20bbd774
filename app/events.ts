import type { Event } from 'cosmjs-types/tendermint/abci/types';

/**
 * A typed event: its ABCI type and its attributes in emission order. Modules define one constructor
 * per event (see `modules/bank/events.ts`); this file is the one place that turns them into ABCI.
 */
export interface TypedEvent {
  readonly type: string;
  readonly attributes: ReadonlyArray<readonly [key: string, value: string]>;
  /** Attribute keys that are not indexed; every other attribute is, so `tx_search` can find it. */
  readonly unindexed?: ReadonlySet<string>;
}

/** Encodes typed events into ABCI events with `index: true` on every searchable attribute. */
export function toAbciEvents(events: readonly TypedEvent[]): Event[] {
  return events.map((event) => ({
    type: event.type,
    attributes: event.attributes.map(([key, value]) => ({ key, value, index: !event.unindexed?.has(key) })),
  }));
}

/** Collects the events of one transaction or block phase; a failed transaction's collector is dropped. */
export class EventCollector {
  readonly events: TypedEvent[] = [];

  emit(event: TypedEvent): void {
    this.events.push(event);
  }

  /** Appends events of a nested scope that succeeded (e.g. one message of a tx). */
  append(events: readonly TypedEvent[], extraAttributes: ReadonlyArray<readonly [string, string]> = []): void {
    for (const event of events) {
      this.events.push(extraAttributes.length === 0 ? event : { ...event, attributes: [...event.attributes, ...extraAttributes] });
    }
  }
}
