import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { ErrInvalidSandboxRequest } from './errors.ts';
import type { Gpu } from './gpus.ts';
import { detectIsolation, type Isolation } from './isolation.ts';
import { findSandboxRuntime, runSandboxed, type SandboxRequest, withSandboxScope } from './sandbox.ts';

const encode = (source: string): Uint8Array => new TextEncoder().encode(source);
const MiB = 1024 * 1024;

const base = { input: null, timeoutMs: 10_000, memoryBytes: 256 * MiB, network: false, maxOutputBytes: MiB } as const;

const hasNode = (await findSandboxRuntime('node')) !== undefined;
const hasPython = (await findSandboxRuntime('python3')) !== undefined;
const isolation: Isolation = await detectIsolation({ log: (line: string) => console.info(line) });

function node(source: string, overrides: Partial<SandboxRequest> = {}): ReturnType<typeof runSandboxed> {
  return runSandboxed({ ...base, runtime: 'node', code: encode(source), ...overrides });
}

function python(source: string, overrides: Partial<SandboxRequest> = {}): ReturnType<typeof runSandboxed> {
  return runSandboxed({ ...base, runtime: 'python3', code: encode(source), ...overrides });
}

const NODE_ADD = `
let text = '';
process.stdin.on('data', (c) => { text += c; });
process.stdin.on('end', () => { const { a, b } = JSON.parse(text); process.stdout.write(JSON.stringify(a + b)); });
`;

const NODE_ECHO_HEAD = `
const fs = require('node:fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
`;

