import { describe, expect, it } from 'vitest';
import { govAuthority } from '../../core/index.ts';
import { Shard } from '../../proto/gen/ain/shards/v1/types.ts';
import { emptyBlockContext } from '../../test/helpers/blockContext.ts';
import { unfreeze } from './branch.ts';
import { childRoot, frozenPath, shardPath } from './keys.ts';
import { writeMessage } from './records.ts';
import { codeOf } from '../../test/helpers/errorCode.ts';

const ADMIN = 'ain1admin';

function frozenShard() {
  const ctx = emptyBlockContext();
  const shard = Shard.fromPartial({
    name: 'games',
    chainId: 'ain-games-1',
    admin: ADMIN,
    trust: { trustingPeriodSeconds: 3600n, trustNumerator: 1n, trustDenominator: 3n, maxClockDriftSeconds: 10n },
  });
  writeMessage(ctx.state, shardPath(childRoot('games')), Shard, shard);
  ctx.state.set(frozenPath(childRoot('games')), '7');
  return ctx;
}

describe('MsgUnfreeze', () => {
  it('lets the gov authority (a passed proposal) unfreeze a link, as its admin may', () => {
    for (const signer of [ADMIN, govAuthority()]) {
      const ctx = frozenShard();
      unfreeze(ctx, { signer, shard: 'games' });
      expect(ctx.state.get(frozenPath(childRoot('games')))).toBeUndefined();
      expect(ctx.events.events.map((e) => e.type)).toEqual(['ain.shards.v1.EventUnfrozen']);
    }
  });

  it('refuses anyone else (shards/4) and a link that is not frozen (shards/19), changing nothing', () => {
    const ctx = frozenShard();
    expect(codeOf(() => unfreeze(ctx, { signer: 'ain1someone', shard: 'games' }))).toBe('shards/4');
    expect(ctx.state.get(frozenPath(childRoot('games')))).toBe('7');
    unfreeze(ctx, { signer: govAuthority(), shard: 'games' });
    expect(codeOf(() => unfreeze(ctx, { signer: govAuthority(), shard: 'games' }))).toBe('shards/19');
  });
});
