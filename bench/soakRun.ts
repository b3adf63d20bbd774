/**
 * The soak: one node under a steady load of signed sends at half its measured peak rate for a long
 * time, sampled at a fixed interval (the app's and CometBFT's RSS, the app's V8 heap, both processes'
 * open files, the disk use of the home's data dir, CometBFT's oldest kept block and the block time),
 * then judged against bounds on growth. Used by `bench/soak.ts` and `test/soak.test.ts`.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StargateClient } from '@cosmjs/stargate';
import { homePaths } from '../home/index.ts';
import { startTestNode, type TestNode } from '../test/helpers/node.ts';
import { sendMsg, signTx } from '../test/helpers/tx.ts';
import { flood, type FloodResult, rssMiB } from './floodLoad.ts';
import { runLoad, signedSendLanes } from './load.ts';

export interface SoakOptions {
  readonly minutes: number;
  /** Seconds between samples (default 60). */
  readonly intervalSeconds?: number;
  /** Sends per second; default half the peak measured first. */
  readonly rate?: number;
  /** Funded accounts: half measure the peak, half carry the soak's load (default 100). */
  readonly accounts?: number;
  /** app.toml `[state] min_retain_blocks` of the node (default 100; 0 keeps every block). */
  readonly minRetainBlocks?: number;
  /** app.toml `[state] keep_recent` (default 100). */
  readonly keepRecent?: number;
  /** app.toml `[state-sync] snapshot-interval` (default 100; 0: none) and `snapshot-keep-recent` (default 2). */
  readonly snapshotInterval?: number;
  readonly snapshotKeepRecent?: number;
  /** CometBFT timeout_commit (default 1s). */
  readonly timeoutCommit?: string;
  /** Warm-up minutes left out of the growth checks (default a sixth of the run, at most 5). */
  readonly warmupMinutes?: number;
  readonly bounds?: Partial<SoakBounds>;
  /** Called with each sample as it is taken. */
  readonly onSample?: (sample: SoakSample) => void;
  readonly log?: (line: string) => void;
}

/** One sample of the node. */
export interface SoakSample {
  /** Seconds since the load started. */
  readonly at: number;
  readonly height: number;
  /** CometBFT's oldest kept block (RPC /status earliest_block_height). */
  readonly earliestBlock: number;
  /** Mean block time (s) since the sample before. */
  readonly blockSeconds: number;
  /** Committed txs per second since the sample before. */
  readonly txPerSecond: number;
  readonly appRssMiB: number;
  readonly cometRssMiB: number;
  /** The app's V8 heap in use at its lowest over the last log interval (its last `memory` log line). */
  readonly appHeapMiB: number;
  /** Open descriptors other than sockets (files, pipes, epoll...): what a leak of files shows in. */
  readonly appFds: number;
  readonly cometFds: number;
  /** Open sockets: they follow the clients' connections (CometBFT's RPC serves the load), so no check. */
  readonly appSockets: number;
  readonly cometSockets: number;
  /** Disk used by HOME/data (blocks, states, tx index, the app's lmdb, snapshots). */
  readonly dataMiB: number;
  /** Of which CometBFT's tx index (never pruned by CometBFT v0.38). */
  readonly txIndexMiB: number;
  /** Of which CometBFT's block store and state store (pruned below the retain height). */
  readonly blockStoreMiB: number;
  readonly stateStoreMiB: number;
  /** Of which the app's lmdb (pruned to keep_recent; the file reuses freed pages, it does not shrink). */
  readonly appDbMiB: number;
  /** Of which CometBFT's consensus WAL (data/cs.wal: not pruned, CometBFT caps its files at 1 GB in all). */
  readonly walMiB: number;
}

/** What the soak allows. */
export interface SoakBounds {
  /** Mean RSS and heap of the last third over the first third after warm-up, at most (1.25: +25%). */
  readonly memoryGrowth: number;
  /** Open files at the end over the first sample after warm-up, at most this many more. */
  readonly extraFds: number;
  /**
   * With pruning on: mean disk use of HOME/data less the tx index and the consensus WAL in the last
   * third over the first third after warm-up, at most (2). The tx index grows with every tx (CometBFT
   * v0.38 does not prune it) and the WAL up to CometBFT's own cap; both are reported apart. goleveldb
   * frees pruned blocks at its compactions, so single samples jump.
   */
  readonly diskGrowth: number;
}

export const DEFAULT_SOAK_BOUNDS: SoakBounds = { memoryGrowth: 1.25, extraFds: 20, diskGrowth: 2 };

/** One check of the verdict. */
export interface SoakCheck {
  readonly name: string;
  readonly first: number;
  readonly last: number;
  readonly limit: number;
  readonly ok: boolean;
}

