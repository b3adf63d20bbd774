/**
 * Stateful fuzzing of the jobs module's challenge paths through the whole app, in process
 * (test/app/fuzzChain.fixture.ts). Each run registers a job whose tree has three admins above the
 * evaluator (root -> A -> B -> evaluator, workers), so a challenge can go up three levels. Requests
 * have no listed nodes nor test data and short windows, so each reaches `ranked` in a few blocks;
 * then random blocks challenge (client or a worker), resolve (upheld with a random ranking, rejected,
 * or silent so the challenge escalates or lapses), drop the resolver mid-challenge, send a resolve by
 * the wrong actor, and pass gov proposals of the jobs MsgUpdateParams that change the challenge fee
 * and the windows between and during requests. After every block the invariants of
 * test/app/jobsInvariants.fixture.ts hold (each challenge pays the fee in force when it was filed).
 * The apps keep their state from run to run, so a failure is reported as found, not shrunk (endOnFailure).
 */
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { govAuthority, moduleAddress } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import type { JobsKeeper } from '../../modules/jobs/keeper.ts';
import { MsgUpdateParams } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { FuzzChain } from './fuzzChain.fixture.ts';
import { any, msg as jobsMsg } from './jobsHarness.fixture.ts';
import { JobsInvariants, type RequestRecord } from './jobsInvariants.fixture.ts';

const PARAMS = {
  accept_window: '10',
  reveal_window: '10',
  rank_window: '10',
  acceptance_window: '10',
  resolve_window: '10',
  min_time_limit: '1',
  max_time_limit: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
  rate_window: '100000',
  max_approvals: '50',
  max_drops: '50',
  max_workers_per_request: '4',
  max_tree_depth: '4',
};
/** The cast, by key index: the validator (proposes and votes), the admins from the root down, the evaluator, workers, the client. */
const VALIDATOR = 0;
const ADMINS = [1, 2, 3];
const EVALUATOR = 4;
const WORKERS = [5, 6];
const CLIENT = 7;
const KEY_COUNT = 8;
const VOTING_SECONDS = 6;
const OUTPUTS = ['{"x":2}', '{"x":2.5}'];
const CLOSED = ['completed', 'expired', 'evaluator_timeout', 'no_results', 'cancelled'];

/** A new challenge fee (min_evaluator_deposit raised above it when needed) and one window for every phase. */
const paramsChangeArb = fc.record({
  fee: fc.constantFrom(0n, 1n, 50n, 150n, 199n, 900n),
  window: fc.constantFrom(2n, 5n, 10n, 25n),
});
const blockArb = fc.record({
  seconds: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(1n, 2n, 3n) }, { weight: 1, arbitrary: fc.constantFrom(11n, 26n) }),
  /** One choice per live request (cycled): who challenges, how the resolver decides, whether its parent drops it. */
  picks: fc.array(fc.nat(999), { minLength: 3, maxLength: 3 }),
  newRequest: fc.boolean(),
  paramsChange: fc.option(paramsChangeArb, { freq: 5, nil: undefined }),
});

type Tx = { key: TestKey; messages: Any[]; target?: string; wrongResolver?: boolean; dropsResolver?: boolean };

