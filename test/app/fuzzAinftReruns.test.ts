/**
 * Stateful fuzzing of the ainft module's re-runs through the job market, in process
 * (test/app/fuzzChain.fixture.ts: CheckTx, FinalizeBlock and Commit on three apps; a twin agrees, a
 * failed tx changes only fee and sequence). A job and its reputation tree are set up once; then
 * random blocks of: a client's own requests of the job (the originals), mints from their accepted
 * results (or from none: such a token has nothing to re-run, ainft/17), re-runs asked by any key with
 * terms near their bounds, several of a token at once, transfers and burns of tokens while re-runs
 * are pending and mints again of a burnt id from another request; every live request is driven a
 * step by the right actor (an evaluator accepts, workers join and commit to an output that matches
 * the token's result, is near its score or is not, reveal, the evaluator ranks, the client accepts)
 * or left to its deadlines. The README's model (test/app/ainftRerunsModel.fixture.ts) predicts every
 * ainft tx's outcome, each token's `reproductions`, each re-run record and the re-run events; after
 * every block the token_reruns index must name exactly each live token's re-runs, and every key's
 * balance must be what it paid in (fees, re-run and request terms, deposits) and what the job market
 * paid it (test/app/jobsInvariants.fixture.ts checks that market's escrow and the supply).
 * The apps keep their state from run to run (endOnFailure: no shrinking).
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { resultCommitment } from '../../modules/jobs/commitment.ts';
import { MsgCreateClass, MsgMint, MsgRequestRerun } from '../../proto/gen/ain/ainft/v1/tx.ts';
import { MsgRevealResult } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { hashOf, type Output, type RerunEvent, RerunsModel, resultHash } from './ainftRerunsModel.fixture.ts';
import { FEE, FuzzChain } from './fuzzChain.fixture.ts';
import { JobsInvariants, type JobsView, readJobsView, type RequestRecord } from './jobsInvariants.fixture.ts';
import { nftMsg, ok } from './ainftHarness.fixture.ts';
import { any, eventsOf, msg as jobsMsg } from './jobsHarness.fixture.ts';

const PARAMS = {
  accept_window: '20',
  reveal_window: '20',
  rank_window: '20',
  acceptance_window: '20',
  resolve_window: '20',
  min_time_limit: '5',
  max_time_limit: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
  rate_window: '1000',
  max_approvals: '6',
  max_drops: '2',
  max_workers_per_request: '4',
  max_tree_depth: '3',
};
const [ROOT, SUB_ADMIN, CLIENT, STRANGER] = [0, 1, 7, 8];
const EVALUATORS = [2, 3];
const WORKERS = [4, 5, 6];
const KEY_COUNT = 9;
const CLASS = 'cls';
const IDS = ['tok-a', 'tok-b', 'tok-c', 'tok-d'];
const LIVE = ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'];
/** Outputs of the originals, and of the re-runs: the same text, the same score in other text, at and past the tolerance, far. */
const ORIGINAL_OUTPUTS = ['{"x":2}', '{"x":2.5}'];
const RERUN_OUTPUTS = ['{"x":2}', '{"x":2.5}', '{"x":2.0}', '{"x":2.01}', '{"x":2.0100001}', '{"x":2.49}', '{"x":9}'];
const TOLERANCE = { text: '0.01', atomics: 10n ** 16n };

const nearBound = <T>(usual: fc.Arbitrary<T>, ...edges: T[]) =>
  fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
const termsArb = fc.record({
  workerReward: nearBound(fc.constantFrom(1n, 10n), 0n, 10n ** 16n),
  evaluatorReward: fc.constantFrom(0n, 10n),
  deposit: nearBound(fc.constant(200n), 199n),
  timeLimit: nearBound(fc.constantFrom(5n, 30n, 60n), 4n, 61n),
  skip: fc.constantFrom(false, false, false, true),
  listEvaluator: nearBound(fc.constant(false), true),
  listWorker: nearBound(fc.constant(false), true),
  maxWorkers: fc.constantFrom(0, 0, 1, 4, 5),
});
const actionArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('original' as const), skip: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('mint' as const),
      id: fc.nat(),
      source: fc.constantFrom('fresh', 'fresh', 'fresh', 'fresh', 'none', 'minted', 'live', 'wrong_hash', 'by_stranger'),
      reproduce: fc.boolean(),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('rerun' as const), id: fc.nat(), payer: fc.nat(KEY_COUNT - 1), terms: termsArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), id: fc.nat(), to: fc.nat(KEY_COUNT - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burn' as const), id: fc.nat() }) },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;
const blockArb = fc.record({
  seconds: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(1n, 5n) }, { weight: 1, arbitrary: fc.constantFrom(11n, 20n, 21n, 31n) }),
  actions: fc.array(actionArb, { maxLength: 3 }),
  /** One step on each live request, picking variants; -1: leave it alone this block. */
  steps: fc.array(fc.integer({ min: -1, max: 11 }), { minLength: 4, maxLength: 4 }),
});

