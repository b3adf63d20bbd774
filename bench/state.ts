/**
 * State store benchmark: random writes among N existing paths.
 *
 *   npx tsx bench/state.ts [sizes] [--blocks B] [--warmup B0] [--writes W] [--build-batch K] [--durability flushed|committed]
 *                          [--keep-recent N]
 *   npx tsx bench/state.ts 10000,100000,1000000 --blocks 20 --writes 2000
 *   npx tsx bench/state.ts 10000,100000,1000000 --keep-recent 1     # no history: the cost without undo records
 *
 * For each size N: builds a tree of N leaves (committed in batches of K), then commits B blocks of W
 * random overwrites of existing paths, first with `commit` (prepare + one synchronous lmdb
 * transaction, durable on return), then with pipelined `commitAsync` back to back (prepare + queue
 * on the main thread while lmdb's writer thread persists the previous block; at most one block in
 * flight), then paced as a node (each block once the previous is durable: the writer is idle, as
 * with 1 s blocks; there a worker thread reads each block's records ahead, tree/lmdb/readAhead.ts),
 * and prints writes/s, time per block (median and p90), the
 * async durability latency, random reads/s, proof size and proof/verify time. Ends with the ratio of
 * the median block time at the largest size to that at the smallest for each way (goal: within 2x).
 *
 * History: the store keeps the last N heights readable (`--keep-recent`, default 100 like a node; 1
 * writes no undo records). The tree is built without history, then at least N warm-up blocks fill the
 * window, so every measured commit also deletes the undo records of the block leaving it (steady
 * state). Prints undo records per block, their disk use, and reads and proofs at an old height.
 * Commit time grows with the store's age (at 10^6 leaves it doubles over the first ~15 blocks after
 * the build, history or not: lmdb's free pages scatter), so compare at the same age:
 *   npx tsx bench/state.ts --keep-recent 100     vs     npx tsx bench/state.ts --keep-recent 1 --warmup 100
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeProof, verifyProof } from '../tree/index.ts';
import { rng } from '../tree/testUtil.fixture.ts';
import { percentile } from './stats.ts';
import { openCommittedState } from '../tree/lmdb/index.ts';
import type { StateWrite } from '../core/state.ts';

interface Options {
  sizes: number[];
  blocks: number;
  warmup: number;
  writes: number;
  buildBatch: number;
  durability: 'flushed' | 'committed';
  keepRecent: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    sizes: [10_000, 100_000, 1_000_000],
    blocks: 20,
    warmup: 5,
    writes: 2000,
    buildBatch: 100_000,
    durability: 'flushed',
    keepRecent: 100,
  };
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
    else if (arg === '--keep-recent') options.keepRecent = Number(value());
    else if (/^[\d_,e.]+$/.test(arg)) options.sizes = arg.split(',').map((s) => Number(s.replace(/_/g, '')));
    else throw new Error(`unknown argument ${arg}`);
  }
  // Each block overwrites distinct existing paths: a tree smaller than a block would never fill one.
  const smallest = Math.min(...options.sizes);
  if (!(options.writes <= smallest)) throw new Error(`--writes ${options.writes} must not exceed the smallest size, ${smallest}`);
  return options;
}

/** Account-like paths whose order has nothing to do with i. */
function pathOf(i: number): string {
  const scrambled = (Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `/accounts/ain1${scrambled}${i.toString(36)}/balances/uain`;
}

const median = (values: readonly number[]) => percentile(values, 50);

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
  pacedMs: number;
}