describe('jobs challenges: random challenges, resolutions and param changes keep the invariants', () => {
  let chain: FuzzChain;
  let invariants: JobsInvariants;
  let keys: TestKey[];
  const seen = {
    filed: new Map<string, number>(),
    outcomes: new Map<string, number>(),
    paramsPassed: 0,
    paramsWhileChallenged: 0,
    resolversDropped: 0,
  };
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const gov = { proposal: undefined as bigint | undefined, voted: false };

  beforeAll(() => {
    chain = new FuzzChain({ keyCount: KEY_COUNT, govVotingSeconds: VOTING_SECONDS, sections: { jobs: { params: PARAMS } } });
    keys = chain.keys;
    invariants = new JobsInvariants(chain.main.app, chain.main.store);
  });
  afterAll(async () => {
    await chain?.close();
  });

  const params = () => chain.main.app.keeper<JobsKeeper>('jobs').params(chain.main.store);

  /** One block of txs (one per signer; later ones of a signer dropped), checked against the invariants. */
  const block = (txs: Tx[], seconds: bigint): ExecTxResult[] => {
    const used = new Set<TestKey>();
    const kept = txs.filter((tx) => !used.has(tx.key) && used.add(tx.key));
    const feeBefore = params().challengeFee;
    const results = chain.deliver(
      kept.map((tx) => chain.sign(tx.key, tx.messages)),
      kept.map((tx) => tx.key),
      seconds,
    );
    invariants.afterBlock(
      chain.lastBlock!,
      kept.map((tx) => tx.target),
      `height ${chain.height}`,
    );
    kept.forEach((tx, i) => {
      if (tx.dropsResolver && results[i]!.code === 0) seen.resolversDropped += 1;
      // Not the resolver (jobs/6), or the resolve window just passed (jobs/8).
      if (tx.wrongResolver) expect(['jobs/6', 'jobs/8'], results[i]!.log).toContain(`${results[i]!.codespace}/${results[i]!.code}`);
    });
    const events = [...results.filter((r) => r.code === 0).flatMap((r) => r.events), ...chain.lastBlock!.events];
    for (const event of events) {
      const attribute = (key: string) => event.attributes.find((a) => a.key === key)?.value ?? '';
      if (event.type === 'ain.jobs.v1.EventChallengeFiled') count(seen.filed, attribute('level'));
      if (event.type === 'ain.jobs.v1.EventChallengeResolved') count(seen.outcomes, attribute('outcome'));
    }
    if (params().challengeFee !== feeBefore) {
      seen.paramsPassed += 1;
      if ([...invariants.current().requests.values()].some((r) => r.status === 'challenged')) seen.paramsWhileChallenged += 1;
    }
    return results;
  };

  /** Registers a job and its tree: root -> A -> B (admins) -> the evaluator and the workers. */
  const setUpJob = (): bigint => {
    const [root, a, b] = ADMINS.map((i) => keys[i]!) as [TestKey, TestKey, TestKey];
    const registered = block([{ key: root, messages: [jobsMsg.register(root, { delegation: { adminDepth: 3, maxChildren: 0 } })] }], 1n);
    expect(registered[0]!.log).toBe('');
    const jobId = BigInt(chain.main.store.get('/jobs/next_job_id') as string) - 1n;
    const applications: Array<[number, Role]> = [
      [ADMINS[1]!, Role.ROLE_ADMIN],
      [ADMINS[2]!, Role.ROLE_ADMIN],
      [EVALUATOR, Role.ROLE_EVALUATOR],
      ...WORKERS.map((w): [number, Role] => [w, Role.ROLE_WORKER]),
    ];
    const applied = block(
      applications.map(([i, role]) => ({ key: keys[i]!, messages: [jobsMsg.apply(keys[i]!, jobId, role)] })),
      1n,
    );
    expect(applied.map((r) => r.log)).toEqual(applications.map(() => ''));
    expect(block([{ key: root, messages: [jobsMsg.approve(root, jobId, a, Role.ROLE_ADMIN)] }], 1n)[0]!.log).toBe('');
    expect(block([{ key: a, messages: [jobsMsg.approve(a, jobId, b, Role.ROLE_ADMIN)] }], 1n)[0]!.log).toBe('');
    const approvedByB = [
      jobsMsg.approve(b, jobId, keys[EVALUATOR]!, Role.ROLE_EVALUATOR),
      ...WORKERS.map((w) => jobsMsg.approve(b, jobId, keys[w]!, Role.ROLE_WORKER)),
    ];
    expect(block([{ key: b, messages: approvedByB }], 1n)[0]!.log).toBe('');
    return jobId;
  };

  /** The validator proposes a jobs MsgUpdateParams, votes yes in a later block; it passes after the voting period. */
  const govTx = (change: { fee: bigint; window: bigint } | undefined): Tx | undefined => {
    const validator = keys[VALIDATOR]!;
    if (gov.proposal !== undefined) {
      if (gov.voted) return undefined;
      gov.voted = true;
      const vote = { proposalId: gov.proposal, voter: validator.address, option: VoteOption.VOTE_OPTION_YES };
      return { key: validator, messages: [{ typeUrl: MsgVote.typeUrl, value: MsgVote.encode(MsgVote.fromPartial(vote)).finish() }] };
    }
    if (!change) return undefined;
    const current = params();
    const minDeposit = change.fee >= current.minEvaluatorDeposit ? change.fee + 100n : current.minEvaluatorDeposit;
    const update = any(MsgUpdateParams, {
      authority: govAuthority(),
      params: {
        acceptWindow: change.window,
        revealWindow: change.window,
        rankWindow: change.window,
        acceptanceWindow: change.window,
        resolveWindow: change.window,
        minTimeLimit: current.minTimeLimit,
        maxTimeLimit: current.maxTimeLimit,
        challengeFee: change.fee.toString(),
        minEvaluatorDeposit: minDeposit.toString(),
        rateWindow: current.rateWindow,
        maxApprovals: current.maxApprovals,
        maxDrops: current.maxDrops,
        maxWorkersPerRequest: current.maxWorkersPerRequest,
        maxTreeDepth: current.maxTreeDepth,
        maxChildrenPerAdmin: current.maxChildrenPerAdmin,
      },
    });
    const submit = MsgSubmitProposal.fromPartial({
      proposer: validator.address,
      messages: [update],
      initialDeposit: [{ denom: 'uain', amount: '10000000' }],
      title: 'jobs params',
      summary: 'challenge fee and windows',
    });
    return { key: validator, messages: [{ typeUrl: MsgSubmitProposal.typeUrl, value: MsgSubmitProposal.encode(submit).finish() }] };
  };

  it('holds the invariants through challenges at every level, both resolutions, timeouts, drops and param changes', () => {
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 20, maxLength: 35 }), (blocks) => {
        const jobId = setUpJob();
        const play = new Play(keys, jobId);
        const dropped = new Set<string>();
        for (const { seconds, picks, newRequest, paramsChange } of blocks) {
          const view = invariants.current();
          const ours = [...view.requests.values()].filter((r) => r.jobId === jobId.toString() && !CLOSED.includes(r.status));
          const txs: Tx[] = ours.flatMap((request, i) => play.steps(request, view.results, picks[i % picks.length]!, dropped));
          if (newRequest || ours.length === 0) txs.push(play.request(params().minEvaluatorDeposit));
          const governance = govTx(paramsChange);
          if (governance) txs.push(governance);
          const results = block(txs, seconds);
          const submitted = results.find((r) => r.code === 0 && r.events.some((e) => e.type === 'submit_proposal'));
          const id = submitted?.events.find((e) => e.type === 'submit_proposal')?.attributes.find((a) => a.key === 'proposal_id')?.value;
          if (id !== undefined) gov.proposal = BigInt(id);
          // The proposal left the voting queue: it passed (or failed); the next may be submitted.
          if (gov.proposal !== undefined && gov.voted && chain.main.store.list('/gov/voting_queue', 1).length === 0)
            Object.assign(gov, { proposal: undefined, voted: false });
        }
        // Time passes until every request has closed: the jobs account is then empty.
        for (let i = 0; i < 20 && chain.main.store.list('/jobs/deadlines', 1).length > 0; i++) block([], 30n);
        expect(chain.main.store.list('/jobs/deadlines', 1), 'requests still live').toEqual([]);
        expect(chain.main.app.keeper<BankKeeper>('bank').getBalance(chain.main.store, moduleAddress('jobs'), 'uain')).toBe(0n);
      }),
      { seed: 42, numRuns: 6, endOnFailure: true },
    );
    // The challenge paths were reached: every level, both resolutions, escalations, and fee changes mid-challenge.
    expect(Object.fromEntries(seen.filed), 'challenges filed by level').toMatchObject({
      1: expect.any(Number),
      2: expect.any(Number),
      3: expect.any(Number),
    });
    expect([...seen.filed.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(seen.outcomes.get('upheld') ?? 0).toBeGreaterThanOrEqual(3);
    expect(seen.outcomes.get('rejected') ?? 0).toBeGreaterThanOrEqual(3);
    expect(seen.outcomes.get('escalated') ?? 0).toBeGreaterThanOrEqual(1);
    expect(seen.resolversDropped).toBeGreaterThanOrEqual(2);
    expect(seen.paramsPassed).toBeGreaterThanOrEqual(2);
    expect(seen.paramsWhileChallenged).toBeGreaterThanOrEqual(1);
  });
});