describe.skipIf(!hasNode)('runSandboxed with node', () => {
  it('adds a + b', async () => {
    const result = await node(NODE_ADD, { input: { a: 10, b: 10 } });
    expect(result).toMatchObject({ ok: true, output: 20 });
  });

  it('kills an infinite loop at the timeout', async () => {
    const result = await node('for (;;) {}', { timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('stops a memory hog', async () => {
    const result = await node('const a = []; for (;;) a.push(new Array(1e6).fill(1));', { memoryBytes: 64 * MiB });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['memory', 'exit']).toContain(result.reason);
  });

  it('stops an off-heap memory hog (Buffers count against the cgroup, or RLIMIT_AS)', async () => {
    const result = await node('const a = []; for (;;) a.push(Buffer.alloc(64 * 1024 * 1024, 1));', { memoryBytes: 64 * MiB });
    expect(result.ok).toBe(false);
  });

  it('does not pass the parent environment', async () => {
    process.env['AIN_FAKE_SECRET'] = 'hunter2';
    try {
      const result = await node(`${NODE_ECHO_HEAD} process.stdout.write(JSON.stringify({ env: process.env, cwd: process.cwd() }));`);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const { env } = result.output as { env: Record<string, string> };
      expect(JSON.stringify(env)).not.toContain('hunter2');
      expect(
        Object.keys(env)
          .filter((k) => k !== 'PWD')
          .sort(),
      ).toEqual(['CUDA_VISIBLE_DEVICES', 'HOME', 'LANG', 'PATH', 'TMPDIR']);
      expect(env['CUDA_VISIBLE_DEVICES']).toBe('');
    } finally {
      delete process.env['AIN_FAKE_SECRET'];
    }
  });

  it('runs in its own temp dir, which is deleted afterwards', async () => {
    const result = await node(
      `${NODE_ECHO_HEAD} fs.writeFileSync('scratch', 'x'); process.stdout.write(JSON.stringify({ cwd: process.cwd(), files: fs.readdirSync('.') }));`,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { cwd, files } = result.output as { cwd: string; files: string[] };
    expect(files.sort()).toEqual(['main.js', 'scratch']);
    if (isolation.kind === 'bwrap') expect(cwd).toBe('/work');
    else expect(cwd).toMatch(/ain-sbx-/);
  });

  it('reports garbage on stdout as bad-output', async () => {
    const result = await node(`process.stdout.write('this is {not json');`);
    expect(result).toMatchObject({ ok: false, reason: 'bad-output', exitCode: 0 });
  });

  it('bounds the output', async () => {
    const result = await node(`process.stdout.write(JSON.stringify('x'.repeat(100000)));`, { maxOutputBytes: 1000 });
    expect(result).toMatchObject({ ok: false, reason: 'output-too-large' });
  });

  it('reports a non-zero exit with the stderr tail', async () => {
    const result = await node(`console.error('boom'); process.exit(3);`);
    expect(result).toMatchObject({ ok: false, reason: 'exit', exitCode: 3 });
    if (!result.ok) expect(result.stderrTail).toContain('boom');
  });

  it('kills children the program forks when it times out', async () => {
    const result = await node(
      `require('node:child_process').spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
      { timeoutMs: 500 },
    );
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });
});

describe.skipIf(!hasPython)('runSandboxed with python3', () => {
  it('adds a + b', async () => {
    const result = await python('import json, sys\nd = json.load(sys.stdin)\nprint(json.dumps(d["a"] + d["b"]))\n', {
      input: { a: 10, b: 10 },
    });
    expect(result).toMatchObject({ ok: true, output: 20 });
  });

  it('kills an infinite loop at the timeout', async () => {
    const result = await python('while True:\n    pass\n', { timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('stops a memory hog', async () => {
    const result = await python('x = []\nwhile True:\n    x.append(bytearray(16 * 1024 * 1024))\n', { memoryBytes: 64 * MiB });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['memory', 'exit']).toContain(result.reason);
  });
});

// Tries to read files outside the sandbox dir; prints what it got (or the error).
const READ_OUTSIDE = (paths: string[]): string => `
const fs = require('node:fs');
const out = {};
for (const p of ${JSON.stringify(paths)}) {
  try { out[p] = fs.readFileSync(p, 'utf8'); } catch (e) { out[p] = 'DENIED ' + e.code; }
}
out.cwd = process.cwd();
process.stdout.write(JSON.stringify(out));
`;

describe.skipIf(!hasNode)('filesystem isolation', () => {
  const repoPackageJson = new URL('../package.json', import.meta.url).pathname;

  it.skipIf(isolation.kind !== 'bwrap')('denies /etc/passwd and the repo under bwrap', async () => {
    const result = await node(READ_OUTSIDE(['/etc/passwd', repoPackageJson, '../package.json']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = JSON.stringify(result.output);
    expect(text).not.toContain('root:');
    expect(text).not.toContain('"name"');
    const out = result.output as Record<string, string>;
    expect(out['/etc/passwd']).toMatch(/^DENIED/);
    expect(out[repoPackageJson]).toMatch(/^DENIED/);
  });

  // Gap: without bwrap the host filesystem stays readable (unix permissions only); the test records that
  // the program at least starts in its own temp dir.
  it.skipIf(isolation.kind === 'bwrap')('without bwrap, starts in its own temp dir (files outside stay readable)', async () => {
    const result = await node(READ_OUTSIDE([]));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect((result.output as { cwd: string }).cwd).toMatch(/ain-sbx-/);
  });
});

describe.skipIf(!hasNode)('network isolation', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((socket) => socket.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const CONNECT = (p: number): string => `
const socket = require('node:net').connect(${p}, '127.0.0.1');
let data = '';
socket.on('data', (c) => { data += c; });
socket.on('end', () => process.stdout.write(JSON.stringify({ connected: true, data })));
socket.on('error', (e) => process.stdout.write(JSON.stringify({ connected: false, error: e.code })));
`;

  it('under forced unshare -n, cannot reach the parent loopback and starts in its temp dir', async () => {
    const forced: Isolation = { kind: 'unshare-net', tool: '/usr/bin/unshare', details: 'forced by the test' };
    if (isolation.kind === 'none') return; // no namespaces on this machine: nothing to force
    const result = await node(`${CONNECT(port)}`, { network: false, isolation: forced });
    expect(result).toMatchObject({ ok: true, output: { connected: false } });
    const where = await node(READ_OUTSIDE([]), { isolation: forced });
    if (where.ok) expect((where.output as { cwd: string }).cwd).toMatch(/ain-sbx-/);
    else expect.fail(where.stderrTail);
  });

  it.skipIf(isolation.kind === 'none')('cannot reach the parent loopback when network is false', async () => {
    const result = await node(CONNECT(port), { network: false });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.output).toMatchObject({ connected: false });
  });

  it('reaches the parent loopback when network is true', async () => {
    const result = await node(CONNECT(port), { network: true });
    expect(result).toMatchObject({ ok: true, output: { connected: true, data: 'pong' } });
  });
});

describe('runSandboxed requests', () => {
  it('refuses invalid limits with an executor error', async () => {
    const error = await node('', { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).is(ErrInvalidSandboxRequest)).toBe(true);
    expect((error as AinError).codespace).toBe('executor');
  });

  it('detects an isolation kind and says what it is', () => {
    expect(['bwrap', 'unshare-net', 'none']).toContain(isolation.kind);
    expect(isolation.details.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasNode)('GPUs of a run', () => {
  const gpu = (index: number): Gpu => ({
    index,
    uuid: `GPU-fake-${index}`,
    name: 'fake',
    memoryMiB: 1024,
    minor: 40 + index,
    minorKnown: true,
    busId: `0000:0${index}:00.0`,
  });
  const SHOW = `${NODE_ECHO_HEAD} process.stdout.write(JSON.stringify({ visible: process.env.CUDA_VISIBLE_DEVICES, order: process.env.CUDA_DEVICE_ORDER ?? null, dev: fs.readdirSync('/dev').filter((d) => d.startsWith('nvidia')) }));`;

  it('names exactly the leased GPUs by UUID, in PCI bus order', async () => {
    const result = await node(SHOW, { gpuDevices: [gpu(2), gpu(3)] });
    expect(result).toMatchObject({ ok: true, output: { visible: 'GPU-fake-2,GPU-fake-3', order: 'PCI_BUS_ID', dev: [] } });
    const none = await node(SHOW);
    expect(none).toMatchObject({ ok: true, output: { visible: '', order: null } });
  });

  it("takes a run's GPUs from its scope (what Slots.run sets for job programs), the first `gpus` of them", async () => {
    const result = await withSandboxScope({ gpus: [gpu(1), gpu(0)] }, () => node(SHOW, { gpus: 1 }));
    expect(result).toMatchObject({ ok: true, output: { visible: 'GPU-fake-1' } });
  });

  it('refuses a program asking for more GPUs than its run holds, or a count out of range', async () => {
    await expect(node(SHOW, { gpus: 1 })).rejects.toThrow(/asks for 1 GPUs; 0 are leased to this run/);
    await expect(node(SHOW, { gpus: 2, gpuDevices: [gpu(0)] })).rejects.toMatchObject({
      codespace: 'executor',
      code: ErrInvalidSandboxRequest.code,
    });
    await expect(node(SHOW, { gpus: -1 })).rejects.toMatchObject({ codespace: 'executor', code: ErrInvalidSandboxRequest.code });
  });
});
