/**
 * The client's side of a job run, shared by `aind job run` and the console's `requestJob`: request
 * a run (escrowing the rewards), follow it block by block, reveal the test data, accept (or, after a
 * re-evaluation that disagrees, challenge) the ranking, and report the result and the payouts.
 */
import { randomBytes } from 'node:crypto';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { CometClient, comet38 } from '@cosmjs/tendermint-rpc';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { JsonValue } from '../../core/index.ts';
import { type AinClient, connectAin, queryJob, queryJobRequest, queryJobsParams } from '../../client/index.ts';
import { BlobCache, type FetchBlob, fitsInline, jsonOf, runEvaluatorProgram } from '../../executor/index.ts';
import type { Job, Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import { putBlob } from '../../storage/index.ts';
import { PrivateJobData } from './privateJob.ts';
import { getKey, keySigner, signerForKey } from '../../home/index.ts';
import { parseId } from './args.ts';
import {
  chainProgressEvent,
  type JobProgressEvent,
  type ProgressValue,
  type RunTags,
  reportedLoss,
  tagFields,
  tagsLabel,
} from './jobProgress.ts';
import { type JobsTxFlags, jobsTxMessage } from './jobsTx.ts';
import { nodeHttpUrl } from './node-url.ts';
import { buildFee, type SendOptions } from './tx.ts';

/** What `aind job run` (and the console's `requestJob`) asks for: the request's terms, as typed. */
export interface JobRunTerms {
  readonly jobId: string;
  /** The input: JSON text of the job's input type (put in Big Storage when larger than 8 KiB). */
  readonly input: string;
  /** The worker reward (uain), split over the ranking by the reward function. */
  readonly reward: string;
  /** The evaluator's reward (uain, default 0). */
  readonly evaluatorReward?: string | undefined;
  /** The evaluator's deposit (uain, default the chain's min_evaluator_deposit). */
  readonly evaluatorDeposit?: string | undefined;
  /** Seconds the workers have after an evaluator accepts (default 30). */
  readonly timeLimit?: string | undefined;
  readonly rewardFunction?: string | undefined;
  readonly weights?: string | undefined;
  /** Only these evaluators / workers: addresses or key names, comma-separated. */
  readonly evaluators?: string | undefined;
  readonly workers?: string | undefined;
  readonly maxWorkers?: string | undefined;
  readonly skipEvaluation?: boolean | undefined;
  /** Test data (JSON text): committed in the request, revealed after submission closes. */
  readonly testData?: string | undefined;
}

export interface JobRunOptions extends SendOptions {
  readonly terms: JobRunTerms;
  /** Big Storage: large inputs and test data go there; outputs revealed by hash and, with `verify`, the evaluator code come from it. */
  readonly storage: string;
  /** Re-run the job's evaluator code on the revealed results and challenge a ranking that differs. */
  readonly verify?: boolean | undefined;
  /** Encrypt the input and test data; share keys only with the nodes the chain accepts (`privateJob.ts`). */
  readonly encrypt?: boolean | undefined;
  /** Leave the ranking to the chain's automatic acceptance instead of accepting it. */
  readonly autoAccept?: boolean | undefined;
  /** Give up following after this many seconds (default 3600). */
  readonly timeoutSeconds?: number | undefined;
  /** Receives one event per step of the request (`event.message` is its line). */
  readonly progress: (event: JobProgressEvent) => void;
  /** The round and shard of this request in a sharded run (`aind job run --data`), tagged on its events. */
  readonly tags?: RunTags | undefined;
}

/** A payout of the request, as its `EventPayout`. */
export interface JobPayout {
  readonly recipient: string;
  readonly amount: string;
  readonly kind: string;
}

/** How a request ended, and the result the client accepted. */
export interface JobRunResult {
  readonly request_id: string;
  readonly job_id: string;
  readonly status: string;
  readonly outcome: string;
  /** The output of the worker ranked first (null when nobody was). */
  readonly result: JsonValue;
  readonly worker: string;
  readonly ranking: readonly string[];
  readonly evaluator: string;
  /** Workers that joined. */
  readonly workers: number;
  readonly payouts: readonly JobPayout[];
  /** Whether this run challenged the evaluator's ranking. */
  readonly challenged: boolean;
}

const DEFAULT_TIME_LIMIT = '30';
const DEFAULT_TIMEOUT_SECONDS = 3600;
const POLL_MS = 250;
const EVENT_PREFIX = 'ain.jobs.v1.';
/** Limits of a local re-evaluation (`--verify`, `aind job evaluate`). */
const LOCAL_LIMITS = { timeoutMs: 60_000, memoryMb: 512, maxOutputBytes: 1024 * 1024 };

/** A client connection and key that several runs share: their txs go one at a time (one account sequence). */
export interface JobSession {
  readonly client: AinClient;
  readonly signer: { privkey: Uint8Array; pubkey: Uint8Array; address: string };
  readonly send: Send;
  close(): void;
}

/**
 * Connects as `options.from`; the session's `send` queues txs so that runs following requests at
 * the same time never race for the account sequence.
 */
export async function openJobSession(options: SendOptions): Promise<JobSession> {
  const key = getKey(options.home, options.from, options.keyring);
  const signer = await keySigner(key, options.keyring);
  const client = await connectAin({
    rpcUrl: nodeHttpUrl(options.node),
    signer: await signerForKey(signer),
    chainId: options.chainId,
    broadcastTimeoutMs: options.timeoutMs,
    broadcastPollIntervalMs: 200,
  });
  let queue: Promise<unknown> = Promise.resolve();
  const send: Send = (messages) => {
    const sent = queue.then(async () => {
      const built = await buildFee({ ...options, gas: options.gas ?? 'auto' }, () => client.simulate(messages, options.memo ?? ''));
      const fee = options.feeGranter === undefined ? built : { ...built, granter: options.feeGranter };
      return client.signAndBroadcast(messages, { fee, memo: options.memo ?? '' });
    });
    queue = sent.catch(() => undefined);
    return sent;
  };
  return { client, signer, send, close: () => client.disconnect() };
}

/**
 * `aind job run`: requests a run of a job (escrowing the rewards), follows it block by block with a
 * progress event per event of the request, reveals the test data once submission closes, accepts the
 * ranking (or, with `verify`, challenges one its own re-evaluation disagrees with, or with
 * `autoAccept` waits for the chain to accept it) and returns the result ranked first.
 * @throws AinError the chain's refusal of a tx (TxError), `sdk/18` for bad terms or a timeout
 * @example const result = await runJob({ home, from: 'carl', node, storage, terms: { jobId: '1', input: '{"y":4}', reward: '10', evaluatorReward: '10' }, progress: (e) => console.error(e.message) });
 */
export async function runJob(options: JobRunOptions): Promise<JobRunResult> {
  const session = await openJobSession(options);
  try {
    return await runJobIn(session, options);
  } finally {
    session.close();
  }
}

/** `runJob` on an open session (a sharded run follows several requests on one). */
export async function runJobIn(session: JobSession, options: JobRunOptions): Promise<JobRunResult> {
  const { client, signer, send } = session;
  const terms = options.terms;
  const jobId = parseId(terms.jobId, 'JOB_ID');
  const { job } = await queryJob(client.cometClient, jobId);
  const { params } = await queryJobsParams(client.cometClient);
  // Test data is committed with a fresh salt now and revealed (inline or by hash) once submission closes.
  let testData: { salt: string; data: string; dataHash: string } | undefined;
  let testDataFlags: Partial<JobsTxFlags> = {};
  const sealed = options.encrypt ? await PrivateJobData.prepare(options.storage, signer, terms.input, terms.testData) : undefined;
  if (sealed?.testData) {
    testData = { salt: randomBytes(32).toString('hex'), data: '', dataHash: sealed.testData.hash };
    testDataFlags = { testDataHash: sealed.testData.hash, testDataSalt: testData.salt };
  } else if (terms.testData !== undefined) {
    const stored = await inlineOrStored(terms.testData, 'testData', options.storage, signer);
    testData = { salt: randomBytes(32).toString('hex'), data: stored.testData ?? '', dataHash: stored.testDataHash ?? '' };
    testDataFlags = { ...stored, testDataSalt: testData.salt };
  }
  const flags: JobsTxFlags = {
    workerReward: terms.reward,
    evaluatorReward: terms.evaluatorReward ?? '0',
    evaluatorDeposit: terms.skipEvaluation ? undefined : (terms.evaluatorDeposit ?? params.minEvaluatorDeposit),
    timeLimit: terms.timeLimit ?? DEFAULT_TIME_LIMIT,
    rewardFunction: terms.rewardFunction,
    weights: terms.weights,
    evaluators: terms.evaluators,
    workers: terms.workers,
    maxWorkers: terms.maxWorkers,
    skipEvaluation: terms.skipEvaluation,
    ...(sealed ? { inputHash: sealed.input.hash } : await inlineOrStored(terms.input, 'input', options.storage, signer)),
    ...testDataFlags,
  };
  const requested = await send([jobsTxMessage('request', [terms.jobId], flags, signer.address, options.home)]);
  const requestId = eventValue(requested.events, 'EventJobRequested', 'request_id');
  if (!requestId) throw ainError(ErrInvalidRequest, `tx ${requested.transactionHash} requested no job`);
  const tags = options.tags ?? {};
  const label = tagsLabel(tags);
  options.progress({
    event: 'request_sent',
    message: `${label ? `${label}: ` : ''}request ${requestId} of job ${job.id} "${job.name}" in block ${requested.height} (tx ${requested.transactionHash})`,
    request_id: requestId,
    job_id: job.id.toString(),
    height: requested.height,
    tx: requested.transactionHash,
    ...(flags.inputHash ? { input_hash: flags.inputHash } : {}),
    ...tagFields(tags),
  });
  if (sealed) await send(sealed.afterRequest(signer.address, BigInt(requestId)));
  const follower = new Follower(client, job, BigInt(requestId), options, send, testData, sealed);
  return await follower.follow(requested.height);
}

/** Inline JSON text, or (over 8 KiB) a Big Storage hash; `field` names the pair of flags. */
async function inlineOrStored(
  text: string,
  field: 'input' | 'testData',
  storage: string,
  key: { privkey: Uint8Array; pubkey: Uint8Array; address: string },
): Promise<Partial<JobsTxFlags>> {
  try {
    JSON.parse(text);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `the ${field === 'input' ? 'input' : 'test data'} is not JSON (${(cause as Error).message})`);
  }
  if (fitsInline(text)) return { [field]: text };
  const { hash } = await putBlob(storage, new TextEncoder().encode(text), key);
  return { [`${field}Hash`]: hash };
}

