/**
 * Stateful fuzzing of compute-driven supply (modules/compute) through the whole app, on the fuzz
 * chain of test/app/fuzzChain.fixture.ts (CheckTx, FinalizeBlock and Commit on three apps: a twin
 * without CheckTx agrees, a failed tx changes only fee and sequence; the validator votes, so
 * distribution mints block rewards and sweeps the fee collector after compute's end of block). Each
 * run takes params near their bounds (epochs of 1 to 6 blocks, thresholds 0 and near 1, shares 0, 1
 * and between, mints capped or not, burns larger than the block's fees), set at genesis or by up to
 * three gov proposals mid-run (activating the module, changing how work is measured, which restarts
 * the moving average, or only other params, or turning the module off, after which the next one turns
 * it on again; often two in one epoch), registers ten executors and four off-chain functions declaring resources from none to the
 * largest the state and triggers modules accept (some set again mid-run, or replaced by another
 * function), then plays phases of blocks: no work, rising and falling numbers of calls answered with results or failures. A model
 * written from modules/compute/README.md predicts every epoch's units, moving average, mint, burn and
 * each worker's payout; after every block the `EventEpochEnded` events, the Epoch, Params and
 * AnnualProvisions queries, the workers' tallies, every key's, the fee collector's and distribution's
 * balances and the total supply (genesis + block rewards + minted - burned) must be what it says, the
 * compute leaves an export would carry must pass InitChain's checks, and
 * nothing is stored while the module is off. Jobs are not driven here (test/app/compute.app.test.ts).
 */
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { QueryAnnualProvisionsRequest, QueryAnnualProvisionsResponse } from 'cosmjs-types/cosmos/mint/v1beta1/query';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AinError, DEC_ONE, decToText, exportSubtrees, govAuthority, moduleAddress } from '../../core/index.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import { type ComputeParams, type ComputeParamsJson, computeParamsFromJson, defaultComputeParams } from '../../modules/compute/index.ts';
import { checkComputeLeaves } from '../../modules/compute/genesisLeaves.ts';
import { computeParamsToJson, computeParamsToProto } from '../../modules/compute/params.ts';
import { QueryEpochRequest, QueryEpochResponse, QueryParamsRequest, QueryParamsResponse } from '../../proto/gen/ain/compute/v1/query.ts';
import { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { Params } from '../../proto/gen/ain/compute/v1/types.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { MsgRegisterExecutor, MsgSubmitResult } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { anyOf, sendMsg, type TestKey } from '../helpers/tx.ts';
import { applyChange, applyEnd, type EpochEnd, endEpoch, MEASURING, type Model, unitsOf } from './computeModel.fixture.ts';
import { FEE, FuzzChain } from './fuzzChain.fixture.ts';

const FEE_COLLECTOR = moduleAddress('fee_collector');
const DISTRIBUTION = moduleAddress('distribution');
/** Key 0: the validator (gov proposals and votes) and the app's admin; keys 1..10 executors; key 11 the caller. */
const EXECUTORS = 10;
const CALLER = EXECUTORS + 1;
const KEY_COUNT = EXECUTORS + 2;
const VOTING_SECONDS = 10;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_U32 = 2 ** 32 - 1;
const MAX_AMOUNT = (10n ** 30n - 1n).toString();
const FUNCTIONS = 4;

// ---- params and work --------------------------------------------------------------------------------

/** Mostly one of `usual`, sometimes a value at a bound. */
const nearBound = (usual: string[], edges: string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...usual) }, { weight: 2, arbitrary: fc.constantFrom(...edges) });
const ratioArb = nearBound(['0.1', '0.2', '0.5'], ['0', '1', '0.000000000000000001', '0.999999999999999999']);
const paramsArb: fc.Arbitrary<Required<ComputeParamsJson>> = fc.record({
  epoch_blocks: fc.constantFrom('1', '2', '3', '4', '6'),
  average_weight: nearBound(['0.5', '0.25', '0.333333333333333333'], ['1', '0.000000000000000001', '0.999999999999999999']),
  growth_threshold: ratioArb,
  fall_threshold: ratioArb,
  mint_per_unit: nearBound(['1', '7', '1000'], ['0', MAX_AMOUNT]),
  burn_per_unit: nearBound(['1', '3', '100'], ['0', '1000000000', MAX_AMOUNT]),
  max_mint_per_epoch: nearBound(['100000000000', '5000', MAX_AMOUNT], ['0', '1']),
  worker_share: nearBound(['0.5', '0.333333333333333333'], ['0', '1', '0.000000000000000001', '0.999999999999999999']),
  base_units: fc.constantFrom('0', '1', '10'),
  units_per_cpu: fc.constantFrom('0', '1', '7'),
  units_per_gpu: fc.constantFrom('0', '100', '18446744073709551615'),
  units_per_gib: fc.constantFrom('0', '1', '3'),
});
/** Resources near what the state module (safe integers) and a registered executor (uint32 GPUs) accept. */
const small = <T>(usual: T[], edges: T[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
const resourcesArb = fc.record({
  cpu: small([0, 1, 3], [MAX_U32, MAX_SAFE]),
  memory_mb: small([0, 1023, 1024, 3072], [MAX_SAFE]),
  gpus: small([0, 0, 1], [MAX_U32]),
  gpu_memory_mb: fc.constantFrom(0, 1),
});
/** A phase: `blocks` blocks that each fire `fire` calls and answer up to `answers` pending ones (some failed). */
const phaseArb = fc.record({
  blocks: fc.integer({ min: 1, max: 6 }),
  fire: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) }),
  answers: fc.integer({ min: 0, max: EXECUTORS }),
  failEvery: fc.constantFrom(0, 0, 2, 3),
  pick: fc.nat(),
  /** When it fires nothing, the caller still pays a fee (a send to itself): fees for a burn to take. */
  traffic: fc.boolean(),
  /** Instead of that send, a MsgUpdateParams of its own, not through gov: refused (gov/13 or a signer error). */
  rogue: fc.option(fc.constantFrom('own', 'gov'), { freq: 4, nil: undefined }),
  rogueParams: paramsArb,
  /** At the phase's start the admin sets function `fn` again: other resources, or another function_id. */
  reconfigure: fc.option(fc.record({ fn: fc.nat({ max: FUNCTIONS - 1 }), resources: resourcesArb, rename: fc.boolean() }), {
    freq: 3,
    nil: undefined,
  }),
});
type Phase = typeof phaseArb extends fc.Arbitrary<infer P> ? P : never;
const OTHERS = Object.keys(computeParamsToJson(defaultComputeParams())).filter((name) => !(MEASURING as readonly string[]).includes(name));
/**
 * A gov proposal submitted at phase `atPhase` (or later, one block after the one before): all of
 * `params` (always when the module is off: it activates it), or the params the proposal before would
 * leave in force with only `fields` of the measuring ones, or only of the others, taken from `params`;
 * or `off`, turning the module off (`disable`).
 */