export interface SoakReport {
  readonly peak: number | undefined;
  readonly rate: number;
  readonly load: FloodResult;
  readonly samples: readonly SoakSample[];
  readonly warmupSamples: number;
  readonly checks: readonly SoakCheck[];
  readonly ok: boolean;
  readonly minRetainBlocks: number;
}

const MiB = 1024 * 1024;

/**
 * How many samples a soak takes and how many of them are warm-up, checked before any node starts:
 * the growth checks need 3 samples after warm-up, and the pruning checks a run long enough for
 * CometBFT to prune at all. It keeps min_retain_blocks, keep_recent and (with 2 snapshots kept) two
 * snapshot intervals of blocks first, so its base first moves at about twice the largest of them; the
 * run must pass that with some margin (blocks taken as one a second, timeout_commit 1s).
 */
export function soakPlan(options: SoakOptions): { samples: number; warmupSamples: number } {
  const intervalSeconds = options.intervalSeconds ?? 60;
  const seconds = options.minutes * 60;
  const samples = Math.floor(seconds / intervalSeconds);
  const warmupMinutes = options.warmupMinutes ?? Math.min(5, options.minutes / 6);
  const warmupSamples = Math.min(samples - 3, Math.max(1, Math.ceil((warmupMinutes * 60) / intervalSeconds)));
  if (samples - Math.max(1, warmupSamples) < 3)
    throw new Error(
      `--minutes ${options.minutes} with --interval ${intervalSeconds} takes ${samples} sample(s); a soak needs at least 4 ` +
        `(one of warm-up, 3 to check): run at least ${(4 * intervalSeconds) / 60} min or sample more often`,
    );
  const minRetainBlocks = options.minRetainBlocks ?? 100;
  if (minRetainBlocks > 0) {
    const kept = Math.max(minRetainBlocks, options.keepRecent ?? 100, options.snapshotInterval ?? 100);
    const needed = Math.ceil((2.5 * kept) / 60);
    if (options.minutes < needed)
      throw new Error(
        `--minutes ${options.minutes} is too short to see blocks pruned: the node keeps ${kept} blocks (the largest of ` +
          `--min-retain-blocks, --keep-recent, --snapshot-interval) and prunes from about twice that; run at least ` +
          `${needed} min, lower those, or pass --min-retain-blocks 0 to leave the pruning checks out`,
      );
  }
  return { samples, warmupSamples };
}

/** Runs a soak on a fresh node and returns its samples and verdict (the node is stopped after). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { warmupSamples } = soakPlan(options);
  const log = options.log ?? (() => {});
  const intervalSeconds = options.intervalSeconds ?? 60;
  const accounts = options.accounts ?? 100;
  const minRetainBlocks = options.minRetainBlocks ?? 100;
  const previousMemoryLog = process.env.AIN_MEMORY_LOG_MS;
  process.env.AIN_MEMORY_LOG_MS = String(Math.max(1000, Math.min(30_000, (intervalSeconds * 1000) / 2)));
  const node = await startTestNode({
    accounts,
    balance: '1000000000000uain',
    timeoutCommit: options.timeoutCommit ?? '1s',
    chainId: 'ain-soak-1',
    startTimeoutMs: 120_000,
    appToml: {
      state: { keep_recent: options.keepRecent ?? 100, min_retain_blocks: minRetainBlocks },
      'state-sync': { 'snapshot-interval': options.snapshotInterval ?? 100, 'snapshot-keep-recent': options.snapshotKeepRecent ?? 2 },
    },
  }).finally(() => {
    if (previousMemoryLog === undefined) delete process.env.AIN_MEMORY_LOG_MS;
    else process.env.AIN_MEMORY_LOG_MS = previousMemoryLog;
  });
  try {
    const half = Math.floor(accounts / 2);
    let peak: number | undefined;
    let rate = options.rate;
    if (rate === undefined) {
      const measured = await runLoad(node.rpcUrl, await signedSendLanes(node.rpcUrl, node.chainId, node.accounts.slice(0, half), 20));
      peak = measured.txPerSecond;
      rate = Math.max(1, Math.round(peak / 2));
      log(`peak: ${measured.committed} sends committed at ${peak.toFixed(0)} tx/s; soak rate ${rate} tx/s`);
    }
    const keys = node.accounts.slice(half);
    const client = await StargateClient.connect(node.rpcUrl);
    const numbers = await Promise.all(keys.map(async (k) => BigInt((await client.getAccount(k.address))!.accountNumber)));
    client.disconnect();
    // Tx i: account i % n at sequence i / n, to the next account, signed as it goes out.
    const next = (i: number): Uint8Array => {
      const lane = i % keys.length;
      return signTx({
        key: keys[lane]!,
        chainId: node.chainId,
        accountNumber: numbers[lane]!,
        sequence: BigInt(Math.floor(i / keys.length)),
        messages: [sendMsg(keys[lane]!.address, keys[(lane + 1) % keys.length]!.address, '1')],
        fee: [{ denom: 'uain', amount: '2500' }],
        gasLimit: 100_000n,
      });
    };
    const seconds = options.minutes * 60;
    const loadStart = Date.now();
    const load = flood(node.rpcUrl, next, rate, seconds, 'broadcast_tx_sync', (i) => i % keys.length);
    const samples: SoakSample[] = [];
    let before = await chainPoint(node.rpcUrl);
    for (let k = 1; k * intervalSeconds <= seconds; k++) {
      await sleep(loadStart + k * intervalSeconds * 1000 - Date.now());
      const now = await chainPoint(node.rpcUrl);
      const sample = takeSample(
        node,
        (Date.now() - loadStart) / 1000,
        before,
        now,
        await txsBetween(node.rpcUrl, before.height, now.height),
      );
      before = now;
      samples.push(sample);
      options.onSample?.(sample);
    }
    const result = await load;
    const checks = soakChecks(samples, warmupSamples, { ...DEFAULT_SOAK_BOUNDS, ...options.bounds }, minRetainBlocks > 0);
    return { peak, rate, load: result, samples, warmupSamples, checks, ok: checks.every((c) => c.ok), minRetainBlocks };
  } finally {
    await node.stop();
  }
}

/**
 * The growth checks over `samples` (the first `warmupSamples` left out): RSS of both processes and the
 * app's heap (mean of the last third over the first third), open files (not sockets) of both (the lowest
 * of the last third over the lowest of the first), and
 * with `pruning` the data dir less the tx index and WAL (means of the thirds) and CometBFT's oldest block
 * (it must have moved up).
 */