type Send = (messages: EncodeObject[]) => ReturnType<AinClient['signAndBroadcast']>;

/** Follows one request block by block until it is final, acting as its client. */
class Follower {
  private readonly payouts: JobPayout[] = [];
  private readonly blobs: BlobCache;
  private testDataRevealed = false;
  private challenged = false;
  private closed = false;
  private decidedAt = -1;

  constructor(
    private readonly client: AinClient,
    private readonly job: Job,
    private readonly requestId: bigint,
    private readonly options: JobRunOptions,
    private readonly send: Send,
    private readonly testData: { salt: string; data: string; dataHash: string } | undefined,
    private readonly sealed?: PrivateJobData | undefined,
  ) {
    this.blobs = new BlobCache({ storageUrl: options.storage });
  }

  async follow(fromHeight: number): Promise<JobRunResult> {
    const comet = this.client.cometClient;
    const deadline = Date.now() + (this.options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    let next = fromHeight;
    for (;;) {
      const latest = (await comet.status()).syncInfo.latestBlockHeight;
      if (next > latest) {
        if (Date.now() > deadline)
          throw ainError(
            ErrInvalidRequest,
            `request ${this.requestId} is not final after ${this.options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS} s; follow it with \`aind query jobs request ${this.requestId}\``,
          );
        await sleep(POLL_MS);
        continue;
      }
      for (; next <= latest; next++) {
        const events = this.eventsOf(await blockEvents(comet, next));
        if (events.length === 0) continue;
        const request = await requestAt(comet, this.requestId, next);
        await this.report(events, request, next);
        await this.act(request);
        // The state read may be ahead of the block reported: the run ends with the block that closed the request.
        if (this.closed) return this.result(request);
      }
    }
  }

  /** This request's jobs events in a block, as type (without the prefix) and attributes. */
  private eventsOf(events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>) {
    const mine: Array<{ type: string; attributes: Record<string, string> }> = [];
    for (const event of events) {
      if (!event.type.startsWith(EVENT_PREFIX)) continue;
      const attributes = Object.fromEntries(event.attributes.map((x) => [x.key, x.value]));
      if (attributes['request_id'] === this.requestId.toString()) mine.push({ type: event.type.slice(EVENT_PREFIX.length), attributes });
    }
    return mine;
  }

  /** A progress event per event of this request in a block (a reveal with the loss its output reports). */
  private async report(events: ReadonlyArray<{ type: string; attributes: Record<string, string> }>, request: Request, height: number) {
    for (const { type, attributes: a } of events) {
      if (type === 'EventRequestClosed') this.closed = true;
      if (type === 'EventPayout') this.payouts.push({ recipient: a['recipient'] ?? '', amount: a['amount'] ?? '', kind: a['kind'] ?? '' });
      const loss = type === 'EventResultRevealed' ? await this.lossOf(request, a['worker'] ?? '') : undefined;
      const event = chainProgressEvent(type, a, { height, tags: this.options.tags ?? {}, loss });
      if (event) this.options.progress(event);
    }
  }

  /** The loss a worker's revealed output reports (undefined when it reports none or cannot be read). */
  private async lossOf(request: Request, worker: string): Promise<number | undefined> {
    const result = request.results.find((r) => r.worker === worker);
    if (!result) return undefined;
    try {
      return reportedLoss(await jsonOf(result.output, result.outputHash, (h) => this.blobs.get(h), 'the output'));
    } catch {
      return undefined;
    }
  }

  /** A client step of this request as a progress event. */
  private note(event: string, line: string, fields: Record<string, ProgressValue> = {}): void {
    const tags = this.options.tags ?? {};
    const label = tagsLabel(tags);
    this.options.progress({
      event,
      message: `${label ? `${label}: ` : ''}request ${this.requestId}: ${line}`,
      request_id: this.requestId.toString(),
      ...tagFields(tags),
      ...fields,
    });
  }

  /** The client's part at the request's current phase. */
  private async act(request: Request): Promise<void> {
    const id = this.requestId;
    const shared = await this.sealed?.act(this.client.cometClient, request, this.send);
    if (shared && shared.length > 0) this.note('keys_shared', `input key shared with ${shared.join(', ')}`, { readers: shared.join(',') });
    if (
      request.status === 'revealing' &&
      this.testData &&
      !this.testDataRevealed &&
      request.testData === '' &&
      request.testDataHash === ''
    ) {
      this.testDataRevealed = true;
      await this.send([
        jobsTxMessage(
          'reveal-test-data',
          [id.toString(), this.testData.data || undefined],
          { salt: this.testData.salt, dataHash: this.testData.dataHash || undefined },
          request.client,
          this.options.home,
        ),
      ]);
    }
    if (request.status === 'ranked' && this.decidedAt !== Number(request.deadline) && !this.options.autoAccept) {
      this.decidedAt = Number(request.deadline);
      if (this.options.verify && !this.challenged && !request.skipEvaluation) {
        const mine = await evaluateLocally(this.job, request, (hash) => this.blobs.get(hash));
        if (mine.join(',') !== request.ranking.join(',')) {
          this.challenged = true;
          this.note('verification', `the job's evaluator code ranks ${mine.join(', ') || 'nobody'}; challenging the evaluator's ranking`, {
            agrees: false,
          });
          await this.send([
            jobsTxMessage(
              'challenge',
              [id.toString()],
              { reason: `re-evaluation ranks ${mine.join(',')}`.slice(0, 500) },
              request.client,
              this.options.home,
            ),
          ]);
          return;
        }
        this.note('verification', 'the re-evaluation agrees with the ranking', { agrees: true });
      }
      await this.send([jobsTxMessage('accept-result', [id.toString()], {}, request.client, this.options.home)]);
    }
  }

  private async result(request: Request): Promise<JobRunResult> {
    const first = request.ranking[0] ?? '';
    const output = request.results.find((r) => r.worker === first);
    const result =
      output && request.status === 'completed'
        ? await jsonOf(output.output, output.outputHash, (h) => this.blobs.get(h), 'the result')
        : null;
    return {
      request_id: request.id.toString(),
      job_id: request.jobId.toString(),
      status: request.status,
      outcome: request.outcome,
      result,
      worker: result === null ? '' : first,
      ranking: request.ranking,
      evaluator: request.evaluator,
      workers: request.results.length,
      payouts: this.payouts,
      challenged: this.challenged,
    };
  }
}

/** How long CometBFT may take to have a block's results, or the app to commit it, once its height shows. */
const BLOCK_WAIT_MS = 30_000;

/**
 * Every event of a block: its txs' (successful ones) and its own (end-of-block phases). CometBFT
 * reports a height before it has executed the block: its results are waited for.
 */
async function blockEvents(comet: CometClient, height: number) {
  const deadline = Date.now() + BLOCK_WAIT_MS;
  for (;;) {
    try {
      const results = (await comet.blockResults(height)) as comet38.BlockResultsResponse;
      return [...results.results.filter((tx) => tx.code === 0).flatMap((tx) => tx.events), ...results.finalizeBlockEvents];
    } catch (error) {
      if (!/could not find results/.test((error as Error).message) || Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** The request as of `height` or later (the app commits a block a moment after its results show). */
async function requestAt(comet: CometClient, id: bigint, height: number): Promise<Request> {
  const deadline = Date.now() + BLOCK_WAIT_MS;
  for (;;) {
    const answer = await queryJobRequest(comet, id);
    if (answer.height >= height || Date.now() > deadline) return answer.request;
    await sleep(50);
  }
}

function eventValue(
  events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>,
  type: string,
  key: string,
) {
  return events.find((e) => e.type === `${EVENT_PREFIX}${type}`)?.attributes.find((a) => a.key === key)?.value;
}

/**
 * The ranking the job's evaluator code gives a request whose reveals are closed, run here in the
 * sandbox exactly as an evaluator runs it (`aind job evaluate`, `aind job run --verify`).
 * @throws AinError `sdk/18` when the reveals are not closed or the program fails
 */
export async function evaluateLocally(job: Job, request: Request, fetch: FetchBlob, code?: Uint8Array): Promise<string[]> {
  if (!['evaluating', 'ranked', 'challenged', 'completed'].includes(request.status))
    throw ainError(ErrInvalidRequest, `request ${request.id} is ${request.status}: its results are evaluated once the reveals close`);
  const memory = Number(job.resources?.memoryMb ?? 0n);
  const run = await runEvaluatorProgram({
    job,
    request,
    code: code ?? (await fetch(job.evaluatorCodeHash)),
    fetch,
    limits: { ...LOCAL_LIMITS, memoryMb: memory >= 16 ? memory : LOCAL_LIMITS.memoryMb },
  });
  if (!run.ok) throw ainError(ErrInvalidRequest, `the evaluator program failed: ${run.reason}`);
  return run.ranking;
}
/**
 * The paper's summary line of a run: "Total 3 workers participated. Evaluator (ain1...) received 10,
 * worker (ain1...) received 10."
 */
export function formatRunSummary(result: JobRunResult): string {
  const paid = (kinds: string[], to?: string) =>
    result.payouts
      .filter((p) => kinds.includes(p.kind) && (to === undefined || p.recipient === to))
      .reduce((sum, p) => sum + BigInt(p.amount), 0n);
  const lines = [`result: ${JSON.stringify(result.result)}${result.worker ? ` (worker ${result.worker})` : ''}`];
  const parts = [`Total ${result.workers} worker${result.workers === 1 ? '' : 's'} participated.`];
  if (result.evaluator) parts.push(`Evaluator (${result.evaluator}) received ${paid(['evaluator_reward'], result.evaluator)}`);
  const workers = [...new Set(result.payouts.filter((p) => p.kind === 'worker_reward').map((p) => p.recipient))];
  const workerText = workers.map((w) => `worker (${w}) received ${paid(['worker_reward'], w)}`).join(', ');
  lines.push(`${parts.join(' ')}${workerText ? `${result.evaluator ? ', ' : ' '}${workerText}` : ''}.`);
  lines.push(`status: ${result.status}${result.outcome ? ` (${result.outcome})` : ''}`);
  return lines.join('\n');
}

/** Why a run did not give the client a result (undefined when it did). */
export function runFailure(result: JobRunResult): string | undefined {
  if (result.status === 'completed' && result.result !== null) return undefined;
  const refunds = result.payouts.filter((p) => p.kind === 'refund' || p.kind === 'deposit_forfeit');
  const back = refunds.map((p) => `${p.amount} uain (${p.kind}) to ${p.recipient}`).join(', ');
  const why = result.status === 'completed' ? 'nobody was ranked' : `the request ended ${result.status} (${result.outcome})`;
  return `request ${result.request_id}: no result: ${why}${back ? `; paid back ${back}` : ''}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