const govArb = fc.record({
  atPhase: fc.nat({ max: 4 }),
  params: paramsArb,
  change: fc.oneof(
    fc.constant({ kind: 'all' as const, fields: [] as string[] }),
    fc.record({ kind: fc.constant('measure' as const), fields: fc.subarray([...MEASURING], { minLength: 1 }) }),
    fc.record({ kind: fc.constant('other' as const), fields: fc.subarray(OTHERS, { minLength: 1 }) }),
    fc.constant({ kind: 'off' as const, fields: [] as string[] }),
  ),
});
const runArb = fc.record({
  genesis: fc.option(paramsArb, { freq: 2, nil: undefined }),
  /** Proposals in order: mid-run activation, measuring changes (a restart) and others, often two in one epoch. */
  gov: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(govArb, { minLength: 1, maxLength: 3 }) }),
  resources: fc.array(resourcesArb, { minLength: FUNCTIONS, maxLength: FUNCTIONS }),
  timeout: fc.constantFrom(2, 5, 1000),
  phases: fc.array(phaseArb, { minLength: 2, maxLength: 8 }),
});
type Run = typeof runArb extends fc.Arbitrary<infer R> ? R : never;
type Resources = Run['resources'][number];

// ---- the chain --------------------------------------------------------------------------------------

