/**
 * Memory cgroups on this machine with real python3 programs: reserved address space does not count,
 * touched memory does (killed with reason `memory`), escaped children die with the run, the cgroup is
 * removed; and the RLIMIT_AS fallback. Tests that need a cgroup say why in their name when skipped.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cgroupDirs, detectMemoryControl, type MemoryControl } from './memory.ts';
import { findSandboxRuntime, runSandboxed, type SandboxRequest } from './sandbox.ts';

const MiB = 1024 * 1024;
const control = await detectMemoryControl({ log: (line) => console.info(line) });
const hasPython = (await findSandboxRuntime('python3')) !== undefined;
const cgroup = control.kind !== 'rlimit';
/** The reason a cgroup test is skipped here, in its name. */
const skipped = cgroup ? '' : ` [skipped: no usable cgroup: ${control.details}]`;

// 64 GiB of address space reserved and never touched (what CUDA does at start), then "ok".
const RESERVE_64_GIB = `
import ctypes, json
libc = ctypes.CDLL(None)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
PROT_NONE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_NORESERVE = 0, 0x02, 0x20, 0x4000
p = libc.mmap(None, 64 << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
print(json.dumps("ok" if p not in (None, 2**64 - 1) else "mmap failed"))
`;

// 512 MiB touched, a byte every page.
const TOUCH_512_MIB = `
import mmap
m = mmap.mmap(-1, 512 << 20)
for i in range(0, 512 << 20, 4096):
    m[i] = 1
print('"survived"')
`;

const python = (source: string, overrides: Partial<SandboxRequest> = {}) =>
  runSandboxed({
    runtime: 'python3',
    code: new TextEncoder().encode(source),
    input: null,
    timeoutMs: 30_000,
    memoryBytes: 256 * MiB,
    network: false,
    maxOutputBytes: MiB,
    ...overrides,
  });

/** This process's run cgroups still present under the parent. */
const leftovers = (c: MemoryControl): string[] =>
  c.parent === undefined ? [] : readdirSync(c.parent).filter((name) => name.startsWith(`ain-sbx-${process.pid}-`));

describe.skipIf(!hasPython)('memory cgroups', () => {
  it.skipIf(!cgroup)(
    `a program reserving 64 GiB of address space under a 256 MiB limit runs (only what it touches counts)${skipped}`,
    async () => {
      const started = performance.now();
      const result = await python(RESERVE_64_GIB);
      console.info(
        `64 GiB reserved under ${control.kind}: ${result.ok ? 'ok' : result.reason} in ${Math.round(performance.now() - started)} ms`,
      );
      expect(result).toMatchObject({ ok: true, output: 'ok' });
      expect(leftovers(control)).toEqual([]);
    },
  );

  it.skipIf(!cgroup)(`a program touching 512 MiB under a 256 MiB limit is killed with reason memory${skipped}`, async () => {
    const started = performance.now();
    const result = await python(TOUCH_512_MIB);
    console.info(
      `512 MiB touched under ${control.kind}: ${result.ok ? 'ok' : result.reason} in ${Math.round(performance.now() - started)} ms`,
    );
    expect(result).toMatchObject({ ok: false, reason: 'memory' });
    expect(leftovers(control)).toEqual([]);
  });

  it.skipIf(!cgroup)(`the same 512 MiB fits a 1 GiB limit${skipped}`, async () => {
    expect(await python(TOUCH_512_MIB, { memoryBytes: 1024 * MiB })).toMatchObject({ ok: true, output: 'survived' });
  });

  it.skipIf(!cgroup)(`kills what a timed-out program forked into a session of its own, even without bwrap${skipped}`, async () => {
    // Without bwrap's pid namespace only the cgroup still holds the escaped child (and its stdout).
    const none = { kind: 'none', details: 'forced by the test' } as const;
    const started = performance.now();
    const result = await python('import os, time\nif os.fork() == 0:\n    os.setsid()\ntime.sleep(60)\n', {
      timeoutMs: 500,
      isolation: none,
    });
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(leftovers(control)).toEqual([]);
  });

  it('without a cgroup (RLIMIT_AS), node still starts (V8 gets 1 GiB of address space extra) and an off-heap hog is stopped', async () => {
    const rlimit = { kind: 'rlimit', details: 'forced by the test' } as const;
    const node = (source: string) =>
      runSandboxed({
        runtime: 'node',
        code: new TextEncoder().encode(source),
        input: null,
        timeoutMs: 20_000,
        memoryBytes: 64 * MiB,
        network: false,
        maxOutputBytes: MiB,
        memoryControl: rlimit,
      });
    expect(await node('process.stdout.write("1")')).toMatchObject({ ok: true, output: 1 });
    expect(await node('const a = []; for (;;) a.push(Buffer.alloc(64 * 1024 * 1024, 1));')).toMatchObject({ ok: false });
  });

  it('without a cgroup (RLIMIT_AS), the same 64 GiB reservation fails: why CUDA needs the cgroup', async () => {
    const result = await python(RESERVE_64_GIB, { memoryControl: { kind: 'rlimit', details: 'forced by the test' } });
    expect(result).toMatchObject({ ok: true, output: 'mmap failed' });
    const hog = await python(TOUCH_512_MIB, { memoryControl: { kind: 'rlimit', details: 'forced by the test' } });
    expect(hog).toMatchObject({ ok: false });
  });
});

describe('detectMemoryControl', () => {
  it('says which control is in use, once', async () => {
    expect(['cgroup2', 'cgroup1', 'rlimit']).toContain(control.kind);
    expect(await detectMemoryControl()).toBe(control);
  });

  it('finds the cgroup v2 directory and the v1 memory one from /proc/self/cgroup and mountinfo', () => {
    const mountinfo = [
      '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
      '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory',
      '36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
      '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    ].join('\n');
    const cgroup = '4:memory:/process_api/f3d9\n2:cpu,cpuacct:/\n0::/user.slice/ain.service\n';
    expect(cgroupDirs({ cgroup, mountinfo })).toEqual({
      v2: '/sys/fs/cgroup/unified/user.slice/ain.service',
      v1memory: '/sys/fs/cgroup/memory/process_api/f3d9',
    });
    // A container's namespaced view (cgroup "/"), and a mount of a sub-tree (root /docker/abc).
    expect(cgroupDirs({ cgroup: '0::/\n', mountinfo: '30 1 0:26 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw' })).toEqual({
      v2: '/sys/fs/cgroup',
    });
    expect(
      cgroupDirs({ cgroup: '0::/docker/abc/run\n', mountinfo: '30 1 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw' }),
    ).toEqual({ v2: '/sys/fs/cgroup/run' });
    expect(cgroupDirs({ cgroup: '0::/elsewhere\n', mountinfo: '30 1 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw' })).toEqual(
      {},
    );
  });

  it('falls back to RLIMIT_AS, saying why, where no hierarchy is mounted', async () => {
    const fallback = await detectMemoryControl({ sources: { cgroup: '0::/\n', mountinfo: '' } });
    expect(fallback).toMatchObject({ kind: 'rlimit' });
    expect(fallback.details).toMatch(/no cgroup hierarchy with a memory controller is mounted/);
  });
});
