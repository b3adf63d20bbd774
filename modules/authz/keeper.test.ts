/** The authz keeper's grant store: replacing a grant moves its queue entry; the end of block prunes expired grants, earliest first, 100 a block. */
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { checkAuthorization } from './authorizations.ts';
import { AuthzKeeper, MAX_PRUNED_PER_BLOCK } from './keeper.ts';

const address = (n: number) => toBech32('ain', new Uint8Array(20).fill(n));
const SEND = '/cosmos.bank.v1beta1.MsgSend';
const generic = checkAuthorization({ '@type': '/cosmos.authz.v1beta1.GenericAuthorization', msg: SEND }, 'a');
const noRouter = () => {
  throw new Error('no router in this test');
};

describe('AuthzKeeper', () => {
  it('replaces a grant with its queue entry, and prunes expired grants at most 100 a block, earliest first', () => {
    const keeper = new AuthzKeeper(noRouter);
    const ctx = emptyBlockContext(1n, 1000n);
    const granter = address(1);
    keeper.saveGrant(ctx, granter, address(2), SEND, generic, { seconds: 5000n, nanos: 0 });
    keeper.saveGrant(ctx, granter, address(2), SEND, generic, { seconds: 1500n, nanos: 1 });
    expect(leavesOf(ctx.state).filter(([path]) => path.startsWith('/authz/queue'))).toEqual([
      [`/authz/queue/${'1501'.padStart(20, '0')}/${granter}/${address(2)}/%2Fcosmos.bank.v1beta1.MsgSend`, true],
    ]);
    for (let i = 0; i < 150; i++) keeper.saveGrant(ctx, granter, address(10 + i), SEND, generic, { seconds: 1100n + BigInt(i), nanos: 0 });

    const at = (time: bigint) => ({ ...ctx, blockTimeSeconds: time });
    expect(keeper.pruneExpired(at(1099n))).toBe(0);
    expect(keeper.pruneExpired(at(1500n))).toBe(MAX_PRUNED_PER_BLOCK);
    expect(keeper.getGrant(ctx.state, granter, address(10), SEND)).toBeUndefined();
    expect(keeper.getGrant(ctx.state, granter, address(10 + 100), SEND)).toBeDefined();
    expect(keeper.pruneExpired(at(1500n))).toBe(50);
    // Its expiration rounded up is 1501: still usable at 1500, pruned at 1501.
    expect(keeper.getGrant(ctx.state, granter, address(2), SEND)).toBeDefined();
    expect(keeper.pruneExpired(at(1501n))).toBe(1);
    expect(leavesOf(ctx.state)).toEqual([]);
  });
});
