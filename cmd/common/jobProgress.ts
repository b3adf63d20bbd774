/**
 * The progress of `aind job run` as events a person or a program can follow: one per jobs event of a
 * request in a block (the evaluator accepting, each worker joining, committing, revealing with the
 * loss its output reports, the ranking, the payouts, the close) and per step of the client's own
 * (request sent, data stored, a round averaged, the model stored), each tagged with its round and
 * shard in a sharded run. Three printers: plain lines (the event's message), JSON lines (one object
 * per event, `--output json`), and on a terminal a live block of one line per request and per worker
 * (phase, loss) rewritten in place, a request's block left on screen once it closes.
 */

/** A field of a progress event: text, a number, or a list of addresses (a ranking). */
export type ProgressValue = string | number | boolean | readonly string[];

/**
 * One step of a run. `event` is the chain event's name in snake case (`worker_joined`,
 * `result_revealed`, `results_ranked`, `payout`, `request_closed`, ...) or the client's
 * (`request_sent`, `verification`, `data_stored`, `round_done`, `model_stored`); `message` is the
 * line the plain printer shows. Optional fields: `request_id`, `job_id`, `height`, `round`, `rounds`,
 * `shard`, `shards`, `worker` and its `phase` (joined, committed, revealed, paid), `loss` (what the
 * worker's revealed output reports), and the chain event's attributes.
 */
export interface JobProgressEvent {
  readonly event: string;
  readonly message: string;
  readonly [field: string]: ProgressValue | undefined;
}

/** Where a run is in a sharded run: its round and shard (both from 1) and their counts. */
export interface RunTags {
  readonly round?: number | undefined;
  readonly rounds?: number | undefined;
  readonly shard?: number | undefined;
  readonly shards?: number | undefined;
}

const EVENT_NAMES: Readonly<Record<string, string>> = {
  EventJobRequested: 'job_requested',
  EventJobAccepted: 'job_accepted',
  EventWorkerJoined: 'worker_joined',
  EventResultSubmitted: 'result_submitted',
  EventSubmissionClosed: 'submission_closed',
  EventTestDataRevealed: 'test_data_revealed',
  EventResultRevealed: 'result_revealed',
  EventRankingOpened: 'ranking_opened',
  EventResultsRanked: 'results_ranked',
  EventChallengeFiled: 'challenge_filed',
  EventChallengeResolved: 'challenge_resolved',
  EventPayout: 'payout',
  EventRequestClosed: 'request_closed',
};
const WORKER_PHASES: Readonly<Record<string, string>> = {
  EventWorkerJoined: 'joined',
  EventResultSubmitted: 'committed',
  EventResultRevealed: 'revealed',
};
/** Attributes that are comma-joined lists on the chain. */
const LIST_ATTRIBUTES = new Set(['ranking', 'evaluators', 'workers']);

/** "round 2/3, shard 1/2" (empty outside a sharded run). */
export function tagsLabel(tags: RunTags): string {
  const parts: string[] = [];
  if (tags.round !== undefined) parts.push(`round ${tags.round}${tags.rounds ? `/${tags.rounds}` : ''}`);
  if (tags.shard !== undefined) parts.push(`shard ${tags.shard}${tags.shards ? `/${tags.shards}` : ''}`);
  return parts.join(', ');
}

/** The tags as event fields (only those set). */
export function tagFields(tags: RunTags): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const key of ['round', 'rounds', 'shard', 'shards'] as const) if (tags[key] !== undefined) fields[key] = tags[key];
  return fields;
}

/**
 * The progress event of a jobs event of a request (type without the `ain.jobs.v1.` prefix), or
 * undefined for one not worth showing. `loss` is what the worker's revealed output reports.
 */
