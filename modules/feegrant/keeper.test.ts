/** The feegrant keeper's expiry queue: the end of a block prunes expired allowances earliest first, in batches, at most its limit. */
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../core/index.ts';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { NANOS } from './allowance.ts';
import { FeegrantKeeper, PRUNED_PER_BLOCK } from './keeper.ts';

const address = (n: number) =>
  toBech32(
    'ain',
    new Uint8Array(20).fill(n % 256).map((b, i) => (i === 0 ? n >> 8 : b)),
  );
const accounts = { hasAccount: () => true, createAccount: () => undefined };

describe('FeegrantKeeper.pruneExpired', () => {
  it('removes expired allowances earliest first across its read batches, skips those expiring later in the same second, and stops at its limit', () => {
    const keeper = new FeegrantKeeper(accounts);
    const ctx = { ...emptyBlockContext(1n, 1000n), mode: 'deliver' } as Context & ReturnType<typeof emptyBlockContext>;
    const granter = address(1);
    const basic = (seconds: bigint, nanos = 0n) => ({ kind: 'basic' as const, spendLimit: [], expiration: seconds * NANOS + nanos });
    // 300 expiring at 1100..1399 s; 20 more at 1050 s plus half a second (not expired at 1050, expired at 1051).
    for (let i = 0; i < 300; i++) keeper.grantAllowance(ctx, granter, address(1000 + i), basic(1100n + BigInt(i)), new Set());
    for (let i = 0; i < 20; i++) keeper.grantAllowance(ctx, granter, address(2000 + i), basic(1050n, NANOS / 2n), new Set());
    const at = (time: bigint) => ({ ...ctx, blockTimeSeconds: time });
    const left = () => leavesOf(ctx.state).filter(([path]) => path.startsWith('/feegrant/grants/')).length;

    expect(keeper.pruneExpired(at(1049n), PRUNED_PER_BLOCK)).toBe(0);
    // Same second as the 20: half a second later than the block, so none goes.
    expect(keeper.pruneExpired(at(1050n), PRUNED_PER_BLOCK)).toBe(0);
    expect(left()).toBe(320);
    // At 1120 s: the 20, then 1100..1119 (one expiring at 1120 s exactly is still usable in that block).
    const removed = keeper.pruneExpired(at(1120n), PRUNED_PER_BLOCK);
    expect(removed).toBe(40);
    expect(keeper.getAllowance(ctx.state, granter, address(2000))).toBeUndefined();
    expect(keeper.getAllowance(ctx.state, granter, address(1019))).toBeUndefined();
    expect(keeper.getAllowance(ctx.state, granter, address(1020))).toBeDefined();
    // Far later: at most the limit a block, earliest first, over several read batches.
    expect(keeper.pruneExpired(at(5000n), 150)).toBe(150);
    expect(keeper.getAllowance(ctx.state, granter, address(1169))).toBeUndefined();
    expect(keeper.getAllowance(ctx.state, granter, address(1170))).toBeDefined();
    expect(keeper.pruneExpired(at(5000n), PRUNED_PER_BLOCK)).toBe(130);
    expect(leavesOf(ctx.state)).toEqual([]);
  });
});
