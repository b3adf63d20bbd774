/**
 * Stateful fuzzing of the job market through the whole app, in process (test/app/fuzzChain.fixture.ts:
 * CheckTx, FinalizeBlock and Commit on three apps: failures are registered errors, a failed tx changes
 * only fee and sequence, a twin without CheckTx agrees). Each run registers a job and builds its
 * reputation tree with real txs, then plays random blocks of plausible actions: requests with terms
 * near their bounds, evaluators accepting, workers joining, committing and revealing (some copied or
 * wrong), test data, rankings, acceptances, challenges and resolutions, applications, approvals and
 * drops; the right actor most of the time, another key sometimes; block time moves on by amounts
 * around the windows, so every deadline of the end of block runs. After every block the invariants of
 * test/app/jobsInvariants.fixture.ts hold; after the run, time passes until every request is closed
 * and the jobs module account is empty.
 * The apps keep their state from run to run, so a failure is reported as found, not shrunk (endOnFailure).
 */
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { resultCommitment, testDataCommitment } from '../../modules/jobs/commitment.ts';
import { MsgRevealResult } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { FuzzChain } from './fuzzChain.fixture.ts';
import { JobsInvariants, type RequestRecord } from './jobsInvariants.fixture.ts';
import { any, msg as jobsMsg } from './jobsHarness.fixture.ts';

const WINDOW = 20n;
const CHALLENGE_FEE = 100n;
const PARAMS = {
  accept_window: WINDOW.toString(),
  reveal_window: WINDOW.toString(),
  rank_window: WINDOW.toString(),
  acceptance_window: WINDOW.toString(),
  resolve_window: WINDOW.toString(),
  min_time_limit: '5',
  max_time_limit: '60',
  challenge_fee: CHALLENGE_FEE.toString(),
  min_evaluator_deposit: '200',
  rate_window: '1000',
  max_approvals: '6',
  max_drops: '2',
  max_workers_per_request: '4',
  max_tree_depth: '3',
};
/** The cast of each run, by key index: the root admin, an admin under it, evaluators, workers, the client, a stranger. */
const ROOT = 0;
const SUB_ADMIN = 1;
const EVALUATORS = [2, 3];
const WORKERS = [4, 5, 6];
const CLIENT = 7;
const STRANGER = 8;
const KEY_COUNT = 9;

/** Mostly the fuzz chain's ample gas; sometimes a limit around what a settlement costs (out of gas: nothing but the fee changes). */
const gasArb = fc.option(fc.constantFrom(60_000n, 90_000n, 120_000n, 160_000n), { freq: 6, nil: undefined });
const roleArb = fc.constantFrom(Role.ROLE_ADMIN, Role.ROLE_EVALUATOR, Role.ROLE_WORKER);
/** -1: the right actor for the action; otherwise a key index. */
const whoArb = fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(KEY_COUNT - 1) });
/** Mostly `usual`, sometimes a value at or past a bound. */
const nearBound = <T>(usual: fc.Arbitrary<T>, ...edges: T[]) =>
  fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
const termsArb = fc.record({
  skip: fc.constantFrom(false, false, false, true),
  testData: fc.boolean(),
  inputHash: fc.boolean(),
  rewardFunction: fc.constantFrom(1, 2, 3),
  weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  workerReward: nearBound(fc.constantFrom(1n, 10n, 997n), 10n ** 15n, 10n ** 16n),
  evaluatorReward: fc.constantFrom(0n, 10n),
  deposit: nearBound(fc.constantFrom(200n, 1000n), 199n),
  timeLimit: nearBound(fc.constantFrom(30n, 60n), 4n, 5n, 61n),
  listEvaluators: nearBound(fc.constant(0), 1, 2, 3),
  listWorkers: nearBound(fc.constant(0), 1, 3, 6, 7),
  maxWorkers: fc.constantFrom(0, 0, 0, 1, 2, 3, 4, 4, 5),
});
type Terms = typeof termsArb extends fc.Arbitrary<infer T> ? T : never;
const actionArb = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({ kind: fc.constant('step' as const), pick: fc.nat(), who: whoArb, variant: fc.nat(11), gas: gasArb }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('request' as const), who: whoArb, terms: termsArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('misplaced' as const), pick: fc.nat(), who: fc.nat(KEY_COUNT - 1), variant: fc.nat(11) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('apply' as const), who: fc.nat(KEY_COUNT - 1), role: roleArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('approve' as const), who: fc.nat(KEY_COUNT - 1), node: fc.nat(KEY_COUNT - 1), role: roleArb }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), who: fc.nat(KEY_COUNT - 1), node: fc.nat(KEY_COUNT - 1) }) },
);
type Action = typeof actionArb extends fc.Arbitrary<infer T> ? T : never;
const blockArb = fc.record({
  seconds: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(1n, 2n, 5n) }, { weight: 1, arbitrary: fc.constantFrom(19n, 20n, 21n, 30n) }),
  actions: fc.array(actionArb, { maxLength: 6 }),
  /** The variant of one more step, by the right actor, on the request furthest along. */
  drive: fc.nat(11),
});

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const saltOf = (worker: string, request: string) => hex(`${worker}/${request}`).slice(0, 32);
const outputOf = (keyIndex: number) => `{"x":${1.5 + keyIndex / 10}}`;
const PHASES = ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'];
const TEST_DATA = '{"y":9}';

