/**
 * The executor's job market roles (`aind executor --jobs worker,evaluator`): it applies for the jobs
 * it can run, and then, for every live request of a job it was approved in:
 *
 * - as **evaluator**: accepts open requests (posting the deposit); once the reveals close, runs the
 *   job's evaluator program on the revealed outputs (and the client's test data) and ranks;
 * - as **worker**: runs the job's worker program on the request's input, joins and commits to the
 *   output in one tx (salt and output kept in the secrets file first), and reveals once submission closes.
 *
 * Events over the websocket wake it (`EventJobRequested`, `EventJobAccepted`, the block events
 * `EventSubmissionClosed` and `EventRankingOpened`, registrations and approvals); every action is
 * decided from the request as the chain answers it now, so a lost or repeated event, a poll, or a
 * restart (catch-up of live requests, secrets from the file) all lead to the same next step.
 */
import { randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { AinError, pubkeyToAddress, RecentResults } from '../../core/index.ts';
import type { AinClient } from '../../client/index.ts';
import {
  TxError,
  type JobsEncodeObject,
  jobsMsg,
  resultCommitment,
  queryAccess,
  queryJobNode,
  queryJobRequest,
  queryJobs,
  queryLiveRequests,
} from '../../client/index.ts';
import { JOBS } from '../../modules/jobs/index.ts';
import type { MsgApplyJob } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { type Job, type Request, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { putBlob, ErrStorageHashMismatch, STORAGE } from '../../storage/index.ts';
import { BlobCache } from '../blobs.ts';
import { PrivateBlobs } from '../privateBlobs.ts';
import { describeError } from '../errors.ts';
import { EventStream, type Subscriber } from '../events.ts';
import type { Isolation } from '../isolation.ts';
import type { Slots } from '../slots.ts';
import { fitsInline, type ProgramLimits, runEvaluatorProgram, runWorkerProgram } from './programs.ts';
import { CommitSecrets } from './secrets.ts';

export const JOB_ROLES = ['worker', 'evaluator'] as const;
export type JobRole = (typeof JOB_ROLES)[number];

/** Most jobs an executor looks at (the chain lists 100 per query). */
export const MAX_JOBS = 1000;
/** Most live requests per job taken up in one catch-up (the chain's Requests bound). */
const MAX_REQUESTS_PER_JOB = 100;
/** Most applications sent in one tx. */
const MAX_APPLICATIONS_PER_TX = 20;
/** Steps remembered as done. */
const MAX_SETTLED = 40_000;
/** Tries of a step whose tx failed for a reason other than a refusal by the jobs module. */
const MAX_ATTEMPTS = 3;
/** How long an event's block may take to be committed before the request is read anyway. */
const COMMIT_WAIT_MS = 10_000;
/** What an event tells: CometBFT's `type.attribute` keys of the matched events, and the block height. */
type OnEvent = (events: Record<string, string[]>, height: number) => void;
const ROLE: Readonly<Record<JobRole, Role>> = { worker: Role.ROLE_WORKER, evaluator: Role.ROLE_EVALUATOR };
const EVENT = (name: string): string => `ain.jobs.v1.${name}`;

/** What an operator chooses (the `aind executor --jobs ...` flags). */
export interface JobRolesConfig {
  /** The roles to take. */
  readonly roles: readonly JobRole[];
  /** Only these jobs (default: every job whose runtime and resources this executor has). */
  readonly jobIds?: readonly bigint[] | undefined;
  /**
   * Code (Big Storage hash) to run instead of a job's registered worker code, by job id: the
   * operator's own implementation of the worker rpc. The chain judges only the outputs.
   */
  readonly workerCode?: ReadonlyMap<bigint, string> | undefined;
  /** The same for the evaluator rpc. */
  readonly evaluatorCode?: ReadonlyMap<bigint, string> | undefined;
  /** File keeping commitments' salts and outputs until they are revealed (default: memory only). */
  readonly secretsFile?: string | undefined;
}

/** What the daemon hands the roles: its client (txs queued on one sequence), key, sandbox and limits. */
export interface JobRolesOptions extends JobRolesConfig {
  /** CometBFT RPC (the websocket is its `/websocket`). */
  readonly rpcUrl: string;
  readonly client: AinClient;
  readonly key: { readonly privkey: Uint8Array };
  readonly storageUrl: string;
  readonly isolation: Isolation;
  readonly slots: Slots;
  /** Why this executor cannot run a job's programs (runtime, packages, CPUs, memory, GPUs), or undefined: not applied for. */
  readonly cannotRun: (job: Job) => string | undefined;
  readonly timeoutMs: number;
  /** Memory of a run when the job does not say. */
  readonly defaultMemoryMb: number;
  readonly maxOutputBytes: number;
  readonly pollIntervalMs: number;
  readonly log: (line: string) => void;
}

/** One thing the roles did (or gave up on) for a request. */
export interface JobAction {
  readonly requestId: bigint;
  readonly action: 'applied' | 'accepted' | 'committed' | 'revealed' | 'ranked' | 'failed' | 'skipped';
  readonly detail: string;
  readonly txhash?: string;
}

export interface JobRoles {
  readonly roles: readonly JobRole[];
  /** Everything done so far, in order. */
  readonly actions: readonly JobAction[];
  /** Jobs this executor follows, with the roles it holds in each (empty while its applications wait). */
  memberships(): ReadonlyMap<bigint, ReadonlySet<JobRole>>;
  /** Looks at every live request of its jobs now (what a reconnect and each poll do). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the job roles; resolves once the applications are sent, the websocket is subscribed and
 * the live requests are caught up with.
 * @example const roles = await startJobRoles({ roles: ['worker'], client, key, storageUrl, cannotRun: () => undefined, ... });
 */
export async function startJobRoles(options: JobRolesOptions): Promise<JobRoles> {
  const roles = new Roles(options);
  try {
    await roles.start();
  } catch (error) {
    await roles.stop();
    throw error;
  }
  return roles;
}

interface Membership {
  readonly job: Job;
  readonly held: Set<JobRole>;
}

type Step = 'accept' | 'work' | 'reveal' | 'rank';

class Roles implements JobRoles {
  readonly roles: readonly JobRole[];
  readonly actions: JobAction[] = [];
  private readonly address: string;
  private readonly blobs: BlobCache;
  private privateBlobs: PrivateBlobs | undefined;
  private readonly secrets: CommitSecrets;
  private readonly events: EventStream;
  private jobs = new Map<bigint, Membership>();
  /** Requests being looked at now, and those to look at again when that is done (with the height to read at least). */
  private readonly inFlight = new Set<bigint>();
  private readonly again = new Map<bigint, number>();
  /** Steps done or given up on, `id/step`; and failed tries of the others. */
  private readonly settled = new RecentResults<true>(MAX_SETTLED);
  private readonly attempts = new Map<string, number>();
  private readonly work = new Set<Promise<void>>();
  private refreshing: Promise<void> | undefined;
  private catchingUp: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private listenId = 1;
  /** Jobs already logged as ones it cannot run. */
  private readonly refused = new Set<bigint>();

  constructor(private readonly options: JobRolesOptions) {
    this.roles = options.roles;
    this.address = options.client.address ?? '';
    this.blobs = new BlobCache({ storageUrl: options.storageUrl });
    this.secrets = new CommitSecrets(options.secretsFile);
    this.events = new EventStream({
      rpcUrl: options.rpcUrl,
      label: `for jobs as ${this.roles.join(',')}`,
      log: options.log,
      onReconnect: () => void this.refreshJobs().then(() => this.catchUp()),
      subscribe: () => this.subscribers(),
    });
  }

  async start(): Promise<void> {
    await this.refreshJobs();
    this.events.start();
    await this.catchUp();
    this.schedulePoll();
  }

  memberships(): ReadonlyMap<bigint, ReadonlySet<JobRole>> {
    return new Map([...this.jobs].map(([id, m]) => [id, m.held]));
  }

  catchUp(): Promise<void> {
    // `finally` runs after the assignment even when there is nothing to await.
    this.catchingUp ??= this.catchUpOnce().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  private async catchUpOnce(): Promise<void> {
    try {
      for (const [jobId, membership] of this.jobs) {
        if (membership.held.size === 0) continue;
        const { requests } = await queryLiveRequests(this.comet, jobId, MAX_REQUESTS_PER_JOB);
        for (const request of requests) this.schedule(request.id);
      }
      // Commitments not revealed yet (e.g. made before a restart): reveal, or forget once past.
      for (const id of this.secrets.ids()) this.schedule(id);
    } catch (error) {
      if (!this.stopped) this.options.log(`jobs: catch-up failed: ${describeError(error)}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.events.stop();
    await this.refreshing;
    await Promise.allSettled([...this.work]);
  }

  private get comet(): AinClient['cometClient'] {
    return this.options.client.cometClient;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      void this.refreshJobs()
        .then(() => this.catchUp())
        .finally(() => this.schedulePoll());
    }, this.options.pollIntervalMs);
  }

  // -------------------------------------------------------------------------------------------
  // Jobs: which to follow, applications

  /** Whether this executor can and may run a job: the configured ids, and what it can serve (said once per job). */
  private wants(job: Job): boolean {
    if (this.options.jobIds && !this.options.jobIds.includes(job.id)) return false;
    const cannot = this.options.cannotRun(job);
    if (cannot !== undefined && !this.refused.has(job.id)) {
      this.refused.add(job.id);
      this.options.log(`jobs: job ${job.id} "${job.name}": not applying, this executor cannot run it: ${cannot}`);
    }
    return cannot === undefined;
  }

  /** Lists the jobs, keeps those it wants with the roles it holds, and applies for the roles it lacks. */
  private refreshJobs(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    try {
      const found = new Map<bigint, Membership>();
      const applications: JobsEncodeObject<MsgApplyJob>[] = [];
      let after = 0n;
      for (let page = 0; page < MAX_JOBS / 100; page++) {
        const { jobs } = await queryJobs(this.comet, after, 100);
        for (const job of jobs) {
          after = job.id;
          if (!this.wants(job)) continue;
          const { node } = await queryJobNode(this.comet, job.id, this.address);
          const held = new Set<JobRole>();
          if (node?.status !== 'dropped') {
            for (const role of this.roles) {
              if (node?.roles.includes(ROLE[role])) held.add(role);
              else if (!node?.applied.includes(ROLE[role]))
                applications.push(jobsMsg.applyJob(this.address, { jobId: job.id, role: ROLE[role] }));
            }
          }
          found.set(job.id, { job, held });
        }
        if (jobs.length < 100) break;
      }
      for (const [id, { job, held }] of found) {
        for (const role of held)
          if (!this.jobs.get(id)?.held.has(role)) this.options.log(`jobs: job ${id} "${job.name}": approved as ${role}`);
      }
      this.jobs = found;
      for (let i = 0; i < applications.length && !this.stopped; i += MAX_APPLICATIONS_PER_TX) {
        const batch = applications.slice(i, i + MAX_APPLICATIONS_PER_TX);
        const what = batch.map((m) => `${roleName(m.value.role)} of job ${m.value.jobId}`).join(', ');
        try {
          const result = await this.options.client.signAndBroadcast(batch);
          this.record({ requestId: 0n, action: 'applied', detail: what, txhash: result.transactionHash });
        } catch (error) {
          this.options.log(`jobs: applying as ${what} failed: ${describeError(error)}`);
        }
      }
    } catch (error) {
      if (!this.stopped) this.options.log(`jobs: listing jobs failed: ${describeError(error)}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events

  /** The websocket subscriptions of the roles taken: a query each, with what to do with an event. */
  private subscribers(): Subscriber[] {
    const byRequest =
      (event: string): OnEvent =>
      (events, height) => {
        for (const id of events[`${EVENT(event)}.request_id`] ?? []) if (/^\d{1,20}$/.test(id)) this.schedule(BigInt(id), height);
      };
    const refresh = () => void this.refreshJobs().then(() => this.catchUp());
    const queries: Array<[string, OnEvent]> = [
      [`tm.event='Tx' AND ${EVENT('EventJobRegistered')}.job_id EXISTS`, refresh],
      [`tm.event='Tx' AND ${EVENT('EventNodeApproved')}.node='${this.address}'`, refresh],
    ];
    if (this.roles.includes('evaluator')) {
      queries.push([`tm.event='Tx' AND ${EVENT('EventJobRequested')}.job_id EXISTS`, byRequest('EventJobRequested')]);
      queries.push([
        `tm.event='NewBlockEvents' AND ${EVENT('EventRankingOpened')}.evaluator='${this.address}'`,
        byRequest('EventRankingOpened'),
      ]);
    }
    if (this.roles.includes('worker')) {
      queries.push([`tm.event='Tx' AND ${EVENT('EventJobAccepted')}.job_id EXISTS`, byRequest('EventJobAccepted')]);
      queries.push([`tm.event='NewBlockEvents' AND ${EVENT('EventSubmissionClosed')}.job_id EXISTS`, byRequest('EventSubmissionClosed')]);
    }
    return queries.map(([query, onEvent]) => this.listen(query, onEvent));
  }

  /**
   * A raw subscription (CosmJS has no typed one for `NewBlockEvents`); CometBFT sends each event with
   * the composite keys `type.attribute` of the events that matched.
   */
  private listen(query: string, onEvent: OnEvent): Subscriber {
    return ({ ws }, lost) =>
      ws.listen({ jsonrpc: '2.0', id: this.listenId++, method: 'subscribe', params: { query } }).subscribe({
        next: (event) => {
          const { events, data } = event as unknown as {
            events?: Record<string, string[]>;
            data?: { value?: { height?: string; TxResult?: { height?: string } } };
          };
          onEvent(events ?? {}, Number(data?.value?.TxResult?.height ?? data?.value?.height ?? 0) || 0);
        },
        error: (error) => lost(`subscription error: ${describeError(error)}`),
        complete: () => lost('subscription ended'),
      });
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  /**
   * Looks at a request now, or once more after the look in progress; `height` is the block an event
   * came from, whose state the look must see.
   */
  private schedule(id: bigint, height = 0): void {
    if (this.stopped) return;
    if (this.inFlight.has(id)) {
      this.again.set(id, Math.max(height, this.again.get(id) ?? 0));
      return;
    }
    this.inFlight.add(id);
    const job = this.process(id, height)
      .catch((error) => this.options.log(`jobs: request ${id}: ${describeError(error)}`))
      .finally(() => {
        this.inFlight.delete(id);
        this.work.delete(job);
        const next = this.again.get(id);
        if (next !== undefined) {
          this.again.delete(id);
          this.schedule(id, next);
        }
      });
    this.work.add(job);
  }

  /** The next step this executor owes a request, decided from the request as the chain has it now. */
  private async process(id: bigint, height: number): Promise<void> {
    let request: Request;
    try {
      request = await this.readRequest(id, height);
    } catch (error) {
      if (error instanceof AinError && error.codespace === JOBS && error.code === 4) return this.secrets.delete(id);
      throw error;
    }
    if (request.status !== 'running' && request.status !== 'revealing') this.secrets.delete(id);
    const membership = this.jobs.get(request.jobId);
    if (!membership) return;
    switch (request.status) {
      case 'open':
        if (membership.held.has('evaluator')) await this.step(request, 'accept', () => this.accept(request));
        return;
      case 'running':
        if (membership.held.has('worker')) await this.step(request, 'work', () => this.workOn(membership.job, request));
        return;
      case 'revealing':
        await this.step(request, 'reveal', () => this.reveal(request));
        return;
      case 'evaluating':
        if (request.evaluator === this.address) await this.step(request, 'rank', () => this.rank(membership.job, request));
        return;
      default:
        return;
    }
  }

  /**
   * Runs a step once: it is settled when it is done or when the chain refuses it (a jobs error:
   * another evaluator was faster, a deadline passed, ...); other failures (the network, storage) are
   * tried again on later events and polls, at most {@link MAX_ATTEMPTS} times.
   */
  private async step(request: Request, step: Step, run: () => Promise<JobAction | undefined>): Promise<void> {
    const key = `${request.id}/${step}`;
    if (this.settled.get(key) !== undefined) return;
    try {
      const action = await run();
      if (action) {
        this.settle(key);
        this.record(action);
      }
    } catch (error) {
      const attempts = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempts);
      const refused = error instanceof TxError && error.codespace === JOBS;
      if (refused || attempts >= MAX_ATTEMPTS) {
        this.settle(key);
        this.attempts.delete(key);
        this.record({ requestId: request.id, action: 'skipped', detail: `${step}: ${describeError(error)}` });
      } else {
        this.options.log(
          `jobs: request ${request.id}: ${step} failed (${describeError(error)}); trying again (${attempts} of ${MAX_ATTEMPTS})`,
        );
      }
    }
  }

  /** Marks a step done; the least recently used are forgotten past {@link MAX_SETTLED} (their requests are long closed). */
  private settle(key: string): void {
    this.settled.remember(key, true);
  }

  /** Evaluator: takes an open request it may take, posting the deposit. */
  private async accept(request: Request): Promise<JobAction> {
    const id = request.id;
    if (request.client === this.address) return { requestId: id, action: 'skipped', detail: 'accept: this executor is the client' };
    if (request.evaluators.length > 0 && !request.evaluators.includes(this.address))
      return { requestId: id, action: 'skipped', detail: 'accept: the request lists other evaluators' };
    const result = await this.options.client.signAndBroadcast([
      jobsMsg.acceptJob(this.address, { requestId: id, role: Role.ROLE_EVALUATOR }),
    ]);
    return {
      requestId: id,
      action: 'accepted',
      detail: `as evaluator, deposit ${request.evaluatorDeposit} uain`,
      txhash: result.transactionHash,
    };
  }

  /** Worker: runs the worker program on the input, then joins and commits in one tx. */
  private async workOn(job: Job, request: Request): Promise<JobAction> {
    const id = request.id;
    const mine = request.results.find((r) => r.worker === this.address);
    if (mine && mine.commitment !== '') return { requestId: id, action: 'skipped', detail: 'work: already committed' };
    if (request.client === this.address || request.evaluator === this.address)
      return { requestId: id, action: 'skipped', detail: 'work: this executor is the client or the evaluator' };
    if (request.workers.length > 0 && !request.workers.includes(this.address))
      return { requestId: id, action: 'skipped', detail: 'work: the request lists other workers' };
    if (!mine && request.maxWorkers > 0 && request.results.length >= request.maxWorkers)
      return { requestId: id, action: 'skipped', detail: `work: the request has its ${request.maxWorkers} workers` };
    const codeHash = this.options.workerCode?.get(job.id) ?? job.workerCodeHash;
    const code = await this.code(codeHash);
    if (!code) return { requestId: id, action: 'failed', detail: `work: code ${codeHash} does not match its hash; not run` };
    // Private input is readable only once the chain accepted this worker: join first, then fetch.
    let joined = mine !== undefined;
    if (!joined && request.inputHash !== '' && (await queryAccess(this.comet, request.inputHash, request.client))) {
      await this.options.client.signAndBroadcast([jobsMsg.acceptJob(this.address, { requestId: id, role: Role.ROLE_WORKER })]);
      joined = true;
    }
    this.options.log(`jobs: request ${id}: running the worker program of job ${job.id} (${job.runtime})`);
    // The slot's scope gives the program the job's GPUs and the executor's runtimes.
    const run = await this.options.slots.run(
      () => runWorkerProgram({ job, request, code, fetch: this.fetchFor(request), limits: this.limits(job) }),
      { gpus: job.resources?.gpus ?? 0 },
    );
    if (!run.ok) return { requestId: id, action: 'failed', detail: `work: the worker program failed: ${run.reason}; nothing committed` };
    let output = run.output;
    let outputHash = '';
    if (!fitsInline(output)) {
      outputHash = (await putBlob(this.options.storageUrl, new TextEncoder().encode(output), this.storageKey())).hash;
      output = '';
    }
    const salt = randomBytes(32).toString('hex');
    // The secret first: a commitment whose salt is lost can never be revealed.
    this.secrets.put(id, { salt, output, outputHash });
    const commit = jobsMsg.submitResult(this.address, {
      requestId: id,
      commitment: resultCommitment(id, this.address, salt, output, outputHash),
    });
    const messages = joined ? [commit] : [jobsMsg.acceptJob(this.address, { requestId: id, role: Role.ROLE_WORKER }), commit];
    const result = await this.options.client.signAndBroadcast(messages);
    return {
      requestId: id,
      action: 'committed',
      detail: `ran in ${Math.round(run.durationMs)} ms; ${outputHash === '' ? `output ${output.slice(0, 200)}` : `output in Big Storage ${outputHash}`}`,
      txhash: result.transactionHash,
    };
  }

  /** Worker: reveals what it committed to, once submission closed. */
  private async reveal(request: Request): Promise<JobAction | undefined> {
    const id = request.id;
    const mine = request.results.find((r) => r.worker === this.address);
    if (!mine || mine.commitment === '' || mine.revealedAt !== 0n) return undefined;
    const secret = this.secrets.get(id);
    if (!secret) return { requestId: id, action: 'failed', detail: 'reveal: the salt of this commitment is lost (no secrets file?)' };
    const result = await this.options.client.signAndBroadcast([
      jobsMsg.revealResult(this.address, { requestId: id, output: secret.output, outputHash: secret.outputHash, salt: secret.salt }),
    ]);
    this.secrets.delete(id);
    return { requestId: id, action: 'revealed', detail: secret.output.slice(0, 200) || secret.outputHash, txhash: result.transactionHash };
  }

  /** Evaluator: runs the evaluator program on the revealed outputs and ranks. A failed program ranks nothing. */
  private async rank(job: Job, request: Request): Promise<JobAction> {
    const id = request.id;
    const codeHash = this.options.evaluatorCode?.get(job.id) ?? job.evaluatorCodeHash;
    const code = await this.code(codeHash);
    if (!code) return { requestId: id, action: 'failed', detail: `rank: code ${codeHash} does not match its hash; not run` };
    this.options.log(`jobs: request ${id}: running the evaluator program of job ${job.id} on ${request.results.length} results`);
    const run = await this.options.slots.run(
      () => runEvaluatorProgram({ job, request, code, fetch: this.fetchFor(request), limits: this.limits(job) }),
      { gpus: job.resources?.gpus ?? 0 },
    );
    if (!run.ok) return { requestId: id, action: 'failed', detail: `rank: the evaluator program failed: ${run.reason}; not ranked` };
    if (run.dropped.length > 0) this.options.log(`jobs: request ${id}: the evaluator left out ${run.dropped.join(', ')}`);
    const result = await this.options.client.signAndBroadcast([jobsMsg.rank(this.address, { requestId: id, ranking: run.ranking })]);
    return { requestId: id, action: 'ranked', detail: run.ranking.join(',') || '(nobody)', txhash: result.transactionHash };
  }

  /**
   * The request as of block `height` at least: an event arrives as soon as CometBFT has executed its
   * block, a moment before the app has committed it and answers queries with it.
   */
  private async readRequest(id: bigint, height: number): Promise<Request> {
    const deadline = Date.now() + COMMIT_WAIT_MS;
    for (;;) {
      const answer = await queryJobRequest(this.comet, id);
      if (answer.height >= height || Date.now() > deadline || this.stopped) return answer.request;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Code by hash, or undefined when its bytes do not match (never run); other storage errors throw (tried again). */
  private async code(hash: string): Promise<Uint8Array | undefined> {
    try {
      return await this.blobs.get(hash);
    } catch (error) {
      if (error instanceof AinError && error.codespace === STORAGE && error.code === ErrStorageHashMismatch.code) return undefined;
      throw error;
    }
  }

  private limits(job: Job): ProgramLimits {
    const memory = Number(job.resources?.memoryMb ?? 0n);
    return {
      timeoutMs: this.options.timeoutMs,
      memoryMb: memory >= 16 ? memory : this.options.defaultMemoryMb,
      maxOutputBytes: this.options.maxOutputBytes,
      isolation: this.options.isolation,
    };
  }

  /** Blobs of a request as their reader: private ones (the client's) signed and decrypted (`privateBlobs.ts`). */
  private fetchFor(request: Request): (hash: string) => Promise<Uint8Array> {
    this.privateBlobs ??= new PrivateBlobs({
      comet: this.comet,
      storageUrl: this.options.storageUrl,
      key: this.storageKey(),
      publicBlobs: this.blobs,
    });
    const blobs = this.privateBlobs;
    return (hash) => blobs.get(hash, request.client);
  }

  private storageKey() {
    const pubkey = secp256k1.publicKeyCreate(this.options.key.privkey, true);
    return { privkey: this.options.key.privkey, pubkey, address: pubkeyToAddress(pubkey) };
  }

  private record(action: JobAction): void {
    this.actions.push(action);
    const subject = action.requestId === 0n ? 'jobs' : `jobs: request ${action.requestId}`;
    this.options.log(`${subject}: ${action.action}${action.txhash ? ` (tx ${action.txhash})` : ''}: ${action.detail}`);
  }
}

function roleName(role: Role): JobRole | 'admin' {
  return role === Role.ROLE_WORKER ? 'worker' : role === Role.ROLE_EVALUATOR ? 'evaluator' : 'admin';
}
