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