describe('jobs: random sequences of actions through the app keep the invariants', () => {
  let chain: FuzzChain;
  let invariants: JobsInvariants;
  let keys: TestKey[];

  beforeAll(() => {
    chain = new FuzzChain({ keyCount: KEY_COUNT, sections: { jobs: { params: PARAMS } } });
    keys = chain.keys;
    invariants = new JobsInvariants(chain.main.app, chain.main.store);
  });
  afterAll(async () => {
    await chain?.close();
  });

  /** One block of txs (one per signer; later ones of a signer dropped), checked; `targets[i]` is the request tx i acts on. */
  const block = (txs: Array<{ key: TestKey; messages: Any[]; target?: string; gas?: bigint }>, seconds: bigint) => {
    const used = new Set<TestKey>();
    const kept = txs.filter((tx) => !used.has(tx.key) && used.add(tx.key));
    const results = chain.deliver(
      kept.map((tx) => chain.sign(tx.key, tx.messages, tx.gas === undefined ? {} : { gasLimit: tx.gas })),
      kept.map((tx) => tx.key),
      seconds,
    );
    invariants.afterBlock(
      chain.lastBlock!,
      kept.map((tx) => tx.target),
      `height ${chain.height}`,
    );
    return results;
  };

  /** Registers a job and its tree: root -> sub-admin -> evaluator 2, workers; root -> evaluator 3. */
  const setUpJob = (): bigint => {
    const [root, sub] = [keys[ROOT]!, keys[SUB_ADMIN]!];
    expect(block([{ key: root, messages: [jobsMsg.register(root, { delegation: { adminDepth: 2, maxChildren: 0 } })] }], 5n)[0]!.log).toBe(
      '',
    );
    const jobId = BigInt(chain.main.store.get('/jobs/next_job_id') as string) - 1n;
    const applications: Array<[number, Role]> = [
      [SUB_ADMIN, Role.ROLE_ADMIN],
      [EVALUATORS[0]!, Role.ROLE_EVALUATOR],
      [EVALUATORS[1]!, Role.ROLE_EVALUATOR],
      ...WORKERS.map((w): [number, Role] => [w, Role.ROLE_WORKER]),
      [STRANGER, Role.ROLE_WORKER],
    ];
    const applied = block(
      applications.map(([i, role]) => ({ key: keys[i]!, messages: [jobsMsg.apply(keys[i]!, jobId, role)] })),
      5n,
    );
    expect(applied.map((r) => r.log)).toEqual(applications.map(() => ''));
    const approvedByRoot = [
      jobsMsg.approve(root, jobId, sub, Role.ROLE_ADMIN),
      jobsMsg.approve(root, jobId, keys[EVALUATORS[1]!]!, Role.ROLE_EVALUATOR),
    ];
    expect(block([{ key: root, messages: approvedByRoot }], 5n)[0]!.log).toBe('');
    const approvedBySub = [
      jobsMsg.approve(sub, jobId, keys[EVALUATORS[0]!]!, Role.ROLE_EVALUATOR),
      ...WORKERS.map((w) => jobsMsg.approve(sub, jobId, keys[w]!, Role.ROLE_WORKER)),
    ];
    expect(block([{ key: sub, messages: approvedBySub }], 5n)[0]!.log).toBe('');
    return jobId;
  };

  it('holds the money, state-machine, tree and rating invariants after every block', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 10, maxLength: 40 }), (blocks) => {
        run += 1;
        const jobId = setUpJob();
        const firstRequest = BigInt((chain.main.store.get('/jobs/next_request_id') as string | undefined) ?? '1');
        const play = new Play(keys, jobId, firstRequest);
        for (const { seconds, actions, drive } of blocks) {
          const view = invariants.current();
          const driven = { kind: 'step' as const, pick: 0, who: -1, variant: drive, gas: undefined };
          const txs = [driven, ...actions].flatMap((action) => play.tx(action, view.requests, view.results) ?? []);
          block(txs, seconds);
        }
        // Time passes until every request of every run has closed: the jobs account is then empty.
        for (let i = 0; i < 12 && chain.main.store.list('/jobs/deadlines', 1).length > 0; i++) block([], 30n);
        expect(chain.main.store.list('/jobs/deadlines', 1), `run ${run}: requests still live`).toEqual([]);
        expect(chain.main.app.keeper<BankKeeper>('bank').getBalance(chain.main.store, moduleAddress('jobs'), 'uain')).toBe(0n);
      }),
      { seed: 42, numRuns: 14, endOnFailure: true },
    );
  });
});

