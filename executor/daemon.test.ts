import { describe, expect, it } from 'vitest';
import { totalmem } from 'node:os';
import { checkDefaultMemory, checkIsolation, runTimeoutFor, startExecutor } from './daemon.ts';

describe('runTimeoutFor', () => {
  it("keeps the executor's limit when the deadline is far", () => {
    expect(runTimeoutFor(10_000, 100, 1_000)).toBe(10_000);
  });
  it('cuts the run to the blocks left before the deadline, keeping one for the result', () => {
    expect(runTimeoutFor(10_000, 5, 1_000)).toBe(4_000);
    expect(runTimeoutFor(10_000, 3, 520.5)).toBe(1_041);
  });
  it('never goes below 1 s, and uses the limit before any interval is measured', () => {
    expect(runTimeoutFor(10_000, 1, 1_000)).toBe(1_000);
    expect(runTimeoutFor(10_000, 0, 1_000)).toBe(1_000);
    expect(runTimeoutFor(10_000, 2, undefined)).toBe(10_000);
  });
});

describe('the secure default', () => {
  const weak = { kind: 'unshare-net', tool: '/usr/bin/unshare', details: 'bwrap not installed' } as const;

  it('refuses to start without bwrap namespaces, saying to install bubblewrap or pass --insecure-sandbox', async () => {
    const logs: string[] = [];
    const started = startExecutor({
      rpcUrl: 'http://127.0.0.1:1',
      storageUrl: 'http://127.0.0.1:1',
      key: { privkey: new Uint8Array(32).fill(1) },
      isolation: weak,
      log: (line) => logs.push(line),
    });
    await expect(started).rejects.toMatchObject({ codespace: 'executor', code: 5 });
    await expect(started).rejects.toThrow(/Install the bubblewrap package .* or pass --insecure-sandbox/);
    expect(logs).toEqual(['sandbox isolation: unshare-net (bwrap not installed)']);
  });

  it('lets an operator who says --insecure-sandbox through; bwrap always passes', () => {
    expect(() => checkIsolation(weak, true)).not.toThrow();
    expect(() => checkIsolation({ kind: 'none', details: 'x' }, false)).toThrow(/the sandbox here is none/);
    expect(() => checkIsolation({ kind: 'bwrap', details: 'x' }, undefined)).not.toThrow();
  });

  it("refuses a default run memory above the machine's, before it starts anything", async () => {
    expect(() => checkDefaultMemory(2048, 2048)).not.toThrow();
    expect(() => checkDefaultMemory(2049, 2048)).toThrow(/--memory-mb 2049 is more than this machine's memory \(2048 MiB\)/);
    const logs: string[] = [];
    const started = startExecutor({
      rpcUrl: 'http://127.0.0.1:1',
      storageUrl: 'http://127.0.0.1:1',
      key: { privkey: new Uint8Array(32).fill(1) },
      defaultMemoryMb: Math.floor(totalmem() / (1024 * 1024)) + 1,
      log: (line) => logs.push(line),
    });
    await expect(started).rejects.toMatchObject({ codespace: 'executor', code: 1 });
    expect(logs).toEqual([]);
  });

  it('tags every line of an insecure executor', async () => {
    const logs: string[] = [];
    // Stops at connecting to the chain (nothing listens on port 1), after the lines of its start.
    await startExecutor({
      rpcUrl: 'http://127.0.0.1:1',
      storageUrl: 'http://127.0.0.1:1',
      key: { privkey: new Uint8Array(32).fill(1) },
      isolation: weak,
      insecureSandbox: true,
      runtimes: ['node'],
      gpus: [],
      log: (line) => logs.push(line),
    }).catch(() => undefined);
    expect(logs[0]).toBe('sandbox isolation: unshare-net (bwrap not installed)');
    expect(logs.length).toBeGreaterThan(2);
    for (const line of logs.slice(1)) expect(line).toMatch(/^\[INSECURE SANDBOX: unshare-net\] /);
    expect(logs.some((l) => l.includes('runtime node: node '))).toBe(true);
  });
});
