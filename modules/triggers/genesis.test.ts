import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { AuthKeeper } from '../auth/index.ts';
import { BankKeeper } from '../bank/index.ts';
import { StateKeeper } from '../state/index.ts';
import { triggersGenesis } from './genesis.ts';
import { TriggersKeeper } from './keeper.ts';

const executor = testKey('triggers-genesis').address;

function module() {
  const keeper = new TriggersKeeper(new BankKeeper(new AuthKeeper()), new StateKeeper(), new Set());
  return { keeper, genesis: triggersGenesis(keeper) };
}

describe('triggers genesis', () => {
  it('registers genesis executors as MsgRegisterExecutor would, and exports /triggers back exactly', () => {
    const { keeper, genesis } = module();
    const ctx = emptyBlockContext();
    genesis.init(ctx, { executors: [{ address: executor, runtimes: ['python3'], gpus: 1, gpu_memory_mb: '80000', price: '5' }] });
    expect(keeper.executorsPage(ctx.state, undefined).items).toMatchObject([{ address: executor, runtimes: ['python3'], gpus: 1 }]);
    const exported = genesis.exportGenesis(ctx.state);
    expect(Object.keys(exported.leaves ?? {})).toEqual([`/triggers/executors/${executor}`]);
    const again = emptyBlockContext();
    module().genesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses an executor MsgRegisterExecutor would refuse, and leaves outside /triggers', () => {
    const { genesis } = module();
    expect(() => genesis.validate({ executors: [{ address: 'ain1nope', runtimes: ['python3'] }] })).toThrow(/signer|address/);
    expect(() => genesis.init(emptyBlockContext(), { executors: [], leaves: { '/jobs/next_job_id': '1' } })).toThrow(
      /genesis triggers.leaves has "\/jobs\/next_job_id", outside this module's subtrees \/triggers/,
    );
  });
});
