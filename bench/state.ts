/**
 * State store benchmark: random writes among N existing paths.
 *
 *   npx tsx bench/state.ts [sizes] [--blocks B] [--warmup B0] [--writes W] [--build-batch K] [--durability flushed|committed]
 *   npx tsx bench/state.ts 10000,100000,1000000 --blocks 20 --writes 2000
 *
 * For each size N: builds a tree of N leaves (committed in batches of K), then commits B blocks of W
 * random overwrites of existing paths, first with `commit` (prepare + one synchronous lmdb
 * transaction, durable on return), then with pipelined `commitAsync` (prepare + queue on the main
 * thread, lmdb's writer thread persists), and prints writes/s, time per block (median and p90), the
 * async durability latency, random reads/s, proof size and proof/verify time. Ends with the ratio of
 * the median block time at the largest size to that at the smallest (goal: within 2x).
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeProof, openCommittedState, verifyProof } from '../app/store/index.ts';
import type { StateWrite } from '../app/store/index.ts';

interface Options {
  sizes: number[];
  blocks: number;
  warmup: number;
  writes: number;
  buildBatch: number;
  durability: 'flushed' | 'committed';
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { sizes: [10_000, 100_000, 1_000_000], blocks: 20, warmup: 5, writes: 2000, buildBatch: 100_000, durability: 'flushed' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--blocks') options.blocks = Number(value());
    else if (arg === '--writes') options.writes = Number(value());
    else if (arg === '--warmup') options.warmup = Number(value());
    else if (arg === '--build-batch') options.buildBatch = Number(value());
    else if (arg === '--durability') options.durability = value() === 'committed' ? 'committed' : 'flushed';
    else if (/^[\d_,e.]+$/.test(arg)) options.sizes = arg.split(',').map((s) => Number(s.replace(/_/g, '')));
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** Deterministic PRNG (mulberry32): the same run writes the same values. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Account-like paths whose order has nothing to do with i. */
function pathOf(i: number): string {
  const scrambled = (Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `/accounts/ain1${scrambled}${i.toString(36)}/balances/uain`;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const median = (values: readonly number[]) => percentile(values, 0.5);

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

interface SizeResult {
  size: number;
  syncMs: number;
  asyncMs: number;
}

async function runSize(size: number, options: Options): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-bench-state-'));
  try {
    const state = openCommittedState(dir, { durability: options.durability });
    const next = rng(size);
    let height = 0n;

    const buildStart = performance.now();
    for (let start = 0; start < size; start += options.buildBatch) {
      const writes = new Map<string, StateWrite>();
      for (let i = start; i < Math.min(size, start + options.buildBatch); i++) writes.set(pathOf(i), i);
      state.commit(state.prepare(writes), ++height);
    }
    const buildMs = performance.now() - buildStart;
    console.log(
      `N=${size.toLocaleString('en')}: built in ${fmt(buildMs / 1000, 2)} s (${fmt((size / buildMs) * 1000, 0)} leaves/s), ` +
        `${fmt(dirBytes(dir) / 2 ** 20)} MiB on disk`,
    );

    // Synchronous commits: prepare, then one lmdb transaction that returns once durable.
    const sync = { prepare: [] as number[], commit: [] as number[], total: [] as number[] };
    let nodeWrites = 0;
    const blockWrites = () => {
      const writes = new Map<string, StateWrite>();
      while (writes.size < options.writes) writes.set(pathOf(Math.floor(next() * size)), Math.floor(next() * 1e9));
      return writes;
    };
    // Warm-up blocks (JIT, page cache) are not measured.
    for (let b = 0; b < options.warmup; b++) state.commit(state.prepare(blockWrites()), ++height);
    for (let b = 0; b < options.blocks; b++) {
      const writes = blockWrites();
      const t0 = performance.now();
      const prepared = state.prepare(writes);
      const t1 = performance.now();
      state.commit(prepared, ++height);
      const t2 = performance.now();
      sync.prepare.push(t1 - t0);
      sync.commit.push(t2 - t1);
      sync.total.push(t2 - t0);
      nodeWrites += prepared.nodeWriteCount;
    }
    const syncMedian = median(sync.total);
    const syncSum = sync.total.reduce((a, b) => a + b, 0);
    console.log(
      `  sync  commit: ${fmt((options.writes * options.blocks * 1000) / syncSum, 0)} writes/s; per block median ${fmt(syncMedian)} ms ` +
        `(prepare ${fmt(median(sync.prepare))} + commit ${fmt(median(sync.commit))}), p90 ${fmt(percentile(sync.total, 0.9))} ms; ` +
        `${fmt(nodeWrites / options.blocks, 0)} trie records written per block`,
    );

    // Pipelined commitAsync: the main thread prepares and queues; lmdb's writer thread persists,
    // with at most two blocks in flight.
    const mainMs: number[] = [];
    const durableMs: number[] = [];
    const inflight: Array<Promise<void>> = [];
    const asyncStart = performance.now();
    for (let b = 0; b < options.blocks; b++) {
      const writes = blockWrites();
      const t0 = performance.now();
      const prepared = state.prepare(writes);
      const done = state.commitAsync(prepared, ++height);
      const t1 = performance.now();
      mainMs.push(t1 - t0);
      inflight.push(done.then(() => void durableMs.push(performance.now() - t0)));
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    const asyncSum = performance.now() - asyncStart;
    const asyncMedian = median(mainMs);
    console.log(
      `  async commit: ${fmt((options.writes * options.blocks * 1000) / asyncSum, 0)} writes/s sustained; main thread per block median ` +
        `${fmt(asyncMedian)} ms, p90 ${fmt(percentile(mainMs, 0.9))} ms; durable after median ${fmt(median(durableMs))} ms`,
    );

    const reads = 20_000;
    const readStart = performance.now();
    for (let i = 0; i < reads; i++) state.get(pathOf(Math.floor(next() * size)));
    const readMs = performance.now() - readStart;
    console.log(`  random reads: ${fmt((reads / readMs) * 1000, 0)} gets/s`);

    const proofs = 500;
    let proofBytes = 0;
    let proveMs = 0;
    let verifyMs = 0;
    for (let i = 0; i < proofs; i++) {
      const present = i % 2 === 0;
      const path = present ? pathOf(Math.floor(next() * size)) : `/accounts/absent${i}/balances/uain`;
      const t0 = performance.now();
      const proof = state.prove(path);
      const bytes = encodeProof(proof);
      const t1 = performance.now();
      const ok = verifyProof(state.appHash, path, state.get(path), bytes);
      const t2 = performance.now();
      if (!ok) throw new Error(`proof for ${path} does not verify`);
      proofBytes += bytes.length;
      proveMs += t1 - t0;
      verifyMs += t2 - t1;
    }
    console.log(
      `  proofs: ${fmt(proofBytes / proofs, 0)} bytes on average, prove ${fmt((proveMs * 1000) / proofs, 0)} us, ` +
        `verify ${fmt((verifyMs * 1000) / proofs, 0)} us`,
    );
    await state.close();
    return { size, syncMs: syncMedian, asyncMs: asyncMedian };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const options = parseArgs(process.argv.slice(2));
console.log(
  `state store benchmark: sizes ${options.sizes.join(', ')}; ${options.blocks} blocks of ${options.writes} writes ` +
    `(after ${options.warmup} warm-up blocks); ` +
    `durability ${options.durability}; node ${process.version}`,
);
const results: SizeResult[] = [];
for (const size of options.sizes) results.push(await runSize(size, options));
if (results.length >= 2) {
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const sizes = `N=${last.size.toLocaleString('en')} vs N=${first.size.toLocaleString('en')}`;
  console.log(`block time ratio ${sizes} (goal <= 2x):`);
  console.log(`  sync  prepare+commit:            ${fmt(last.syncMs / first.syncMs, 2)}x (${fmt(last.syncMs)} / ${fmt(first.syncMs)} ms)`);
  console.log(`  async prepare+queue, main thread: ${fmt(last.asyncMs / first.asyncMs, 2)}x (${fmt(last.asyncMs)} / ${fmt(first.asyncMs)} ms)`);
}
