import { describe, expect, it } from 'vitest';
import { detectGpus, parseNvidiaSmi } from './gpus.ts';

describe('detectGpus', () => {
  it('parses nvidia-smi csv output', () => {
    expect(parseNvidiaSmi('NVIDIA A100-SXM4-40GB, 40960 MiB\nTesla T4, 15360 MiB\n')).toEqual({
      count: 2,
      names: ['NVIDIA A100-SXM4-40GB', 'Tesla T4'],
      memoryMiB: [40960, 15360],
    });
  });

  it('never fails: CPU mode when there is no nvidia-smi', async () => {
    const gpus = await detectGpus();
    expect(gpus.count).toBe(gpus.names.length);
    expect(gpus.memoryMiB.length).toBe(gpus.count);
  });
});