export function soakChecks(samples: readonly SoakSample[], warmupSamples: number, bounds: SoakBounds, pruning: boolean): SoakCheck[] {
  const steady = samples.slice(warmupSamples);
  if (steady.length < 3)
    throw new Error(`${steady.length} samples after warm-up: a soak needs at least 3 (run longer or sample more often)`);
  const third = Math.floor(steady.length / 3);
  const mean = (part: readonly SoakSample[], field: keyof SoakSample) => part.reduce((sum, s) => sum + s[field], 0) / part.length;
  const first = steady.slice(0, third);
  const last = steady.slice(steady.length - third);
  const checks: SoakCheck[] = [];
  for (const [name, field] of [
    ['app RSS (MiB)', 'appRssMiB'],
    ['CometBFT RSS (MiB)', 'cometRssMiB'],
    ['app heap (MiB)', 'appHeapMiB'],
  ] as const) {
    const a = mean(first, field);
    const b = mean(last, field);
    const limit = a * bounds.memoryGrowth;
    checks.push({ name, first: a, last: b, limit, ok: b <= limit });
  }
  // Open files swing with transient descriptors (CometBFT's leveldb opens table files while it
  // compacts: 25-99 within minutes); a leak raises the floor, so the lowest of each third is compared.
  const lowest = (part: readonly SoakSample[], field: 'appFds' | 'cometFds') => Math.min(...part.map((s) => s[field]));
  for (const [name, field] of [
    ['app open files', 'appFds'],
    ['CometBFT open files', 'cometFds'],
  ] as const) {
    const a = lowest(first, field);
    const b = lowest(last, field);
    checks.push({ name, first: a, last: b, limit: a + bounds.extraFds, ok: b <= a + bounds.extraFds });
  }
  if (pruning) {
    const pruned = (part: readonly SoakSample[]) => part.reduce((sum, x) => sum + x.dataMiB - x.txIndexMiB - x.walMiB, 0) / part.length;
    const a = pruned(first);
    const b = pruned(last);
    checks.push({
      name: 'data dir less tx index, WAL (MiB)',
      first: a,
      last: b,
      limit: a * bounds.diskGrowth,
      ok: b <= a * bounds.diskGrowth,
    });
    const [start, end] = [steady[0]!, steady[steady.length - 1]!];
    checks.push({
      name: 'oldest kept block (pruned)',
      first: start.earliestBlock,
      last: end.earliestBlock,
      limit: start.earliestBlock + 1,
      ok: end.earliestBlock > start.earliestBlock,
    });
  }
  return checks;
}

