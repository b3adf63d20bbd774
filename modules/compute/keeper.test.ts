import { describe, expect, it } from 'vitest';
import { DEC_ONE } from '../../core/index.ts';
import { epochOutcome, restartsAverage, unitsOf } from './keeper.ts';
import { computeParamsFromJson, computeParamsToJson, defaultComputeParams } from './params.ts';

const params = { ...defaultComputeParams(), averageWeight: DEC_ONE / 2n, mintPerUnit: 10n, burnPerUnit: 3n, maxMintPerEpoch: 500n };

describe('compute-driven supply rule', () => {
  it('weighs a result by its declared resources', () => {
    expect(unitsOf(defaultComputeParams(), { cpu: 4, gpus: 2, memoryMb: 8192n + 1000n })).toBe(10n + 4n + 200n + 8n);
  });

  it('seeds the average in the first epoch, then mints above growth, burns below fall, does nothing between', () => {
    expect(epochOutcome(params, { number: 1n, average: 0n }, 40n)).toEqual({ mint: 0n, burnWanted: 0n, average: 40n * DEC_ONE });
    const average = 40n * DEC_ONE;
    // 44 is exactly average x 1.1: not above it.
    expect(epochOutcome(params, { number: 2n, average }, 44n)).toEqual({ mint: 0n, burnWanted: 0n, average: 42n * DEC_ONE });
    expect(epochOutcome(params, { number: 2n, average }, 45n)).toEqual({ mint: 50n, burnWanted: 0n, average: (85n * DEC_ONE) / 2n });
    expect(epochOutcome(params, { number: 2n, average }, 400n).mint).toBe(500n);
    // 32 is exactly average x 0.8: not below it.
    expect(epochOutcome(params, { number: 2n, average }, 32n)).toEqual({ mint: 0n, burnWanted: 0n, average: 36n * DEC_ONE });
    expect(epochOutcome(params, { number: 2n, average }, 10n)).toEqual({ mint: 0n, burnWanted: 90n, average: 25n * DEC_ONE });
  });

  it('a partial epoch changes nothing; a seed epoch sets the average to its units', () => {
    const average = 40n * DEC_ONE;
    expect(epochOutcome(params, { number: 1n, average: 0n, restart: 'partial' }, 7n)).toEqual({ mint: 0n, burnWanted: 0n, average: 0n });
    expect(epochOutcome(params, { number: 5n, average, restart: 'partial' }, 400n)).toEqual({ mint: 0n, burnWanted: 0n, average });
    expect(epochOutcome(params, { number: 5n, average, restart: 'partial' }, 0n)).toEqual({ mint: 0n, burnWanted: 0n, average });
    expect(epochOutcome(params, { number: 6n, average, restart: 'seed' }, 400n)).toEqual({
      mint: 0n,
      burnWanted: 0n,
      average: 400n * DEC_ONE,
    });
    expect(epochOutcome(params, { number: 6n, average, restart: 'seed' }, 0n)).toEqual({ mint: 0n, burnWanted: 0n, average: 0n });
  });

  it('restarts the average when the module starts or the measure of work changes, not for other params', () => {
    const base = defaultComputeParams();
    expect(restartsAverage(undefined, base)).toBe(true);
    expect(restartsAverage(base, { ...base })).toBe(false);
    for (const key of ['epochBlocks', 'baseUnits', 'unitsPerCpu', 'unitsPerGpu', 'unitsPerGib'] as const)
      expect(restartsAverage(base, { ...base, [key]: base[key] + 1n }), key).toBe(true);
    for (const key of [
      'averageWeight',
      'growthThreshold',
      'fallThreshold',
      'mintPerUnit',
      'burnPerUnit',
      'maxMintPerEpoch',
      'workerShare',
    ] as const)
      expect(restartsAverage(base, { ...base, [key]: base[key] - 1n }), key).toBe(false);
  });

  it('checks params naming the field', () => {
    expect(computeParamsFromJson(computeParamsToJson(params))).toEqual(params);
    expect(() => computeParamsFromJson({ epoch_blocks: '0' })).toThrow(/compute\.params\.epoch_blocks 0 must be in \[1, 1000000\]/);
    expect(() => computeParamsFromJson({ average_weight: '0' })).toThrow(/compute\.params\.average_weight 0 must be in \(0, 1\]/);
    expect(() => computeParamsFromJson({ worker_share: '1.5' })).toThrow(/compute\.params\.worker_share/);
    expect(() => computeParamsFromJson({ mint: '1' } as never)).toThrow(/compute\.params\.mint is not a param/);
  });
});
