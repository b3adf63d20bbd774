/** Sharded runs' pure parts: cutting a data set, joining results in order, averaging a round's updates. */
import { describe, expect, it } from 'vitest';
import { averageUpdates, formatShardedSummary, joinOutputs, splitData } from './jobShards.ts';

describe('sharded job runs', () => {
  it('cuts a data set into contiguous shards of every top-level array, copying the other fields', () => {
    const data = { x: [1, 2, 3, 4, 5], y: [10, 20, 30, 40, 50], name: 'set' };
    expect(splitData(data, 2)).toEqual([
      { x: [1, 2], y: [10, 20], name: 'set' },
      { x: [3, 4, 5], y: [30, 40, 50], name: 'set' },
    ]);
    expect(splitData(data, 5).map((s) => s['x'])).toEqual([[1], [2], [3], [4], [5]]);
    expect(splitData({ examples: [1, 2, 3] }, 1)).toEqual([{ examples: [1, 2, 3] }]);
  });

  it('refuses a data set it cannot cut: no array, arrays of different lengths, fewer examples than shards', () => {
    expect(() => splitData({ n: 3 }, 2)).toThrow(/no top-level array/);
    expect(() => splitData({ x: [1, 2], y: [1] }, 2)).toThrow(/differ in length \(x: 2, y: 1\)/);
    expect(() => splitData({ x: [1, 2] }, 3)).toThrow(/2 examples; fewer than the 3 shards/);
  });

  it('joins one-pass results in shard order: array fields concatenated', () => {
    expect(
      joinOutputs([
        { scores: [0.1, 0.2], labels: [0, 0], device: 'cpu' },
        { scores: [0.9], labels: [1], device: 'cuda' },
      ]),
    ).toEqual({ scores: [0.1, 0.2, 0.9], labels: [0, 0, 1] });
  });

  it('averages a round by examples: weights and loss; leaves out updates whose weights do not fit', () => {
    expect(
      averageUpdates(
        [
          { weights: [0, 2], loss: 1, examples: 1 },
          { weights: [3, 2], loss: 4, examples: 2 },
          { weights: [9], loss: 0, examples: 100 },
          { weights: [1, 'x'], examples: 5 },
          null,
        ],
        2,
      ),
    ).toEqual({ weights: [2, 2], loss: 3, examples: 3, used: 2 });
    expect(averageUpdates([{ weights: [1, 1] }, { weights: [3, 5] }], 2)).toEqual({ weights: [2, 3], loss: null, examples: 2, used: 2 });
    expect(averageUpdates([{ weights: [1] }], 2)).toBeUndefined();
  });

  it('sums a run up as text: the data, each round with its loss, the model', () => {
    const text = formatShardedSummary({
      job_id: '2',
      data_hash: 'ab'.repeat(32),
      shards: 2,
      status: 'completed',
      rounds: [
        { round: 1, loss: Math.LN2, examples: 480, shards: 2, requests: ['5', '6'] },
        { round: 2, loss: 0.6009, examples: 480, shards: 2, requests: ['7', '8'] },
      ],
      model_hash: 'cd'.repeat(32),
      result: { weights: [0.5, -1] },
      requests: [],
    });
    expect(text).toBe(
      [
        `data: ${'ab'.repeat(32)} in 2 shards`,
        'round 1: loss 0.6931 over 480 examples (requests 5, 6)',
        'round 2: loss 0.6009 over 480 examples (requests 7, 8)',
        `model: ${'cd'.repeat(32)}`,
        'result: {"weights":[0.5,-1]}',
        'status: completed',
      ].join('\n'),
    );
  });
});
