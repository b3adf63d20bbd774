/**
 * Compute-driven supply restarts its moving average after a params change that starts the module or
 * changes how work is measured (modules/compute/README.md, "End of an epoch"): the epoch in progress
 * ends at its next boundary without minting, burning or moving the average; the next full epoch seeds
 * the average with its units; minting runs as before after that. A change of other params leaves the
 * epoch as it is. Through the whole app, in process (the fuzz chain's three apps), with the changes
 * passed by gov and the work from off-chain calls answered in the block they are made; the supply is
 * genesis + block rewards + minted - burned after every block.
 */
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { afterEach, describe, expect, it } from 'vitest';
import { DEC_ONE, govAuthority } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { type ComputeParamsJson, computeParamsFromJson } from '../../modules/compute/index.ts';
import type { ComputeKeeper } from '../../modules/compute/keeper.ts';
import { computeParamsToProto } from '../../modules/compute/params.ts';
import { QueryParamsResponse } from '../../proto/gen/ain/compute/v1/query.ts';
import { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { MsgSubmitResult } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { anyOf, type TestKey, testKey } from '../helpers/tx.ts';
import { FuzzChain } from './fuzzChain.fixture.ts';

type Params = Required<ComputeParamsJson>;
/** 12 units a call (10 + 2 CPUs x 1); minting 1000 uain a unit of growth, burning 1000 a unit of fall. */
const PARAMS: Params = {
  epoch_blocks: '4',
  average_weight: '0.5',
  growth_threshold: '0.1',
  fall_threshold: '0.2',
  mint_per_unit: '1000',
  burn_per_unit: '1000',
  max_mint_per_epoch: '1000000000',
  worker_share: '0.5',
  base_units: '10',
  units_per_cpu: '1',
  units_per_gpu: '100',
  units_per_gib: '1',
};
const CPUS = 2n;
const unitsPerCall = (p: Params) => BigInt(p.base_units) + CPUS * BigInt(p.units_per_cpu);

interface EpochEnded {
  epoch: string;
  units: string;
  average: string;
  minted: string;
  burned: string;
}

/** Key 0 the validator, the app's admin and the proposer; key 1 the executor; key 2 the caller. */
class Rig {
  readonly chain: FuzzChain;
  private readonly genesisSupply: bigint;
  private proposals = 0n;

  constructor(genesis: Params | undefined) {
    // FuzzChain's keys are fixed by name: key 1 is testKey('fuzz-1'), registered as an executor at genesis.
    const address = testKey('fuzz-1').address;
    const executor = { address, runtimes: ['node'], cpu: 4, memory_mb: 8192, gpus: 1, gpu_memory_mb: 4096, price: '0' };
    this.chain = new FuzzChain({
      keyCount: 3,
      govVotingSeconds: 10,
      sections: { triggers: { executors: [executor] }, ...(genesis ? { compute: { params: genesis } } : {}) },
    });
    this.genesisSupply = this.bank().getSupply(this.chain.main.store, 'uain');
    const admin = this.chain.keys[0]!;
    const rule = (path: string) => anyOf(MsgSetRule, { signer: admin.address, path, rule: JSON.stringify({ write: 'true' }) });
    const fn = {
      function_type: 'OFFCHAIN',
      function_id: 'work',
      runtime: 'node',
      code_hash: 'cd'.repeat(32),
      resources: { cpu: Number(CPUS), memory_mb: 0, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 100,
      price: '0',
      output_path: '/apps/cf/out/$key',
      executors: [address],
    };
    this.step(0, [
      anyOf(MsgCreateApp, { signer: admin.address, name: 'cf', admins: [admin.address], public: false }),
      rule('/apps/cf/req/$key'),
      rule('/apps/cf/out/$key'),
      anyOf(MsgSetFunction, { signer: admin.address, path: '/apps/cf/req/$key', function: JSON.stringify(fn) }),
    ]);
  }

  get height(): bigint {
    return this.chain.height;
  }

  private bank(): BankKeeper {
    return this.chain.main.app.keeper<BankKeeper>('bank');
  }

  params() {
    return this.chain.main.app.keeper<ComputeKeeper>('compute').params(this.chain.main.store);
  }

  epoch() {
    return this.chain.main.app.keeper<ComputeKeeper>('compute').epoch(this.chain.main.store);
  }

  /** The Params query's `enabled`. */
  enabled(): boolean {
    const query = { path: '/ain.compute.v1.Query/Params', data: new Uint8Array(), height: 0n, prove: false };
    return QueryParamsResponse.decode(this.chain.main.app.query(query).value).enabled;
  }

  /** The stored epoch record's text (what the app hash covers). */
  epochText(): unknown {
    return this.chain.main.store.get('/compute/epoch');
  }

  /**
   * One block: the caller makes `calls` calls and the executor answers them all (work counted in this
   * block), then key 0's `admin` messages. Returns the block's EventEpochEnded, if any.
   */
  step(calls: number, admin: Any[] = [], seconds = 5n): EpochEnded | undefined {
    const { chain } = this;
    const [adminKey, executor, caller] = chain.keys as [TestKey, TestKey, TestKey];
    const txs: [TestKey, Any[]][] = [];
    if (calls > 0) {
      const next = BigInt((chain.main.store.get('/triggers/next_call_id') as string | undefined) ?? '1');
      const writes = Array.from({ length: calls }, (_, i) =>
        anyOf(MsgSetValue, { signer: caller.address, path: `/apps/cf/req/h${chain.height + 1n}_${i}`, value: '1' }),
      );
      const answers = Array.from({ length: calls }, (_, i) =>
        anyOf(MsgSubmitResult, { signer: executor.address, callId: next + BigInt(i), output: '1', failed: false, error: '' }),
      );
      txs.push([caller, writes], [executor, answers]);
    }
    if (admin.length > 0) txs.push([adminKey, admin]);
    const results = chain.deliver(
      txs.map(([key, messages]) => chain.sign(key, messages)),
      txs.map(([key]) => key),
      seconds,
    );
    expect(
      results.map((r) => r.log),
      `height ${chain.height}`,
    ).toEqual(txs.map(() => ''));
    // Supply = genesis + block rewards + compute minted - burned.
    const { store } = chain.main;
    const epoch = this.epoch();
    const rewards = BigInt((store.get('/distribution/minted') as string | undefined) ?? '0');
    expect(this.bank().getSupply(store, 'uain'), `height ${chain.height}: supply`).toBe(
      this.genesisSupply + rewards + epoch.minted - epoch.burned,
    );
    const ends = (chain.lastBlock?.events ?? []).filter((e) => e.type === 'ain.compute.v1.EventEpochEnded');
    expect(ends.length).toBeLessThanOrEqual(1);
    return ends[0] ? (Object.fromEntries(ends[0].attributes.map((a) => [a.key, a.value])) as unknown as EpochEnded) : undefined;
  }

  /** Blocks of `calls` calls each up to `height` (inclusive); the epoch ends on the way. */
  stepTo(height: bigint, calls: number): EpochEnded[] {
    const ends: EpochEnded[] = [];
    while (this.chain.height < height) {
      const end = this.step(calls);
      if (end) ends.push(end);
    }
    return ends;
  }

  /**
   * A gov proposal of `params` (undefined: turn compute-driven supply off) that passes in the end block
   * of `height` (submitted two blocks before, voted on the next), with `calls` calls in every block up to
   * it; `beforePassing` runs before the block that passes it. Returns the epoch ends on the way.
   */
  govPass(params: Params | undefined, height: bigint, calls: number, beforePassing?: () => void): EpochEnded[] {
    expect(this.chain.height).toBeLessThanOrEqual(height - 3n);
    const ends = this.stepTo(height - 3n, calls);
    const { chain } = this;
    const wanted = params ? computeParamsFromJson(params) : undefined;
    const update = anyOf(
      MsgUpdateParams,
      params ? { authority: govAuthority(), params: toProto(params) } : { authority: govAuthority(), disable: true },
    );
    const submit = MsgSubmitProposal.fromPartial({
      proposer: chain.keys[0]!.address,
      messages: [update],
      initialDeposit: [{ denom: 'uain', amount: '10000000' }],
      title: 'compute params',
      summary: 'compute params',
    });
    this.proposals += 1n;
    const id = this.proposals;
    const vote = MsgVote.fromPartial({ proposalId: id, voter: chain.keys[0]!.address, option: VoteOption.VOTE_OPTION_YES });
    const blocks: [Any[], bigint][] = [
      [[{ typeUrl: MsgSubmitProposal.typeUrl, value: MsgSubmitProposal.encode(submit).finish() }], 1n],
      [[{ typeUrl: MsgVote.typeUrl, value: MsgVote.encode(vote).finish() }], 1n],
      // Past the 10 s voting period: gov's end block runs the proposal in this block, before compute's.
      [[], 20n],
    ];
    // Off while already off changes nothing to tell the proposal by before it passes.
    const noChange = wanted === undefined && this.params() === undefined;
    for (const [admin, seconds] of blocks) {
      if (admin.length === 0) beforePassing?.();
      if (!noChange) expect(this.params(), `height ${chain.height + 1n}: the proposal has not passed yet`).not.toEqual(wanted);
      const end = this.step(calls, admin, seconds);
      if (end) ends.push(end);
    }
    const results = (chain.lastBlock?.events ?? []).filter((e) => e.type === 'active_proposal');
    expect(results.flatMap((e) => e.attributes.filter((a) => a.key === 'proposal_result').map((a) => a.value))).toEqual([
      'proposal_passed',
    ]);
    expect(this.params(), `height ${height}: the proposal passed`).toEqual(wanted);
    return ends;
  }

  close(): Promise<void> {
    return this.chain.close();
  }
}

/** The proto of params given as genesis JSON (valid ones: the module's own conversions). */
const toProto = (json: Params) => computeParamsToProto(computeParamsFromJson(json));

/** The event of an epoch that neither minted nor burned, with `units` and the average `average` (whole units). */
const quiet = (units: bigint, average: bigint) => ({ units: units.toString(), average: average.toString(), minted: '0', burned: '0' });

/**
 * Genesis params: epoch 1 (heights 1..4, work in 3 and 4) seeds as before (A = 4 calls), epoch 2 (5..8)
 * delivers the same: A = 4 calls after height 8, nothing minted or burned.
 */
function steady(r: Rig): void {
  const u = unitsPerCall(PARAMS);
  expect(r.stepTo(4n, 2)).toEqual([{ epoch: '1', ...quiet(4n * u, 4n * u) }]);
  expect(r.stepTo(8n, 1)).toEqual([{ epoch: '2', ...quiet(4n * u, 4n * u) }]);
  expect(r.epoch()).toMatchObject({ number: 3n, average: 4n * u * DEC_ONE });
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('compute: a params change that starts the module or changes how work is measured restarts the average', () => {
  it('activation mid-epoch: the partial epoch and the seed neither mint nor burn; the seed sets A = U; growth mints after', () => {
    rig = new Rig(undefined);
    const u = unitsPerCall(PARAMS);
    // Passes at height 10 (epoch_blocks 4: the epoch in progress ends at 12 after 2 blocks).
    expect(rig.govPass(PARAMS, 10n, 1)).toEqual([]);
    expect(rig.epochText()).toBe(
      '{"average":"0","burned":"0","lastBurned":"0","lastMinted":"0","lastUnits":"0","minted":"0","number":"1","restart":"partial","units":"0"}',
    );
    const partial = rig.stepTo(12n, 1);
    expect(partial).toEqual([{ epoch: '1', ...quiet(2n * u, 0n) }]);
    expect(rig.epoch()).toMatchObject({ number: 2n, restart: 'seed', average: 0n, lastMinted: 0n, lastBurned: 0n });
    // The seed epoch (13..16): 4 calls, A = 48.
    expect(rig.stepTo(16n, 1)).toEqual([{ epoch: '2', ...quiet(4n * u, 4n * u) }]);
    expect(rig.epoch()).toMatchObject({ number: 3n, average: 4n * u * DEC_ONE, minted: 0n, burned: 0n });
    expect(rig.epoch().restart).toBeUndefined();
    expect(rig.epochText()).not.toContain('restart');
    // Twice the work: mint (96 - 48) x 1000; A = 72.
    expect(rig.stepTo(20n, 2)).toEqual([
      { epoch: '3', units: (8n * u).toString(), average: (6n * u).toString(), minted: (4n * u * 1000n).toString(), burned: '0' },
    ]);
    // The same work again: 96 > 72 x 1.1 mints (96 - 72) x 1000.
    expect(rig.stepTo(24n, 2)[0]).toMatchObject({ minted: (2n * u * 1000n).toString() });
  });

  it('activation at a boundary height: the partial epoch ends in the same block, the next full epoch seeds', () => {
    rig = new Rig(undefined);
    const u = unitsPerCall(PARAMS);
    // Gov's end block runs before compute's: the epoch in progress (no work: the module was off) ends at 12.
    expect(rig.govPass(PARAMS, 12n, 1)).toEqual([{ epoch: '1', ...quiet(0n, 0n) }]);
    expect(rig.epoch()).toMatchObject({ number: 2n, restart: 'seed', units: 0n });
    expect(rig.stepTo(16n, 1)).toEqual([{ epoch: '2', ...quiet(4n * u, 4n * u) }]);
    expect(rig.stepTo(20n, 2)[0]).toMatchObject({ minted: (4n * u * 1000n).toString() });
  });

  it('activation with epoch_blocks 1: the activation block is partial, the next seeds, the one after mints', () => {
    rig = new Rig(undefined);
    const params = { ...PARAMS, epoch_blocks: '1' };
    const u = unitsPerCall(params);
    expect(rig.govPass(params, 9n, 1)).toEqual([{ epoch: '1', ...quiet(0n, 0n) }]);
    expect(rig.step(1)).toEqual({ epoch: '2', ...quiet(u, u) });
    expect(rig.step(3)).toEqual({
      epoch: '3',
      units: (3n * u).toString(),
      average: (2n * u).toString(),
      minted: (2n * u * 1000n).toString(),
      burned: '0',
    });
  });

  it('epoch_blocks changed: the epoch in progress ends at a boundary of the new length without a mint; then a seed', () => {
    rig = new Rig(PARAMS);
    const u = unitsPerCall(PARAMS);
    steady(rig);
    expect(rig.epoch()).toMatchObject({ number: 3n, average: 4n * u * DEC_ONE });
    // epoch_blocks 4 -> 7, passed at 11: the epoch in progress (9..14) ends at 14 with 6 calls, which
    // at the old length would be growth (72 > 48 x 1.1).
    const params = { ...PARAMS, epoch_blocks: '7' };
    expect(rig.govPass(params, 11n, 1)).toEqual([]);
    expect(rig.stepTo(14n, 1)).toEqual([{ epoch: '3', ...quiet(6n * u, 4n * u) }]);
    expect(rig.stepTo(21n, 1)).toEqual([{ epoch: '4', ...quiet(7n * u, 7n * u) }]);
    expect(rig.stepTo(28n, 1)).toEqual([{ epoch: '5', ...quiet(7n * u, 7n * u) }]);
    expect(rig.stepTo(35n, 2)[0]).toMatchObject({ minted: (7n * u * 1000n).toString() });
  });

  it('a unit weight changed: no spurious mint (or burn) from the new weights; the seed epoch measures them', () => {
    rig = new Rig(PARAMS);
    const before = unitsPerCall(PARAMS);
    steady(rig);
    // units_per_cpu 1 -> 20: a call is 50 units instead of 12.
    const params = { ...PARAMS, units_per_cpu: '20' };
    const after = unitsPerCall(params);
    expect(rig.govPass(params, 11n, 1)).toEqual([]);
    // 9..11 at the old weights, 12 at the new.
    expect(rig.stepTo(12n, 1)).toEqual([{ epoch: '3', ...quiet(3n * before + after, 4n * before) }]);
    expect(rig.stepTo(16n, 1)).toEqual([{ epoch: '4', ...quiet(4n * after, 4n * after) }]);
    // Steady work at the new weights: no mint, no burn.
    expect(rig.stepTo(20n, 1)).toEqual([{ epoch: '5', ...quiet(4n * after, 4n * after) }]);
    // Less work burns as before: 2 calls, (200 - 100) x 1000 as far as the fees allow.
    const end = rig.stepTo(24n, 0)[0]!;
    expect(end).toMatchObject({ units: '0', minted: '0' });
    expect(BigInt(end.burned)).toBeGreaterThan(0n);
  });

  it('a change of only thresholds and amounts: the epoch in progress runs the rule, no restart written', () => {
    rig = new Rig(PARAMS);
    const u = unitsPerCall(PARAMS);
    steady(rig);
    const text = rig.epochText();
    const params = {
      ...PARAMS,
      growth_threshold: '0',
      mint_per_unit: '7',
      average_weight: '1',
      worker_share: '1',
      max_mint_per_epoch: '5',
    };
    expect(rig.govPass(params, 11n, 1)).toEqual([]);
    expect(rig.epochText()).not.toContain('restart');
    expect(rig.epochText()).toBe((text as string).replace('"units":"0"', `"units":"${3n * u}"`));
    // 5 calls (48 -> 60 units): growth at threshold 0 mints (60 - 48) x 7, capped at 5; A = 60 (weight 1).
    expect(rig.step(2)).toEqual({ epoch: '3', units: (5n * u).toString(), average: (5n * u).toString(), minted: '5', burned: '0' });
  });

  it('two restarting changes in one epoch: one partial epoch (ending at the latest length), then one seed', () => {
    rig = new Rig(PARAMS);
    const u = unitsPerCall(PARAMS);
    steady(rig);
    // Passed at 11 and at 15 (epoch_blocks 4 -> 8 and then units_per_gib, which no call uses): the epoch
    // in progress from 9 ends at 16.
    const longer = { ...PARAMS, epoch_blocks: '8' };
    expect(rig.govPass(longer, 11n, 1)).toEqual([]);
    expect(rig.epoch().restart).toBe('partial');
    expect(rig.govPass({ ...longer, units_per_gib: '9' }, 15n, 1)).toEqual([]);
    expect(rig.stepTo(16n, 1)).toEqual([{ epoch: '3', ...quiet(8n * u, 4n * u) }]);
    expect(rig.epoch().restart).toBe('seed');
    expect(rig.stepTo(24n, 2)).toEqual([{ epoch: '4', ...quiet(16n * u, 16n * u) }]);
    expect(rig.stepTo(32n, 3)[0]).toMatchObject({ minted: (8n * u * 1000n).toString() });
  });

  it('a restarting change during the seed epoch makes it partial again: the next full epoch seeds', () => {
    rig = new Rig(PARAMS);
    const u = unitsPerCall(PARAMS);
    steady(rig);
    const first = { ...PARAMS, units_per_gpu: '5' };
    expect(rig.govPass(first, 11n, 1)).toEqual([]);
    expect(rig.stepTo(12n, 1)).toEqual([{ epoch: '3', ...quiet(4n * u, 4n * u) }]);
    expect(rig.epoch().restart).toBe('seed');
    // The seed epoch (13..16) is cut at 15 by a change of base_units (10 -> 30: 32 units a call).
    const second = { ...first, base_units: '30' };
    const v = unitsPerCall(second);
    expect(rig.govPass(second, 15n, 3)).toEqual([]);
    expect(rig.epoch().restart).toBe('partial');
    // 13..15 at 12 units x 3, 16 at 32 x 3: nothing minted, the average still 48.
    expect(rig.stepTo(16n, 3)).toEqual([{ epoch: '4', ...quiet(9n * u + 3n * v, 4n * u) }]);
    expect(rig.stepTo(20n, 1)).toEqual([{ epoch: '5', ...quiet(4n * v, 4n * v) }]);
    expect(rig.stepTo(24n, 2)[0]).toMatchObject({ minted: (4n * v * 1000n).toString() });
    expect(rig.epoch().restart).toBeUndefined();
  });
});

describe('compute: a proposal turns compute-driven supply off; turning it on again is a first activation', () => {
  it('off mid-epoch: params and tallies go, the epoch in progress is dropped, nothing is measured, minted or burned; on again: partial, then seed', () => {
    rig = new Rig(PARAMS);
    const u = unitsPerCall(PARAMS);
    steady(rig);
    // Epoch 3 (9..12) doubles the work: mint (96 - 48) x 1000, half to the executor.
    const minted = 4n * u * 1000n;
    expect(rig.stepTo(12n, 2)).toEqual([
      { epoch: '3', units: (8n * u).toString(), average: (6n * u).toString(), minted: minted.toString(), burned: '0' },
    ]);
    // Off, passed at 15: the work of 13..15 is neither minted for nor paid; the totals stay (supply = ... + minted - burned).
    const { store } = rig.chain.main;
    const executor = testKey('fuzz-1').address;
    const tallies = () => store.list('/compute/workers', 100);
    expect(
      rig.govPass(undefined, 15n, 1, () => expect(tallies()).toEqual([[`/compute/workers/${executor}`, (2n * u).toString()]])),
    ).toEqual([]);
    expect(tallies()).toEqual([]);
    const off = `{"average":"0","burned":"0","lastBurned":"0","lastMinted":"0","lastUnits":"0","minted":"${minted}","number":"4","units":"0"}`;
    expect(rig.epochText()).toBe(off);
    expect(store.list('/params/compute', 100)).toEqual([]);
    expect(store.list('/compute', 100).map(([path]) => path)).toEqual(['/compute/epoch']);
    expect(rig.enabled()).toBe(false);
    // Work goes on, unmeasured; no epoch ends (the supply check of every step: no mint, no burn).
    expect(rig.stepTo(24n, 2)).toEqual([]);
    expect(rig.epochText()).toBe(off);
    expect(store.list('/compute', 100).map(([path]) => path)).toEqual(['/compute/epoch']);
    // On again, passed at 27 (epoch boundaries at 28, 32, ...): the call of 28 alone is measured in the partial epoch.
    expect(rig.govPass(PARAMS, 27n, 1)).toEqual([]);
    expect(rig.enabled()).toBe(true);
    expect(rig.epoch()).toMatchObject({ number: 4n, units: 0n, restart: 'partial', minted });
    expect(rig.stepTo(28n, 1)).toEqual([{ epoch: '4', ...quiet(u, 0n) }]);
    expect(rig.stepTo(32n, 1)).toEqual([{ epoch: '5', ...quiet(4n * u, 4n * u) }]);
    expect(rig.stepTo(36n, 2)).toEqual([
      { epoch: '6', units: (8n * u).toString(), average: (6n * u).toString(), minted: minted.toString(), burned: '0' },
    ]);
    expect(rig.epoch()).toMatchObject({ number: 7n, minted: 2n * minted });
  });

  it('off before any epoch ended or work was done: no compute leaf is left, as on a chain never turned on', () => {
    rig = new Rig({ ...PARAMS, epoch_blocks: '8' });
    expect(rig.govPass(undefined, 5n, 0)).toEqual([]);
    expect(rig.chain.main.store.list('/compute', 100)).toEqual([]);
    expect(rig.chain.main.store.list('/params/compute', 100)).toEqual([]);
    expect(rig.stepTo(9n, 1)).toEqual([]);
    expect(rig.chain.main.store.list('/compute', 100)).toEqual([]);
  });

  it('off at an epoch boundary, and off while already off: the epoch does not end there; nothing changes', () => {
    rig = new Rig(PARAMS);
    steady(rig);
    // Gov's end block runs before compute's: passed at 12, the epoch 9..12 does not end.
    expect(rig.govPass(undefined, 12n, 1)).toEqual([]);
    const off = rig.epochText();
    expect(off).toBe(
      '{"average":"0","burned":"0","lastBurned":"0","lastMinted":"0","lastUnits":"0","minted":"0","number":"3","units":"0"}',
    );
    expect(rig.govPass(undefined, 16n, 1)).toEqual([]);
    expect(rig.epochText()).toBe(off);
    expect(rig.enabled()).toBe(false);
  });
});