interface Call {
  id: string;
  function_path: string;
  function_id: string;
  status: 'pending' | 'done' | 'failed' | 'expired';
  executor?: string;
}

const calls = (chain: FuzzChain) => chain.main.store.list('/triggers/calls', 100_000).map(([, text]) => JSON.parse(text as string) as Call);
const query = <T>(chain: FuzzChain, path: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): T => {
  const answer = chain.main.app.query({ path, data, height: 0n, prove: false });
  expect(answer.code, `${path}: ${answer.log}`).toBe(0);
  return decode(answer.value);
};

const paramsQuery = (chain: FuzzChain) =>
  query(chain, '/ain.compute.v1.Query/Params', QueryParamsRequest.encode({}).finish(), (b) => QueryParamsResponse.decode(b));

const fn = (id: string, resources: Resources, timeout: number) => ({
  function_type: 'OFFCHAIN',
  function_id: id,
  runtime: 'node',
  code_hash: 'cd'.repeat(32),
  resources,
  timeout_blocks: timeout,
  price: '0',
  output_path: `/apps/cf/out/${id}/$key`,
  executors: 'any',
});

/** The app, its functions and ten executors able to run them all (GPUs and CUDA included). */
function setUp(chain: FuzzChain, run: Run): void {
  const admin = chain.keys[0]!;
  const rule = (path: string) => anyOf(MsgSetRule, { signer: admin.address, path, rule: JSON.stringify({ write: 'true' }) });
  const txs: [TestKey, Any[]][] = [
    [
      admin,
      [
        anyOf(MsgCreateApp, { signer: admin.address, name: 'cf', admins: [admin.address], public: false }),
        rule('/apps/cf/req/$fid/$key'),
        rule('/apps/cf/out/$fid/$key'),
        ...run.resources.map((resources, i) =>
          anyOf(MsgSetFunction, {
            signer: admin.address,
            path: `/apps/cf/req/f${i}/$key`,
            function: JSON.stringify(fn(`f${i}`, resources, run.timeout)),
          }),
        ),
      ],
    ],
    ...chain.keys.slice(1, 1 + EXECUTORS).map((key): [TestKey, Any[]] => [
      key,
      [
        anyOf(MsgRegisterExecutor, {
          signer: key.address,
          runtimes: ['node'],
          cpu: MAX_U32,
          memoryMb: BigInt(MAX_SAFE),
          gpus: MAX_U32,
          gpuMemoryMb: 1n << 40n,
          price: '0',
          runtimeInfo: [{ name: 'node', kind: 'node', version: '20.0.0', packages: [], cuda: true }],
        }),
      ],
    ]),
  ];
  const results = chain.deliver(
    txs.map(([key, messages]) => chain.sign(key, messages)),
    txs.map(([key]) => key),
  );
  expect(results.map((r) => r.log)).toEqual(txs.map(() => ''));
}

const NO_RESOURCES: Resources = { cpu: 0, memory_mb: 0, gpus: 0, gpu_memory_mb: 0 };
const configId = (change: NonNullable<Phase['reconfigure']>) => `${change.rename ? 'g' : 'f'}${change.fn}`;
/** The admin's MsgSetFunction of a phase's change: function `fn` set again. */
function setFunction(chain: FuzzChain, run: Run, change: NonNullable<Phase['reconfigure']>): Any {
  const config = { ...fn(configId(change), change.resources, run.timeout), output_path: `/apps/cf/out/f${change.fn}/$key` };
  const signer = chain.keys[0]!.address;
  return anyOf(MsgSetFunction, { signer, path: `/apps/cf/req/f${change.fn}/$key`, function: JSON.stringify(config) });
}

