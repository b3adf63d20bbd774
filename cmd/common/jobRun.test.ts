/** A job run's progress lines, summary and failure text. */
import { describe, expect, it } from 'vitest';
import { describeEvent } from './jobProgress.ts';
import { formatRunSummary, type JobRunResult, runFailure } from './jobRun.ts';

const result = (extra: Partial<JobRunResult>): JobRunResult => ({
  request_id: '4',
  job_id: '1',
  status: 'completed',
  outcome: 'accepted',
  result: { x: 2.01 },
  worker: 'ain1w',
  ranking: ['ain1w', 'ain1v'],
  evaluator: 'ain1e',
  workers: 3,
  payouts: [
    { recipient: 'ain1w', amount: '10', kind: 'worker_reward' },
    { recipient: 'ain1e', amount: '10', kind: 'evaluator_reward' },
    { recipient: 'ain1e', amount: '200', kind: 'deposit_return' },
  ],
  challenged: false,
  ...extra,
});

describe('aind job run', () => {
  it('prints a progress line per event of the request', () => {
    expect(describeEvent('EventWorkerJoined', { worker: 'ain1w' })).toBe('worker ain1w joined');
    expect(describeEvent('EventSubmissionClosed', { reveal_deadline: '1700000000' })).toBe(
      'submission closed; reveals until 2023-11-14T22:13:20.000Z',
    );
    expect(describeEvent('EventPayout', { amount: '10', recipient: 'ain1w', kind: 'worker_reward' })).toBe(
      'paid 10 uain to ain1w (worker_reward)',
    );
    expect(describeEvent('EventRequestClosed', { status: 'expired', outcome: 'no_evaluator' })).toBe('closed: expired (no_evaluator)');
    expect(describeEvent('EventSomethingElse', {})).toBeUndefined();
  });

  it("sums up a run as the paper's session does", () => {
    expect(formatRunSummary(result({}))).toBe(
      [
        'result: {"x":2.01} (worker ain1w)',
        'Total 3 workers participated. Evaluator (ain1e) received 10, worker (ain1w) received 10.',
        'status: completed (accepted)',
      ].join('\n'),
    );
  });

  it('fails a run that ended without a result, saying what was paid back', () => {
    expect(runFailure(result({}))).toBeUndefined();
    const expired = result({
      status: 'expired',
      outcome: 'no_evaluator',
      result: null,
      worker: '',
      evaluator: '',
      payouts: [{ recipient: 'ain1c', amount: '20', kind: 'refund' }],
    });
    expect(runFailure(expired)).toBe('request 4: no result: the request ended expired (no_evaluator); paid back 20 uain (refund) to ain1c');
    expect(runFailure(result({ result: null, ranking: [] }))).toBe('request 4: no result: nobody was ranked');
  });
});
