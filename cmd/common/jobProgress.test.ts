/** Progress events of a job run and their three printers: plain lines, JSON lines, the live terminal block. */
import { describe, expect, it } from 'vitest';
import { chainProgressEvent, formatLoss, type JobProgressEvent, progressPrinter, reportedLoss } from './jobProgress.ts';

const W1 = 'ain1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqw1w1w1';
const W2 = 'ain1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqw2w2w2';

/** The events of one request: w1 and w2 join, commit and reveal (w1 reports a loss), w1 ranked first and paid. */
function requestEvents(tags = {}): JobProgressEvent[] {
  const chain: Array<[string, Record<string, string>, number?]> = [
    ['EventJobAccepted', { evaluator: 'ain1e', submit_deadline: '1700000000' }],
    ['EventWorkerJoined', { worker: W1 }],
    ['EventResultSubmitted', { worker: W1, commitment: 'ab' }],
    ['EventWorkerJoined', { worker: W2 }],
    ['EventResultSubmitted', { worker: W2, commitment: 'cd' }],
    ['EventSubmissionClosed', { reveal_deadline: '1700000003' }],
    ['EventResultRevealed', { worker: W1 }, 0.25],
    ['EventResultRevealed', { worker: W2 }],
    ['EventResultsRanked', { ranking: W1, accept_deadline: '1700000010' }],
    ['EventPayout', { recipient: W1, amount: '10', kind: 'worker_reward' }],
    ['EventRequestClosed', { status: 'completed', outcome: 'accepted' }],
  ];
  return chain.map(([type, attributes, loss], i) => {
    const event = chainProgressEvent(type, { job_id: '1', request_id: '7', ...attributes }, { height: 10 + i, tags, loss });
    if (!event) throw new Error(`no event for ${type}`);
    return event;
  });
}

/** A stream that records what is written, with a terminal width. */
function recorder(columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { write: (text: string) => chunks.push(text), columns } };
}

