/** Sandbox slots: the CPU limit, GPU leases taken before a slot, and the runtimes handed to each run. */
import { describe, expect, it } from 'vitest';
import { type Gpu, GpuPool } from './gpus.ts';
import { RuntimeTable } from './runtimes.ts';
import { Slots } from './slots.ts';

const gpu = (index: number): Gpu => ({
  index,
  uuid: `GPU-${index}`,
  name: 'fake',
  memoryMiB: 1024,
  minor: index,
  minorKnown: true,
  busId: '',
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('Slots', () => {
  it('runs at most `limit` at once, in order', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    let release!: () => void;
    const first = slots.run(async () => {
      order.push('a');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const second = slots.run(async () => order.push('b'));
    await tick();
    expect(order).toEqual(['a']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a', 'b']);
  });

  it('gives a freed slot to a priority run before runs that waited longer, and says when it is busy', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    let release!: () => void;
    expect(slots.busy).toBe(false);
    const first = slots.run(async () => {
      order.push('a');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await tick();
    expect(slots.busy).toBe(true);
    const plain = slots.run(async () => order.push('plain'));
    const urgent = slots.run(async () => order.push('contract'), { priority: true });
    await tick();
    release();
    await Promise.all([first, plain, urgent]);
    expect(order).toEqual(['a', 'contract', 'plain']);
    expect(slots.busy).toBe(false);
  });

  it('gives a GPU run exactly its GPUs and the runtimes; a GPU run waiting for GPUs holds no CPU slot', async () => {
    const runtimes = new RuntimeTable();
    const slots = new Slots(2, { gpus: new GpuPool([gpu(0), gpu(1)]), runtimes });
    let releaseA!: () => void;
    const seen: string[][] = [];
    const a = slots.run(
      async (lease) => {
        seen.push(lease.gpus.map((g) => g.uuid));
        expect(lease.runtimes).toBe(runtimes);
        await new Promise<void>((resolve) => {
          releaseA = resolve;
        });
      },
      { gpus: 2 },
    );
    await tick();
    const b = slots.run(async (lease) => seen.push(lease.gpus.map((g) => g.uuid)), { gpus: 1 });
    const cpu = slots.run(async (lease) => seen.push(lease.gpus.map((g) => g.uuid)));
    await cpu;
    expect(seen).toEqual([['GPU-0', 'GPU-1'], []]);
    releaseA();
    await Promise.all([a, b]);
    expect(seen).toEqual([['GPU-0', 'GPU-1'], [], ['GPU-0']]);
    expect(slots.gpus.available).toBe(2);
  });

  it('refuses a run needing more GPUs than the executor has', async () => {
    await expect(new Slots(2).run(async () => 1, { gpus: 1 })).rejects.toThrow(/this executor has 0/);
  });
});
