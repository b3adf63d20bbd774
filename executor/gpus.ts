/**
 * GPU discovery for executor capabilities: `nvidia-smi` when present, otherwise CPU mode (count 0).
 */
import { execFile } from 'node:child_process';

export interface GpuInfo {
  readonly count: number;
  readonly names: readonly string[];
  readonly memoryMiB: readonly number[];
}

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` output ("NVIDIA A100, 40960 MiB"). */
export function parseNvidiaSmi(text: string): GpuInfo {
  const names: string[] = [];
  const memoryMiB: number[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const comma = trimmed.lastIndexOf(',');
    if (comma < 0) continue;
    const name = trimmed.slice(0, comma).trim();
    const memory = Number.parseInt(trimmed.slice(comma + 1).trim(), 10);
    names.push(name);
    memoryMiB.push(Number.isFinite(memory) ? memory : 0);
  }
  return { count: names.length, names, memoryMiB };
}

/**
 * Lists the machine's NVIDIA GPUs. Never fails: no `nvidia-smi`, an error or a timeout all mean CPU mode.
 * @example const { count } = await detectGpus(); // 0 on a CPU-only machine
 */
export function detectGpus(): Promise<GpuInfo> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,memory.total', '--format=csv,noheader'],
      { timeout: 10_000, encoding: 'utf8' },
      (error, stdout) => {
        if (error) resolve({ count: 0, names: [], memoryMiB: [] });
        else resolve(parseNvidiaSmi(stdout));
      },
    );
  });
}
