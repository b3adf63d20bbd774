/**
 * The architecture paper's machine-learning patterns (section 2.2.4) as jobs, end to end on real
 * processes: one node, Big Storage, `aind executor` workers and an evaluator running the examples'
 * numpy programs in the sandbox, and `aind job run` as the client. Loss optimisation: three workers
 * train the same perceptron with their operators' learning rates and are ranked by loss on test data
 * revealed after submission. Data parallelism: the client as parameter server, a data set in Big
 * Storage cut into two shards, three rounds with the loss falling each round, the model stored by
 * hash. Distributed inference: a batch cut into three shards, one per worker, joined in input order.
 * The data comes from the examples' seeded make_data.py, so rankings and losses are exact; the
 * expected values are computed here by running the same programs outside the chain.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryJob, queryJobRequest } from '../client/queryJobs.ts';
import { getBlob } from '../storage/client.ts';
import { EXAMPLES, type JobMarket, runPython, startJobMarket } from './helpers/jobMarket.ts';

const NAMES = ['alice', 'carl', 'dave', 'erin', 'e1', 'w1', 'w2', 'w3'] as const;
const PARAMS = {
  accept_window: '5',
  reveal_window: '3',
  rank_window: '5',
  acceptance_window: '30',
  resolve_window: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
};
const TIME_LIMIT = '5';

interface ProgressLine {
  event: string;
  time: string;
  message: string;
  request_id?: string;
  worker?: string;
  phase?: string;
  loss?: number;
  round?: number;
  shard?: number;
  ranking?: string[];
  [field: string]: unknown;
}

describe('machine-learning jobs end to end (numpy in the sandbox, real node, storage, executors)', () => {
  let market: JobMarket;
  let jobs: Record<'loss' | 'parallel' | 'inference', string>;
  const file = (...parts: string[]) => join(market.dir, ...parts);
  const makeData = (example: string, out: string, ...args: string[]) =>
    runPython([join(EXAMPLES, example, 'make_data.py'), file(out), ...args]);
  /** `aind job run` as `from`; stdout parsed as the result, stderr split in lines. */
  const jobRun = async (from: string, jobId: string, ...args: string[]) => {
    const run = await market.aind(
      'job',
      'run',
      jobId,
      '--storage',
      market.storage.url,
      '--from',
      from,
      '--time-limit',
      TIME_LIMIT,
      ...args,
    );
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    return { ...run, lines, result: run.stdout.trim() === '' ? undefined : JSON.parse(run.stdout) };
  };
  const jsonLines = (lines: readonly string[]) => lines.filter((l) => !l.startsWith('Error:')).map((l) => JSON.parse(l) as ProgressLine);

  beforeAll(async () => {
    market = await startJobMarket(NAMES, PARAMS);
    const [loss, parallel, inference] = await market.registerExamples(['loss_optimisation', 'data_parallel', 'distributed_inference']);
    jobs = { loss: loss!, parallel: parallel!, inference: inference! };
    // Two operators run the loss-optimisation worker with their own learning rate (the example's is 1.0).
    const worker = readFileSync(join(EXAMPLES, 'loss_optimisation', 'worker.py'), 'utf8');
    const withRate = (rate: string) => worker.replace(/^LEARNING_RATE = 1\.0$/m, `LEARNING_RATE = ${rate}`);
    expect(withRate('3.0')).not.toBe(worker);
    await Promise.all([
      market.startExecutor('e1', ['--jobs', 'evaluator']),
      market.startExecutor('w1', ['--jobs', 'worker']),
      market.startExecutor('w2', ['--jobs', 'worker', '--worker-code', `${jobs.loss}=${await market.upload('w2', withRate('3.0'))}`]),
      market.startExecutor('w3', ['--jobs', 'worker', '--worker-code', `${jobs.loss}=${await market.upload('w3', withRate('0.1'))}`]),
    ]);
    await market.approve(
      [jobs.loss, jobs.parallel, jobs.inference].flatMap((id) => [
        [BigInt(id), 'e1', 'evaluator'] as const,
        ...(['w1', 'w2', 'w3'] as const).map((w) => [BigInt(id), w, 'worker'] as const),
      ]),
    );
  }, 240_000);

  afterAll(async () => {
    await market?.stop();
  }, 120_000);

  it('registers each example with its requirement, numpy', async () => {
    for (const id of Object.values(jobs)) {
      const { job } = await queryJob(market.admin.cometClient, BigInt(id));
      expect(job.requires).toEqual(['numpy']);
    }
  });

  it('optimises a loss: workers with different learning rates, ranked by test loss revealed after submission; JSON progress lines', async () => {
    await makeData('loss_optimisation', 'loss');
    const run = await jobRun(
      'carl',
      jobs.loss,
      '--input',
      file('loss', 'input.json'),
      '--test-data',
      file('loss', 'test_data.json'),
      '--reward',
      '30',
      '--reward-function',
      'ranked-weights',
      '--weights',
      '3,2,1',
      '--evaluator-reward',
      '10',
      '--evaluators',
      'e1',
      '--workers',
      'w1,w2,w3',
      '--output',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    // Learning rate 3.0 fits the training set best but generalises worse than 1.0; 0.1 is too slow in 400 epochs.
    const request = (await queryJobRequest(market.admin.cometClient, BigInt(run.result.request_id))).request;
    expect(request.ranking.map(market.nameOf)).toEqual(['w1', 'w2', 'w3']);
    expect(run.result).toMatchObject({ status: 'completed', outcome: 'accepted', worker: market.address('w1') });
    expect(run.result.result).toMatchObject({ device: 'cpu', learning_rate: 1, epochs: 400, hidden: 8 });
    const trainLoss = (name: string) =>
      (JSON.parse(request.results.find((r) => r.worker === market.address(name))!.output) as { loss: number }).loss;
    expect(trainLoss('w2')).toBeLessThan(trainLoss('w1'));
    expect(trainLoss('w1')).toBeLessThan(trainLoss('w3'));
    // The evaluator's program, run here on the revealed results, gives the chain's ranking and the losses.
    const envelope = {
      request: JSON.parse(readFileSync(file('loss', 'input.json'), 'utf8')),
      workers: ['w1', 'w2', 'w3'].map((name) => ({
        node: market.address(name),
        response: JSON.parse(request.results.find((r) => r.worker === market.address(name))!.output),
      })),
      test_data: JSON.parse(readFileSync(file('loss', 'test_data.json'), 'utf8')),
    };
    const local = JSON.parse(await runPython([join(EXAMPLES, 'loss_optimisation', 'evaluator.py')], JSON.stringify(envelope)));
    expect(local.node).toEqual(request.ranking);
    expect(local.loss[0]).toBeLessThan(0.4);

    // --output json: every progress line on stderr is one JSON object per event.
    const events = jsonLines(run.lines);
    expect(events.length).toBe(run.lines.length);
    for (const event of events)
      expect(event).toMatchObject({ event: expect.any(String), time: expect.any(String), message: expect.any(String) });
    const index = (name: string, worker?: string) =>
      events.findIndex((e) => e.event === name && (worker === undefined || e.worker === market.address(worker)));
    expect(events[0]).toMatchObject({ event: 'request_sent', request_id: run.result.request_id, job_id: jobs.loss });
    for (const name of ['w1', 'w2', 'w3']) {
      const [joined, committed, revealed] = ['worker_joined', 'result_submitted', 'result_revealed'].map((e) => index(e, name));
      expect(events[joined!]).toMatchObject({ phase: 'joined', request_id: run.result.request_id });
      expect(events[committed!]).toMatchObject({ phase: 'committed' });
      expect(events[revealed!]).toMatchObject({ phase: 'revealed', loss: trainLoss(name) });
      expect(events[revealed!]!.message).toContain(`(loss ${trainLoss(name).toPrecision(4)})`);
      expect(committed).toBeGreaterThan(-1);
      expect(revealed).toBeGreaterThan(index('submission_closed'));
    }
    expect(index('test_data_revealed')).toBeGreaterThan(index('submission_closed'));
    expect(index('submission_closed')).toBeGreaterThan(index('result_submitted'));
    expect(events[index('results_ranked')]).toMatchObject({ ranking: request.ranking });
    const paid = events.filter((e) => e.event === 'payout' && e.phase === 'paid');
    expect(paid.map((e) => [market.nameOf(e.worker!), e['amount']])).toEqual([
      ['w1', '15'],
      ['w2', '10'],
      ['w3', '5'],
    ]);
    expect(events[events.length - 1]).toMatchObject({ event: 'request_closed', status: 'completed', outcome: 'accepted' });
  });

  it('trains data-parallel with the client as parameter server: 2 shards in Big Storage, 3 rounds, the loss falls, the model stored', async () => {
    await makeData('data_parallel', 'parallel');
    const dataText = readFileSync(file('parallel', 'data.json'));
    const run = await jobRun(
      'dave',
      jobs.parallel,
      '--input',
      file('parallel', 'input.json'),
      '--data',
      file('parallel', 'data.json'),
      '--rounds',
      '3',
      '--workers',
      'w1,w2',
      '--evaluators',
      'e1',
      '--reward',
      '10',
      '--evaluator-reward',
      '5',
      '--output',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const result = run.result;
    expect(result).toMatchObject({ status: 'completed', shards: 2, data_hash: createHash('sha256').update(dataText).digest('hex') });
    expect(result.requests).toHaveLength(6);

    // The same rounds computed here with the worker program and a plain average give the same losses and weights.
    const data = JSON.parse(dataText.toString()) as { examples: unknown[] };
    const template = JSON.parse(readFileSync(file('parallel', 'input.json'), 'utf8')) as { weights: number[] };
    const halves = [data.examples.slice(0, 240), data.examples.slice(240)];
    let weights = template.weights;
    const losses: number[] = [];
    for (let round = 1; round <= 3; round++) {
      const updates = await Promise.all(
        halves.map(
          async (examples) =>
            JSON.parse(
              await runPython(
                [join(EXAMPLES, 'data_parallel', 'worker.py')],
                JSON.stringify({ ...template, weights, round, shard: { examples } }),
              ),
            ) as { weights: number[]; loss: number; examples: number },
        ),
      );
      losses.push((updates[0]!.loss * 240 + updates[1]!.loss * 240) / 480);
      weights = weights.map((_, i) => (updates[0]!.weights[i]! * 240 + updates[1]!.weights[i]! * 240) / 480);
    }
    const reported = (result.rounds as Array<{ round: number; loss: number; examples: number }>).map((r) => r.loss);
    expect(result.rounds.map((r: { round: number }) => r.round)).toEqual([1, 2, 3]);
    reported.forEach((loss, i) => expect(loss).toBeCloseTo(losses[i]!, 12));
    expect(reported[0]).toBeCloseTo(Math.LN2, 12);
    expect(reported[1]).toBeLessThan(reported[0]!);
    expect(reported[2]).toBeLessThan(reported[1]!);
    result.result.weights.forEach((w: number, i: number) => expect(w).toBeCloseTo(weights[i]!, 12));

    // The model is in Big Storage under the hash printed; each shard's input (over 8 KiB) went by hash too.
    const stored = JSON.parse(new TextDecoder().decode(await getBlob(market.storage.url, result.model_hash)));
    expect(stored).toEqual(result.result);
    expect(stored).toMatchObject({ rounds: 3, data_hash: result.data_hash, job_id: jobs.parallel });
    for (const shard of result.requests as Array<{ request_id: string; shard: number; worker: string }>) {
      const request = (await queryJobRequest(market.admin.cometClient, BigInt(shard.request_id))).request;
      expect(request.input).toBe('');
      expect(request.inputHash).toMatch(/^[0-9a-f]{64}$/);
      expect(market.nameOf(shard.worker)).toBe(shard.shard === 1 ? 'w1' : 'w2');
    }

    // Progress: each request's events carry their round and shard; a line per round with its loss; the model's hash.
    const events = jsonLines(run.lines);
    const rounds = events.filter((e) => e.event === 'round_done');
    expect(rounds.map((e) => [e.round, e.loss])).toEqual(reported.map((loss, i) => [i + 1, loss]));
    expect(events.find((e) => e.event === 'model_stored')).toMatchObject({ model_hash: result.model_hash });
    const reveals = events.filter((e) => e.event === 'result_revealed');
    expect(reveals.map((e) => `${e.round}/${e.shard}`).sort()).toEqual(['1/1', '1/2', '2/1', '2/2', '3/1', '3/2']);
    expect(reveals.every((e) => typeof e.loss === 'number')).toBe(true);
  });

  it('runs distributed inference: a batch cut into 3 shards, one per worker, checked by the evaluator and joined in input order', async () => {
    await makeData('distributed_inference', 'inference');
    const run = await jobRun(
      'erin',
      jobs.inference,
      '--input',
      file('inference', 'input.json'),
      '--data',
      file('inference', 'batch.json'),
      '--workers',
      'w1,w2,w3',
      '--evaluators',
      'e1',
      '--reward',
      '10',
    );
    expect(run.code, run.stderr).toBe(0);
    const batch = JSON.parse(readFileSync(file('inference', 'batch.json'), 'utf8')) as { inputs: unknown[] };
    const template = JSON.parse(readFileSync(file('inference', 'input.json'), 'utf8'));
    const whole = JSON.parse(
      await runPython([join(EXAMPLES, 'distributed_inference', 'worker.py')], JSON.stringify({ ...template, shard: batch })),
    );
    expect(run.result).toMatchObject({ status: 'completed', shards: 3 });
    expect(run.result.result.scores).toHaveLength(90);
    expect(run.result.result).toEqual({ scores: whole.scores, labels: whole.labels });
    expect(run.result.requests.map((r: { worker: string }) => market.nameOf(r.worker))).toEqual(['w1', 'w2', 'w3']);
    for (const shard of run.result.requests as Array<{ request_id: string }>) {
      const request = (await queryJobRequest(market.admin.cometClient, BigInt(shard.request_id))).request;
      expect(request.ranking).toHaveLength(1);
      expect(JSON.parse(request.results[0]!.output)).toMatchObject({ device: 'cpu' });
    }
    // No --output asked for and stderr not a terminal: plain progress lines, each tagged with its shard.
    expect(run.lines.some((l) => l.startsWith('{'))).toBe(false);
    expect(run.lines[0]).toMatch(/^data set [0-9a-f]{64} in Big Storage \(2331 bytes, 90 examples\): 3 shards of 30, 30, 30$/);
    for (const shard of [1, 2, 3])
      expect(run.lines).toContainEqual(
        expect.stringMatching(new RegExp(`^shard ${shard}/3: request \\d+: worker ain1\\w+ revealed its result$`)),
      );
  });
});
