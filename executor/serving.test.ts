/** The executor's own serving check: the record it registers and the chain's `cannotServe` on calls and jobs. */
import { describe, expect, it } from 'vitest';
import { Job } from '../proto/gen/ain/jobs/v1/types.ts';
import type { Gpu } from './gpus.ts';
import { cannotRunFunction, cannotRunJob, selfRecord } from './serving.ts';

const gpu = (memoryMiB: number): Gpu => ({ index: 0, uuid: 'GPU-a', name: 'fake', memoryMiB, minor: 0, minorKnown: true, busId: '' });
const self = selfRecord({
  address: 'ain1self',
  runtimeInfo: [
    { name: 'python3', kind: 'python', version: '3.11.2', packages: [{ name: 'numpy', version: '1.26.4' }], cuda: false },
    { name: 'node', kind: 'node', version: '20.20.2', packages: [], cuda: false },
  ],
  cpus: 4,
  memoryMb: 8192,
  gpus: [gpu(40960), gpu(81920)],
  price: '0',
});

describe('serving', () => {
  it('builds the record it registers: runtime names, the smallest GPU memory', () => {
    expect(self).toMatchObject({ runtimes: ['python3', 'node'], cpu: 4, memoryMb: 8192n, gpus: 2, gpuMemoryMb: 40960n });
  });

  it("answers for a function as the chain's cannotServe does", () => {
    const fn = (runtime: string, requires: string[], gpus = 0) => ({
      runtime,
      resources: { cpu: 1, memory_mb: 256, gpus, gpu_memory_mb: 0 },
      requires,
    });
    expect(cannotRunFunction(self, fn('python3', ['numpy>=1.26']))).toBeUndefined();
    expect(cannotRunFunction(self, fn('python3', ['numpy<1']))).toBe('runtime python3 does not meet numpy<1');
    expect(cannotRunFunction(self, fn('torch', []))).toBe('no runtime torch');
    expect(cannotRunFunction(self, fn('python3', [], 1))).toBe('runtime python3 cannot use CUDA');
    expect(cannotRunFunction(self, fn('python3', ['not a requirement!']))).toMatch(/^its requires cannot be read/);
  });

  it('refuses a function asking for more memory than the machine has (the chain leaves memory to executors)', () => {
    const fn = (memory_mb: number) => ({ runtime: 'node', resources: { cpu: 1, memory_mb, gpus: 0, gpu_memory_mb: 0 }, requires: [] });
    expect(cannotRunFunction(self, fn(8192))).toBeUndefined();
    expect(cannotRunFunction(self, fn(0))).toBeUndefined(); // not said: the executor's default
    expect(cannotRunFunction(self, fn(8193))).toBe('8192 MiB of memory, the function needs 8193');
  });

  it('answers for a job: the same, plus its CPUs and memory', () => {
    const job = (resources: Partial<Job['resources'] & object>, requires: string[] = []) =>
      Job.fromPartial({ runtime: 'python3', requires, resources: { cpu: 1, memoryMb: 256n, gpus: 0, gpuMemoryMb: 0n, ...resources } });
    expect(cannotRunJob(self, job({}))).toBeUndefined();
    expect(cannotRunJob(self, job({}, ['scipy']))).toBe('runtime python3 does not meet scipy');
    expect(cannotRunJob(self, job({ cpu: 8 }))).toBe('4 CPUs, the job needs 8');
    expect(cannotRunJob(self, job({ memoryMb: 16384n }))).toBe('8192 MiB of memory, the job needs 16384');
    expect(cannotRunJob(self, job({ gpus: 3 }))).toBe('2 GPUs, the function needs 3');
    expect(cannotRunJob(self, Job.fromPartial({ runtime: 'node' }))).toBeUndefined();
  });
});
