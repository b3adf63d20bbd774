/**
 * The jobs module through the whole app, in process (real AinApplication, lmdb, signed txs through
 * CheckTx, FinalizeBlock and Commit, block time set by the test): the paper's Calculate Root sample,
 * the reward functions, every timeout path, commit-reveal of results and test data, challenges and
 * their escalation up the reputation tree, rate limits, Elo ratings and statistics, and refusals.
 * The harness asserts after every block that the supply is unchanged and that the jobs account holds
 * exactly the sum of the live requests' escrow.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryNodeRequest, QueryRequestRequest, QueryStatsRequest } from '../../proto/gen/ain/jobs/v1/query.ts';
import { RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import {
  eventsOf,
  JOBS_ACCOUNT,
  type JobsHarness,
  keys,
  msg,
  resultCommitment,
  saltOf,
  setUpCalculateRoot,
  startJobsApp,
  T0,
  TEST_PARAMS,
  testDataCommitment,
} from './jobsHarness.fixture.ts';

const { alice, bob, eve, erin, w1, w2, w3, carl, dan } = keys;
const ANSWERS = new Map<TestKey, string>([
  [w1, '{"x":1.9}'], // |1.9^2 - 4| = 0.39
  [w2, '{"x":2.01}'], // |2.01^2 - 4| = 0.0401: the closest
  [w3, '{"x":2.5}'], // |2.5^2 - 4| = 2.25
]);
const codeOf = (result: { codespace: string; code: number }) => `${result.codespace}/${result.code}`;

describe('jobs module in the app, in process', () => {
  let h: JobsHarness;
  let jobId: bigint;

  beforeEach(() => {
    h = startJobsApp();
    jobId = setUpCalculateRoot(h);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Request (carl) -> eve accepts -> the workers join and commit in one block; returns the request id. */
  const runToCommitted = (workers: readonly TestKey[] = [w1, w2, w3], overrides = {}): bigint => {
    const requested = h.send(carl, [msg.request(carl, jobId, overrides)]);
    expect(requested.log).toBe('');
    const id = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
    expect(h.send(eve, [msg.acceptAsEvaluator(eve, id)]).log).toBe('');
    const committed = h.block(workers.map((w) => [w, [msg.join(w, id), msg.submit(w, id, ANSWERS.get(w)!)]] as const));
    expect(committed.results.map((r) => r.log)).toEqual(workers.map(() => ''));
    return id;
  };
  /** ... then submission closes and the workers reveal; then reveals close (the evaluator may rank). */
  const runToEvaluating = (workers: readonly TestKey[] = [w1, w2, w3], overrides = {}): bigint => {
    const id = runToCommitted(workers, overrides);
    h.advance(31n);
    expect(h.request(id).status).toBe('revealing');
    const revealed = h.block(workers.map((w) => [w, [msg.reveal(w, id, ANSWERS.get(w)!)]] as const));
    expect(revealed.results.map((r) => r.log)).toEqual(workers.map(() => ''));
    h.advance(21n);
    expect(h.request(id).status).toBe('evaluating');
    return id;
  };

  it("runs the paper's Calculate Root sample: the closest worker and the evaluator are paid 10 each", () => {
    const job = h.job(jobId);
    expect(job).toMatchObject({
      admin: alice.address,
      workerRpc: 'Worker.CalculateRoot',
      evaluatorRpc: 'Evaluator.EvaluateRoot',
      inputType: 'Request',
      outputType: 'WorkerReply',
      runtime: 'python3',
      delegation: { adminDepth: 1, maxChildren: 0 },
    });
    expect(h.node(jobId, eve).node).toMatchObject({ parent: bob.address, depth: 2, roles: [Role.ROLE_EVALUATOR], status: 'approved' });
    expect(h.node(jobId, bob).node).toMatchObject({ parent: alice.address, depth: 1, roles: [Role.ROLE_ADMIN], children: 4 });

    // 6. The client requests with reward [10, 10]: both escrowed.
    const requested = h.send(carl, [msg.request(carl, jobId)]);
    expect(requested.log).toBe('');
    const requestedAt = h.now();
    expect(h.balance(JOBS_ACCOUNT)).toBe(20n);
    const event = requested.events.find((e) => e.type === 'ain.jobs.v1.EventJobRequested')!;
    expect(event.attributes.slice(0, 2)).toEqual([
      { key: 'job_id', value: '1', index: true },
      { key: 'request_id', value: '1', index: true },
    ]);
    expect(eventsOf(requested.events, 'ain.jobs.v1.EventJobRequested')).toEqual([
      {
        job_id: '1',
        request_id: '1',
        client: carl.address,
        worker_reward: '10',
        evaluator_reward: '10',
        evaluator_deposit: '200',
        reward_function: 'winner_takes_all',
        skip_evaluation: 'false',
        accept_deadline: String(requestedAt + 20n),
        evaluators: '',
        workers: '',
      },
    ]);
    expect(h.liveRequests(jobId).map((r) => r.id)).toEqual([1n]);

    // 7. The evaluator accepts and deposits.
    const accepted = h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
    expect(accepted.log).toBe('');
    expect(eventsOf(accepted.events, 'ain.jobs.v1.EventJobAccepted')).toEqual([
      { job_id: '1', request_id: '1', evaluator: eve.address, submit_deadline: String(h.now() + 30n) },
    ]);
    expect(h.balance(JOBS_ACCOUNT)).toBe(220n);

    // 8-9. Three workers join and commit in one block; a reveal before submission closes is refused.
    const committed = h.block([w1, w2, w3].map((w) => [w, [msg.join(w, 1n), msg.submit(w, 1n, ANSWERS.get(w)!)]] as const));
    expect(committed.results.map((r) => r.log)).toEqual(['', '', '']);
    const early = h.send(w1, [msg.reveal(w1, 1n, ANSWERS.get(w1)!)]);
    expect(codeOf(early)).toBe('jobs/7');
    expect(early.log).toContain('revealing a result needs request 1 to be revealing; it is running');

    const closing = h.advance(31n);
    expect(closing).toEqual([
      {
        type: 'ain.jobs.v1.EventSubmissionClosed',
        attributes: { job_id: '1', request_id: '1', reveal_deadline: String(h.now() + 20n), test_data_committed: 'false' },
      },
    ]);
    const revealed = h.block([w1, w2, w3].map((w) => [w, [msg.reveal(w, 1n, ANSWERS.get(w)!)]] as const));
    expect(revealed.results.map((r) => r.log)).toEqual(['', '', '']);
    const opening = h.advance(21n);
    expect(opening).toEqual([
      {
        type: 'ain.jobs.v1.EventRankingOpened',
        attributes: { job_id: '1', request_id: '1', evaluator: eve.address, rank_deadline: String(h.now() + 20n) },
      },
    ]);

    // 10. The evaluator ranks by |x*x - y|: w2, w1, w3.
    const ranked = h.send(eve, [msg.rank(eve, 1n, [w2, w1, w3])]);
    expect(ranked.log).toBe('');
    expect(eventsOf(ranked.events, 'ain.jobs.v1.EventResultsRanked')).toEqual([
      {
        job_id: '1',
        request_id: '1',
        evaluator: eve.address,
        ranking: [w2, w1, w3].map((w) => w.address).join(','),
        accept_deadline: String(h.now() + 20n),
      },
    ]);

    // 11. The client accepts: w2 gets 10, eve 10 and its deposit back.
    const done = h.send(carl, [msg.acceptResult(carl, 1n)]);
    expect(done.log).toBe('');
    expect(eventsOf(done.events, 'ain.jobs.v1.EventPayout').map((p) => [p.recipient, p.amount, p.kind])).toEqual([
      [w2.address, '10', 'worker_reward'],
      [eve.address, '10', 'evaluator_reward'],
      [eve.address, '200', 'deposit_return'],
    ]);
    expect(eventsOf(done.events, 'ain.jobs.v1.EventRequestClosed')).toEqual([
      { job_id: '1', request_id: '1', status: 'completed', outcome: 'accepted' },
    ]);
    expect([h.delta(w2), h.delta(eve), h.delta(carl), h.delta(w1), h.delta(w3)]).toEqual([10n, 10n, -20n, 0n, 0n]);
    expect(h.balance(JOBS_ACCOUNT)).toBe(0n);

    const request = h.request(1n);
    expect(request).toMatchObject({
      status: 'completed',
      outcome: 'accepted',
      input: '{"y":4}',
      escrow: '0',
      ranking: [w2.address, w1.address, w3.address],
      settledAt: h.now(),
    });
    expect(request.results.map((r) => [r.worker, r.output, r.paid])).toEqual([
      [w1.address, ANSWERS.get(w1), '0'],
      [w2.address, ANSWERS.get(w2), '10'],
      [w3.address, ANSWERS.get(w3), '0'],
    ]);
    expect(h.liveRequests()).toEqual([]);

    // Reputation: Elo from the ranks (three equals: +16, 0, -16 points), counts, the dashboard.
    expect([w2, w1, w3].map((w) => h.node(jobId, w).node!.rating)).toEqual([1_516_000n, 1_500_000n, 1_484_000n]);
    expect(h.node(jobId, w2).node!.stats).toMatchObject({ jobs: 1n, acceptances: 1n, rejections: 0n, earned: '10', responses: 1n });
    expect(h.node(jobId, eve).node!.stats).toMatchObject({ jobs: 1n, acceptances: 1n, earned: '10', responses: 2n });
    expect(h.node(jobId, bob).node!.stats).toMatchObject({ approvals: 4n });
    expect(h.node(0n, carl)).toEqual({ node: undefined, overall: expect.objectContaining({ jobs: 1n }) });
    const stats = h.stats(jobId);
    expect(stats.job).toMatchObject({ requests: 1n, completed: 1n, paidWorkers: '10', paidEvaluators: '10', refunded: '0' });
    expect(stats.meanPayout).toBe('20');
    expect(stats.meanSettleSeconds).toBe(h.now() - requestedAt);
    expect(stats.completedPerDayMilli).toBe((86_400_000n * 1n) / (h.now() - requestedAt));
    expect([stats.jobs, stats.requests, stats.escrow]).toEqual([1n, 1n, '0']);
  });

  describe('reward functions', () => {
    it('even split: 10 over three ranked workers is 4, 3, 3 (the remainder to the best ranked)', () => {
      const id = runToEvaluating([w1, w2, w3], { rewardFunction: RewardFunction.REWARD_FUNCTION_EVEN_SPLIT });
      h.send(eve, [msg.rank(eve, id, [w3, w1, w2])]);
      expect(h.send(carl, [msg.acceptResult(carl, id)]).log).toBe('');
      expect([h.delta(w3), h.delta(w1), h.delta(w2)]).toEqual([4n, 3n, 3n]);
    });

    it('ranked weights 3:2:1 over 100: 51, 33, 16 (floors, the remainder to rank 1); an unranked worker earns nothing', () => {
      const id = runToEvaluating([w1, w2, w3], {
        workerReward: '100',
        rewardFunction: RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS,
        rewardWeights: [3, 2, 1],
      });
      h.send(eve, [msg.rank(eve, id, [w1, w2, w3])]);
      h.send(carl, [msg.acceptResult(carl, id)]);
      expect([h.delta(w1), h.delta(w2), h.delta(w3), h.delta(carl)]).toEqual([51n, 33n, 16n, -110n]);

      // Next request: w3 left out of the ranking -> W = 3 + 2: 60 and 40; w3 rejected, tied last for Elo.
      const next = runToEvaluating([w1, w2, w3], {
        workerReward: '100',
        rewardFunction: RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS,
        rewardWeights: [3, 2, 1],
      });
      h.send(eve, [msg.rank(eve, next, [w2, w1])]);
      h.send(carl, [msg.acceptResult(carl, next)]);
      expect([h.delta(w1), h.delta(w2), h.delta(w3)]).toEqual([51n + 40n, 33n + 60n, 16n]);
      expect(h.node(jobId, w3).node!.stats).toMatchObject({ acceptances: 1n, rejections: 1n });
    });

    it('winner takes all with nobody ranked refunds the worker reward; the evaluator is still paid', () => {
      const id = runToEvaluating([w1, w2]);
      h.send(eve, [msg.rank(eve, id, [])]);
      h.send(carl, [msg.acceptResult(carl, id)]);
      expect([h.delta(w1), h.delta(w2), h.delta(eve), h.delta(carl)]).toEqual([0n, 0n, 10n, -10n]);
    });

    it('skip_evaluation ranks the revealed results by commitment time and cannot be challenged', () => {
      const requested = h.send(carl, [
        msg.request(carl, jobId, {
          rewardFunction: RewardFunction.REWARD_FUNCTION_EVEN_SPLIT,
          workerReward: '11',
          evaluatorReward: '',
          evaluatorDeposit: '',
          skipEvaluation: true,
          workers: [w1.address, w2.address],
        }),
      ]);
      expect(requested.log).toBe('');
      expect(eventsOf(requested.events, 'ain.jobs.v1.EventJobAccepted')).toHaveLength(1);
      expect(codeOf(h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]))).toBe('jobs/14');
      expect(codeOf(h.send(w3, [msg.join(w3, 1n)]))).toBe('jobs/14'); // not listed
      h.send(w2, [msg.join(w2, 1n), msg.submit(w2, 1n, ANSWERS.get(w2)!)]);
      h.send(w1, [msg.join(w1, 1n), msg.submit(w1, 1n, ANSWERS.get(w1)!)]);
      h.advance(30n);
      h.block([
        [w1, [msg.reveal(w1, 1n, ANSWERS.get(w1)!)]],
        [w2, [msg.reveal(w2, 1n, ANSWERS.get(w2)!)]],
      ]);
      const ranked = h.advance(21n);
      expect(ranked[0]).toMatchObject({ type: 'ain.jobs.v1.EventResultsRanked', attributes: { ranking: `${w2.address},${w1.address}` } });
      expect(codeOf(h.send(carl, [msg.challenge(carl, 1n)]))).toBe('jobs/14');
      h.advance(21n); // the client stays silent: accepted at the end of the window
      expect([h.delta(w2), h.delta(w1), h.delta(carl)]).toEqual([6n, 5n, -11n]);
      expect(h.request(1n)).toMatchObject({ status: 'completed', outcome: 'auto_accepted' });
    });
  });

  describe('timeouts', () => {
    it('refunds a request no evaluator accepted in time', () => {
      h.send(carl, [msg.request(carl, jobId)]);
      expect(h.advance(20n)).toEqual([]); // at the deadline: still open
      const late = h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
      expect(codeOf(late)).toBe('jobs/8');
      expect(late.log).toContain(`request 1 is open until block time ${T0 + 5n + 20n}`);
      expect(h.request(1n)).toMatchObject({ status: 'expired', outcome: 'no_evaluator', escrow: '0' });
      expect([h.delta(carl), h.delta(eve)]).toEqual([0n, 0n]);
      expect(h.stats(jobId).job).toMatchObject({ requests: 1n, expired: 1n, refunded: '20' });
    });

    it('an evaluator that never ranks loses its deposit to the client, and the client is refunded', () => {
      const id = runToEvaluating();
      const events = h.advance(21n);
      expect(events.map((e) => [e.type, e.attributes['kind'] ?? e.attributes['status'], e.attributes['amount']])).toEqual([
        ['ain.jobs.v1.EventPayout', 'deposit_forfeit', '200'],
        ['ain.jobs.v1.EventPayout', 'refund', '20'],
        ['ain.jobs.v1.EventRequestClosed', 'evaluator_timeout', undefined],
      ]);
      expect([h.delta(carl), h.delta(eve), h.delta(w1), h.delta(w2)]).toEqual([200n, -200n, 0n, 0n]);
      expect(codeOf(h.send(eve, [msg.rank(eve, id, [w1])]))).toBe('jobs/7');
      expect(h.node(jobId, eve).node!.stats).toMatchObject({ timeouts: 1n });
      expect(h.stats(jobId).job).toMatchObject({ failed: 1n });
    });

    it('accepts the ranking when the client neither accepts nor challenges in its window', () => {
      const id = runToEvaluating();
      h.send(eve, [msg.rank(eve, id, [w2, w1, w3])]);
      expect(h.advance(20n)).toEqual([]);
      const closed = h.advance(1n).filter((e) => e.type === 'ain.jobs.v1.EventRequestClosed');
      expect(closed.map((e) => e.attributes)).toEqual([
        { job_id: '1', request_id: String(id), status: 'completed', outcome: 'auto_accepted' },
      ]);
      expect([h.delta(w2), h.delta(eve), h.delta(carl)]).toEqual([10n, 10n, -20n]);
      expect(codeOf(h.send(carl, [msg.acceptResult(carl, id)]))).toBe('jobs/7');
    });

    it('ends a request nobody committed to: rewards back to the client, the deposit back to the evaluator', () => {
      h.send(carl, [msg.request(carl, jobId)]);
      h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
      h.send(w1, [msg.join(w1, 1n)]);
      h.advance(31n);
      expect(h.request(1n)).toMatchObject({ status: 'no_results', outcome: 'no_commitments' });
      expect([h.delta(carl), h.delta(eve)]).toEqual([0n, 0n]);
      expect(h.node(jobId, w1).node!.stats).toMatchObject({ jobs: 1n, rejections: 1n });
    });

    it('ends a request whose workers committed but never revealed', () => {
      runToCommitted([w1]);
      h.advance(31n);
      h.advance(21n);
      expect(h.request(1n)).toMatchObject({ status: 'no_results', outcome: 'no_reveals' });
      expect([h.delta(carl), h.delta(eve), h.delta(w1)]).toEqual([0n, 0n, 0n]);
    });
  });

  describe('commit-reveal', () => {
    it('refuses a reveal that does not match the commitment, and a copied commitment revealed by another worker', () => {
      h.send(carl, [msg.request(carl, jobId)]);
      h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
      const honest = msg.submit(w1, 1n, ANSWERS.get(w1)!);
      const copied = resultCommitment(1n, w1.address, saltOf(w1, 1n), ANSWERS.get(w1)!, '');
      h.block([
        [w1, [msg.join(w1, 1n), honest]],
        [w2, [msg.join(w2, 1n), msg.submit(w2, 1n, '', copied)]],
      ]);
      expect(h.request(1n).results.map((r) => r.commitment)).toEqual([copied, copied]);
      h.advance(31n);
      expect(h.send(w1, [msg.reveal(w1, 1n, ANSWERS.get(w1)!)]).log).toBe('');
      // w1's answer and salt are public now; w2 replays them, but the commitment binds w1's address.
      const replay = h.send(w2, [msg.reveal(w2, 1n, ANSWERS.get(w1)!, saltOf(w1, 1n))]);
      expect(codeOf(replay)).toBe('jobs/12');
      expect(replay.log).toContain(`, not its commitment ${copied}`);
      const changed = h.send(w1, [msg.reveal(w1, 1n, '{"x":2}')]);
      expect(codeOf(changed)).toBe('jobs/13'); // already revealed
      h.advance(21n);
      const unrevealed = h.send(eve, [msg.rank(eve, 1n, [w2, w1])]);
      expect(codeOf(unrevealed)).toBe('jobs/17');
      expect(unrevealed.log).toContain(`ranking[0] ${w2.address} revealed no result for request 1`);
    });

    it('refuses a changed answer and a garbage output that does not conform to the schema: that worker earns nothing', () => {
      const id = runToCommitted([w1, w2], {});
      h.send(w3, [msg.join(w3, id), msg.submit(w3, id, '{"x":"two"}')]);
      h.advance(31n);
      const changed = h.send(w1, [msg.reveal(w1, id, '{"x":2}')]);
      expect(codeOf(changed)).toBe('jobs/12');
      const garbage = h.send(w3, [msg.reveal(w3, id, '{"x":"two"}')]);
      expect(codeOf(garbage)).toBe('jobs/11');
      expect(garbage.log).toContain('output.x: expected a number (float); got "two"');
      h.block([
        [w1, [msg.reveal(w1, id, ANSWERS.get(w1)!)]],
        [w2, [msg.reveal(w2, id, ANSWERS.get(w2)!)]],
      ]);
      h.advance(21n);
      h.send(eve, [msg.rank(eve, id, [w2, w1])]);
      h.send(carl, [msg.acceptResult(carl, id)]);
      expect([h.delta(w2), h.delta(w1), h.delta(w3)]).toEqual([10n, 0n, 0n]);
      expect(h.node(jobId, w3).node!.stats).toMatchObject({ rejections: 1n });
    });

    it("checks the client's test data against its commitment, only after submission closed", () => {
      const salt = 'cd'.repeat(16);
      const data = '{"test":[1,4,9]}';
      const commitment = testDataCommitment(jobId, carl.address, salt, data, '');
      const id = runToCommitted([w1, w2], { testDataCommitment: commitment });
      expect(codeOf(h.send(carl, [msg.revealTestData(carl, id, data, salt)]))).toBe('jobs/7');
      const events = h.advance(31n);
      expect(events[0]!.attributes['test_data_committed']).toBe('true');
      expect(codeOf(h.send(dan, [msg.revealTestData(dan, id, data, salt)]))).toBe('jobs/6');
      expect(codeOf(h.send(carl, [msg.revealTestData(carl, id, '{"test":[1]}', salt)]))).toBe('jobs/12');
      const revealed = h.send(carl, [msg.revealTestData(carl, id, data, salt)]);
      expect(revealed.log).toBe('');
      expect(eventsOf(revealed.events, 'ain.jobs.v1.EventTestDataRevealed')).toEqual([
        { job_id: '1', request_id: String(id), client: carl.address },
      ]);
      expect(h.request(id).testData).toBe(data);
      h.block([
        [w1, [msg.reveal(w1, id, ANSWERS.get(w1)!)]],
        [w2, [msg.reveal(w2, id, ANSWERS.get(w2)!)]],
      ]);
      h.advance(21n);
      expect(h.request(id).status).toBe('evaluating');
    });

    it('cancels a request whose client never reveals its test data: the evaluator is paid, revealed workers split the reward', () => {
      const commitment = testDataCommitment(jobId, carl.address, 'cd'.repeat(16), '{"test":[1]}', '');
      const id = runToCommitted([w1, w2, w3], { testDataCommitment: commitment, workerReward: '11' });
      h.advance(31n);
      h.block([
        [w1, [msg.reveal(w1, id, ANSWERS.get(w1)!)]],
        [w2, [msg.reveal(w2, id, ANSWERS.get(w2)!)]],
      ]);
      h.advance(21n);
      expect(h.request(id)).toMatchObject({ status: 'cancelled', outcome: 'test_data_not_revealed' });
      // Even split of 11 over w1 and w2 (commit order = join order here): 6 and 5.
      expect([h.delta(w1), h.delta(w2), h.delta(w3), h.delta(eve), h.delta(carl)]).toEqual([6n, 5n, 0n, 10n, -21n]);
    });
  });

  describe('challenges', () => {
    const rankedWrong = (): bigint => {
      const id = runToEvaluating();
      expect(h.send(eve, [msg.rank(eve, id, [w3, w1, w2])]).log).toBe(''); // dishonest: w3 is the farthest
      return id;
    };

    it("an upheld challenge: eve's parent bob re-ranks, the client receives the deposit, bob the fee", () => {
      const id = rankedWrong();
      const filed = h.send(carl, [msg.challenge(carl, id)]);
      expect(filed.log).toBe('');
      expect(eventsOf(filed.events, 'ain.jobs.v1.EventChallengeFiled')).toEqual([
        {
          job_id: '1',
          request_id: String(id),
          challenger: carl.address,
          resolver: bob.address,
          level: '1',
          resolve_deadline: String(h.now() + 20n),
        },
      ]);
      expect(h.balance(JOBS_ACCOUNT)).toBe(320n);
      expect(codeOf(h.send(alice, [msg.resolve(alice, id, true, [w2])]))).toBe('jobs/6');
      expect(codeOf(h.send(carl, [msg.acceptResult(carl, id)]))).toBe('jobs/7');
      const resolved = h.send(bob, [msg.resolve(bob, id, true, [w2, w1, w3])]);
      expect(resolved.log).toBe('');
      expect(eventsOf(resolved.events, 'ain.jobs.v1.EventPayout').map((p) => [p.recipient, p.amount, p.kind])).toEqual([
        [bob.address, '100', 'challenge_fee'],
        [carl.address, '200', 'deposit_forfeit'],
        [w2.address, '10', 'worker_reward'],
        [carl.address, '10', 'refund'],
      ]);
      // carl: -20 escrowed -100 fee +200 deposit +10 evaluator reward back.
      expect([h.delta(carl), h.delta(eve), h.delta(bob), h.delta(w2), h.delta(w3)]).toEqual([90n, -200n, 100n, 10n, 0n]);
      expect(h.request(id)).toMatchObject({
        status: 'completed',
        outcome: 'challenge_upheld',
        ranking: [w2, w1, w3].map((w) => w.address),
      });
      expect(h.node(jobId, eve).node!.stats).toMatchObject({ challengesLost: 1n, rejections: 1n, acceptances: 0n });
      expect(h.node(0n, carl).overall).toMatchObject({ challengesWon: 1n, earned: '200' });
      expect(h.stats(jobId).job).toMatchObject({ challenges: 1n, challengesUpheld: 1n });
    });

    it('escalates up the tree: rejected by bob, challenged again to the root alice, then no higher admin', () => {
      const id = rankedWrong();
      h.send(carl, [msg.challenge(carl, id)]);
      const rejected = h.send(bob, [msg.resolve(bob, id, false)]);
      expect(rejected.log).toBe('');
      expect(eventsOf(rejected.events, 'ain.jobs.v1.EventChallengeResolved')).toEqual([
        {
          job_id: '1',
          request_id: String(id),
          resolver: bob.address,
          level: '1',
          outcome: 'rejected',
          accept_deadline: String(h.now() + 20n),
        },
      ]);
      expect(h.request(id)).toMatchObject({ status: 'ranked', challengeLevel: 1 });
      // A worker that revealed may challenge too; this time the root resolves.
      const again = h.send(w2, [msg.challenge(w2, id)]);
      expect(eventsOf(again.events, 'ain.jobs.v1.EventChallengeFiled')[0]).toMatchObject({ resolver: alice.address, level: '2' });
      expect(h.send(alice, [msg.resolve(alice, id, false)]).log).toBe('');
      const third = h.send(carl, [msg.challenge(carl, id)]);
      expect(codeOf(third)).toBe('jobs/16');
      expect(third.log).toContain(`no admin of job 1 is above ${alice.address}`);
      expect(codeOf(h.send(dan, [msg.challenge(dan, id)]))).toBe('jobs/6');
      h.send(carl, [msg.acceptResult(carl, id)]);
      // The dishonest ranking stands: w3 is paid; the fees went to bob and alice.
      expect([h.delta(carl), h.delta(w2), h.delta(w3), h.delta(bob), h.delta(alice), h.delta(eve)]).toEqual([
        -120n,
        -100n,
        10n,
        100n,
        100n,
        10n,
      ]);
      expect(h.node(jobId, eve).node!.stats).toMatchObject({ challengesWon: 2n });
    });

    it('a resolver that lets its window pass: the challenge moves up to the root; at the top it lapses and the fee is refunded', () => {
      const id = rankedWrong();
      h.send(carl, [msg.challenge(carl, id)]);
      const escalated = h.advance(21n);
      expect(escalated).toEqual([
        {
          type: 'ain.jobs.v1.EventChallengeResolved',
          attributes: {
            job_id: '1',
            request_id: String(id),
            resolver: alice.address,
            level: '2',
            outcome: 'escalated',
            accept_deadline: '0',
          },
        },
      ]);
      expect(codeOf(h.send(bob, [msg.resolve(bob, id, false)]))).toBe('jobs/6');
      const lapsed = h.advance(21n);
      expect(lapsed.map((e) => e.attributes['outcome'] ?? e.attributes['kind'])).toEqual(['refund', 'unresolved']);
      expect(h.request(id)).toMatchObject({ status: 'ranked' });
      expect([bob, alice].map((k) => h.node(jobId, k).node?.stats?.timeouts)).toEqual([1n, 1n]);
      h.advance(21n);
      expect(h.request(id)).toMatchObject({ status: 'completed', outcome: 'auto_accepted' });
      expect([h.delta(carl), h.delta(w3)]).toEqual([-20n, 10n]);
    });

    it('no admin above a root evaluator; an admin that is a party to the request does not judge it', () => {
      // alice (the root) approves herself as evaluator: admins may hold other roles.
      h.send(alice, [msg.apply(alice, jobId, Role.ROLE_EVALUATOR)]);
      expect(h.send(alice, [msg.approve(alice, jobId, alice, Role.ROLE_EVALUATOR)]).log).toBe('');
      expect(h.node(jobId, alice).node).toMatchObject({ roles: [Role.ROLE_ADMIN, Role.ROLE_EVALUATOR], depth: 0, parent: '' });
      const single = (client: TestKey, evaluator: TestKey, id: bigint) => {
        h.send(client, [msg.request(client, jobId, { evaluators: [evaluator.address] })]);
        h.send(evaluator, [msg.acceptAsEvaluator(evaluator, id)]);
        h.send(w1, [msg.join(w1, id), msg.submit(w1, id, ANSWERS.get(w1)!)]);
        h.advance(31n);
        h.send(w1, [msg.reveal(w1, id, ANSWERS.get(w1)!)]);
        h.advance(21n);
        expect(h.send(evaluator, [msg.rank(evaluator, id, [w1])]).log).toBe('');
      };
      single(carl, alice, 1n);
      expect(codeOf(h.send(carl, [msg.challenge(carl, 1n)]))).toBe('jobs/16');
      // erin's parent is alice; alice as the client cannot resolve her own challenge, and nobody is above her.
      single(alice, erin, 2n);
      const own = h.send(alice, [msg.challenge(alice, 2n)]);
      expect(codeOf(own)).toBe('jobs/16');
      expect(own.log).toContain(`no admin of job 1 is above ${erin.address}`);
    });
  });

  describe('the reputation tree', () => {
    it('rate-limits approvals and drops per admin and window; only the parent drops; a dropped node takes no new request', () => {
      // bob made 4 approvals at set-up; max_approvals is 10 per 1000 s, max_drops 2.
      h.block([
        [dan, [msg.apply(dan, jobId, Role.ROLE_WORKER)]],
        [carl, [msg.apply(carl, jobId, Role.ROLE_WORKER)]],
        [w1, [msg.apply(w1, jobId, Role.ROLE_EVALUATOR)]],
        [w2, [msg.apply(w2, jobId, Role.ROLE_EVALUATOR)]],
        [w3, [msg.apply(w3, jobId, Role.ROLE_EVALUATOR)]],
        [eve, [msg.apply(eve, jobId, Role.ROLE_WORKER)]],
      ]);
      const approved = h.send(bob, [
        msg.approve(bob, jobId, dan, Role.ROLE_WORKER),
        msg.approve(bob, jobId, w1, Role.ROLE_EVALUATOR),
        msg.approve(bob, jobId, w2, Role.ROLE_EVALUATOR),
        msg.approve(bob, jobId, w3, Role.ROLE_EVALUATOR),
        msg.approve(bob, jobId, eve, Role.ROLE_WORKER),
        msg.approve(bob, jobId, carl, Role.ROLE_WORKER),
      ]);
      expect(approved.log).toBe('');
      h.send(carl, [msg.apply(carl, jobId, Role.ROLE_EVALUATOR)]);
      const over = h.send(bob, [msg.approve(bob, jobId, carl, Role.ROLE_EVALUATOR)]);
      expect(codeOf(over)).toBe('jobs/9');
      expect(over.log).toContain(
        `${bob.address} made 10 approvals in job 1 since block time ${T0}; at most 10 per 1000 s, next from ${T0 + 1000n}`,
      );
      expect(h.node(jobId, carl).node).toMatchObject({ roles: [Role.ROLE_WORKER], applied: [Role.ROLE_EVALUATOR] });
      expect(h.send(alice, [msg.approve(alice, jobId, alice, Role.ROLE_EVALUATOR)]).code).toBe(5); // alice never applied; her own budget is untouched

      // Drops: only the parent drops; at most 2 per window.
      expect(codeOf(h.send(alice, [msg.drop(alice, jobId, w1)]))).toBe('jobs/6');
      expect(h.send(bob, [msg.drop(bob, jobId, w1)]).log).toBe('');
      expect(h.send(bob, [msg.drop(bob, jobId, w2)]).log).toBe('');
      expect(codeOf(h.send(bob, [msg.drop(bob, jobId, w3)]))).toBe('jobs/9');
      expect(h.node(jobId, bob).node).toMatchObject({ children: 4 + 2 - 2, stats: expect.objectContaining({ approvals: 10n, drops: 2n }) });
      expect(h.node(jobId, w1).node).toMatchObject({ status: 'dropped' });
      // The next window allows more.
      expect(h.send(bob, [msg.drop(bob, jobId, w3)], 1000n).log).toBe('');
      expect(h.send(bob, [msg.approve(bob, jobId, carl, Role.ROLE_EVALUATOR)]).log).toBe('');

      // A dropped node applies for nothing and joins no new request; the root cannot be dropped.
      expect(codeOf(h.send(w1, [msg.apply(w1, jobId, Role.ROLE_ADMIN)]))).toBe('jobs/19');
      h.send(dan, [msg.request(dan, jobId, { evaluators: [eve.address] })]);
      h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
      expect(codeOf(h.send(w1, [msg.join(w1, 1n)]))).toBe('jobs/19');
      expect(codeOf(h.send(erin, [msg.acceptAsEvaluator(erin, 1n)]))).toBe('jobs/7');
      expect(codeOf(h.send(bob, [msg.drop(bob, jobId, alice)]))).toBe('jobs/6');
      expect(codeOf(h.send(carl, [msg.request(carl, jobId, { workers: [w2.address] })]))).toBe('jobs/19');
    });

    it('keeps the delegation policy: a centralized job has no other admins; depth and children bounds', () => {
      h.send(dan, [msg.register(dan, { name: 'central', delegation: { adminDepth: 0, maxChildren: 1 } })]);
      const central = 2n;
      const refused = h.send(bob, [msg.apply(bob, central, Role.ROLE_ADMIN)]);
      expect(codeOf(refused)).toBe('jobs/15');
      h.block([
        [w1, [msg.apply(w1, central, Role.ROLE_WORKER)]],
        [w2, [msg.apply(w2, central, Role.ROLE_WORKER)]],
      ]);
      expect(h.send(dan, [msg.approve(dan, central, w1, Role.ROLE_WORKER)]).log).toBe('');
      const full = h.send(dan, [msg.approve(dan, central, w2, Role.ROLE_WORKER)]);
      expect(codeOf(full)).toBe('jobs/15');
      expect(full.log).toContain('has 1 children in job 2; at most 1');
      // In job 1 (admin depth 1) bob's child cannot become an admin (depth 2).
      h.send(w1, [msg.apply(w1, jobId, Role.ROLE_ADMIN)]);
      const deep = h.send(bob, [msg.approve(bob, jobId, w1, Role.ROLE_ADMIN)]);
      expect(codeOf(deep)).toBe('jobs/15');
      expect(deep.log).toContain('delegates admins down to depth 1');
      expect(codeOf(h.send(eve, [msg.approve(eve, jobId, w1, Role.ROLE_ADMIN)]))).toBe('jobs/5'); // eve is no admin
    });

    it('updates Elo ratings in fixed point from successive rankings (hand-computed)', () => {
      const first = runToEvaluating();
      h.send(eve, [msg.rank(eve, first, [w1, w2, w3])]);
      h.send(carl, [msg.acceptResult(carl, first)]);
      expect([w1, w2, w3].map((w) => h.node(jobId, w).node!.rating)).toEqual([1_516_000n, 1_500_000n, 1_484_000n]);
      const second = runToEvaluating();
      h.send(eve, [msg.rank(eve, second, [w2, w1, w3])]);
      h.send(carl, [msg.acceptResult(carl, second)]);
      // elo.test.ts works these out by hand: 1514.899, 1516.000, 1469.102.
      expect([w1, w2, w3].map((w) => h.node(jobId, w).node!.rating)).toEqual([1_514_899n, 1_516_000n, 1_469_102n]);
      expect(h.node(jobId, w1).node!.stats).toMatchObject({ jobs: 2n, acceptances: 2n, responses: 2n, earned: '10' });
      expect(h.node(0n, w1).overall).toMatchObject({ jobs: 2n, earned: '10' });
    });
  });

  describe('refusals change nothing but the fee', () => {
    const snapshot = () => ({
      escrow: h.balance(JOBS_ACCOUNT),
      nextRequest: h.get('/jobs/next_request_id'),
      nextJob: h.get('/jobs/next_job_id'),
      carl: h.delta(carl),
    });

    it.each([
      ['an unknown job', { jobId: 9n }, 'jobs/3', 'no job 9'],
      ['an input of the wrong type', { input: '{"y":"four"}' }, 'jobs/10', 'input.y: expected a number (float); got "four"'],
      ['an input with an unknown field', { input: '{"z":1}' }, 'jobs/10', 'input.z: message Request has no field "z"'],
      ['both input and input_hash', { inputHash: 'ab'.repeat(32) }, 'jobs/1', 'give exactly one of input'],
      ['no reward', { workerReward: '0' }, 'jobs/1', 'worker_reward must be positive'],
      ['a reward that is not an amount', { workerReward: '1.5' }, 'sdk/10', 'worker_reward "1.5" is not a non-negative integer'],
      ['weights without RANKED_WEIGHTS', { rewardWeights: [1] }, 'jobs/1', 'reward_weights is only for'],
      ['no reward function', { rewardFunction: RewardFunction.REWARD_FUNCTION_UNSPECIFIED }, 'jobs/1', 'reward_function'],
      [
        'a deposit below the minimum',
        { evaluatorDeposit: '199' },
        'jobs/14',
        "evaluator_deposit 199 is below the chain's min_evaluator_deposit 200",
      ],
      ['a time limit over the maximum', { timeLimitSeconds: 10n ** 9n }, 'jobs/14', 'time_limit_seconds 1000000000 must be in [1, 604800]'],
      [
        'an evaluator list naming a worker',
        { evaluators: [w1.address] },
        'jobs/5',
        `evaluators[0] ${w1.address} is not an approved evaluator`,
      ],
      ['a bad address in a list', { workers: ['ain1nope'] }, 'sdk/7', 'workers[0]'],
      ['more workers than the chain allows', { maxWorkers: 33 }, 'jobs/14', 'max_workers 33 exceeds'],
      ['more rewards than the client holds', { workerReward: '2000000000' }, 'sdk/5', 'spendable balance'],
    ])('refuses a request with %s', (_, overrides, code, log) => {
      const before = snapshot();
      const result = h.send(carl, [msg.request(carl, (overrides as { jobId?: bigint }).jobId ?? jobId, overrides)]);
      expect(codeOf(result)).toBe(code);
      expect(result.log).toContain(log);
      expect(snapshot()).toEqual(before);
    });

    it.each([
      ['a schema that does not parse', { schema: 'message A { int32 a = 1 }' }, 'jobs/2', 'expected ";"'],
      [
        "the paper's sample as printed",
        { schema: 'message R { repeated node = 1; } service Worker { rpc C (R) returns (R); }' },
        'jobs/2',
        'field node: expected a type',
      ],
      ['a worker rpc with two inputs', { workerRpc: 'Evaluator.EvaluateRoot' }, 'jobs/1', 'takes 2 request types'],
      ['an unknown rpc', { evaluatorRpc: 'Evaluator.Nope' }, 'jobs/2', 'evaluator_rpc Evaluator.Nope is not an rpc'],
      ['a code hash that is not sha256', { workerCodeHash: 'abc' }, 'jobs/1', 'worker_code_hash "abc" is not a sha256 hash'],
      ['a malformed runtime name', { runtime: 'Python 3' }, 'jobs/1', 'runtime "Python 3" is not a runtime name'],
      ['a malformed package requirement', { requires: ['torch>=2.x'] }, 'jobs/1', 'requires[0] "torch>=2.x" has a version "2.x"'],
      ['a delegation deeper than the chain allows', { delegation: { adminDepth: 9, maxChildren: 0 } }, 'jobs/15', 'exceeds the chain'],
      ['an empty name', { name: '' }, 'jobs/1', 'name "" must be'],
    ])('refuses a registration with %s', (_, overrides, code, log) => {
      const before = snapshot();
      const result = h.send(dan, [msg.register(dan, overrides)]);
      expect(codeOf(result)).toBe(code);
      expect(result.log).toContain(log);
      expect(snapshot()).toEqual(before);
    });

    it('refuses acting out of role, twice, or on what does not exist', () => {
      h.send(carl, [msg.request(carl, jobId)]);
      const before = snapshot();
      expect(codeOf(h.send(dan, [msg.acceptAsEvaluator(dan, 1n)]))).toBe('jobs/5');
      expect(codeOf(h.send(w1, [msg.acceptAsEvaluator(w1, 1n)]))).toBe('jobs/5');
      expect(codeOf(h.send(w1, [msg.join(w1, 1n)]))).toBe('jobs/7'); // no evaluator yet
      expect(codeOf(h.send(eve, [msg.acceptAsEvaluator(eve, 2n)]))).toBe('jobs/4');
      expect(codeOf(h.send(w1, [msg.apply(w1, jobId, Role.ROLE_WORKER)]))).toBe('jobs/13');
      expect(codeOf(h.send(dan, [msg.apply(dan, 7n, Role.ROLE_WORKER)]))).toBe('jobs/3');
      expect(codeOf(h.send(dan, [msg.apply(dan, jobId, Role.ROLE_UNSPECIFIED)]))).toBe('jobs/1');
      expect(codeOf(h.send(bob, [msg.approve(bob, jobId, dan, Role.ROLE_WORKER)]))).toBe('jobs/5'); // dan never applied
      expect(snapshot()).toEqual(before);
      h.send(eve, [msg.acceptAsEvaluator(eve, 1n)]);
      h.send(w1, [msg.join(w1, 1n), msg.submit(w1, 1n, ANSWERS.get(w1)!)]);
      expect(codeOf(h.send(w1, [msg.join(w1, 1n)]))).toBe('jobs/13');
      expect(codeOf(h.send(w1, [msg.submit(w1, 1n, '{"x":3}')]))).toBe('jobs/13');
      expect(codeOf(h.send(w2, [msg.submit(w2, 1n, '{"x":3}')]))).toBe('jobs/14'); // not joined
      expect(codeOf(h.send(eve, [msg.join(eve, 1n)]))).toBe('jobs/5'); // eve is no worker
      expect(codeOf(h.send(carl, [msg.rank(carl, 1n, [w1])]))).toBe('jobs/6');
    });

    it('answers queries for missing things with their codes', () => {
      expect(h.queryError('Request', QueryRequestRequest.encode({ requestId: 5n }).finish())).toMatchObject({ codespace: 'jobs', code: 4 });
      expect(h.queryError('Stats', QueryStatsRequest.encode({ jobId: 5n }).finish())).toMatchObject({ codespace: 'jobs', code: 3 });
      expect(h.queryError('Node', QueryNodeRequest.encode({ jobId, address: 'nope' }).finish())).toMatchObject({
        codespace: 'sdk',
        code: 7,
      });
    });
  });
});

describe('jobs genesis', () => {
  it('refuses params that would let a deposit not cover the challenge fee', () => {
    expect(() => startJobsApp({ ...TEST_PARAMS, challenge_fee: '200' })).toThrow('min_evaluator_deposit 200 must exceed challenge_fee 200');
    expect(() => startJobsApp({ ...TEST_PARAMS, reveal_window: '0' })).toThrow('jobs.params.reveal_window 0 must be in [1, 31536000]');
    expect(() => startJobsApp({ ...TEST_PARAMS, nope: '1' } as never)).toThrow('jobs.params.nope is not a param');
  });
});
