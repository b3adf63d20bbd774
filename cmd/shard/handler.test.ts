/** `aind shard init`'s path argument: `/apps/<name>` and nothing else. */
import { describe, expect, it } from 'vitest';
import { shardNameOfPath } from './handler.ts';

describe('shardNameOfPath', () => {
  it('takes /apps/<name> and refuses anything else, naming --path', () => {
    expect(shardNameOfPath('/apps/chat')).toBe('chat');
    for (const bad of ['/apps/chat/x', 'apps/chat', '/accounts/x', '/apps/Chat', '/apps/parent']) {
      expect(() => shardNameOfPath(bad), bad).toThrow(/--path/);
    }
  });
});
