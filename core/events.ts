import type { Event } from 'cosmjs-types/tendermint/abci/types';

type Attribute = Event['attributes'][number];

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

/**
 * Which event attributes CometBFT's tx indexer stores (app.toml `index-events`, as the Cosmos SDK's):
 * `tx_search` finds only these; websocket subscribers get every attribute either way, and the flag is
 * not part of the results hash, so nodes may differ. Undefined indexes all.
 */
export type EventIndexFilter = (type: string, key: string) => boolean;

/**
 * The filter of an `index-events` list: an entry `type.key` names one attribute, an entry ending in `*`
 * every attribute whose `type.key` starts with what precedes it (`ain.*`: all of AIN's own events). An
 * empty list indexes every attribute, as the SDK's.
 * @example indexEventsFilter(['message.sender', 'ain.*'])('transfer', 'amount') // false
 */
export function indexEventsFilter(entries: readonly string[]): EventIndexFilter | undefined {
  if (entries.length === 0) return undefined;
  const exact = new Set(entries.filter((e) => !e.endsWith('*')));
  const prefixes = entries.filter((e) => e.endsWith('*')).map((e) => e.slice(0, -1));
  const decided = new Map<string, boolean>();
  return (type, key) => {
    const name = `${type}.${key}`;
    let indexed = decided.get(name);
    if (indexed === undefined) {
      indexed = exact.has(name) || prefixes.some((p) => name.startsWith(p));
      if (decided.size < 10_000) decided.set(name, indexed);
    }
    return indexed;
  };
}

/**
 * Encodes typed events into ABCI events with `index: true` on every searchable attribute: all but the
 * event's own `unindexed` ones, and of those only what `filter` keeps; then an event whose indexed
 * attributes another event of its type repeats is not indexed again (`unindexRepeats`).
 */
export function toAbciEvents(events: readonly TypedEvent[], filter?: EventIndexFilter): Event[] {
  const abci = events.map((event) => ({
    type: event.type,
    attributes: event.attributes.map(([key, value]) => ({
      key,
      value,
      index: !event.unindexed?.has(key) && (filter === undefined || filter(event.type, key)),
    })),
  }));
  unindexRepeats(abci);
  return abci;
}

/**
 * Clears the index flags of an event when another event of the same type indexes every key=value
 * pair it does (a superset, or the same set earlier in the list). CometBFT's kv indexers store one
 * key per indexed attribute of each event and match a query's conditions within one event, so such an
 * event only adds keys no query can tell apart: a bank send's fee `message` event (sender) beside its
 * message's (action, sender, module), or its second `coin_spent` (spender) when only spenders are
 * indexed. This cuts a send's 15 indexed attributes to 12 with the default `index-events`. It compares
 * the attributes in place, building no strings or sets: FinalizeBlock runs it for each of a block's txs.
 */
function unindexRepeats(events: Event[]): void {
  const n = events.length;
  // Distinct indexed key=value pairs of each event whose type another event has (0 for the others).
  let counts: number[] | undefined;
  for (let i = 0; i < n; i++) {
    if (!hasTwin(events, i)) continue;
    counts ??= new Array<number>(n).fill(0);
    counts[i] = distinctIndexedPairs(events[i]!.attributes);
  }
  if (counts === undefined) return;
  // Decided on the flags as they came; cleared only after.
  const unindex: number[] = [];
  for (let i = 0; i < n; i++) {
    const own = counts[i]!;
    if (own === 0) continue;
    for (let j = 0; j < n; j++) {
      if (j === i || events[j]!.type !== events[i]!.type) continue;
      // Of two events with the same pairs, the first keeps its index.
      if ((counts[j]! > own || (counts[j] === own && j < i)) && covers(events[j]!.attributes, events[i]!.attributes)) {
        unindex.push(i);
        break;
      }
    }
  }
  for (const i of unindex) for (const attribute of events[i]!.attributes) attribute.index = false;
}

/** Whether another event of `events` has the type of `events[i]`. */
function hasTwin(events: readonly Event[], i: number): boolean {
  const type = events[i]!.type;
  for (let j = 0; j < events.length; j++) if (j !== i && events[j]!.type === type) return true;
  return false;
}

/** Whether one of the first `before` of `attributes` indexes `pair`'s key=value. */
function indexes(attributes: readonly Attribute[], pair: Attribute, before = attributes.length): boolean {
  for (let k = 0; k < before; k++) {
    const other = attributes[k]!;
    if (other.index && other.key === pair.key && other.value === pair.value) return true;
  }
  return false;
}

/** How many distinct key=value pairs `attributes` index (one repeated is not a larger set). */
function distinctIndexedPairs(attributes: readonly Attribute[]): number {
  let count = 0;
  for (let i = 0; i < attributes.length; i++) if (attributes[i]!.index && !indexes(attributes, attributes[i]!, i)) count++;
  return count;
}

/** Whether `outer` indexes every key=value pair `inner` indexes. */
function covers(outer: readonly Attribute[], inner: readonly Attribute[]): boolean {
  for (const pair of inner) if (pair.index && !indexes(outer, pair)) return false;
  return true;
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

/** What `protoEvent` needs of a ts-proto codec: the message's full name and its defaults-filling constructor. */
export interface ProtoEventCodec<T> {
  readonly $type: string;
  fromPartial(object: T): T;
}

function attributeText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => attributeText(item, field)).join(',');
  throw new Error(`event field ${field} is not a scalar or a list of scalars`);
}

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The one way a proto event message becomes an ABCI event: type = the message's full name, one
 * attribute per field in field order, keyed by the proto field name, with plain string values
 * (strings as they are, numbers and booleans as text, repeated fields comma-joined; unset message
 * fields are left out). Every attribute is indexed.
 * @example protoEvent(EventValueWritten, { path: '/apps/a/x', writer: 'ain1...', op: 'set_value' })
 * // { type: 'ain.state.v1.EventValueWritten', attributes: [['path', '/apps/a/x'], ['writer', 'ain1...'], ['op', 'set_value']] }
 */
export function protoEvent<T extends object>(codec: ProtoEventCodec<T>, message: T): TypedEvent {
  const full = codec.fromPartial(message) as Record<string, unknown>;
  const attributes: Array<readonly [string, string]> = [];
  for (const field of Object.keys(full)) {
    if (full[field] !== undefined) attributes.push([snakeCase(field), attributeText(full[field], field)]);
  }
  return { type: codec.$type, attributes };
}