/** One tx of a block: who signs, what, the model's expectation for ainft txs, what it pays in besides the fee, and what follows if it passes. */
interface Planned {
  key: TestKey;
  messages: Any[];
  expected?: string;
  paysIn: bigint;
  apply?: (events: RerunEvent[], now: bigint) => void;
}

describe('ainft: re-runs through the job market, as the README says', () => {
  let chain: FuzzChain;
  let keys: TestKey[];
  let invariants: JobsInvariants;
  const model = new RerunsModel();
  const balances = new Map<string, bigint>();
  /** What each worker committed to per request (`id/worker`). */
  const committed = new Map<string, Output>();
  /** Requests of the client's own (originals) and whether a token holds their result. */
  const originals = new Map<bigint, { minted: boolean }>();
  let jobId = 0n;
  const bank = () => chain.main.app.keeper<BankKeeper>('bank');
  const sequence = (key: TestKey) => chain.main.app.keeper<AuthKeeper>('auth').getAccount(chain.main.store, key.address)!.sequence;
  const index = (address: string) => keys.findIndex((k) => k.address === address);
  const saltOf = (worker: string, id: string) => hashOf(`${worker}/${id}`).slice(0, 32);

  /** One block of planned txs (one per key), checked against the model; returns the results. */
  function block(planned: Planned[], seconds: bigint, what: string) {
    const used = new Set<TestKey>();
    const kept = planned.filter((p) => !used.has(p.key) && used.add(p.key));
    const before = readJobsView(chain.main.store);
    const sequences = kept.map((p) => sequence(p.key));
    const results = chain.deliver(
      kept.map((p) => chain.sign(p.key, p.messages)),
      kept.map((p) => p.key),
      seconds,
    );
    invariants.afterBlock(chain.lastBlock!, [], what);
    const after = readJobsView(chain.main.store);
    const now = chain.time;
    const expectedEvents: RerunEvent[] = [];
    kept.forEach((p, i) => {
      const result = results[i]!;
      const outcome = result.code === 0 ? 'ok' : `${result.codespace}/${result.code}`;
      if (p.expected !== undefined) expect(outcome, `${what} tx ${i}: ${result.log}`).toBe(p.expected);
      const address = p.key.address;
      balances.set(address, balances.get(address)! - (sequence(p.key) - sequences[i]!) * FEE - (result.code === 0 ? p.paysIn : 0n));
      if (result.code === 0) p.apply?.(expectedEvents, now);
    });
    const blockEvents = [...results.filter((r) => r.code === 0).flatMap((r) => r.events), ...chain.lastBlock!.events];
    for (const payout of eventsOf(blockEvents, 'ain.jobs.v1.EventPayout'))
      balances.set(payout.recipient!, (balances.get(payout.recipient!) ?? 0n) + BigInt(payout.amount!));
    // Requests closed in this block: the model judges the re-runs among them.
    for (const [id, request] of after.requests) {
      if (LIVE.includes(request.status) || (before.requests.has(id) && !LIVE.includes(before.requests.get(id)!.status))) continue;
      const first = request.status === 'completed' ? request.ranking[0] : undefined;
      const accepted = first === undefined ? undefined : committed.get(`${id}/${first}`);
      const raw = JSON.parse(chain.main.store.get(`/jobs/requests/${id}/record`) as string) as { outcome: string };
      const event = model.closed(BigInt(id), accepted, raw.outcome, now);
      if (event) expectedEvents.push(event);
    }
    const actual = [
      ...eventsOf(blockEvents, 'ain.ainft.v1.EventRerunRequested').map((attributes) => ({ type: 'requested', attributes })),
      ...eventsOf(blockEvents, 'ain.ainft.v1.EventRerunSettled').map((attributes) => ({ type: 'settled', attributes })),
    ];
    const order = (events: RerunEvent[]) =>
      [...events].sort((a, b) => `${a.type}${a.attributes.request_id}`.localeCompare(`${b.type}${b.attributes.request_id}`));
    expect(order(actual as RerunEvent[]), `${what}: re-run events`).toEqual(order(expectedEvents));
    checkState(after, what);
    return results;
  }

  function checkState(view: JobsView, what: string): void {
    const store = chain.main.store;
    for (const key of keys)
      expect(bank().getBalance(store, key.address, 'uain'), `${what}: balance of key ${index(key.address)}`).toBe(
        balances.get(key.address),
      );
    for (const id of IDS) {
      const label = `${CLASS}/${id}`;
      const token = model.tokens.get(label);
      const stored = store.get(`/ainft/tokens/${label}`);
      expect(typeof stored === 'string', `${what}: ${label} exists`).toBe(token !== undefined);
      const indexed = store.list(`/ainft/token_reruns/${label}`, 10_000).map(([path]) => BigInt(path.slice(path.lastIndexOf('/') + 1)));
      expect(indexed, `${what}: the token_reruns index of ${label}`).toEqual(model.rerunsOf(label).sort((a, b) => (a < b ? -1 : 1)));
      if (!token) continue;
      const record = JSON.parse(stored as string) as { owner: string; reproductions: Record<string, number> };
      expect(record.owner, `${what}: owner of ${label}`).toBe(token.owner);
      expect(record.reproductions, `${what}: reproductions of ${label}`).toEqual(token.counts);
    }
    expect(store.list('/ainft/reruns', 100_000).length, `${what}: re-run records`).toBe(model.reruns.size);
    for (const [requestId, rerun] of model.reruns) {
      const stored = JSON.parse(store.get(`/ainft/reruns/${requestId}`) as string) as Record<string, string>;
      const { classId, id, payer, status, how, resultHash: hash, requestedAt, settledAt, score, originalScore } = stored;
      expect({ classId, id, payer, status, how, hash, requestedAt, settledAt }, `${what}: re-run ${requestId}`).toEqual({
        classId: CLASS,
        id: rerun.label.split('/')[1],
        payer: rerun.payer,
        status: rerun.status,
        how: rerun.how,
        hash: rerun.resultHash,
        requestedAt: `${rerun.requestedAt}`,
        settledAt: `${rerun.settledAt}`,
      });
      if (how === 'score') expect([score !== '', originalScore !== ''], `${what}: scores of re-run ${requestId}`).toEqual([true, true]);
      expect(view.requests.get(`${requestId}`)?.client, `${what}: the client of re-run ${requestId}`).toBe(rerun.payer);
    }
  }

  beforeAll(() => {
    chain = new FuzzChain({ keyCount: KEY_COUNT, sections: { jobs: { params: PARAMS } } });
    keys = chain.keys;
    invariants = new JobsInvariants(chain.main.app, chain.main.store);
    for (const key of keys) balances.set(key.address, bank().getBalance(chain.main.store, key.address, 'uain'));
    const [root, sub, client] = [keys[ROOT]!, keys[SUB_ADMIN]!, keys[CLIENT]!];
    const setUp = (txs: Array<[TestKey, Any[]]>) => {
      for (const result of block(
        txs.map(([key, messages]) => ({ key, messages, paysIn: 0n })),
        5n,
        'set-up',
      ))
        ok(result);
    };
    setUp([[root, [jobsMsg.register(root, { delegation: { adminDepth: 2, maxChildren: 0 } })]]]);
    jobId = BigInt(chain.main.store.get('/jobs/next_job_id') as string) - 1n;
    const roles: Array<[number, Role]> = [
      [SUB_ADMIN, Role.ROLE_ADMIN],
      ...EVALUATORS.map((e): [number, Role] => [e, Role.ROLE_EVALUATOR]),
      ...WORKERS.map((w): [number, Role] => [w, Role.ROLE_WORKER]),
    ];
    setUp(roles.map(([i, role]) => [keys[i]!, [jobsMsg.apply(keys[i]!, jobId, role)]]));
    setUp([
      [
        root,
        [jobsMsg.approve(root, jobId, sub, Role.ROLE_ADMIN), jobsMsg.approve(root, jobId, keys[EVALUATORS[1]!]!, Role.ROLE_EVALUATOR)],
      ],
    ]);
    setUp([
      [
        sub,
        [
          jobsMsg.approve(sub, jobId, keys[EVALUATORS[0]!]!, Role.ROLE_EVALUATOR),
          ...WORKERS.map((w) => jobsMsg.approve(sub, jobId, keys[w]!, Role.ROLE_WORKER)),
        ],
      ],
    ]);
    setUp([[client, [any(MsgCreateClass, { signer: client.address, id: CLASS, name: CLASS, minters: [] })]]]);
  });
  afterAll(async () => {
    await chain?.close();
  });

  /** A job request by the client (an original) or a re-run's terms as request fields. */
  const requestFields = (
    terms: { workerReward: bigint; evaluatorReward: bigint; deposit: bigint; timeLimit: bigint; skip: boolean; maxWorkers: number },
    payer: TestKey,
    listEvaluator: boolean,
    listWorker: boolean,
  ) => ({
    workerReward: terms.workerReward.toString(),
    evaluatorReward: terms.skip && terms.evaluatorReward === 0n ? '' : terms.evaluatorReward.toString(),
    evaluatorDeposit: terms.skip ? '' : terms.deposit.toString(),
    timeLimitSeconds: terms.timeLimit,
    skipEvaluation: terms.skip,
    evaluators: listEvaluator ? [keys[EVALUATORS[0]!]!.address] : [],
    workers: listWorker ? [keys[WORKERS[0]!]!.address] : [],
    maxWorkers: terms.maxWorkers,
    signer: payer.address,
  });

  function plan(action: Action, requests: ReadonlyMap<string, RequestRecord>): Planned | undefined {
    const client = keys[CLIENT]!;
    switch (action.kind) {
      case 'original': {
        const terms = { workerReward: 10n, evaluatorReward: 0n, deposit: 200n, timeLimit: 5n, skip: action.skip, maxWorkers: 0 };
        const fields = requestFields(terms, client, false, false);
        return {
          key: client,
          messages: [jobsMsg.request(client, jobId, { ...fields, rewardFunction: 1 })],
          expected: 'ok',
          paysIn: 10n,
          apply: () => originals.set(BigInt(chain.main.store.get('/jobs/next_request_id') as string) - 1n, { minted: false }),
        };
      }
      case 'mint': {
        const label = `${CLASS}/${IDS[action.id % IDS.length]!}`;
        const id = label.split('/')[1]!;
        const completed = [...originals].filter(([r]) => requests.get(`${r}`)?.status === 'completed');
        const pick = (list: Array<[bigint, { minted: boolean }]>) => list[action.id % Math.max(1, list.length)];
        const fresh = pick(completed.filter(([, o]) => !o.minted));
        const source =
          action.source === 'minted'
            ? pick(completed.filter(([, o]) => o.minted))
            : action.source === 'live'
              ? pick([...originals].filter(([r]) => requests.get(`${r}`)?.status !== 'completed'))
              : action.source === 'none'
                ? undefined
                : fresh;
        if (action.source !== 'none' && !source) return undefined;
        const requestId = source?.[0] ?? 0n;
        const request = source ? requests.get(`${requestId}`) : undefined;
        const accepted = request?.status === 'completed' ? committed.get(`${requestId}/${request.ranking[0]}`) : undefined;
        const weightsHash = action.source === 'wrong_hash' || !accepted ? hashOf(`${label}/${action.id}`) : resultHash(accepted);
        const signer = action.source === 'by_stranger' ? keys[STRANGER]! : client;
        const reproduce = action.reproduce && source ? { scoreField: 'x', tolerance: TOLERANCE.text } : undefined;
        const expected =
          signer !== client
            ? 'ainft/7'
            : model.tokens.has(label)
              ? 'ainft/6'
              : !source
                ? 'ok'
                : request?.status !== 'completed'
                  ? 'ainft/12'
                  : source[1].minted
                    ? 'ainft/14'
                    : action.source === 'wrong_hash'
                      ? 'ainft/13'
                      : 'ok';
        return {
          key: signer,
          messages: [
            any(MsgMint, {
              signer: signer.address,
              classId: CLASS,
              id,
              metadata: { model: { weightsHash } },
              fromJob: requestId,
              ...(reproduce ? { reproduce } : {}),
            }),
          ],
          expected,
          paysIn: 0n,
          apply: () => {
            if (source) source[1].minted = true;
            const scoreRule = reproduce ? { scoreField: 'x', tolerance: TOLERANCE.atomics } : undefined;
            model.mint(label, client.address, weightsHash, requestId, accepted, scoreRule);
          },
        };
      }
      case 'rerun': {
        // Mostly a token minted from a job; now and then any id (missing, or minted from none).
        const fromJobs = [...model.tokens.values()].filter((t) => t.fromJob !== 0n).map((t) => t.label);
        const label =
          action.id % 5 !== 0 && fromJobs.length > 0
            ? fromJobs[(action.id >> 3) % fromJobs.length]!
            : `${CLASS}/${IDS[action.id % IDS.length]!}`;
        const payer = keys[action.payer]!;
        const t = action.terms;
        const fields = requestFields(t, payer, t.listEvaluator, t.listWorker);
        const listsPayer = fields.evaluators.includes(payer.address) || fields.workers.includes(payer.address);
        const skipWithEvaluation = t.skip && (t.evaluatorReward !== 0n || t.listEvaluator);
        const escrow = t.workerReward + t.evaluatorReward;
        const expected =
          t.workerReward === 0n
            ? 'ainft/1'
            : (model.tokenRefusal(label) ??
              (skipWithEvaluation || listsPayer
                ? 'jobs/1'
                : t.timeLimit < 5n || t.timeLimit > 60n || (!t.skip && t.deposit < 200n) || t.maxWorkers > 4
                  ? 'jobs/14'
                  : balances.get(payer.address)! - FEE < escrow
                    ? 'sdk/5'
                    : 'ok'));
        return {
          key: payer,
          messages: [any(MsgRequestRerun, { ...fields, classId: CLASS, id: label.split('/')[1] })],
          expected,
          paysIn: escrow,
          apply: (events, now) => {
            const requestId = BigInt(chain.main.store.get('/jobs/next_request_id') as string) - 1n;
            events.push(model.requested(requestId, label, payer.address, jobId, now));
          },
        };
      }
      case 'transfer':
      case 'burn': {
        const live = [...model.tokens.keys()].sort();
        if (live.length === 0) return undefined;
        const label = live[action.id % live.length]!;
        const owner = keys[index(model.tokens.get(label)!.owner)]!;
        const [classId, id] = label.split('/') as [string, string];
        // A burnt token's request may be minted again (no other token holds its result).
        const source = originals.get(model.tokens.get(label)!.fromJob);
        if (action.kind === 'burn')
          return {
            key: owner,
            messages: [nftMsg.burn(owner, classId, id)],
            expected: 'ok',
            paysIn: 0n,
            apply: () => {
              if (source) source.minted = false;
              model.burn(label);
            },
          };
        const to = keys[action.to]!;
        return {
          key: owner,
          messages: [nftMsg.transfer(owner, classId, id, to.address)],
          expected: to === owner ? 'ainft/1' : 'ok',
          paysIn: 0n,
          apply: () => model.transfer(label, to.address),
        };
      }
    }
  }

  /** The right actor's next step on a live request (the job market's happy paths; its deadlines do the rest). */
  function step(request: RequestRecord, variant: number, view: JobsView): Planned | undefined {
    const id = request.id;
    const key = (address: string) => keys[index(address)]!;
    const raw = JSON.parse(chain.main.store.get(`/jobs/requests/${id}/record`) as string) as { workers: string[]; maxWorkers: number };
    const resultOf = (w: string) => view.results.get(`${id}/${w}`);
    switch (request.status) {
      case 'open': {
        const candidates = (request.evaluators.length > 0 ? request.evaluators : EVALUATORS.map((e) => keys[e]!.address)).filter(
          (a) => a !== request.client,
        );
        const evaluator = candidates[variant % Math.max(1, candidates.length)];
        if (!evaluator) return undefined;
        return {
          key: key(evaluator),
          messages: [jobsMsg.acceptAsEvaluator(key(evaluator), BigInt(id))],
          paysIn: BigInt(request.evaluatorDeposit),
        };
      }
      case 'running': {
        const listed = raw.workers.length > 0 ? raw.workers : WORKERS.map((w) => keys[w]!.address);
        const fresh = listed.filter((w) => w !== request.client && w !== request.evaluator && !request.joined.includes(w));
        if (fresh.length === 0 || request.joined.length >= raw.maxWorkers) return undefined;
        const worker = key(fresh[variant % fresh.length]!);
        // Inline outputs of the originals or the re-runs; now and then only a Big Storage hash: of no token's
        // result, or of the text '{"x":2}' (a token's weights hash, though no inline output to score).
        const outputs = originals.has(BigInt(id)) ? ORIGINAL_OUTPUTS : RERUN_OUTPUTS;
        const output: Output =
          variant >= 10
            ? { output: '', outputHash: hashOf(variant === 10 ? '{"x":2}' : `storage/${id}`) }
            : { output: outputs[variant % outputs.length]!, outputHash: '' };
        const salt = saltOf(worker.address, id);
        committed.set(`${id}/${worker.address}`, output);
        const commitment = resultCommitment(BigInt(id), worker.address, salt, output.output, output.outputHash);
        return {
          key: worker,
          messages: [jobsMsg.join(worker, BigInt(id)), jobsMsg.submit(worker, BigInt(id), '', commitment)],
          paysIn: 0n,
        };
      }
      case 'revealing': {
        const unrevealed = request.joined.filter((w) => resultOf(w)?.commitment !== '' && resultOf(w)?.revealedAt === '0');
        const worker = unrevealed[variant % Math.max(1, unrevealed.length)];
        if (!worker) return undefined;
        const { output, outputHash } = committed.get(`${id}/${worker}`)!;
        const reveal = any(MsgRevealResult, { signer: worker, requestId: BigInt(id), output, outputHash, salt: saltOf(worker, id) });
        return { key: key(worker), messages: [reveal], paysIn: 0n };
      }
      case 'evaluating': {
        const revealed = request.joined.filter((w) => resultOf(w)?.revealedAt !== '0');
        const order = variant % 2 === 0 ? revealed : [...revealed].reverse();
        return { key: key(request.evaluator), messages: [jobsMsg.rank(key(request.evaluator), BigInt(id), order.map(key))], paysIn: 0n };
      }
      case 'ranked':
        return variant % 2 === 0
          ? { key: key(request.client), messages: [jobsMsg.acceptResult(key(request.client), BigInt(id))], paysIn: 0n }
          : undefined;
      default:
        return undefined;
    }
  }

  it('counts each re-run on the token that asked, with the README outcome, the payer paying its terms', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 8, maxLength: 16 }), (blocks) => {
        run += 1;
        for (const [b, { seconds, actions, steps }] of blocks.entries()) {
          const view = readJobsView(chain.main.store);
          const live = [...view.requests.values()].filter((r) => LIVE.includes(r.status));
          const planned: Planned[] = [];
          for (const action of actions) {
            const p = plan(action, view.requests);
            // A later tx could depend on this one's effect: one state-changing ainft tx per block.
            if (p) planned.push(p);
            if (p?.expected === 'ok') break;
          }
          live.forEach((request, i) => {
            const variant = steps[i % steps.length]!;
            const p = variant < 0 ? undefined : step(request, (variant + i) % 12, view);
            if (p) planned.push(p);
          });
          block(planned, seconds, `run ${run} block ${b} (height ${chain.height + 1n})`);
        }
      }),
      { seed: 42, numRuns: 16, endOnFailure: true },
    );
    // Time passes until every request has closed: every re-run has settled, nothing is pending.
    for (let i = 0; i < 10 && chain.main.store.list('/jobs/deadlines', 1).length > 0; i++) block([], 30n, `closing ${i}`);
    expect([...model.reruns.values()].filter((r) => r.status === 'pending')).toEqual([]);
    for (const token of model.tokens.values()) expect(token.counts.pending, token.label).toBe(0);
  });
});
