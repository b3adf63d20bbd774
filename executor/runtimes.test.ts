/**
 * Declared runtimes: checking a declaration, the defaults, and a virtualenv whose base interpreter lives
 * outside /usr (as on a GPU machine) with a fake torch: its read-only binds, a run inside bwrap, its
 * probe (packages, CUDA with a GPU bound) and the serving check on what it registers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Gpu } from './gpus.ts';
import { detectIsolation } from './isolation.ts';
import { probeRuntime } from './probe.ts';
import { checkRuntimeSpec, kindOf, resolveRuntime, RuntimeTable } from './runtimes.ts';
import { runSandboxed } from './sandbox.ts';
import { cannotRunFunction, selfRecord } from './serving.ts';

const MiB = 1024 * 1024;
const isolation = await detectIsolation();

/** A Python interpreter installed outside /usr (pyenv here; uv or /opt elsewhere), as a venv's base often is. */
function pythonOutsideUsr(): string | undefined {
  const versions = join(homedir(), '.pyenv', 'versions');
  const found = existsSync(versions) ? readdirSync(versions).filter((v) => /^3\.(1[0-9]|9)\./.test(v)) : [];
  const path = found.map((v) => join(versions, v, 'bin', 'python3')).find((p) => existsSync(p));
  return path && !realpathSync(path).startsWith('/usr/') ? path : undefined;
}
const base = pythonOutsideUsr();

