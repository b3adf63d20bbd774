/** ainft's genesis: nothing written by default (older app hashes stay), params as given, an export restored exactly. */
import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { ainftGenesis } from './genesis.ts';
import { readAinftParams } from './params.ts';

describe('ainft genesis', () => {
  it('writes nothing for an absent or default section, so older chains keep their app hash', () => {
    const ctx = emptyBlockContext();
    ainftGenesis.init(ctx, undefined);
    ainftGenesis.init(ctx, ainftGenesis.defaultGenesis());
    expect(leavesOf(ctx.state)).toEqual([]);
    expect(readAinftParams(ctx.state)).toEqual({ maxChildren: 16, maxDepth: 8, maxNodes: 256 });
  });

  it('stores the params given, and exports every leaf back exactly', () => {
    const ctx = emptyBlockContext();
    ainftGenesis.init(ctx, { params: { max_depth: '3' } });
    ctx.state.set('/ainft/earned/cls/tok', '7');
    expect(readAinftParams(ctx.state)).toEqual({ maxChildren: 16, maxDepth: 3, maxNodes: 256 });
    const exported = ainftGenesis.exportGenesis(ctx.state);
    expect(exported).toEqual({ leaves: { '/ainft/earned/cls/tok': '7', '/params/ainft/max_depth': '3' } });
    const again = emptyBlockContext();
    ainftGenesis.init(again, JSON.parse(JSON.stringify(exported)));
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses unknown params, bad values and leaves outside its subtrees', () => {
    expect(() => ainftGenesis.validate({ params: { max_width: '1' } as never })).toThrow(/ainft.params.max_width is not a param/);
    expect(() => ainftGenesis.validate({ params: { max_depth: '99' } })).toThrow(
      /ainft.params.max_depth "99" must be an integer in \[1, 16\]/,
    );
    expect(() => ainftGenesis.init(emptyBlockContext(), { leaves: { '/jobs/x': '1' } })).toThrow(/outside this module's subtrees/);
    // A token a re-run's settlement would decode: checked against the record the keeper writes.
    expect(() => ainftGenesis.init(emptyBlockContext(), { leaves: { '/ainft/tokens/cls/tok': '{"id":"tok"}' } })).toThrow(
      /genesis ainft.leaves\["\/ainft\/tokens\/cls\/tok"\] field classId is not what the module writes/,
    );
  });
});