/** Turns generated actions into txs against the chain's committed state, remembering what was committed to. */
class Play {
  private readonly committed = new Map<string, { output: string; outputHash: string; salt: string }>();

  constructor(
    private readonly keys: TestKey[],
    private readonly jobId: bigint,
    private readonly firstRequest: bigint,
  ) {}

  private key(i: number): TestKey {
    return this.keys[i]!;
  }

  private index(address: string): number {
    return this.keys.findIndex((k) => k.address === address);
  }

  tx(
    action: Action,
    requests: ReadonlyMap<string, RequestRecord>,
    results: ReadonlyMap<string, { worker: string; commitment: string; revealedAt: string }>,
  ): { key: TestKey; messages: Any[]; target?: string; gas?: bigint } | undefined {
    const jobId = this.jobId;
    switch (action.kind) {
      case 'request':
        return this.request(action.who < 0 ? CLIENT : action.who, action.terms);
      case 'apply':
        return { key: this.key(action.who), messages: [jobsMsg.apply(this.key(action.who), jobId, action.role)] };
      case 'approve':
        return { key: this.key(action.who), messages: [jobsMsg.approve(this.key(action.who), jobId, this.key(action.node), action.role)] };
      case 'drop':
        return { key: this.key(action.who), messages: [jobsMsg.drop(this.key(action.who), jobId, this.key(action.node))] };
      default:
        break;
    }
    const ours = [...requests.values()].filter((r) => BigInt(r.id) >= this.firstRequest);
    const live =
      action.kind === 'step'
        ? ours.filter((r) => !['completed', 'expired', 'evaluator_timeout', 'no_results', 'cancelled'].includes(r.status))
        : ours;
    if (live.length === 0) return undefined;
    // Half the steps go to the request furthest along, so later phases are reached.
    const furthest = [...live].sort((a, b) => PHASES.indexOf(b.status) - PHASES.indexOf(a.status))[0]!;
    const request = action.kind === 'step' && action.pick % 2 === 0 ? furthest : live[(action.pick >> 1) % live.length]!;
    const id = request.id;
    const resultOf = (worker: string) => results.get(`${id}/${worker}`);
    const revealed = request.joined.filter((w) => resultOf(w)?.revealedAt !== '0');
    const variant = action.variant;
    const status =
      action.kind === 'misplaced'
        ? (['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'][variant % 6] as string)
        : request.status;
    const right = (address: string) =>
      action.kind === 'step' && action.who < 0 ? address : this.key(action.who < 0 ? STRANGER : action.who).address;
    const signer = (address: string) => this.key(Math.max(0, this.index(right(address))));
    const one = (address: string, make: (key: TestKey) => Any) => {
      const key = signer(address);
      return { key, messages: [make(key)], target: id, ...(action.kind === 'step' && action.gas !== undefined ? { gas: action.gas } : {}) };
    };
    switch (status) {
      case 'open': {
        const listed = request.evaluators;
        const evaluator = listed.length > 0 ? listed[variant % listed.length]! : this.key(EVALUATORS[variant % 2]!).address;
        return one(evaluator, (key) => jobsMsg.acceptAsEvaluator(key, BigInt(id)));
      }
      case 'running': {
        const pending = request.joined.filter((w) => resultOf(w)?.commitment === '');
        if (variant % 3 !== 0 && pending.length > 0)
          return one(pending[variant % pending.length]!, (key) => this.submit(key, id, variant, request, results));
        const candidates = [...WORKERS, STRANGER].map((i) => this.key(i).address);
        const fresh = candidates.filter((w) => !request.joined.includes(w));
        const worker = variant % 5 === 0 || fresh.length === 0 ? candidates[variant % 4]! : fresh[variant % fresh.length]!;
        if (variant % 2 === 0) return one(worker, (key) => jobsMsg.join(key, BigInt(id)));
        const joined = one(worker, (key) => jobsMsg.join(key, BigInt(id)));
        return { ...joined, messages: [...joined.messages, this.submit(joined.key, id, variant, request, results)] };
      }
      case 'revealing': {
        if (request.testDataCommitment !== '' && variant % 3 === 0)
          return one(request.client, (key) =>
            jobsMsg.revealTestData(key, BigInt(id), TEST_DATA, variant % 2 === 0 ? this.testSalt(request.client) : this.testSalt('wrong')),
          );
        const unrevealed = request.joined.filter((w) => resultOf(w)?.commitment !== '' && resultOf(w)?.revealedAt === '0');
        const worker = unrevealed[variant % Math.max(1, unrevealed.length)] ?? request.joined[0] ?? request.client;
        return one(worker, (key) => this.reveal(key, id, variant));
      }
      case 'evaluating':
        return one(request.evaluator || request.client, (key) => jobsMsg.rank(key, BigInt(id), this.ranking(request, revealed, variant)));
      case 'ranked':
        if (variant % 3 === 0 || request.skipEvaluation) return one(request.client, (key) => jobsMsg.acceptResult(key, BigInt(id)));
        return one(variant % 3 === 1 || revealed.length === 0 ? request.client : revealed[variant % revealed.length]!, (key) =>
          jobsMsg.challenge(key, BigInt(id)),
        );
      case 'challenged':
        return one(request.resolver || request.client, (key) =>
          variant % 2 === 0
            ? jobsMsg.resolve(key, BigInt(id), true, this.ranking(request, revealed, variant >> 1))
            : jobsMsg.resolve(key, BigInt(id), false),
        );
      default:
        return undefined;
    }
  }

