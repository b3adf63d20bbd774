/**
 * NVIDIA GPUs: finding them and handing them out. `detectGpus` asks `nvidia-smi` for each GPU's index,
 * UUID, name, memory and PCI bus id, and reads the driver's `/proc/driver/nvidia/gpus/<bus>/information`
 * for its device minor number (the N of `/dev/nvidiaN`, which need not equal the index); no
 * `nvidia-smi`, an error or a timeout all mean CPU mode (no GPUs). `GpuPool` hands GPUs out like sandbox
 * slots: a run asking for n waits (first come, first served) until n are free and gets exactly those,
 * so two concurrent runs never share a GPU.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ainError } from '../core/index.ts';
import { ErrInvalidSandboxRequest } from './errors.ts';

export interface Gpu {
  /** nvidia-smi's index (PCI bus order). */
  readonly index: number;
  /** `GPU-...`: what CUDA_VISIBLE_DEVICES names it by. */
  readonly uuid: string;
  readonly name: string;
  readonly memoryMiB: number;
  /** The device minor number: the program gets `/dev/nvidia<minor>`. */
  readonly minor: number;
  /** False when the driver's /proc entry was not found and the minor is assumed to be the index. */
  readonly minorKnown: boolean;
  readonly busId: string;
}

/** The query `detectGpus` sends; `parseNvidiaSmi` reads its answer. */
export const NVIDIA_SMI_QUERY = ['--query-gpu=index,uuid,name,memory.total,pci.bus_id', '--format=csv,noheader'];