/** Turns a request's phase and a random pick into the txs of its right actors (now and then a wrong one). */
class Play {
  constructor(
    private readonly keys: TestKey[],
    private readonly jobId: bigint,
  ) {}

  private byAddress(address: string): TestKey {
    return this.keys.find((k) => k.address === address)!;
  }

  request(minDeposit: bigint): Tx {
    const client = this.keys[CLIENT]!;
    const terms = { workerReward: '30', evaluatorReward: '20', evaluatorDeposit: (minDeposit + 50n).toString(), timeLimitSeconds: 4n };
    return { key: client, messages: [jobsMsg.request(client, this.jobId, terms)] };
  }

  steps(request: RequestRecord, results: ReadonlyMap<string, { revealedAt: string }>, pick: number, dropped: Set<string>): Tx[] {
    const id = BigInt(request.id);
    const target = request.id;
    const evaluator = this.keys[EVALUATOR]!;
    const workers = WORKERS.map((w) => this.keys[w]!);
    const revealed = workers.filter((w) => (results.get(`${request.id}/${w.address}`)?.revealedAt ?? '0') !== '0');
    switch (request.status) {
      case 'open':
        return [{ key: evaluator, messages: [jobsMsg.acceptAsEvaluator(evaluator, id)], target }];
      case 'running':
        return workers
          .filter((w) => !request.joined.includes(w.address))
          .map((w, i) => ({ key: w, messages: [jobsMsg.join(w, id), jobsMsg.submit(w, id, OUTPUTS[i]!)], target }));
      case 'revealing':
        return workers
          .filter((w) => request.joined.includes(w.address) && !revealed.includes(w))
          .map((w) => ({ key: w, messages: [jobsMsg.reveal(w, id, OUTPUTS[WORKERS.indexOf(this.keys.indexOf(w))]!)], target }));
      case 'evaluating':
        return [{ key: evaluator, messages: [jobsMsg.rank(evaluator, id, pick % 2 === 0 ? revealed : [...revealed].reverse())], target }];
      case 'ranked': {
        if (pick % 10 === 0) return [{ key: this.keys[CLIENT]!, messages: [jobsMsg.acceptResult(this.keys[CLIENT]!, id)], target }];
        if (pick % 10 === 1) return [];
        const challenger = pick % 3 === 0 && revealed.length > 0 ? revealed[pick % revealed.length]! : this.keys[CLIENT]!;
        return [{ key: challenger, messages: [jobsMsg.challenge(challenger, id)], target }];
      }
      case 'challenged': {
        const resolver = this.byAddress(request.resolver);
        const txs: Tx[] = [];
        // Its parent drops the resolver mid-challenge now and then (never the root); it may still resolve.
        const parentIndex = ADMINS.indexOf(this.keys.indexOf(resolver)) - 1;
        if (pick % 7 === 0 && parentIndex >= 0 && !dropped.has(resolver.address)) {
          const parent = this.keys[ADMINS[parentIndex]!]!;
          dropped.add(resolver.address);
          txs.push({ key: parent, messages: [jobsMsg.drop(parent, this.jobId, resolver)], dropsResolver: true });
        }
        const decision = (pick >> 3) % 8;
        if (decision === 0) txs.push({ key: evaluator, messages: [jobsMsg.resolve(evaluator, id, false)], target, wrongResolver: true });
        else if (decision <= 3) {
          const ranking = (pick >> 6) % 2 === 0 ? revealed.slice(0, 1) : [...revealed].reverse();
          txs.push({ key: resolver, messages: [jobsMsg.resolve(resolver, id, true, ranking)], target });
        } else if (decision <= 6) txs.push({ key: resolver, messages: [jobsMsg.resolve(resolver, id, false)], target });
        return txs;
      }
      default:
        return [];
    }
  }
}