  /** Some of the revealed workers in some order; now and then a worker that revealed nothing (jobs/17). */
  private ranking(request: RequestRecord, revealed: readonly string[], variant: number): TestKey[] {
    const order = variant % 2 === 0 ? [...revealed] : [...revealed].reverse();
    const chosen = order.slice(0, 1 + (variant % Math.max(1, order.length)));
    if (variant === 11) chosen.push(...request.joined.filter((w) => !revealed.includes(w)).slice(0, 1));
    return chosen.map((address) => this.key(this.index(address)));
  }

  private request(who: number, terms: Terms): { key: TestKey; messages: Any[] } {
    const key = this.key(who);
    const salt = this.testSalt(key.address);
    const listedEvaluators = EVALUATORS.filter((_, i) => terms.listEvaluators & (1 << i)).map((i) => this.key(i).address);
    const listedWorkers = WORKERS.filter((_, i) => terms.listWorkers & (1 << i)).map((i) => this.key(i).address);
    const overrides = {
      ...(terms.inputHash ? { input: '', inputHash: hex(`input/${who}`) } : {}),
      workerReward: terms.workerReward.toString(),
      rewardFunction: terms.rewardFunction,
      rewardWeights: terms.rewardFunction === 3 ? terms.weights : [],
      evaluatorReward: terms.skip ? '' : terms.evaluatorReward.toString(),
      evaluatorDeposit: terms.skip ? '' : terms.deposit.toString(),
      timeLimitSeconds: terms.timeLimit,
      evaluators: terms.skip ? [] : listedEvaluators.filter((a) => a !== key.address),
      workers: listedWorkers.filter((a) => a !== key.address),
      skipEvaluation: terms.skip,
      maxWorkers: terms.maxWorkers,
      testDataCommitment: terms.testData && !terms.skip ? testDataCommitment(this.jobId, key.address, salt, TEST_DATA, '') : '',
    };
    return { key, messages: [jobsMsg.request(key, this.jobId, overrides)] };
  }

  /** The salt of a client's test data (the same for each of its requests in the run). */
  private testSalt(client: string): string {
    return hex(`test/${client}/${this.jobId}`).slice(0, 32);
  }

  /** A commitment: to the worker's own output, to a hash, to a non-conforming output, or copied from another worker. */
  private submit(
    key: TestKey,
    id: string,
    variant: number,
    request: RequestRecord,
    results: ReadonlyMap<string, { worker: string; commitment: string }>,
  ): Any {
    const salt = saltOf(key.address, id);
    const kind = variant >= 9 ? variant - 8 : 0;
    const output = kind === 2 ? '{"x":"two"}' : kind === 1 ? '' : outputOf(this.index(key.address));
    const outputHash = kind === 1 ? hex(`output/${key.address}`) : '';
    const copied = request.joined.map((w) => results.get(`${id}/${w}`)?.commitment ?? '').find((c) => c !== '');
    if (kind === 3 && copied) return jobsMsg.submit(key, BigInt(id), '', copied);
    this.committed.set(`${id}/${key.address}`, { output, outputHash, salt });
    return jobsMsg.submit(key, BigInt(id), '', resultCommitment(BigInt(id), key.address, salt, output, outputHash));
  }

  /** The reveal of what the worker committed to, or one with a wrong salt. */
  private reveal(key: TestKey, id: string, variant: number): Any {
    const committed = this.committed.get(`${id}/${key.address}`) ?? { output: outputOf(0), outputHash: '', salt: saltOf('', id) };
    const salt = variant === 7 ? saltOf('wrong', id) : committed.salt;
    return any(MsgRevealResult, {
      signer: key.address,
      requestId: BigInt(id),
      output: committed.output,
      outputHash: committed.outputHash,
      salt,
    });
  }
}