/** A PCI bus id compared without its domain's leading zeros and case (nvidia-smi 00000000:19:00.0, /proc 0000:19:00.0). */
function busKey(busId: string): string {
  const [domain = '', ...rest] = busId.trim().toLowerCase().split(':');
  return [Number.parseInt(domain, 16).toString(16), ...rest].join(':');
}

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total,pci.bus_id --format=csv,noheader`
 * ("0, GPU-5e3a..., NVIDIA H200, 143771 MiB, 00000000:19:00.0"); `minors` maps a UUID or a bus id to
 * the device minor (from {@link parseNvidiaInformation}); a GPU missing there gets its index.
 * @example parseNvidiaSmi('0, GPU-aa, Tesla T4, 15360 MiB, 00000000:3B:00.0\n')[0].memoryMiB // 15360
 */
export function parseNvidiaSmi(text: string, minors: ReadonlyMap<string, number> = new Map()): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 5) continue;
    // Unsigned decimals only: a negative or unsafe index or memory would not fit the registration's uint64s.
    const index = /^\d+$/.test(fields[0]!) ? Number(fields[0]) : Number.NaN;
    if (!Number.isSafeInteger(index)) continue;
    // The name may hold a comma: it is everything between the UUID and the last two fields.
    const busId = fields.at(-1)!;
    const memory = Number(/^\d+/.exec(fields.at(-2)!)?.[0] ?? Number.NaN);
    const uuid = fields[1]!;
    const minor = minors.get(uuid) ?? minors.get(busKey(busId));
    gpus.push({
      index,
      uuid,
      name: fields.slice(2, -2).join(', '),
      memoryMiB: Number.isSafeInteger(memory) ? memory : 0,
      minor: minor ?? index,
      minorKnown: minor !== undefined,
      busId,
    });
  }
  return gpus.sort((a, b) => a.index - b.index);
}

/**
 * Reads one `/proc/driver/nvidia/gpus/<bus>/information` file: its `GPU UUID` and `Device Minor`.
 * @example parseNvidiaInformation('GPU UUID: \t GPU-aa\nDevice Minor: \t 2\n') // { uuid: 'GPU-aa', minor: 2 }
 */
export function parseNvidiaInformation(text: string): { uuid?: string; minor?: number } {
  const uuid = /^GPU UUID:\s*(\S+)/m.exec(text)?.[1];
  const minor = /^Device Minor:\s*(\d+)/m.exec(text)?.[1];
  return { ...(uuid ? { uuid } : {}), ...(minor ? { minor: Number(minor) } : {}) };
}

/** UUID and bus id -> device minor, from the driver's /proc entries (empty when there are none). */
async function readMinors(procDir: string): Promise<Map<string, number>> {
  const minors = new Map<string, number>();
  let buses: string[] = [];
  try {
    buses = await readdir(procDir);
  } catch {
    return minors;
  }
  for (const bus of buses) {
    try {
      const { uuid, minor } = parseNvidiaInformation(await readFile(join(procDir, bus, 'information'), 'utf8'));
      if (minor === undefined) continue;
      minors.set(busKey(bus), minor);
      if (uuid) minors.set(uuid, minor);
    } catch {
      // an entry without an information file
    }
  }
  return minors;
}

/**
 * Lists the machine's NVIDIA GPUs. Never fails: no `nvidia-smi`, an error or a timeout all mean CPU mode.
 * @example const gpus = await detectGpus(); // [] on a CPU-only machine
 */
export function detectGpus(options: { nvidiaSmi?: string; procDir?: string } = {}): Promise<Gpu[]> {
  return new Promise((resolve) => {
    execFile(options.nvidiaSmi ?? 'nvidia-smi', NVIDIA_SMI_QUERY, { timeout: 10_000, encoding: 'utf8' }, (error, stdout) => {
      if (error) return resolve([]);
      void readMinors(options.procDir ?? '/proc/driver/nvidia/gpus').then((minors) => resolve(parseNvidiaSmi(stdout, minors)));
    });
  });
}

/** One line for the log: the GPUs, or CPU mode. */
export function describeGpus(gpus: readonly Gpu[]): string {
  if (gpus.length === 0) return 'gpus: 0 (CPU mode)';
  const each = gpus.map(
    (g) => `${g.index} ${g.name} ${g.memoryMiB} MiB /dev/nvidia${g.minor}${g.minorKnown ? '' : ' (minor assumed)'} ${g.uuid}`,
  );
  return `gpus: ${gpus.length} (${each.join('; ')}); one run slot per GPU`;
}

/** The memory (MiB) of the smallest GPU, what an executor registers as `gpu_memory_mb` (0 without GPUs). */
export function smallestGpuMemory(gpus: readonly Gpu[]): number {
  return gpus.length === 0 ? 0 : Math.min(...gpus.map((g) => g.memoryMiB));
}

/** GPUs held by one run until `release` (idempotent). */
export interface GpuLease {
  readonly gpus: readonly Gpu[];
  release(): void;
}

/**
 * Hands out GPUs to runs: `acquire(n)` waits in line until n GPUs are free and returns exactly those;
 * a request for more than the pool holds is refused at once (it could never be served).
 * @example const pool = new GpuPool(await detectGpus()); await pool.withGpus(1, (gpus) => runSandboxed({ ..., gpuDevices: gpus }));
 */
export class GpuPool {
  private readonly free: Gpu[];
  private readonly waiting: Array<{ count: number; grant: (gpus: Gpu[]) => void }> = [];

  constructor(readonly gpus: readonly Gpu[]) {
    this.free = [...gpus];
  }

  get size(): number {
    return this.gpus.length;
  }

  /** GPUs not held by any run now. */
  get available(): number {
    return this.free.length;
  }

  async acquire(count: number): Promise<GpuLease> {
    if (!Number.isSafeInteger(count) || count < 0 || count > this.gpus.length)
      throw ainError(ErrInvalidSandboxRequest, `a run asks for ${count} GPUs; this executor has ${this.gpus.length}`, { gpus: count });
    // First come, first served: a run waits while earlier ones wait, so a large request is not starved
    // (a CPU run asks for none and never waits here).
    const gpus =
      count === 0
        ? []
        : this.waiting.length === 0 && this.free.length >= count
          ? this.take(count)
          : await new Promise<Gpu[]>((grant) => this.waiting.push({ count, grant }));
    let released = false;
    return {
      gpus,
      release: () => {
        if (released) return;
        released = true;
        this.free.push(...gpus);
        this.grantWaiting();
      },
    };
  }

  async withGpus<T>(count: number, fn: (gpus: readonly Gpu[]) => Promise<T>): Promise<T> {
    const lease = await this.acquire(count);
    try {
      return await fn(lease.gpus);
    } finally {
      lease.release();
    }
  }

  private take(count: number): Gpu[] {
    // Lowest index first, so runs land on the same GPUs in the same order.
    this.free.sort((a, b) => a.index - b.index);
    return this.free.splice(0, count);
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.free.length >= this.waiting[0]!.count) {
      const next = this.waiting.shift()!;
      next.grant(this.take(next.count));
    }
  }
}
