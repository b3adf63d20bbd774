/**
 * The GPU check (issue 11): the executor's sandbox running PyTorch on a GPU machine, with the figures
 * that go into executor/README.md. It needs no chain: the sandbox, a declared `torch` runtime, the GPU
 * pool and the memory cgroups, as `aind executor` uses them.
 *
 *   npx tsx bench/gpu.ts [TORCH_PYTHON]            (default /opt/torch/.venv/bin/python3)
 *   ../shared/tools/gpu-pack.sh bench/gpu.ts; then on the GPU machine: bash .gpu/unpack.sh && /tmp/node .gpu/run.mjs
 *
 * Steps, each printed with its figures (and all of them as JSON to $OUT/gpu-check.json when OUT is set):
 * 1. what the machine offers: isolation, memory control, GPUs, the torch runtime's probe (CUDA yes/no);
 * 2. sandbox start-up overhead: a trivial program and `import torch` + CUDA init, bare vs sandboxed,
 *    medians of a few runs and their ratio;
 * 3. a bf16 matmul (8192^3) in the sandbox with one GPU from the pool: TFLOP/s;
 * 4. a small training step loop (MLP, AdamW) on the GPU: the loss falls;
 * 5. the loss-optimisation example's worker on the GPU in the sandbox against its numpy path, and
 *    every example on both paths (examples/jobs/compare_backends.py);
 * 6. two concurrent one-GPU runs: different GPUs on a multi-GPU host, one after the other on a
 *    one-GPU host (never sharing a GPU);
 * 7. the memory cgroup under CUDA: a GPU program limited to 4 GiB of host memory starts (RLIMIT_AS
 *    would have killed CUDA's initialisation).
 * On a machine without a GPU it runs what it can and says what it skipped; it is no unit test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeGpus,
  detectGpus,
  detectIsolation,
  detectMemoryControl,
  type Gpu,
  GpuPool,
  probeRuntime,
  RuntimeTable,
  runSandboxed,
  type SandboxResult,
} from '../executor/index.ts';

const TORCH_PYTHON = process.argv[2] ?? '/opt/torch/.venv/bin/python3';
const REPO = join(import.meta.dirname ?? '.', '..');
const report: Record<string, unknown> = {};
const line = (text: string) => console.log(text);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const TRIVIAL = 'import json,sys; json.load(sys.stdin); print(json.dumps({"ok": True}))';
const TORCH_INIT = `import json,sys,time
t=time.perf_counter(); import torch; t_import=time.perf_counter()-t
ok=torch.cuda.is_available()
if ok: torch.zeros(1, device='cuda'); torch.cuda.synchronize()
print(json.dumps({"cuda": ok, "import_s": t_import, "total_s": time.perf_counter()-t}))`;
const MATMUL = `import json,sys,time,torch,os
n=8192; a=torch.randn(n,n,device='cuda',dtype=torch.bfloat16); b=torch.randn(n,n,device='cuda',dtype=torch.bfloat16)
for _ in range(3): a@b
torch.cuda.synchronize(); t=time.perf_counter(); reps=10
for _ in range(reps): c=a@b
torch.cuda.synchronize(); dt=(time.perf_counter()-t)/reps
p=torch.cuda.get_device_properties(0)
print(json.dumps({"tflops": 2*n**3/dt/1e12, "ms": dt*1e3, "device": p.name, "uuid": str(getattr(p,'uuid','')), "visible": os.environ.get("CUDA_VISIBLE_DEVICES",""), "count": torch.cuda.device_count()}))`;
const TRAIN = `import json,torch
torch.manual_seed(0)
x=torch.randn(4096,64,device='cuda'); w=torch.randn(64,1,device='cuda'); y=(x@w).sin()
m=torch.nn.Sequential(torch.nn.Linear(64,256),torch.nn.ReLU(),torch.nn.Linear(256,1)).cuda()
opt=torch.optim.AdamW(m.parameters(),lr=1e-3); losses=[]
for step in range(200):
    opt.zero_grad(); loss=torch.nn.functional.mse_loss(m(x),y); loss.backward(); opt.step()
    if step%50==0 or step==199: losses.append(round(loss.item(),6))
print(json.dumps({"losses": losses, "device": torch.cuda.get_device_name(0)}))`;
const IDENTIFY = `import json,os,time,torch
p=torch.cuda.get_device_properties(0); t=time.time(); x=torch.randn(4096,4096,device='cuda')
for _ in range(200): x=x@x.T/4096
torch.cuda.synchronize()
print(json.dumps({"uuid": str(getattr(p,'uuid','')), "visible": os.environ.get("CUDA_VISIBLE_DEVICES",""), "start": t, "end": time.time()}))`;

/** A program's stdout, run bare (no sandbox) with `input` on stdin; fails on a non-zero exit. */
function bareOutput(python: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${args[0]} exited ${code}: ${stderr.slice(-500)}`))));
  });
}

const relativeDifference = (a: unknown, b: unknown): number => Math.abs(Number(a) - Number(b)) / (1 + Math.abs(Number(b)));

function bare(python: string, source: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(python, ['-I', '-c', source], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.end('null');
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`bare run exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const isolation = await detectIsolation();
  const memory = await detectMemoryControl();
  const gpus: readonly Gpu[] = await detectGpus();
  line(`isolation: ${isolation.kind} (${isolation.details})`);
  line(`memory control: ${memory.kind} (${memory.details})`);
  line(`GPUs: ${describeGpus(gpus)}`);
  Object.assign(report, {
    isolation: isolation.kind,
    memoryControl: memory.kind,
    gpus: gpus.map((g) => ({ name: g.name, memoryMiB: g.memoryMiB })),
  });
  const hasTorch = existsSync(TORCH_PYTHON);
  const runtimes = new RuntimeTable(hasTorch ? [{ name: 'torch', command: TORCH_PYTHON }] : []);
  const pool = new GpuPool(gpus);
  const run = (runtime: string, code: string, gpuCount: number, memoryBytes = 16 * 2 ** 30, timeoutMs = 300_000): Promise<SandboxResult> =>
    pool.withGpus(gpuCount, (leased) =>
      runSandboxed({
        runtime,
        runtimes,
        code: new TextEncoder().encode(code),
        input: null,
        timeoutMs,
        memoryBytes,
        network: false,
        gpuDevices: leased,
        maxOutputBytes: 1 << 20,
      }),
    );
  const out = (result: SandboxResult): Record<string, unknown> => {
    if (!result.ok) throw new Error(`sandboxed run failed (${result.reason}, exit ${result.exitCode}): ${result.stderrTail.slice(-600)}`);
    return result.output as Record<string, unknown>;
  };

  // 1. The torch runtime as the executor registers it.
  if (hasTorch) {
    const probe = await probeRuntime('torch', { runtimes, gpus });
    const torch = probe.info.packages.find((p) => p.name === 'torch');
    line(
      `runtime torch: python ${probe.info.version}, ${probe.info.packages.length} packages, torch ${torch?.version ?? 'absent'}, cuda ${probe.info.cuda}`,
    );
    report['probe'] = { version: probe.info.version, packages: probe.info.packages.length, torch: torch?.version, cuda: probe.info.cuda };
  } else line(`no torch runtime at ${TORCH_PYTHON}: the GPU steps are skipped`);

  // 2. Start-up overhead, bare vs sandboxed, medians of 5 (after one warm-up each).
  const python = hasTorch ? TORCH_PYTHON : '/usr/bin/python3';
  const runtimeName = hasTorch ? 'torch' : 'python3';
  const overhead = async (label: string, source: string, gpuCount: number) => {
    await bare(python, source);
    await run(runtimeName, source, gpuCount);
    const bareMs: number[] = [];
    const boxMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      bareMs.push(await bare(python, source));
      const started = performance.now();
      out(await run(runtimeName, source, gpuCount));
      boxMs.push(performance.now() - started);
    }
    const [b, s] = [median(bareMs), median(boxMs)];
    line(
      `start-up, ${label}: bare ${b.toFixed(0)} ms, sandboxed ${s.toFixed(0)} ms, overhead ${(s - b).toFixed(0)} ms (x${(s / b).toFixed(2)})`,
    );
    return { bareMs: Math.round(b), sandboxedMs: Math.round(s), ratio: Number((s / b).toFixed(2)) };
  };
  report['startTrivial'] = await overhead('trivial program', TRIVIAL, 0);
  if (!hasTorch || gpus.length === 0) {
    finish();
    return;
  }
  report['startTorchCuda'] = await overhead('import torch + CUDA init', TORCH_INIT, 1);

  // 3. bf16 matmul.
  const matmul = out(await run('torch', MATMUL, 1));
  line(
    `bf16 matmul 8192^3 in the sandbox on ${matmul['device']}: ${Number(matmul['tflops']).toFixed(0)} TFLOP/s (${Number(matmul['ms']).toFixed(2)} ms each; CUDA_VISIBLE_DEVICES=${matmul['visible']}, ${matmul['count']} device(s) visible)`,
  );
  report['matmul'] = matmul;

  // 4. A small training loop.
  const train = out(await run('torch', TRAIN, 1));
  line(`training step loop (MLP 64-256-1, AdamW, 200 steps): loss ${(train['losses'] as number[]).join(' -> ')}`);
  report['train'] = train;

  // 5. The loss-optimisation example's worker: torch on a GPU in the sandbox against its numpy path
  // (bare, float64), then every example on both paths (compare_backends.py, bare: it reads the folders).
  const examples = join(REPO, 'examples', 'jobs');
  if (existsSync(join(examples, 'loss_optimisation', 'worker.py'))) {
    const dataDir = join(process.env['OUT'] ?? '/tmp', 'gpu-check-data');
    await bareOutput(TORCH_PYTHON, [join(examples, 'loss_optimisation', 'make_data.py'), dataDir], '');
    const input = { ...JSON.parse(readFileSync(join(dataDir, 'input.json'), 'utf8')), learning_rate: 1.0 };
    const worker = readFileSync(join(examples, 'loss_optimisation', 'worker.py'), 'utf8');
    const onGpu = await run('torch', worker, 1, 16 * 2 ** 30);
    const gpuModel = out(onGpu);
    const cpuModel = JSON.parse(
      await bareOutput(TORCH_PYTHON, [join(examples, 'loss_optimisation', 'worker.py'), '--backend', 'numpy'], JSON.stringify(input)),
    ) as Record<string, unknown>;
    const worst = relativeDifference(gpuModel['loss'], cpuModel['loss']);
    line(
      `loss-optimisation worker: ${gpuModel['device']} in the sandbox, loss ${gpuModel['loss']} vs numpy ${cpuModel['loss']} (relative difference ${worst.toExponential(1)})`,
    );
    const compared = await bareOutput(TORCH_PYTHON, [join(examples, 'compare_backends.py')], '');
    line(`compare_backends.py (every example, torch vs numpy): ${compared.trim().split('\n').join(' | ')}`);
    report['examples'] = {
      device: gpuModel['device'],
      lossGpu: gpuModel['loss'],
      lossNumpy: cpuModel['loss'],
      worst,
      compareBackends: compared.trim().split('\n'),
    };
  }

  // 6. Two concurrent one-GPU runs.
  const [a, b] = await Promise.all([run('torch', IDENTIFY, 1), run('torch', IDENTIFY, 1)]).then((r) => r.map(out));
  const overlap = Number(a!['start']) < Number(b!['end']) && Number(b!['start']) < Number(a!['end']);
  const distinct = a!['uuid'] !== b!['uuid'];
  line(
    gpus.length > 1
      ? `two concurrent one-GPU runs: ${distinct ? 'different GPUs' : 'THE SAME GPU'} (${a!['visible']} / ${b!['visible']}), overlapping: ${overlap}`
      : `two concurrent one-GPU runs on a one-GPU host: ${overlap ? 'OVERLAPPED (shared the GPU)' : 'one after the other'} (${a!['visible']})`,
  );
  report['concurrent'] = { gpus: gpus.length, distinct, overlap, ok: gpus.length > 1 ? distinct : !overlap };

  // 7. CUDA under a 4 GiB host-memory cgroup.
  const limited = await run('torch', TORCH_INIT, 1, 4 * 2 ** 30);
  line(`CUDA init under a 4 GiB memory limit (${memory.kind}): ${limited.ok ? 'ok' : `failed (${limited.reason})`}`);
  report['cudaUnderLimit'] = { memoryControl: memory.kind, ok: limited.ok };
  finish();
}

function finish(): void {
  const dir = process.env['OUT'];
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'gpu-check.json'), `${JSON.stringify(report, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(`gpu check failed: ${error instanceof Error ? error.message : String(error)}`);
  finish();
  process.exitCode = 1;
});
