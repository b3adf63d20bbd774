/**
 * The jobs module's invariants, read from the committed state of an app after every block (the
 * stateful fuzz test, test/app/fuzzJobs.test.ts): the module account holds exactly the escrow
 * the requests' records say, and each live request's escrow is what its terms and phase put in;
 * what a request paid out equals what was paid in once it closes; statuses move only along the
 * README's state machine; a closed request's record never changes again; the deadline index names
 * exactly the live requests; the reputation tree's counts and depths agree; Elo ratings move only
 * for the workers of a request settled in the block, and by a zero sum up to rounding. A challenge
 * pays in the challenge fee in force when it was filed (a proposal may change the param at any
 * time); the record of a challenged request holds that fee until the challenge ends.
 */
import type { ExecTxResult, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import type { AinApplication } from '../../app/application.ts';
import { moduleAddress } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import type { ComputeKeeper } from '../../modules/compute/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import type { JobsKeeper } from '../../modules/jobs/keeper.ts';
import type { CommittedState } from '../../tree/lmdb/index.ts';

const LIVE = ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'];
/** The README's state machine: the statuses each status may move to next. */
const NEXT: Record<string, readonly string[]> = {
  open: ['running', 'expired'],
  running: ['revealing', 'no_results'],
  revealing: ['evaluating', 'ranked', 'cancelled', 'no_results'],
  evaluating: ['ranked', 'evaluator_timeout'],
  ranked: ['challenged', 'completed'],
  challenged: ['challenged', 'ranked', 'completed'],
};

/** The statuses reachable from `status` (itself included): several steps may happen in one block. */
function reachable(status: string): Set<string> {
  const seen = new Set([status]);
  const queue = [status];
  while (queue.length > 0) for (const next of NEXT[queue.pop()!] ?? []) if (!seen.has(next)) seen.add(next) && queue.push(next);
  return seen;
}

export interface RequestRecord {
  id: string;
  jobId: string;
  client: string;
  status: string;
  deadline: string;
  escrow: string;
  workerReward: string;
  evaluatorReward: string;
  evaluatorDeposit: string;
  evaluator: string;
  evaluators: string[];
  challengeFee: string;
  challengeLevel: number;
  joined: string[];
  ranking: string[];
  resolver: string;
  challenger: string;
  skipEvaluation: boolean;
  testDataCommitment: string;
}
export interface ResultRecord {
  worker: string;
  commitment: string;
  revealedAt: string;
  paid: string;
}
interface NodeRecord {
  address: string;
  roles: string[];
  parent: string;
  depth: number;
  status: string;
  children: number;
  rating: string;
}
type AbciEvent = { type: string; attributes: ReadonlyArray<{ key: string; value: string }> };

const attributesOf = (event: AbciEvent) => Object.fromEntries(event.attributes.map((a) => [a.key, a.value]));

/** What the committed state holds of the jobs module: requests, results, nodes. */
export interface JobsView {
  requests: Map<string, RequestRecord>;
  /** Raw record text per request id (a closed one must never change). */
  texts: Map<string, string>;
  results: Map<string, ResultRecord>;
  nodes: Map<string, NodeRecord>;
}

export function readJobsView(store: CommittedState): JobsView {
  const view: JobsView = { requests: new Map(), texts: new Map(), results: new Map(), nodes: new Map() };
  for (const [path, value] of store.list('/jobs/requests', 1_000_000)) {
    const parts = path.split('/');
    if (parts[4] === 'record') {
      view.requests.set(parts[3]!, JSON.parse(value as string) as RequestRecord);
      view.texts.set(parts[3]!, value as string);
    } else if (parts[4] === 'results') view.results.set(`${parts[3]}/${parts[5]}`, JSON.parse(value as string) as ResultRecord);
  }
  for (const [path, value] of store.list('/jobs/jobs', 1_000_000)) {
    const parts = path.split('/');
    if (parts[4] === 'nodes') view.nodes.set(`${parts[3]}/${parts[5]}`, JSON.parse(value as string) as NodeRecord);
  }
  return view;
}

/** Checks every block of one app against the invariants of the class comment. */
export class JobsInvariants {
  private view: JobsView;
  /** Per request: uain paid out (EventPayout), challenges filed, the fees they paid in, the fee of the last one. */
  private readonly paidOut = new Map<string, bigint>();
  private readonly challenges = new Map<string, number>();
  private readonly feesPaidIn = new Map<string, bigint>();
  private readonly lastFee = new Map<string, bigint>();
  /** The challenge fee param in the committed state before the block: what a challenge filed by one of its txs pays (a proposal runs at its end). */
  private feeInForce: bigint;
  /** Per job: uain paid by kind (`worker_reward`, `evaluator_reward`, `refund`); per address: earned (README "Reputation"). */
  private readonly paidByKind = new Map<string, bigint>();
  private readonly earned = new Map<string, bigint>();
  private readonly supplyLessMinted: bigint;

  constructor(
    private readonly app: AinApplication,
    private readonly store: CommittedState,
  ) {
    this.view = readJobsView(store);
    this.feeInForce = this.challengeFeeParam();
    this.supplyLessMinted = this.supplyLessMintedNow();
  }

  current(): JobsView {
    return this.view;
  }

  private challengeFeeParam(): bigint {
    return this.app.keeper<JobsKeeper>('jobs').params(this.store).challengeFee;
  }

  private supplyLessMintedNow(): bigint {
    const compute = this.app.keeper<ComputeKeeper>('compute').epoch(this.store);
    const minted = this.app.keeper<DistributionKeeper>('distribution').minted(this.store) + compute.minted - compute.burned;
    return this.app.keeper<BankKeeper>('bank').getSupply(this.store, 'uain') - minted;
  }

  /**
   * After a committed block: `targets[i]` is the request tx i acted on (if any); a request closed
   * before the block takes no action, so such a tx must have failed.
   */
  afterBlock(block: ResponseFinalizeBlock, targets: ReadonlyArray<string | undefined>, what: string): void {
    const before = this.view;
    const after = readJobsView(this.store);
    block.txResults.forEach((result: ExecTxResult, i) => {
      const target = targets[i];
      const old = target === undefined ? undefined : before.requests.get(target);
      if (old && !LIVE.includes(old.status))
        expect(result.code, `${what}: tx ${i} acted on request ${target}, closed ${old.status}: ${result.log}`).not.toBe(0);
    });
    const events = [...block.txResults.filter((r) => r.code === 0).flatMap((r) => r.events), ...block.events];
    const settled: string[] = [];
    for (const event of events) {
      const a = attributesOf(event);
      if (event.type === 'ain.jobs.v1.EventPayout') {
        const amount = BigInt(a.amount!);
        this.paidOut.set(a.request_id!, (this.paidOut.get(a.request_id!) ?? 0n) + amount);
        const byKind = `${a.job_id}/${a.kind}`;
        this.paidByKind.set(byKind, (this.paidByKind.get(byKind) ?? 0n) + amount);
        if (a.kind !== 'refund' && a.kind !== 'deposit_return')
          this.earned.set(a.recipient!, (this.earned.get(a.recipient!) ?? 0n) + amount);
      }
      if (event.type === 'ain.jobs.v1.EventChallengeFiled') {
        this.challenges.set(a.request_id!, (this.challenges.get(a.request_id!) ?? 0) + 1);
        this.feesPaidIn.set(a.request_id!, (this.feesPaidIn.get(a.request_id!) ?? 0n) + this.feeInForce);
        this.lastFee.set(a.request_id!, this.feeInForce);
      }
      if (event.type === 'ain.jobs.v1.EventRequestClosed' && a.status === 'completed') settled.push(a.request_id!);
    }
    this.checkMoney(after, what);
    for (const [id, request] of after.requests) this.checkRequest(before, after, id, request, `${what}: request ${id}`);
    this.checkTree(after, what);
    this.checkRatings(before, after, settled, what);
    this.checkStats(after, what);
    this.view = after;
    this.feeInForce = this.challengeFeeParam();
  }

  private checkMoney(after: JobsView, what: string): void {
    const bank = this.app.keeper<BankKeeper>('bank');
    expect(this.supplyLessMintedNow(), `${what}: supply moved by more than what was minted`).toBe(this.supplyLessMinted);
    const escrowSum = [...after.requests.values()].reduce((sum, r) => sum + BigInt(r.escrow), 0n);
    const total = this.store.get('/jobs/escrow_total');
    expect(bank.getBalance(this.store, moduleAddress('jobs'), 'uain'), `${what}: the jobs account's balance`).toBe(escrowSum);
    expect(typeof total === 'string' ? BigInt(total) : 0n, `${what}: /jobs/escrow_total`).toBe(escrowSum);
    const deadlines = this.store.list('/jobs/deadlines', 1_000_000).map(([path]) => path);
    const live = [...after.requests.values()].filter((r) => LIVE.includes(r.status));
    expect(deadlines.sort(), `${what}: the deadline index`).toEqual(
      live.map((r) => `/jobs/deadlines/${r.deadline.padStart(20, '0')}/${r.id}`).sort(),
    );
  }

  private checkRequest(before: JobsView, after: JobsView, id: string, request: RequestRecord, what: string): void {
    const old = before.requests.get(id);
    const from = old?.status ?? (request.skipEvaluation ? 'running' : 'open');
    expect(reachable(from).has(request.status), `${what} moved from ${from} to ${request.status}`).toBe(true);
    if (old && !LIVE.includes(old.status))
      expect(after.texts.get(id), `${what}: a closed request's record changed`).toBe(before.texts.get(id));
    if (old) expect(request.challengeLevel, `${what}: challenge level`).toBeGreaterThanOrEqual(old.challengeLevel);
    const deposit = request.evaluator === '' ? 0n : BigInt(request.evaluatorDeposit);
    const paidIn = BigInt(request.workerReward) + BigInt(request.evaluatorReward) + deposit + (this.feesPaidIn.get(id) ?? 0n);
    const paidOut = this.paidOut.get(id) ?? 0n;
    const workerPaid = request.joined.reduce((sum, w) => sum + BigInt(after.results.get(`${id}/${w}`)?.paid ?? '0'), 0n);
    if (LIVE.includes(request.status)) {
      const expected = BigInt(request.workerReward) + BigInt(request.evaluatorReward) + deposit + BigInt(request.challengeFee);
      expect(BigInt(request.escrow), `${what} (${request.status}): escrow against its terms`).toBe(expected);
      expect(paidOut + BigInt(request.escrow), `${what}: paid out + escrow = paid in`).toBe(paidIn);
      expect(workerPaid, `${what}: workers paid before it closed`).toBe(0n);
      const heldFee = request.status === 'challenged' ? (this.lastFee.get(id) ?? 0n) : 0n;
      expect(BigInt(request.challengeFee), `${what} (${request.status}): the fee of its open challenge`).toBe(heldFee);
    } else {
      expect(request.escrow, `${what} closed ${request.status} with escrow`).toBe('0');
      expect(paidOut, `${what} closed ${request.status}: paid out = paid in`).toBe(paidIn);
      expect(workerPaid, `${what}: workers paid more than the worker reward`).toBeLessThanOrEqual(BigInt(request.workerReward));
    }
    for (const worker of request.joined) expect(after.results.has(`${id}/${worker}`), `${what}: result of ${worker}`).toBe(true);
  }

  private checkTree(after: JobsView, what: string): void {
    for (const [key, node] of after.nodes) {
      const jobId = key.split('/')[0]!;
      const children = [...after.nodes].filter(
        ([k, n]) => k.startsWith(`${jobId}/`) && n.parent === node.address && n.status === 'approved',
      );
      expect(node.children, `${what}: children of ${key}`).toBe(children.length);
      const old = this.view.nodes.get(key);
      if (old?.status === 'dropped') expect(node.status, `${what}: ${key} came back from dropped`).toBe('dropped');
      if (old) for (const role of old.roles) expect(node.roles, `${what}: ${key} lost a role`).toContain(role);
      if (node.status === 'applied') continue;
      if (node.parent === '') expect(node.depth, `${what}: depth of the root ${key}`).toBe(0);
      else expect(node.depth, `${what}: depth of ${key}`).toBe(after.nodes.get(`${jobId}/${node.parent}`)!.depth + 1);
    }
  }

  /** Each job's figures agree with its requests and payouts; each address's earned with what it was paid. */
  private checkStats(after: JobsView, what: string): void {
    for (const [path, text] of this.store.list('/jobs/jobs', 1_000_000)) {
      const [, , , jobId, leaf] = path.split('/');
      if (leaf !== 'stats') continue;
      const stats = JSON.parse(text as string) as Record<string, string | number>;
      const requests = [...after.requests.values()].filter((r) => r.jobId === jobId);
      const closed = requests.filter((r) => !LIVE.includes(r.status));
      const job = `${what}: job ${jobId}'s stats`;
      expect(stats.requests, `${job}: requests`).toBe(requests.length);
      expect(stats.completed, `${job}: completed`).toBe(closed.filter((r) => r.status === 'completed').length);
      expect(stats.expired, `${job}: expired`).toBe(closed.filter((r) => r.status === 'expired').length);
      expect(Number(stats.completed) + Number(stats.expired) + Number(stats.failed), `${job}: closed`).toBe(closed.length);
      const filed = requests.reduce((sum, r) => sum + (this.challenges.get(r.id) ?? 0), 0);
      expect(stats.challenges, `${job}: challenges`).toBe(filed);
      for (const [field, kind] of [
        ['paidWorkers', 'worker_reward'],
        ['paidEvaluators', 'evaluator_reward'],
        ['refunded', 'refund'],
      ])
        expect(BigInt(stats[field!]!), `${job}: ${field}`).toBe(this.paidByKind.get(`${jobId}/${kind}`) ?? 0n);
    }
    for (const [address, earned] of this.earned) {
      const stats = this.store.get(`/jobs/node_stats/${address}`);
      expect(BigInt(JSON.parse(stats as string).earned as string), `${what}: ${address}'s earned`).toBe(earned);
    }
  }

  /** Ratings move only for the workers that revealed in a request completed in this block, by a zero sum up to rounding. */
  private checkRatings(before: JobsView, after: JobsView, settled: readonly string[], what: string): void {
    const players = new Set<string>();
    let bound = 0n;
    for (const id of settled) {
      const request = after.requests.get(id)!;
      const revealed = request.joined.filter((w) => after.results.get(`${id}/${w}`)!.revealedAt !== '0');
      for (const worker of revealed) players.add(`${request.jobId}/${worker}`);
      bound += BigInt(revealed.length);
    }
    let sum = 0n;
    for (const [key, node] of after.nodes) {
      const delta = BigInt(node.rating) - BigInt(before.nodes.get(key)?.rating ?? node.rating);
      if (delta !== 0n) expect(players.has(key), `${what}: rating of ${key} moved by ${delta} outside a settlement`).toBe(true);
      sum += delta;
    }
    expect(sum < 0n ? -sum : sum, `${what}: ratings' total moved by ${sum}`).toBeLessThanOrEqual(bound);
  }
}