/** The proto of params given as genesis JSON (valid ones: the module's own conversions). */
const toProto = (json: Required<ComputeParamsJson>) => computeParamsToProto(computeParamsFromJson(json));

/** The params a proposal carries: `step.params`, or the last ones with `step.fields` taken from it; undefined: off. */
function proposedParams(last: Required<ComputeParamsJson> | undefined, step: Run['gov'][number]): Required<ComputeParamsJson> | undefined {
  if (step.change.kind === 'off') return undefined;
  if (!last || step.change.kind === 'all') return step.params;
  const params = { ...last };
  for (const field of step.change.fields as (keyof ComputeParamsJson)[]) params[field] = step.params[field];
  return params;
}

function proposal(chain: FuzzChain, json: Required<ComputeParamsJson> | undefined): Any {
  const update = anyOf(
    MsgUpdateParams,
    json ? { authority: govAuthority(), params: toProto(json) } : { authority: govAuthority(), disable: true },
  );
  const submit = MsgSubmitProposal.fromPartial({
    proposer: chain.keys[0]!.address,
    messages: [update],
    initialDeposit: [{ denom: 'uain', amount: '10000000' }],
    title: 'compute params',
    summary: 'compute-driven supply',
  });
  return { typeUrl: MsgSubmitProposal.typeUrl, value: MsgSubmitProposal.encode(submit).finish() };
}
const vote = (chain: FuzzChain, proposalId: bigint): Any => ({
  typeUrl: MsgVote.typeUrl,
  value: MsgVote.encode(MsgVote.fromPartial({ proposalId, voter: chain.keys[0]!.address, option: VoteOption.VOTE_OPTION_YES })).finish(),
});

/** The txs of one block of `phase` (block `index` of it): the caller's writes, executors' answers, key 0's gov step and admin change. */
function blockTxs(chain: FuzzChain, _run: Run, phase: Phase, index: number, admin: Any[]): [TestKey, Any[]][] {
  const txs: [TestKey, Any[]][] = [];
  const caller = chain.keys[CALLER]!;
  if (phase.fire > 0) {
    const writes = Array.from({ length: phase.fire }, (_, i) =>
      anyOf(MsgSetValue, {
        signer: caller.address,
        path: `/apps/cf/req/f${(phase.pick + i * 3 + index) % FUNCTIONS}/h${chain.height}_${i}`,
        value: JSON.stringify(i),
      }),
    );
    txs.push([caller, writes]);
  } else if (phase.rogue) {
    const authority = phase.rogue === 'own' ? caller.address : govAuthority();
    txs.push([caller, [anyOf(MsgUpdateParams, { authority, params: toProto(phase.rogueParams) })]]);
  } else if (phase.traffic) txs.push([caller, [sendMsg(caller.address, caller.address, '1')]]);
  const pending = calls(chain).filter((c) => c.status === 'pending');
  const answers = Math.min(phase.answers, pending.length);
  for (let i = 0; i < answers; i++) {
    const executor = chain.keys[1 + ((phase.pick + index + i) % EXECUTORS)]!;
    const call = pending[(phase.pick + i) % pending.length]!;
    pending.splice(pending.indexOf(call), 1);
    const failed = phase.failEvery > 0 && (i + index) % phase.failEvery === 0;
    txs.push([
      executor,
      [
        anyOf(MsgSubmitResult, {
          signer: executor.address,
          callId: BigInt(call.id),
          output: JSON.stringify({ n: i }),
          failed,
          error: failed ? 'boom' : '',
        }),
      ],
    ]);
  }
  if (admin.length > 0) txs.push([chain.keys[0]!, admin]);
  return txs;
}

// ---- the checks after each block ------------------------------------------------------------------------

interface Money {
  balances: Map<string, bigint>;
  sequences: Map<string, bigint>;
  supply: bigint;
  /** Block rewards distribution minted so far. */
  rewards: bigint;
}

