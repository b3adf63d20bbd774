/**
 * The machine-learning examples' programs outside the chain, with the python3 the sandbox runs:
 * their data is the same for the same seed, each says which device ran it, and each evaluator leaves
 * out answers that were not computed as asked (wrong shapes, weights off, predictions out of order).
 * Where PyTorch imports, examples/jobs/compare_backends.py checks the numpy and torch paths agree.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, runPython, SANDBOX_PYTHON } from './helpers/jobMarket.ts';

const dir = mkdtempSync(join(tmpdir(), 'ain-ml-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = (example: string, name: string) => join(EXAMPLES, example, name);
const run = async (example: string, name: string, input: unknown) =>
  JSON.parse(await runPython([program(example, name)], JSON.stringify(input))) as Record<string, unknown> & { node?: string[] };
const makeData = async (example: string, out: string, ...args: string[]) => {
  await runPython([program(example, 'make_data.py'), join(dir, out), ...args]);
  return (file: string) => JSON.parse(readFileSync(join(dir, out, file), 'utf8'));
};
const hasTorch = await runPython(['-c', 'import torch'])
  .then(() => true)
  .catch(() => false);

describe('the machine-learning examples, run directly', () => {
  it('make the same data for the same seed and other data for another', async () => {
    const files = ['input.json', 'test_data.json'];
    await makeData('loss_optimisation', 'a', '--seed', '3');
    await makeData('loss_optimisation', 'b', '--seed', '3');
    await makeData('loss_optimisation', 'c', '--seed', '4');
    for (const file of files) {
      expect(readFileSync(join(dir, 'a', file), 'utf8')).toBe(readFileSync(join(dir, 'b', file), 'utf8'));
      expect(readFileSync(join(dir, 'a', file), 'utf8')).not.toBe(readFileSync(join(dir, 'c', file), 'utf8'));
    }
  });

  it('loss optimisation: the evaluator ranks by test loss and leaves out a model that does not fit the inputs', async () => {
    const data = await makeData('loss_optimisation', 'loss');
    const model = await run('loss_optimisation', 'worker.py', data('input.json'));
    expect(model).toMatchObject({ device: hasTorch ? expect.any(String) : 'cpu', hidden: 8, epochs: 400, learning_rate: 1 });
    expect((model['w1'] as number[]).length).toBe(16);
    const slow = await run('loss_optimisation', 'worker.py', { ...data('input.json'), learning_rate: 0.1 });
    const ranking = await run('loss_optimisation', 'evaluator.py', {
      request: data('input.json'),
      workers: [
        { node: 'slow', response: slow },
        { node: 'narrow', response: { ...model, hidden: 4 } },
        { node: 'good', response: model },
      ],
      test_data: data('test_data.json'),
    });
    expect(ranking['node']).toEqual(['good', 'slow']);
    expect((ranking['loss'] as number[])[0]).toBeLessThan((ranking['loss'] as number[])[1]!);
    // Without revealed test data nothing can be ranked.
    expect(
      (await run('loss_optimisation', 'evaluator.py', { request: {}, workers: [{ node: 'good', response: model }], test_data: null }))[
        'node'
      ],
    ).toEqual([]);
  });

  it('data parallelism: the evaluator repeats the step and leaves out updates that differ or claim another shard size', async () => {
    const data = await makeData('data_parallel', 'parallel');
    const step = { ...data('input.json'), round: 1, shard: { examples: data('data.json').examples.slice(0, 100) } };
    const update = await run('data_parallel', 'worker.py', step);
    expect(update).toMatchObject({ examples: 100, round: 1 });
    expect(update['loss']).toBeCloseTo(Math.LN2, 12);
    const weights = update['weights'] as number[];
    const check = await run('data_parallel', 'evaluator.py', {
      request: step,
      workers: [
        { node: 'skipped', response: { ...update, weights: step.weights } },
        { node: 'float32', response: { ...update, weights: weights.map((w) => Math.fround(w)) } },
        { node: 'lazy', response: { ...update, examples: 10 } },
        { node: 'exact', response: update },
      ],
      test_data: null,
    });
    expect(check['node']).toEqual(['exact', 'float32']);
  });

  it('distributed inference: the evaluator leaves out predictions out of order, missing one, or with a label against its score', async () => {
    const data = await makeData('distributed_inference', 'inference');
    const batch = { ...data('input.json'), shard: { inputs: data('batch.json').inputs.slice(0, 20) } };
    const answer = await run('distributed_inference', 'worker.py', batch);
    const scores = answer['scores'] as number[];
    const labels = answer['labels'] as number[];
    expect(scores).toHaveLength(20);
    expect(labels).toEqual(scores.map((s) => (s >= 0.5 ? 1 : 0)));
    const swapped = (list: number[]) => [list[1]!, list[0]!, ...list.slice(2)];
    const flipped = labels.map((l, i) => (i === 3 ? 1 - l : l));
    const check = await run('distributed_inference', 'evaluator.py', {
      request: batch,
      workers: [
        { node: 'swapped', response: { ...answer, scores: swapped(scores), labels: swapped(labels) } },
        { node: 'short', response: { ...answer, scores: scores.slice(1), labels: labels.slice(1) } },
        { node: 'flipped', response: { ...answer, labels: flipped } },
        { node: 'good', response: answer },
      ],
      test_data: null,
    });
    expect(check['node']).toEqual(['good']);
  });

  it.skipIf(!hasTorch)(
    'agree between the numpy and PyTorch paths (compare_backends.py)',
    async () => {
      const lines = (await runPython([join(EXAMPLES, 'compare_backends.py')])).trim().split('\n');
      const checks = lines.map((l) => JSON.parse(l) as { check: string; ok: boolean });
      expect(checks).toHaveLength(6);
      expect(checks.every((c) => c.ok)).toBe(true);
    },
    120_000,
  );

  it(`uses ${SANDBOX_PYTHON}, which has numpy`, async () => {
    expect(await runPython(['-c', 'import numpy; print(numpy.__name__)'])).toBe('numpy\n');
  });
});
