import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { defaultDistributionGenesis, distributionGenesis } from './genesis.ts';

describe('distribution genesis', () => {
  it('writes the params (defaults when absent) and exports them and /distribution back exactly', () => {
    const ctx = emptyBlockContext();
    distributionGenesis.init(ctx, undefined);
    ctx.state.set('/distribution/community_pool', '5uain');
    const exported = distributionGenesis.exportGenesis(ctx.state);
    expect(exported.params).toEqual({ ...defaultDistributionGenesis().params, blocks_per_year: '6311520' });
    expect(exported.leaves).toEqual({ '/distribution/community_pool': '5uain' });
    const again = emptyBlockContext();
    distributionGenesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses a community tax above 1', () => {
    expect(() => distributionGenesis.validate({ params: { ...defaultDistributionGenesis().params, community_tax: '1.5' } })).toThrow(
      /distribution.params.community_tax must be at most 1/,
    );
  });
});