function money(chain: FuzzChain): Money {
  const { store, app } = chain.main;
  const bank = app.keeper<BankKeeper>('bank');
  const auth = app.keeper<AuthKeeper>('auth');
  return {
    balances: new Map(
      [...chain.keys.map((k) => k.address), FEE_COLLECTOR, DISTRIBUTION].map((a) => [a, bank.getBalance(store, a, 'uain')]),
    ),
    sequences: new Map(chain.keys.map((k) => [k.address, auth.getAccount(store, k.address)!.sequence])),
    supply: bank.getSupply(store, 'uain'),
    rewards: BigInt((store.get('/distribution/minted') as string | undefined) ?? '0'),
  };
}

/** `everOn`: genesis or a passed proposal has turned the module on (off again, it keeps its epoch record). */
function checkState(chain: FuzzChain, model: Model, what: string, everOn: boolean): void {
  const { store } = chain.main;
  const params = paramsQuery(chain);
  expect(params.enabled, `${what}: enabled`).toBe(model.params !== undefined);
  if (!model.params) {
    expect(store.list('/compute/workers', 10), `${what}: worker tallies while off`).toEqual([]);
    expect(store.list('/params/compute', 20), `${what}: compute params while off`).toEqual([]);
    if (!everOn) expect(store.list('/compute', 10), `${what}: compute state, never on`).toEqual([]);
  }
  const epoch = query(chain, '/ain.compute.v1.Query/Epoch', QueryEpochRequest.encode({}).finish(), (b) => QueryEpochResponse.decode(b));
  expect(epoch.epoch, `${what}: the Epoch query`).toEqual({
    number: model.number,
    units: model.units.toString(),
    lastUnits: model.lastUnits.toString(),
    average: decToText(model.average),
    minted: model.minted.toString(),
    burned: model.burned.toString(),
    lastMinted: model.lastMinted.toString(),
    lastBurned: model.lastBurned.toString(),
  });
  // The mint queries: the block reward's provisions plus last_minted x blocks_per_year / epoch_blocks.
  const { blockReward, blocksPerYear } = chain.main.app.keeper<DistributionKeeper>('distribution').params(store);
  const provisions = query(chain, '/cosmos.mint.v1beta1.Query/AnnualProvisions', QueryAnnualProvisionsRequest.encode({}).finish(), (b) =>
    QueryAnnualProvisionsResponse.decode(b),
  );
  const compute = model.params ? (model.lastMinted * blocksPerYear) / model.params.epochBlocks : 0n;
  expect(new TextDecoder().decode(provisions.annualProvisions), `${what}: AnnualProvisions`).toBe(
    ((blockReward * blocksPerYear + compute) * DEC_ONE).toString(),
  );
  const tallies = new Map(store.list('/compute/workers', 1000).map(([path, units]) => [path.split('/').pop()!, BigInt(units as string)]));
  expect(tallies, `${what}: the workers' tallies`).toEqual(model.workers);
  // What an export of this block carries passes InitChain's checks (the totals among them).
  expect(
    () => checkComputeLeaves(exportSubtrees(store, ['/compute', '/params/compute'])),
    `${what}: the export's compute leaves`,
  ).not.toThrow();
}

// ---- the run --------------------------------------------------------------------------------------------

