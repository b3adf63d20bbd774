import { describe, expect, it } from 'vitest';
import { indexEventsFilter, toAbciEvents } from './events.ts';

const transfer = {
  type: 'transfer',
  attributes: [
    ['recipient', 'ain1b'],
    ['sender', 'ain1a'],
    ['amount', '5uain'],
  ] as const,
};
const called = {
  type: 'ain.triggers.v1.EventFunctionCalled',
  attributes: [
    ['call_id', '7'],
    ['output', 'x'],
  ] as const,
  unindexed: new Set(['output']),
};

describe('index-events', () => {
  it('indexes every attribute but the unindexed ones when no filter is set (an empty list)', () => {
    expect(indexEventsFilter([])).toBeUndefined();
    expect(toAbciEvents([transfer, called]).map((e) => e.attributes.map((a) => a.index))).toEqual([
      [true, true, true],
      [true, false],
    ]);
  });

  it('indexes the named type.key attributes and those under a prefix ending in *', () => {
    const filter = indexEventsFilter(['transfer.recipient', 'ain.*']);
    expect(toAbciEvents([transfer, called], filter).map((e) => e.attributes.map((a) => a.index))).toEqual([
      [true, false, false],
      [true, false],
    ]);
    expect(filter!('transfer', 'recipient')).toBe(true);
    expect(filter!('transfer.recipient', '')).toBe(false);
    expect(filter!('coin_received', 'receiver')).toBe(false);
    expect(filter!('ain.jobs.v1.EventJobRequested', 'job_id')).toBe(true);
  });

  it('keeps every attribute and value in the event whether indexed or not', () => {
    const [event] = toAbciEvents([transfer], indexEventsFilter(['message.sender']));
    expect(event!.attributes).toEqual([
      { key: 'recipient', value: 'ain1b', index: false },
      { key: 'sender', value: 'ain1a', index: false },
      { key: 'amount', value: '5uain', index: false },
    ]);
  });
});

describe('repeated indexed attributes', () => {
  const event = (type: string, ...attributes: Array<readonly [string, string]>) => ({ type, attributes });
  const flags = (events: ReturnType<typeof toAbciEvents>) => events.map((e) => e.attributes.map((a) => a.index));
  // A bank send's events in the order the chain emits them (fee, then the message), as the Cosmos SDK's.
  const send = [
    event('coin_spent', ['spender', 'ain1a'], ['amount', '10uain']),
    event('transfer', ['recipient', 'ain1fees'], ['sender', 'ain1a'], ['amount', '10uain']),
    event('message', ['sender', 'ain1a']),
    event('message', ['action', '/cosmos.bank.v1beta1.MsgSend'], ['sender', 'ain1a'], ['module', 'bank']),
    event('coin_spent', ['spender', 'ain1a'], ['amount', '1uain']),
    event('transfer', ['recipient', 'ain1b'], ['sender', 'ain1a'], ['amount', '1uain']),
    event('message', ['sender', 'ain1a']),
  ];

  it('does not index an event again when another of its type indexes all it does', () => {
    const filter = indexEventsFilter(['coin_spent.spender', 'transfer.recipient', 'transfer.sender', 'message.*']);
    expect(flags(toAbciEvents(send, filter))).toEqual([
      [true, false], // the first coin_spent keeps the spender; the second repeats it
      [true, true, false],
      [false], // the fee's message: its sender is in the message event below
      [true, true, true],
      [false, false],
      [true, true, false], // another recipient: kept
      [false],
    ]);
  });

  it('keeps every event whose indexed pairs differ, and leaves the attributes themselves alone', () => {
    const events = toAbciEvents(send);
    // Indexing everything, the amounts differ, so both coin_spent and both transfers stay indexed.
    expect(flags(events)).toEqual([
      [true, true],
      [true, true, true],
      [false],
      [true, true, true],
      [true, true],
      [true, true, true],
      [false],
    ]);
    expect(events.map((e) => e.attributes.map((a) => a.value))).toEqual(send.map((e) => e.attributes.map(([, value]) => value)));
  });

  it('compares only events of one type, and an event repeating its own pair is not larger than one without', () => {
    expect(flags(toAbciEvents([event('a', ['k', 'v']), event('b', ['k', 'v'])]))).toEqual([[true], [true]]);
    expect(flags(toAbciEvents([event('a', ['k', 'v'], ['k', 'v']), event('a', ['k', 'v'])]))).toEqual([[true, true], [false]]);
    expect(flags(toAbciEvents([event('a', ['k', 'v']), event('a', ['k', 'v'], ['k', 'v'])]))).toEqual([[true], [false, false]]);
    // Nothing indexed in an event: nothing to clear, and it covers nothing.
    expect(flags(toAbciEvents([event('a', ['k', 'v']), event('a', ['k', 'v'])], () => false))).toEqual([[false], [false]]);
  });
});