export function chainProgressEvent(
  type: string,
  attributes: Readonly<Record<string, string>>,
  context: { readonly height: number; readonly tags: RunTags; readonly loss?: number | undefined },
): JobProgressEvent | undefined {
  const name = EVENT_NAMES[type];
  const line = describeEvent(type, attributes);
  if (!name || !line) return undefined;
  const fields: Record<string, ProgressValue> = {};
  for (const [key, value] of Object.entries(attributes))
    fields[key] = LIST_ATTRIBUTES.has(key) ? value.split(',').filter((v) => v !== '') : value;
  const phase = WORKER_PHASES[type] ?? (type === 'EventPayout' && attributes['kind'] === 'worker_reward' ? 'paid' : undefined);
  if (phase) fields['phase'] = phase;
  if (type === 'EventPayout' && phase) fields['worker'] = attributes['recipient'] ?? '';
  const withLoss = context.loss !== undefined && type === 'EventResultRevealed';
  if (withLoss) fields['loss'] = context.loss!;
  const label = tagsLabel(context.tags);
  const message = `${label ? `${label}: ` : ''}request ${attributes['request_id']}: ${line}${withLoss ? ` (loss ${formatLoss(context.loss!)})` : ''}`;
  return { event: name, message, height: context.height, ...tagFields(context.tags), ...fields };
}