async function runSize(size: number, options: Options): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-bench-state-'));
  try {
    // The tree is built without history (its huge blocks would otherwise be pruned during the run).
    const builder = openCommittedState(dir, { durability: options.durability, keepRecent: 1 });
    const next = rng(size);
    let height = 0n;

    const buildStart = performance.now();
    for (let start = 0; start < size; start += options.buildBatch) {
      const writes = new Map<string, StateWrite>();
      for (let i = start; i < Math.min(size, start + options.buildBatch); i++) writes.set(pathOf(i), i);
      builder.commit(builder.prepare(writes), ++height);
    }
    const buildMs = performance.now() - buildStart;
    const builtBytes = dirBytes(dir);
    console.log(
      `N=${size.toLocaleString('en')}: built in ${fmt(buildMs / 1000, 2)} s (${fmt((size / buildMs) * 1000, 0)} leaves/s), ` +
        `${fmt(builtBytes / 2 ** 20)} MiB on disk`,
    );
    await builder.close();
    const state = openCommittedState(dir, { durability: options.durability, keepRecent: options.keepRecent });
    const history = options.keepRecent !== 1;

    // Synchronous commits: prepare, then one lmdb transaction that returns once durable.
    const sync = { prepare: [] as number[], commit: [] as number[], total: [] as number[] };
    let nodeWrites = 0;
    const blockWrites = () => {
      const writes = new Map<string, StateWrite>();
      while (writes.size < options.writes) writes.set(pathOf(Math.floor(next() * size)), Math.floor(next() * 1e9));
      return writes;
    };
    // Warm-up blocks (JIT, page cache; with history, enough to fill the window) are not measured.
    const warmup = history ? Math.max(options.warmup, options.keepRecent) : options.warmup;
    const warmStart = performance.now();
    for (let b = 0; b < warmup; b++) state.commit(state.prepare(blockWrites()), ++height);
    if (history) {
      console.log(
        `  history: keep ${options.keepRecent === 0 ? 'all' : options.keepRecent} heights; ${warmup} warm-up blocks in ${fmt((performance.now() - warmStart) / 1000, 1)} s; ` +
          `undo records ${fmt(state.historyStats().bytes / 2 ** 20)} MiB; store ${fmt(dirBytes(dir) / 2 ** 20)} MiB on disk (${fmt(builtBytes / 2 ** 20)} after the build)`,
      );
    } else {
      console.log('  history: none (keep-recent 1)');
    }
    let undoRecords = 0;
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
      undoRecords += prepared.undoCount;
    }
    const syncMedian = median(sync.total);
    const syncSum = sync.total.reduce((a, b) => a + b, 0);
    console.log(
      `  sync  commit: ${fmt((options.writes * options.blocks * 1000) / syncSum, 0)} writes/s; per block median ${fmt(syncMedian)} ms ` +
        `(prepare ${fmt(median(sync.prepare))} + commit ${fmt(median(sync.commit))}), p90 ${fmt(percentile(sync.total, 90))} ms; ` +
        `${fmt(nodeWrites / options.blocks, 0)} trie records written per block, ${fmt(undoRecords / options.blocks, 0)} undo records`,
    );

    // Pipelined commitAsync back to back (the node's path with no gap between blocks): the main thread
    // prepares the next block while lmdb's writer thread persists the previous one; before queueing it
    // waits until that one is durable, so at most one block is in flight. Main thread = prepare + queue.
    const mainMs: number[] = [];
    const waitMs: number[] = [];
    const durableMs: number[] = [];
    const inflight: Array<Promise<void>> = [];
    const asyncStart = performance.now();
    for (let b = 0; b < options.blocks; b++) {
      const writes = blockWrites();
      const t0 = performance.now();
      const prepared = state.prepare(writes);
      const t1 = performance.now();
      if (state.durableHeight < state.height) await state.flushed();
      const t2 = performance.now();
      const done = state.commitAsync(prepared, ++height);
      const t3 = performance.now();
      mainMs.push(t1 - t0 + (t3 - t2));
      waitMs.push(t2 - t1);
      inflight.push(done.then(() => void durableMs.push(performance.now() - t2)));
    }
    await Promise.all(inflight);
    const asyncSum = performance.now() - asyncStart;
    const asyncMedian = median(mainMs);
    console.log(
      `  async commit: ${fmt((options.writes * options.blocks * 1000) / asyncSum, 0)} writes/s sustained; main thread per block median ` +
        `${fmt(asyncMedian)} ms, p90 ${fmt(percentile(mainMs, 90))} ms; durable after median ${fmt(median(durableMs))} ms ` +
        `(waited for the previous block: median ${fmt(median(waitMs))} ms)`,
    );

    // Paced as a node with 1 s blocks: the previous block is durable (lmdb's writer idle) before the
    // next one is prepared, so the main thread has its core to itself, as in FinalizeBlock + Commit.
    const pacedMs: number[] = [];
    const pacedDurableMs: number[] = [];
    const aheadBefore = { ...state.readAheadStats };
    for (let b = 0; b < options.blocks; b++) {
      const writes = blockWrites();
      await state.flushed();
      const t0 = performance.now();
      const prepared = state.prepare(writes);
      const done = state.commitAsync(prepared, ++height);
      const t1 = performance.now();
      await done;
      pacedMs.push(t1 - t0);
      pacedDurableMs.push(performance.now() - t0);
    }
    console.log(
      `  paced as a node (writer idle before each block): main thread per block median ${fmt(median(pacedMs))} ms, ` +
        `p90 ${fmt(percentile(pacedMs, 90))} ms; durable after median ${fmt(median(pacedDurableMs))} ms; ` +
        `read ahead on the worker thread: ${state.readAheadStats.blocks - aheadBefore.blocks} blocks, ` +
        `${fmt((state.readAheadStats.records - aheadBefore.records) / options.blocks, 0)} records and ` +
        `${fmt((state.readAheadStats.leaves - aheadBefore.leaves) / options.blocks, 0)} old leaf values a block`,
    );

    const reads = 20_000;
    const readStart = performance.now();
    for (let i = 0; i < reads; i++) state.get(pathOf(Math.floor(next() * size)));
    const readMs = performance.now() - readStart;
    console.log(`  random reads: ${fmt((reads / readMs) * 1000, 0)} gets/s`);
    if (history) {
      const stats = state.historyStats();
      const old = state.oldestHeight + (state.height - state.oldestHeight) / 2n;
      const oldStart = performance.now();
      for (let i = 0; i < reads; i++) state.getAt(pathOf(Math.floor(next() * size)), old);
      const oldReadMs = performance.now() - oldStart;
      const proofStart = performance.now();
      for (let i = 0; i < 200; i++) {
        const path = pathOf(Math.floor(next() * size));
        if (!verifyProof(state.appHashAt(old), path, state.getAt(path, old), state.proveAt(path, old)))
          throw new Error(`proof of ${path} at ${old} does not verify`);
      }
      const proofMs = (performance.now() - proofStart) / 200;
      console.log(
        `  at height ${old} (${state.height - old} back): ${fmt((reads / oldReadMs) * 1000, 0)} gets/s, prove + app hash + verify ${fmt(proofMs * 1000, 0)} us; ` +
          `${stats.records.toLocaleString('en')} undo records kept, ${fmt(dirBytes(dir) / 2 ** 20)} MiB on disk`,
      );
    }

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
    return { size, syncMs: syncMedian, asyncMs: asyncMedian, pacedMs: median(pacedMs) };
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
  console.log(
    `  async prepare+queue, main thread: ${fmt(last.asyncMs / first.asyncMs, 2)}x (${fmt(last.asyncMs)} / ${fmt(first.asyncMs)} ms)`,
  );
  console.log(
    `  paced as a node, main thread:     ${fmt(last.pacedMs / first.pacedMs, 2)}x (${fmt(last.pacedMs)} / ${fmt(first.pacedMs)} ms)`,
  );
}
