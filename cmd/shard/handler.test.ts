/** `aind shard init`'s path argument: `/apps/<name>` and nothing else. */
import { describe, expect, it } from 'vitest';
import { shardNameOfPath } from './handler.ts';
import { shardCommand } from './index.ts';

describe('shardNameOfPath', () => {
  it('takes /apps/<name> and refuses anything else, naming --path', () => {
    expect(shardNameOfPath('/apps/chat')).toBe('chat');
    for (const bad of ['/apps/chat/x', 'apps/chat', '/accounts/x', '/apps/Chat', '/apps/parent']) {
      expect(() => shardNameOfPath(bad), bad).toThrow(/--path/);
    }
  });
});

describe('aind shard relay --interval', () => {
  it('takes milliseconds as a non-negative integer and refuses other text, naming the flag', () => {
    const relay = shardCommand().commands.find((c) => c.name() === 'relay')!;
    const interval = relay.options.find((o) => o.long === '--interval')!;
    expect(interval.parseArg!('2500', 1000)).toBe(2500);
    for (const bad of ['abc', '1.5', '-1', '']) expect(() => interval.parseArg!(bad, 1000), bad).toThrow(/--interval/);
  });
});