const scratch = mkdtempSync(join(tmpdir(), 'ain-runtimes-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A virtualenv of `base` with two fake distributions: `ain-fake-pkg` 1.2.3, and a `torch` 2.11.0 whose
 * `torch.cuda.is_available()` is true exactly when CUDA_VISIBLE_DEVICES names a GPU.
 */
function fakeTorchVenv(python: string): string {
  const venv = join(scratch, 'torch', '.venv');
  execFileSync(python, ['-m', 'venv', '--without-pip', venv]);
  const site = execFileSync(join(venv, 'bin', 'python3'), ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], {
    encoding: 'utf8',
  }).trim();
  const dist = (name: string, version: string) => {
    mkdirSync(join(site, `${name}-${version}.dist-info`));
    writeFileSync(join(site, `${name}-${version}.dist-info`, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  };
  dist('ain_fake_pkg', '1.2.3');
  dist('torch', '2.11.0+cu130');
  mkdirSync(join(site, 'torch'));
  writeFileSync(
    join(site, 'torch', '__init__.py'),
    [
      'import os',
      '__version__ = "2.11.0+cu130"',
      'class version:',
      '    cuda = "13.0"',
      'def _visible():',
      '    return [d for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d]',
      'class cuda:',
      '    is_available = staticmethod(lambda: len(_visible()) > 0)',
      '    device_count = staticmethod(lambda: len(_visible()))',
      '',
    ].join('\n'),
  );
  return venv;
}

describe('runtime specs', () => {
  it('tells the kind from the interpreter name and checks a declaration', () => {
    expect(kindOf('/opt/torch/.venv/bin/python3')).toBe('python');
    expect(kindOf('/usr/bin/python3.12')).toBe('python');
    expect(kindOf('/usr/local/bin/node')).toBe('node');
    expect(kindOf('/usr/bin/ruby')).toBeUndefined();
    expect(() => checkRuntimeSpec({ name: 'Torch', command: '/x/python3' })).toThrow(/name must be lower-case/);
    expect(() => checkRuntimeSpec({ name: 'torch', command: 'python3' })).toThrow(/must be an absolute path/);
    expect(() => checkRuntimeSpec({ name: 'rb', command: '/usr/bin/ruby' })).toThrow(/set kind = "python" or "node"/);
    expect(() => checkRuntimeSpec({ name: 'torch', command: '/x/python3', readOnly: ['rel'] })).toThrow(/read_only "rel"/);
  });

  it('refuses a missing interpreter with executor/2, and a name the table does not know', async () => {
    await expect(resolveRuntime({ name: 'gone', command: join(scratch, 'nope', 'python3') })).rejects.toMatchObject({
      codespace: 'executor',
      code: 2,
    });
    await expect(new RuntimeTable().resolve('torch')).rejects.toThrow(/torch: not a runtime of this executor/);
  });

  it('knows python3 and node by default; a declared python3 replaces the default one', async () => {
    const table = new RuntimeTable([{ name: 'python3', command: '/usr/bin/python3.11', readOnly: ['/opt/extra'] }]);
    expect(table.names()).toEqual(['node', 'python3']);
    expect(table.declared('python3')).toBe(true);
    expect(table.declared('node')).toBe(false);
    if (existsSync('/usr/bin/python3.11'))
      expect(await table.resolve('python3')).toMatchObject({ command: '/usr/bin/python3.11', readOnly: ['/opt/extra'] });
  });
});

describe.skipIf(base === undefined)(
  `a PyTorch-like virtualenv whose base interpreter is outside /usr${base ? '' : ' [skipped: no Python outside /usr here]'}`,
  () => {
    const venv = base ? fakeTorchVenv(base) : '';
    const prefix = base ? dirname(dirname(realpathSync(base))) : '';
    const table = new RuntimeTable([{ name: 'torch', command: join(venv, 'bin', 'python3') }]);
    const fakeGpu: Gpu = { index: 0, uuid: 'GPU-fake', name: 'fake', memoryMiB: 81920, minor: 77, minorKnown: true, busId: '0000:01:00.0' };

    it("binds the venv and its base interpreter's prefix read-only", async () => {
      const runtime = await table.resolve('torch');
      expect(runtime).toEqual({ name: 'torch', kind: 'python', command: join(venv, 'bin', 'python3'), readOnly: [prefix, venv].sort() });
    });

    it('runs a program with the venv active inside the sandbox', async () => {
      const code =
        'import json, sys, torch\nprint(json.dumps({"prefix": sys.prefix, "base": sys.base_prefix, "torch": torch.__version__}))\n';
      const result = await runSandboxed({
        runtime: 'torch',
        runtimes: table,
        code: new TextEncoder().encode(code),
        input: null,
        timeoutMs: 20_000,
        memoryBytes: 256 * MiB,
        network: false,
        maxOutputBytes: MiB,
      });
      expect(result).toMatchObject({ ok: true, output: { prefix: venv, torch: '2.11.0+cu130' } });
      if (result.ok) expect(realpathSync((result.output as { base: string }).base)).toBe(prefix);
    });

    it(`probes it ${isolation.kind === 'bwrap' ? 'inside bwrap' : 'in the sandbox'}: version, packages, and CUDA with the GPUs bound`, async () => {
      const cpu = await probeRuntime('torch', { runtimes: table, gpus: [] });
      expect(cpu.info).toMatchObject({ name: 'torch', kind: 'python', cuda: false });
      expect(cpu.info.version).toMatch(/^3\.\d+\.\d+$/);
      expect(cpu.info.packages).toEqual(
        expect.arrayContaining([
          { name: 'ain-fake-pkg', version: '1.2.3' },
          { name: 'torch', version: '2.11.0+cu130' },
        ]),
      );
      expect(cpu.notes).toContain('torch installed; no GPUs, so no CUDA');
      const gpu = await probeRuntime('torch', { runtimes: table, gpus: [fakeGpu] });
      expect(gpu.info.cuda).toBe(true);
      expect(gpu.notes).toEqual(['torch 2.11.0+cu130 (CUDA 13.0) sees 1 of 1 GPUs']);

      // What it registers serves exactly the calls the chain would send it.
      const self = selfRecord({ address: 'ain1self', runtimeInfo: [gpu.info], cpus: 4, memoryMb: 8192, gpus: [fakeGpu], price: '0' });
      const fn = (requires: string[], gpus = 1, gpuMemory = 40_000) => ({
        runtime: 'torch',
        resources: { cpu: 1, memory_mb: 512, gpus, gpu_memory_mb: gpuMemory },
        requires,
      });
      expect(cannotRunFunction(self, fn(['torch>=2.4', 'ain_fake_pkg==1.2.*']))).toBeUndefined();
      expect(cannotRunFunction(self, fn(['numpy']))).toBe('runtime torch does not meet numpy');
      expect(cannotRunFunction(self, fn([], 2))).toBe('1 GPUs, the function needs 2');
      expect(cannotRunFunction(self, fn([], 1, 100_000))).toBe('81920 MiB per GPU, the function needs 100000');
      expect(cannotRunFunction(self, { ...fn([]), runtime: 'python3' })).toBe('no runtime python3');
    });
  },
);