/** The loss a worker's output reports: its first finite number among `loss`, `train_loss`, `test_loss`. */
export function reportedLoss(output: unknown): number | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  for (const key of ['loss', 'train_loss', 'test_loss']) {
    const value = (output as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** A loss with 4 significant digits (6 below 0.001). */
export function formatLoss(loss: number): string {
  return Math.abs(loss) >= 0.001 || loss === 0 ? loss.toPrecision(4) : loss.toExponential(3);
}

const at = (seconds: string | undefined): string => (seconds ? new Date(Number(seconds) * 1000).toISOString() : '?');

/** One progress line per jobs event (undefined for those not worth a line). */
export function describeEvent(type: string, a: Record<string, string>): string | undefined {
  switch (type) {
    case 'EventJobRequested':
      return `requested: ${a['worker_reward']} uain for workers (${a['reward_function']}), ${a['evaluator_reward']} for the evaluator; waiting for an evaluator until ${at(a['accept_deadline'])}`;
    case 'EventJobAccepted':
      return a['evaluator']
        ? `accepted by evaluator ${a['evaluator']}; workers submit until ${at(a['submit_deadline'])}`
        : `open to workers until ${at(a['submit_deadline'])} (no evaluation)`;
    case 'EventWorkerJoined':
      return `worker ${a['worker']} joined`;
    case 'EventResultSubmitted':
      return `worker ${a['worker']} committed to a result`;
    case 'EventSubmissionClosed':
      return `submission closed; reveals until ${at(a['reveal_deadline'])}`;
    case 'EventTestDataRevealed':
      return 'test data revealed';
    case 'EventResultRevealed':
      return `worker ${a['worker']} revealed its result`;
    case 'EventRankingOpened':
      return `evaluator ${a['evaluator']} ranks until ${at(a['rank_deadline'])}`;
    case 'EventResultsRanked':
      return `ranked: ${a['ranking'] || 'nobody'}; accept or challenge until ${at(a['accept_deadline'])}`;
    case 'EventChallengeFiled':
      return `challenged by ${a['challenger']}; admin ${a['resolver']} decides until ${at(a['resolve_deadline'])}`;
    case 'EventChallengeResolved':
      return `challenge ${a['outcome']} (admin ${a['resolver']})`;
    case 'EventPayout':
      return `paid ${a['amount']} uain to ${a['recipient']} (${a['kind']})`;
    case 'EventRequestClosed':
      return `closed: ${a['status']}${a['outcome'] ? ` (${a['outcome']})` : ''}`;
    default:
      return undefined;
  }
}

/** How progress is printed: plain lines, JSON lines, or a live block on a terminal. */
export type ProgressMode = 'lines' | 'json' | 'live';

/** A stream to print on (`process.stderr`); `columns` bounds the live block's lines. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/** Prints progress events; `close` ends the output (the live block stays on screen). */
export interface ProgressPrinter {
  print(event: JobProgressEvent): void;
  close(): void;
}

/**
 * A printer of the given mode on a stream.
 * @example const printer = progressPrinter(process.stderr.isTTY ? 'live' : 'lines', process.stderr);
 */
export function progressPrinter(mode: ProgressMode, stream: ProgressStream, now: () => Date = () => new Date()): ProgressPrinter {
  if (mode === 'json')
    return {
      print: ({ event, ...fields }) => stream.write(`${JSON.stringify({ event, time: now().toISOString(), ...fields })}\n`),
      close: () => {},
    };
  if (mode === 'lines') return { print: (event) => stream.write(`${event.message}\n`), close: () => {} };
  return new LiveBoard(stream);
}

interface WorkerRow {
  phase: string;
  loss?: number | undefined;
  rank?: number | undefined;
  paid: bigint;
}

interface RequestRow {
  readonly title: string;
  status: string;
  readonly workers: Map<string, WorkerRow>;
}

/**
 * The terminal printer: above, lines that stay (client steps, closed requests); below, a block of
 * the live requests, each a status line and a line per worker, redrawn in place after every event.
 */
class LiveBoard implements ProgressPrinter {
  private readonly requests = new Map<string, RequestRow>();
  private shown = 0;

  constructor(private readonly stream: ProgressStream) {}

  print(event: JobProgressEvent): void {
    const id = typeof event['request_id'] === 'string' ? event['request_id'] : undefined;
    const above: string[] = [];
    if (id === undefined) above.push(event.message);
    else {
      const row = this.requests.get(id) ?? this.open(id, event);
      this.apply(row, event);
      if (event.event === 'request_closed') {
        above.push(...this.lines(row));
        this.requests.delete(id);
      }
    }
    this.redraw(above);
  }

  close(): void {}

  private open(id: string, event: JobProgressEvent): RequestRow {
    const label = tagsLabel(event as RunTags);
    const row: RequestRow = { title: `request ${id}${label ? ` (${label})` : ''}`, status: '', workers: new Map() };
    this.requests.set(id, row);
    return row;
  }

  private apply(row: RequestRow, event: JobProgressEvent): void {
    const worker = typeof event['worker'] === 'string' ? event['worker'] : undefined;
    const phase = typeof event['phase'] === 'string' ? event['phase'] : undefined;
    if (worker && phase) {
      const state = row.workers.get(worker) ?? { phase, paid: 0n };
      row.workers.set(worker, state);
      if (phase === 'paid') state.paid += BigInt(String(event['amount'] ?? '0'));
      else state.phase = phase;
      if (typeof event['loss'] === 'number') state.loss = event['loss'];
      return;
    }
    if (event.event === 'results_ranked' && Array.isArray(event['ranking'])) {
      const ranking = event['ranking'] as readonly string[];
      for (const [address, state] of row.workers) {
        const place = ranking.indexOf(address);
        state.rank = place === -1 ? undefined : place + 1;
        if (state.phase === 'revealed' || state.phase === 'ranked' || state.phase === 'left out')
          state.phase = place === -1 ? 'left out' : 'ranked';
      }
    }
    if (event.event !== 'payout') row.status = event.message.replace(/^.*?request \d+: /, '').replace(/\bain1[0-9a-z]{38,}/g, shortAddress);
  }

  private lines(row: RequestRow): string[] {
    const lines = [`${row.title}: ${row.status}`];
    for (const [address, state] of row.workers) {
      const phase = state.phase === 'ranked' ? `ranked ${state.rank}` : state.phase;
      const paid = state.paid > 0n ? `, paid ${state.paid} uain` : '';
      const loss = state.loss === undefined ? '' : `  loss ${formatLoss(state.loss)}`;
      lines.push(`  ${shortAddress(address)}  ${`${phase}${paid}`.padEnd(24)}${loss}`.trimEnd());
    }
    return lines;
  }

  private redraw(above: readonly string[]): void {
    let text = this.shown > 0 ? `\x1b[${this.shown}A\r\x1b[J` : '';
    for (const line of above) text += `${line}\n`;
    const live = [...this.requests.values()].flatMap((row) => this.lines(row));
    for (const line of live) text += `${this.fit(line)}\n`;
    this.shown = live.length;
    this.stream.write(text);
  }

  /** A live line cut to the terminal's width: a wrapped line would break the redraw. */
  private fit(line: string): string {
    const width = this.stream.columns;
    return width && line.length >= width ? `${line.slice(0, Math.max(width - 2, 1))}…` : line;
  }
}

/** ain1qy3k…7xfd: enough of an address to tell workers apart on one screen. */
export function shortAddress(address: string): string {
  return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-6)}` : address;
}
