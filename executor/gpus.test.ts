/**
 * GPU detection against a fake nvidia-smi and driver /proc entries, the pool that hands GPUs to runs
 * (4 fake GPUs: concurrent runs get different ones, a third waits), and the bwrap arguments of a lease.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MsgRegisterExecutor } from '../proto/gen/ain/triggers/v1/tx.ts';
import { selfRecord } from './serving.ts';
import { describeGpus, detectGpus, type Gpu, GpuPool, parseNvidiaInformation, parseNvidiaSmi, smallestGpuMemory } from './gpus.ts';
import { gpuBindArgs } from './isolation.ts';

/** Four fake H200s whose device minors are not their indexes (as after a driver reload). */
const FAKE: Gpu[] = [0, 1, 2, 3].map((index) => ({
  index,
  uuid: `GPU-${index}${index}${index}`,
  name: 'NVIDIA H200',
  memoryMiB: index === 2 ? 81559 : 143771,
  minor: 3 - index,
  minorKnown: true,
  busId: `00000000:${(0x19 + index).toString(16)}:00.0`,
}));

const scratch = mkdtempSync(join(tmpdir(), 'ain-gpus-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('detectGpus', () => {
  it('skips a negative index and reads a negative or unsafe memory as 0, so the registration encodes', () => {
    const gpus = parseNvidiaSmi('-1, GPU-a, T4, 15360 MiB, 0:1\n0, GPU-b, T4, -5 MiB, 0:2\n1, GPU-c, T4, 99999999999999999999 MiB, 0:3\n');
    expect(gpus.map((g) => [g.index, g.uuid, g.memoryMiB])).toEqual([
      [0, 'GPU-b', 0],
      [1, 'GPU-c', 0],
    ]);
    const self = selfRecord({ address: 'ain1x', runtimeInfo: [], cpus: 1, memoryMb: 1024, gpus, price: '0' });
    expect(() => MsgRegisterExecutor.encode({ signer: 'ain1x', ...self, runtimes: ['node'] })).not.toThrow();
  });

  it("parses nvidia-smi's csv and takes the device minor from the driver's /proc entries", () => {
    const smi = '0, GPU-aaa, NVIDIA A100-SXM4-40GB, 40960 MiB, 00000000:3B:00.0\n1, GPU-bbb, Tesla T4, 15360 MiB, 00000000:AF:00.0\n';
    const gpus = parseNvidiaSmi(smi, new Map([['GPU-aaa', 4]]));
    expect(gpus).toEqual([
      { index: 0, uuid: 'GPU-aaa', name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, minor: 4, minorKnown: true, busId: '00000000:3B:00.0' },
      { index: 1, uuid: 'GPU-bbb', name: 'Tesla T4', memoryMiB: 15360, minor: 1, minorKnown: false, busId: '00000000:AF:00.0' },
    ]);
    expect(parseNvidiaSmi('0, GPU-x, Some, GPU, Name, 1024 MiB, 0000:01:00.0\n')[0]?.name).toBe('Some, GPU, Name');
    expect(
      parseNvidiaInformation('Model: \t\t NVIDIA H200\nGPU UUID: \t GPU-5e3a\nBus Location: \t 0000:19:00.0\nDevice Minor: \t 2\n'),
    ).toEqual({
      uuid: 'GPU-5e3a',
      minor: 2,
    });
  });

  it('runs nvidia-smi and reads /proc/driver/nvidia/gpus (a fake of both), matching by UUID or bus id', async () => {
    const smi = join(scratch, 'nvidia-smi');
    writeFileSync(
      smi,
      `#!/bin/sh\n[ "$1" = "${'--query-gpu=index,uuid,name,memory.total,pci.bus_id'}" ] || exit 9\n` +
        `printf '0, GPU-aaa, NVIDIA H200, 143771 MiB, 00000000:19:00.0\\n1, GPU-bbb, NVIDIA H200, 143771 MiB, 00000000:2A:00.0\\n'\n`,
    );
    chmodSync(smi, 0o755);
    const proc = join(scratch, 'proc');
    mkdirSync(join(proc, '0000:19:00.0'), { recursive: true });
    mkdirSync(join(proc, '0000:2a:00.0'), { recursive: true });
    writeFileSync(join(proc, '0000:19:00.0', 'information'), 'GPU UUID: \t GPU-aaa\nDevice Minor: \t 1\n');
    writeFileSync(join(proc, '0000:2a:00.0', 'information'), 'Device Minor: \t 0\n');
    const gpus = await detectGpus({ nvidiaSmi: smi, procDir: proc });
    expect(gpus.map((g) => [g.index, g.uuid, g.minor, g.minorKnown])).toEqual([
      [0, 'GPU-aaa', 1, true],
      [1, 'GPU-bbb', 0, true],
    ]);
    expect(describeGpus(gpus)).toMatch(/^gpus: 2 \(0 NVIDIA H200 143771 MiB \/dev\/nvidia1 GPU-aaa; /);
  });

  it('never fails: CPU mode when there is no nvidia-smi', async () => {
    expect(await detectGpus({ nvidiaSmi: join(scratch, 'absent') })).toEqual([]);
    expect(describeGpus([])).toBe('gpus: 0 (CPU mode)');
    const here = await detectGpus();
    expect(Array.isArray(here)).toBe(true);
  });

  it('registers the smallest GPU memory', () => {
    expect(smallestGpuMemory(FAKE)).toBe(81559);
    expect(smallestGpuMemory([])).toBe(0);
  });
});

describe('GpuPool', () => {
  it('gives two concurrent one-GPU runs different GPUs; a third waits until one is released', async () => {
    const pool = new GpuPool(FAKE.slice(0, 2));
    const a = await pool.acquire(1);
    const b = await pool.acquire(1);
    expect(a.gpus[0]?.uuid).not.toBe(b.gpus[0]?.uuid);
    expect(pool.available).toBe(0);
    let third: Gpu | undefined;
    const waiting = pool.acquire(1).then((lease) => {
      third = lease.gpus[0];
      return lease;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBeUndefined();
    b.release();
    b.release(); // idempotent: the GPU goes back once
    const c = await waiting;
    expect(third?.uuid).toBe(b.gpus[0]?.uuid);
    expect(pool.available).toBe(0);
    a.release();
    c.release();
    expect(pool.available).toBe(2);
  });

  it('on 4 GPUs, runs never share one; a 2-GPU run waits in line ahead of later 1-GPU runs', async () => {
    const pool = new GpuPool(FAKE);
    const held = await Promise.all([pool.acquire(1), pool.acquire(1), pool.acquire(1)]);
    expect(new Set(held.map((l) => l.gpus[0]!.uuid)).size).toBe(3);
    const order: string[] = [];
    const big = pool.acquire(2).then((l) => (order.push('two'), l));
    const small = pool.acquire(1).then((l) => (order.push('one'), l));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]); // one GPU is free, but the 2-GPU run is first in line
    held[0]!.release();
    const two = await big;
    expect(two.gpus).toHaveLength(2);
    expect(new Set([...two.gpus, ...held.slice(1).flatMap((l) => l.gpus)].map((g) => g.uuid)).size).toBe(4);
    held[1]!.release();
    await small;
    expect(order).toEqual(['two', 'one']);
  });

  it('refuses at once a run asking for more GPUs than the pool has', async () => {
    await expect(new GpuPool(FAKE).acquire(5)).rejects.toMatchObject({ codespace: 'executor', code: 1 });
    await expect(new GpuPool([]).acquire(1)).rejects.toThrow(/asks for 1 GPUs; this executor has 0/);
    expect((await new GpuPool([]).acquire(0)).gpus).toEqual([]);
  });

  it('withGpus releases the GPUs when the run throws', async () => {
    const pool = new GpuPool(FAKE);
    await expect(pool.withGpus(4, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(pool.available).toBe(4);
  });
});

describe('gpuBindArgs', () => {
  const machine = new Set([
    '/dev/nvidiactl',
    '/dev/nvidia-uvm',
    '/dev/nvidia0',
    '/dev/nvidia1',
    '/dev/nvidia2',
    '/dev/nvidia3',
    '/proc/driver/nvidia',
    '/sys',
  ]);
  const exists = (path: string) => machine.has(path);

  it('binds nothing for a program with no GPU', () => {
    expect(gpuBindArgs([], exists)).toEqual([]);
  });

  it("binds the control devices, exactly the leased GPUs' /dev/nvidia<minor>, and the driver's entries read-only", () => {
    expect(gpuBindArgs([FAKE[0]!], exists)).toEqual([
      ...['--dev-bind', '/dev/nvidiactl', '/dev/nvidiactl'],
      ...['--dev-bind', '/dev/nvidia-uvm', '/dev/nvidia-uvm'],
      ...['--dev-bind', '/dev/nvidia3', '/dev/nvidia3'],
      ...['--ro-bind', '/proc/driver/nvidia', '/proc/driver/nvidia'],
      ...['--ro-bind', '/sys', '/sys'],
    ]);
  });

  it('gives two concurrent runs of the pool disjoint devices', async () => {
    const pool = new GpuPool(FAKE);
    const [a, b] = await Promise.all([pool.acquire(1), pool.acquire(1)]);
    const devices = (args: string[]) => args.filter((x, i) => /^\/dev\/nvidia\d+$/.test(x) && i % 3 === 1);
    expect(devices(gpuBindArgs(a!.gpus, exists))).toEqual(['/dev/nvidia3']);
    expect(devices(gpuBindArgs(b!.gpus, exists))).toEqual(['/dev/nvidia2']);
  });
});
