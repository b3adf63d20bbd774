import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { defaultSlashingGenesis, slashingGenesis } from './genesis.ts';

describe('slashing genesis', () => {
  it('writes the params (defaults when absent) and exports them and /slashing back exactly', () => {
    const ctx = emptyBlockContext();
    slashingGenesis.init(ctx, undefined);
    ctx.state.set('/slashing/missed/00aa/0000000003', true);
    const exported = slashingGenesis.exportGenesis(ctx.state);
    expect(exported.params).toEqual(defaultSlashingGenesis().params);
    const again = emptyBlockContext();
    slashingGenesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses a malformed window', () => {
    expect(() => slashingGenesis.validate({ params: { ...defaultSlashingGenesis().params, signed_blocks_window: '-1' } })).toThrow(
      /signed_blocks_window/,
    );
  });
});