async function play(run: Run): Promise<void> {
  const chain = new FuzzChain({
    keyCount: KEY_COUNT,
    govVotingSeconds: VOTING_SECONDS,
    votes: true,
    sections: run.genesis ? { compute: { params: run.genesis } } : {},
  });
  const model: Model = {
    params: run.genesis ? computeParamsFromJson(run.genesis) : undefined,
    restart: undefined,
    number: 1n,
    units: 0n,
    lastUnits: 0n,
    average: 0n,
    minted: 0n,
    burned: 0n,
    lastMinted: 0n,
    lastBurned: 0n,
    workers: new Map(),
  };
  try {
    const genesisSupply = money(chain).supply;
    // Block 1 (the chain's first) ends epoch 1 when epoch_blocks is 1: no work, no mint or burn.
    if (model.params && 1n % model.params.epochBlocks === 0n) applyEnd(model, endEpoch(model, model.params, 0n));
    checkState(chain, model, 'genesis', run.genesis !== undefined);
    setUp(chain, run);
    if (model.params && chain.height % model.params.epochBlocks === 0n) applyEnd(model, endEpoch(model, model.params, 0n));
    checkState(chain, model, 'set-up', run.genesis !== undefined);
    const configs = run.resources.map((resources, i) => ({ id: `f${i}`, resources }));
    let before = money(chain);
    // Proposals submitted (in order), each voted on in the next block; `last` the params the last one leaves.
    const gov = {
      next: 0,
      last: run.genesis as Required<ComputeParamsJson> | undefined,
      submitted: [] as { id: bigint; params: Required<ComputeParamsJson> | undefined; voted: boolean; passed: boolean }[],
    };
    const everOn = () => run.genesis !== undefined || gov.submitted.some((s) => s.passed);
    for (const [p, phase] of run.phases.entries()) {
      for (let b = 0; b < phase.blocks; b++) {
        const what = `phase ${p} block ${b} (height ${chain.height + 1n})`;
        const govMsgs: Any[] = [];
        for (const sent of gov.submitted.filter((s) => !s.voted)) {
          govMsgs.push(vote(chain, sent.id));
          sent.voted = true;
        }
        let submitting: { params: Required<ComputeParamsJson> | undefined } | undefined;
        const step = run.gov[gov.next];
        if (step && p >= step.atPhase) {
          submitting = { params: proposedParams(gov.last, step) };
          govMsgs.push(proposal(chain, submitting.params));
          gov.next += 1;
          gov.last = submitting.params;
        }
        const doneBefore = new Set(
          calls(chain)
            .filter((c) => c.status !== 'pending')
            .map((c) => c.id),
        );
        const reconfigure = b === 0 ? phase.reconfigure : undefined;
        const admin = [...govMsgs, ...(reconfigure ? [setFunction(chain, run, reconfigure)] : [])];
        const txs = blockTxs(chain, run, phase, b, admin);
        const results = chain.deliver(
          txs.map(([key, messages]) => chain.sign(key, messages)),
          txs.map(([key]) => key),
        );
        for (const [i, [key, messages]] of txs.entries()) {
          if (key === chain.keys[0]) expect(results[i]!.log, `${what}: key 0's tx`).toBe('');
          if (messages[0]!.typeUrl === `/${MsgUpdateParams.$type}`)
            expect(results[i]!.code, `${what}: MsgUpdateParams outside gov: ${results[i]!.log}`).not.toBe(0);
        }
        if (submitting) {
          const id = BigInt(chain.main.store.get('/gov/next_proposal_id') as string) - 1n;
          gov.submitted.push({ id, params: submitting.params, voted: false, passed: false });
        }

        // Work of this block's txs, at the params in force when they ran, by the function's config when
        // the result landed (key 0's change comes last in the block); a function no longer there declares nothing.
        if (model.params) {
          for (const call of calls(chain)) {
            if (call.status !== 'done' || doneBefore.has(call.id)) continue;
            const config = configs[Number(call.function_path.split('/')[4]!.slice(1))]!;
            const units = unitsOf(model.params, config.id === call.function_id ? config.resources : NO_RESOURCES);
            model.units += units;
            model.workers.set(call.executor!, (model.workers.get(call.executor!) ?? 0n) + units);
          }
        }
        if (reconfigure) configs[reconfigure.fn] = { id: configId(reconfigure), resources: reconfigure.resources };
        // Proposals that passed in this block's gov end block (in order): their params are in force from compute's.
        for (const sent of gov.submitted.filter((s) => s.voted && !s.passed)) {
          const record = JSON.parse(chain.main.store.get(`/gov/proposals/${sent.id.toString().padStart(20, '0')}`) as string) as {
            status: number;
          };
          if (record.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) continue;
          expect(record.status, `${what}: proposal ${sent.id}`).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
          applyChange(model, sent.params ? computeParamsFromJson(sent.params) : undefined);
          sent.passed = true;
        }

        const after = money(chain);
        const rewards = after.rewards;
        const fees = [...after.sequences].reduce((sum, [address, seq]) => sum + FEE * (seq - before.sequences.get(address)!), 0n);
        const ends = (chain.lastBlock?.events ?? []).filter((e) => e.type === 'ain.compute.v1.EventEpochEnded');
        let end: EpochEnd | undefined;
        if (model.params && chain.height % model.params.epochBlocks === 0n) {
          end = endEpoch(model, model.params, before.balances.get(FEE_COLLECTOR)! + fees);
          expect(
            ends.map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value]))),
            `${what}: EventEpochEnded`,
          ).toEqual([
            {
              epoch: model.number.toString(),
              units: end.units.toString(),
              average: decToText(end.average),
              minted: end.minted.toString(),
              burned: end.burned.toString(),
            },
          ]);
          applyEnd(model, end);
        } else expect(ends, `${what}: no epoch ends`).toEqual([]);
        checkState(chain, model, what, everOn());

        // Money: fees out of every key, the mint to workers and the fee collector, the burn from it.
        const expected = new Map(before.balances);
        for (const [address, seq] of after.sequences)
          expected.set(address, expected.get(address)! - FEE * (seq - before.sequences.get(address)!));
        // The fee collector after compute's end block (fees, the mint's rest, less the burn), and distribution's
        // sweep of it with the block reward (the validator voted on the last block).
        const collected = expected.get(FEE_COLLECTOR)! + fees + (end ? end.toCollector - end.burned : 0n);
        const reward = rewards - before.rewards;
        expected.set(FEE_COLLECTOR, 0n);
        expected.set(DISTRIBUTION, expected.get(DISTRIBUTION)! + collected + reward);
        for (const [worker, pay] of end?.payouts ?? []) expected.set(worker, expected.get(worker)! + pay);
        // Key 0's gov deposit goes out and comes back: not modelled.
        expected.set(chain.keys[0]!.address, after.balances.get(chain.keys[0]!.address)!);
        expect(after.balances, `${what}: balances`).toEqual(expected);
        expect(after.balances.get(FEE_COLLECTOR)! >= 0n, `${what}: fee collector`).toBe(true);
        expect(after.supply, `${what}: supply = genesis + rewards + minted - burned`).toBe(
          genesisSupply + rewards + model.minted - model.burned,
        );
        before = after;
      }
    }
  } finally {
    await chain.close();
  }
}

describe('compute-driven supply, stateful fuzz through the app', () => {
  it('every param set genesis takes, the Params query can report (the uint64 fields of its proto)', () => {
    const near = fc.constantFrom('0', '18446744073709551615', '18446744073709551616', MAX_AMOUNT);
    fc.assert(
      fc.property(fc.record({ base_units: near, units_per_cpu: near, units_per_gpu: near, units_per_gib: near }), (json) => {
        let params: ComputeParams;
        try {
          params = computeParamsFromJson(json);
        } catch (error) {
          expect((error as AinError).codespace).toBe('compute');
          expect(Object.values(json).some((v) => BigInt(v) >= 2n ** 64n)).toBe(true);
          return;
        }
        const bytes = QueryParamsResponse.encode({ params: computeParamsToProto(params), enabled: true }).finish();
        expect(Params.toJSON(QueryParamsResponse.decode(bytes).params!)).toEqual(Params.toJSON(computeParamsToProto(params)));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('mints, burns, pays workers and keeps its average as the README says, with params at genesis or from gov', async () => {
    await fc.assert(fc.asyncProperty(runArb, play), { seed: 42, numRuns: 16 });
  }, 120_000);
});
