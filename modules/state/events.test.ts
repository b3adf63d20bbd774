import { describe, expect, it } from 'vitest';
import { protoEvent, toAbciEvents } from '../../core/index.ts';
import { EventAppCreated } from '../../proto/gen/ain/state/v1/events.ts';
import { QueryEvalRuleResponse } from '../../proto/gen/ain/state/v1/query.ts';
import { appCreatedEvent, valueWrittenEvent } from './events.ts';

describe('state events through protoEvent', () => {
  it('types events by proto name, fields in order as plain indexed attributes', () => {
    expect(toAbciEvents([valueWrittenEvent('/apps/a/x', 'ain1w', 'inc_value')])).toEqual([
      {
        type: 'ain.state.v1.EventValueWritten',
        attributes: [
          { key: 'path', value: '/apps/a/x', index: true },
          { key: 'writer', value: 'ain1w', index: true },
          { key: 'op', value: 'inc_value', index: true },
        ],
      },
    ]);
    expect(appCreatedEvent('blog', ['ain1a', 'ain1b']).attributes).toEqual([
      ['name', 'blog'],
      ['admins', 'ain1a,ain1b'],
    ]);
    expect(protoEvent(EventAppCreated, { name: 'x', admins: [] }).attributes).toEqual([
      ['name', 'x'],
      ['admins', ''],
    ]);
    // Numbers, booleans and bigints as text; camelCase fields under their proto names.
    expect(protoEvent(QueryEvalRuleResponse, { allowed: true, reason: '', rulePath: '/apps/a', gasUsed: 12n }).attributes).toEqual([
      ['allowed', 'true'],
      ['reason', ''],
      ['rule_path', '/apps/a'],
      ['gas_used', '12'],
    ]);
  });
});
