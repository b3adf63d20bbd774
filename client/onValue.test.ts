import { describe, expect, it } from 'vitest';
import { onEvent } from './onEvent.ts';
import { touches, watchValue } from './onValue.ts';
import type { ChainEvent } from './onEvent.ts';

const written = (...paths: string[]): ChainEvent => ({
  height: 5,
  index: 0,
  hash: 'AB',
  code: 0,
  events: paths.map((path) => ({
    type: 'ain.state.v1.EventValueWritten',
    attributes: [
      { key: 'path', value: path },
      { key: 'op', value: 'set_value' },
    ],
  })),
});

describe('touches', () => {
  it('is true for a write at the path, above it or below it', () => {
    expect(touches(written('/apps/chat/posts'), '/apps/chat/posts')).toBe(true);
    expect(touches(written('/apps/chat'), '/apps/chat/posts')).toBe(true);
    expect(touches(written('/apps/chat/posts/ain1/1'), '/apps/chat/posts')).toBe(true);
  });

  it('is false for a sibling, a name sharing a prefix, or another event', () => {
    expect(touches(written('/apps/chat/likes'), '/apps/chat/posts')).toBe(false);
    expect(touches(written('/apps/chat/postsX'), '/apps/chat/posts')).toBe(false);
    expect(touches(written('/apps/chatter'), '/apps/chat')).toBe(false);
    const other: ChainEvent = {
      ...written(),
      events: [{ type: 'ain.state.v1.EventRuleSet', attributes: [{ key: 'path', value: '/apps/chat' }] }],
    };
    expect(touches(other, '/apps/chat')).toBe(false);
  });

  it('checks each event of a batch', () => {
    expect(touches(written('/apps/a/x', '/apps/chat/posts/1'), '/apps/chat/posts')).toBe(true);
  });
});

describe('listener arguments', () => {
  it('refuses a query naming tm.event and a bad start height before connecting', () => {
    expect(() => onEvent('http://127.0.0.1:1', "tm.event='NewBlock'", () => undefined)).toThrow(/tm\.event/);
    expect(() => onEvent('http://127.0.0.1:1', '', () => undefined, { afterHeight: -1 })).toThrow(/afterHeight/);
  });

  it('refuses the root and quoted paths', () => {
    const ctx = { comet: { abciQuery: () => Promise.reject(new Error('not called')) }, rpcUrl: 'http://127.0.0.1:1' };
    expect(() => watchValue(ctx, '/', () => undefined)).toThrow(/below the root/);
    expect(() => watchValue(ctx, "/apps/a'b", () => undefined)).toThrow(/quote/);
  });
});