/** The samples as an aligned table, one row per sample. */
export function soakTable(samples: readonly SoakSample[]): string {
  const header = [
    'min',
    'height',
    'base',
    'block s',
    'tx/s',
    'app RSS',
    'app heap',
    'comet RSS',
    'app fds',
    'comet fds',
    'app socks',
    'comet socks',
    'data MiB',
    'blocks',
    'states',
    'app db',
    'wal',
    'txindex',
  ];
  const rows = samples.map((s) => [
    (s.at / 60).toFixed(1),
    String(s.height),
    String(s.earliestBlock),
    s.blockSeconds.toFixed(2),
    s.txPerSecond.toFixed(0),
    s.appRssMiB.toFixed(0),
    s.appHeapMiB.toFixed(0),
    s.cometRssMiB.toFixed(0),
    String(s.appFds),
    String(s.cometFds),
    String(s.appSockets),
    String(s.cometSockets),
    s.dataMiB.toFixed(1),
    s.blockStoreMiB.toFixed(1),
    s.stateStoreMiB.toFixed(1),
    s.appDbMiB.toFixed(1),
    s.walMiB.toFixed(1),
    s.txIndexMiB.toFixed(1),
  ]);
  return alignedTable(header, rows);
}

/** The checks as an aligned table. */
export function soakChecksTable(checks: readonly SoakCheck[]): string {
  return alignedTable(
    ['check', 'first', 'last', 'limit', ''],
    checks.map((c) => [c.name, c.first.toFixed(1), c.last.toFixed(1), c.limit.toFixed(1), c.ok ? 'ok' : 'FAILED']),
  );
}

function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

interface ChainPoint {
  readonly height: number;
  readonly earliest: number;
  /** Header time of the latest block, ms. */
  readonly timeMs: number;
}

async function chainPoint(rpcUrl: string): Promise<ChainPoint> {
  const reply = (await (await fetch(`${rpcUrl}/status`)).json()) as {
    result: { sync_info: { latest_block_height: string; latest_block_time: string; earliest_block_height: string } };
  };
  const info = reply.result.sync_info;
  return {
    height: Number(info.latest_block_height),
    earliest: Number(info.earliest_block_height),
    timeMs: Date.parse(info.latest_block_time),
  };
}

/** Txs committed in heights (from, to], from CometBFT's block headers (20 per /blockchain call). */
async function txsBetween(rpcUrl: string, from: number, to: number): Promise<number> {
  let txs = 0;
  for (let max = to; max > from; max -= 20) {
    const min = Math.max(from + 1, max - 19);
    const reply = (await (await fetch(`${rpcUrl}/blockchain?minHeight=${min}&maxHeight=${max}`)).json()) as {
      result: { block_metas: { num_txs: string }[] };
    };
    for (const meta of reply.result.block_metas) txs += Number(meta.num_txs);
  }
  return txs;
}

function takeSample(node: TestNode, at: number, before: ChainPoint, now: ChainPoint, txs: number): SoakSample {
  const data = homePaths(node.home).dataDir;
  const blocks = now.height - before.height;
  const [app, comet] = [openFiles(node.appPid()), openFiles(node.cometPid())];
  return {
    at,
    height: now.height,
    earliestBlock: now.earliest,
    blockSeconds: blocks > 0 ? (now.timeMs - before.timeMs) / 1000 / blocks : Number.NaN,
    txPerSecond: now.timeMs > before.timeMs ? txs / ((now.timeMs - before.timeMs) / 1000) : 0,
    appRssMiB: rssMiB(node.appPid()),
    cometRssMiB: rssMiB(node.cometPid()),
    appHeapMiB: lastHeapMiB(join(node.home, 'app.log')),
    appFds: app.files,
    cometFds: comet.files,
    appSockets: app.sockets,
    cometSockets: comet.sockets,
    dataMiB: diskBytes(data) / MiB,
    txIndexMiB: diskBytes(join(data, 'tx_index.db')) / MiB,
    blockStoreMiB: diskBytes(join(data, 'blockstore.db')) / MiB,
    stateStoreMiB: diskBytes(join(data, 'state.db')) / MiB,
    appDbMiB: diskBytes(homePaths(node.home).applicationDb) / MiB,
    walMiB: diskBytes(join(data, 'cs.wal')) / MiB,
  };
}

/** A process's open descriptors (/proc/PID/fd): sockets and the rest; NaN once it is gone. */
export function openFiles(pid: number | undefined): { files: number; sockets: number } {
  const gone = { files: Number.NaN, sockets: Number.NaN };
  if (pid === undefined) return gone;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return gone;
  }
  let sockets = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the read
    }
  }
  return { files: fds.length - sockets, sockets };
}

/** Bytes a file or folder takes on disk (allocated blocks, so sparse files count what they use). */
export function diskBytes(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.blocks * 512;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

/** The heap's floor (lowest in use) from the last `memory` line of the app's log (see app/node.ts), NaN when none. */
function lastHeapMiB(logFile: string): number {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return Number.NaN;
  }
  const at = text.lastIndexOf(' memory {');
  if (at < 0) return Number.NaN;
  const match = /"heapUsedFloorBytes":(\d+)/.exec(text.slice(at, at + 400));
  return match ? Number(match[1]) / MiB : Number.NaN;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