/** What a terminal shows after the writes: the escape sequences the live block uses, applied. */
function screen(chunks: readonly string[]): string[] {
  const lines: string[] = [''];
  let row = 0;
  for (const chunk of chunks) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes
    for (const part of chunk.split(/(\x1b\[\d*[AJ]|\r|\n)/)) {
      if (part === '') continue;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes
      const up = /^\x1b\[(\d+)A$/.exec(part);
      if (up) row = Math.max(0, row - Number(up[1]));
      else if (part === '\x1b[J') lines.splice(row + 1), (lines[row] = '');
      else if (part === '\r') continue;
      else if (part === '\n') {
        row += 1;
        lines[row] ??= '';
      } else lines[row] = (lines[row] ?? '') + part;
    }
  }
  return lines.filter((line, i) => line !== '' || i < lines.length - 1);
}

/** The screen of a wide terminal after the live printer printed these events. */
function recorded(events: readonly JobProgressEvent[]): string[] {
  const { chunks, stream } = recorder(200);
  const printer = progressPrinter('live', stream);
  for (const event of events) printer.print(event);
  return chunks;
}

describe('job run progress', () => {
  it('turns a jobs event into a progress event: snake-case name, the worker and its phase, the loss, lists as arrays', () => {
    const [accepted, joined, , , , , revealed, , ranked, paid] = requestEvents({ round: 2, rounds: 3, shard: 1, shards: 2 });
    expect(joined).toEqual({
      event: 'worker_joined',
      message: `round 2/3, shard 1/2: request 7: worker ${W1} joined`,
      height: 11,
      round: 2,
      rounds: 3,
      shard: 1,
      shards: 2,
      job_id: '1',
      request_id: '7',
      worker: W1,
      phase: 'joined',
    });
    expect(accepted).toMatchObject({ event: 'job_accepted', evaluator: 'ain1e' });
    expect(accepted!['phase']).toBeUndefined();
    expect(revealed).toMatchObject({ event: 'result_revealed', phase: 'revealed', loss: 0.25 });
    expect(revealed!.message).toBe(`round 2/3, shard 1/2: request 7: worker ${W1} revealed its result (loss 0.2500)`);
    expect(ranked).toMatchObject({ event: 'results_ranked', ranking: [W1] });
    expect(paid).toMatchObject({ event: 'payout', worker: W1, phase: 'paid', amount: '10', kind: 'worker_reward' });
    expect(
      chainProgressEvent('EventPayout', { request_id: '7', recipient: 'ain1c', amount: '5', kind: 'refund' }, { height: 1, tags: {} }),
    ).not.toHaveProperty('phase');
    expect(chainProgressEvent('EventSomethingElse', { request_id: '7' }, { height: 1, tags: {} })).toBeUndefined();
  });

  it('reads the loss a worker reports: loss, else train_loss, else test_loss, finite numbers only', () => {
    expect(reportedLoss({ loss: 0.5, train_loss: 1 })).toBe(0.5);
    expect(reportedLoss({ w: [1], b: 0, train_loss: 0.125 })).toBe(0.125);
    expect(reportedLoss({ loss: 'NaN', test_loss: 2 })).toBe(2);
    expect(reportedLoss({ x: 2 })).toBeUndefined();
    expect(reportedLoss([0.5])).toBeUndefined();
    expect(formatLoss(Math.LN2)).toBe('0.6931');
    expect(formatLoss(0.0000123)).toBe('1.230e-5');
  });

  it('prints plain lines: the message of each event', () => {
    const { chunks, stream } = recorder();
    const printer = progressPrinter('lines', stream);
    for (const event of requestEvents()) printer.print(event);
    expect(chunks[1]).toBe(`request 7: worker ${W1} joined\n`);
    expect(chunks).toHaveLength(11);
  });

  it('prints JSON lines: one object per event, its name first, then the time', () => {
    const { chunks, stream } = recorder();
    const printer = progressPrinter('json', stream, () => new Date('2026-01-02T03:04:05.000Z'));
    for (const event of requestEvents()) printer.print(event);
    const objects = chunks.map((chunk) => {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.slice(0, -1)).not.toContain('\n');
      return JSON.parse(chunk) as Record<string, unknown>;
    });
    expect(Object.keys(objects[6]!).slice(0, 3)).toEqual(['event', 'time', 'message']);
    expect(objects[6]).toMatchObject({ event: 'result_revealed', time: '2026-01-02T03:04:05.000Z', worker: W1, loss: 0.25 });
    expect(objects.map((o) => o['event'])).toEqual([
      'job_accepted',
      'worker_joined',
      'result_submitted',
      'worker_joined',
      'result_submitted',
      'submission_closed',
      'result_revealed',
      'result_revealed',
      'results_ranked',
      'payout',
      'request_closed',
    ]);
  });

  it('on a terminal, keeps a line per worker with its phase and loss, rewritten in place, and leaves the closed request on screen', () => {
    const { chunks, stream } = recorder(80);
    const printer = progressPrinter('live', stream);
    const events = requestEvents();
    printer.print({ event: 'data_stored', message: 'data set abc in Big Storage' });
    for (const event of events.slice(0, 7)) printer.print(event);
    expect(screen(chunks)).toEqual([
      'data set abc in Big Storage',
      'request 7: submission closed; reveals until 2023-11-14T22:13:23.000Z',
      '  ain1qqqqqq…w1w1w1  revealed                  loss 0.2500',
      '  ain1qqqqqq…w2w2w2  committed',
    ]);
    for (const event of events.slice(7)) printer.print(event);
    printer.close();
    expect(screen(chunks)).toEqual([
      'data set abc in Big Storage',
      'request 7: closed: completed (accepted)',
      '  ain1qqqqqq…w1w1w1  ranked 1, paid 10 uain    loss 0.2500',
      '  ain1qqqqqq…w2w2w2  left out',
    ]);
    // The redraw moves up over the block it drew last and clears it.
    expect(chunks[5]!.startsWith('\x1b[3A\r\x1b[J')).toBe(true);
  });

  it('on a terminal, cuts live lines to the width (a wrapped line would break the redraw), shortens addresses and tags sharded requests', () => {
    const { chunks, stream } = recorder(30);
    const printer = progressPrinter('live', stream);
    for (const event of requestEvents({ round: 1, rounds: 2, shard: 2, shards: 2 }).slice(0, 2)) printer.print(event);
    const shown = screen(chunks);
    expect(shown[0]).toBe('request 7 (round 1/2, shard …');
    expect(screen(recorded(requestEvents().slice(0, 1)))).toEqual([
      'request 7: accepted by evaluator ain1e; workers submit until 2023-11-14T22:13:20.000Z',
    ]);
    const long = requestEvents()
      .slice(0, 1)
      .map((e) => ({ ...e, message: e.message.replace('ain1e', W2) }));
    expect(screen(recorded(long))[0]).toBe(
      'request 7: accepted by evaluator ain1qqqqqq…w2w2w2; workers submit until 2023-11-14T22:13:20.000Z',
    );
    expect(shown.every((line) => line.length < 30)).toBe(true);
  });
});
