/**
 * The runtime probe: which packages are registrable, node's and python3's probes in the sandbox, a broken
 * interpreter, and which runtimes an executor offers when some cannot be probed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RUNTIME_PACKAGES } from '../core/index.ts';
import { describeProbe, probeRuntime, probeRuntimes, registrablePackages } from './probe.ts';
import { RuntimeTable } from './runtimes.ts';
import { findSandboxRuntime } from './sandbox.ts';

const hasPython = (await findSandboxRuntime('python3')) !== undefined;
const scratch = mkdtempSync(join(tmpdir(), 'ain-probe-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('registrablePackages', () => {
  it('keeps what the chain accepts: normalized names, the first of a name, sorted, at most 1024', () => {
    const { packages, notes } = registrablePackages([
      ['NumPy', '1.26.4'],
      ['numpy', '1.0.0'],
      ['Zope.Interface', '6.0'],
      ['', '1.0'],
      ['bad name', '1.0'],
      ['ok', 'not a version!'],
    ]);
    expect(packages).toEqual([
      { name: 'numpy', version: '1.26.4' },
      { name: 'zope-interface', version: '6.0' },
    ]);
    expect(notes).toEqual(['left out 3 package(s) the chain cannot read: ==1.0, bad name==1.0, ok==not a version!']);
    const many = Array.from({ length: MAX_RUNTIME_PACKAGES + 5 }, (_, i) => [`p${i}`, '1.0'] as const);
    const cut = registrablePackages(many);
    expect(cut.packages).toHaveLength(MAX_RUNTIME_PACKAGES);
    expect(cut.notes).toEqual([`left out 5 packages past ${MAX_RUNTIME_PACKAGES}`]);
  });
});

describe('registrablePackages on malformed probe output', () => {
  it('leaves out entries that are not [name, version] pairs of strings instead of throwing or registering undefined', () => {
    const { packages, notes } = registrablePackages([[1, '1.0'], null, ['a'], ['b', 2], ['ok', '1.0']]);
    expect(packages).toEqual([{ name: 'ok', version: '1.0' }]);
    expect(notes).toEqual(['left out 4 package(s) the chain cannot read: 1==1.0, null, a==undefined, b==2']);
  });
});

describe('probeRuntime', () => {
  const table = new RuntimeTable();

  it('finds the node version in the sandbox', async () => {
    const probe = await probeRuntime('node', { runtimes: table, gpus: [] });
    expect(probe.info).toEqual({ name: 'node', kind: 'node', version: process.versions.node, packages: [], cuda: false });
    expect(describeProbe(probe, '/usr/bin/node')).toBe(`runtime node: node ${process.versions.node} at /usr/bin/node`);
  });

  it.skipIf(!hasPython)("lists python3's distributions as importlib.metadata sees them inside the sandbox", async () => {
    const started = performance.now();
    const probe = await probeRuntime('python3', { runtimes: table, gpus: [] });
    console.info(
      `python3 probe: ${probe.info.version}, ${probe.info.packages.length} packages in ${Math.round(performance.now() - started)} ms`,
    );
    expect(probe.info).toMatchObject({ name: 'python3', kind: 'python', cuda: false });
    expect(probe.info.version).toMatch(/^3\.\d+\.\d+$/);
    for (const p of probe.info.packages) expect(p.name).toBe(p.name.toLowerCase());
  });

  it('reports a runtime whose program cannot run as executor/6', async () => {
    const fake = join(scratch, 'python3');
    writeFileSync(fake, '#!/bin/sh\necho broken >&2\nexit 3\n');
    chmodSync(fake, 0o755);
    const broken = new RuntimeTable([{ name: 'broken', command: fake, readOnly: [scratch] }]);
    await expect(probeRuntime('broken', { runtimes: broken, gpus: [] })).rejects.toMatchObject({ codespace: 'executor', code: 6 });
  });

  it('reports a version the chain would refuse as executor/6, not a registration the chain refuses later', async () => {
    mkdirSync(join(scratch, 'odd'), { recursive: true });
    const fake = join(scratch, 'odd', 'python3');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s' '{"version": "3.11 (main, custom build)", "packages": []}'\n`);
    chmodSync(fake, 0o755);
    const odd = new RuntimeTable([{ name: 'odd', command: fake, readOnly: [scratch] }]);
    await expect(probeRuntime('odd', { runtimes: odd, gpus: [] })).rejects.toMatchObject({ codespace: 'executor', code: 6 });
  });
});

describe('probeRuntimes', () => {
  it('leaves out a default runtime this machine lacks, but stops on a declared one that fails', async () => {
    const logs: string[] = [];
    const missing = join(scratch, 'absent', 'python3');
    // python3 declared but missing: the start stops.
    await expect(
      probeRuntimes(undefined, { runtimes: new RuntimeTable([{ name: 'python3', command: missing }]), gpus: [] }, (l) => logs.push(l)),
    ).rejects.toMatchObject({
      codespace: 'executor',
      code: 2,
    });
    // Only node asked for: python3 is not probed at all.
    const infos = await probeRuntimes(['node'], { runtimes: new RuntimeTable(), gpus: [] }, (l) => logs.push(l));
    expect(infos.map((i) => i.name)).toEqual(['node']);
    // Not found among the defaults' places: left out with a line, the others stay.
    const table = new RuntimeTable([], { node: [process.execPath], python3: [missing] });
    const some = await probeRuntimes(undefined, { runtimes: table, gpus: [] }, (l) => logs.push(l));
    expect(some.map((i) => i.name)).toEqual(['node']);
    expect(logs.some((l) => l.startsWith('runtime python3: not offered'))).toBe(true);
    // None left: the start stops.
    const nothing = new RuntimeTable([], { python3: [missing] });
    await expect(probeRuntimes(undefined, { runtimes: nothing, gpus: [] }, () => undefined)).rejects.toThrow(/no runtime can run here/);
  });
});
