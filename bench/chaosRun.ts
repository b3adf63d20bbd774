/**
 * The chaos run: a 4-validator localnet with Big Storage and an executor under a steady signed load of
 * sends, state writes and function calls at half the measured peak (bench/chaosLoad.ts). Each round
 * picks a fault at random (kill -9 of a validator's app, of its CometBFT, of both, of the executor, of
 * storage, or SIGSTOP of a validator for a while), restores it (restart, SIGCONT), measures the
 * recovery (until every node has caught up with the height the others had when it came back), and
 * runs the checks from the chain alone (bench/chaosChecks.ts). Used by bench/chaos.ts and
 * test/chaos.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { connectAin } from '../client/connectAin.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { createLocalnet, type Localnet, startLocalnet } from '../localnet/index.ts';
import { putBlob } from '../storage/client.ts';
import { testKey, type TestKey } from '../test/helpers/tx.ts';
import { ChainChecker, CHECK_NAMES, type CheckName, type CheckResult } from './chaosChecks.ts';
import { ChaosLoad, type LoadCounts, rpc } from './chaosLoad.ts';
import { runLoad, signedSendLanes } from './load.ts';
import { percentile } from './stats.ts';
import { rng } from '../tree/testUtil.fixture.ts';

export const FAULTS = ['kill-app', 'kill-comet', 'kill-node', 'kill-executor', 'kill-storage', 'pause-node'] as const;
export type Fault = (typeof FAULTS)[number];

export interface ChaosOptions {
  readonly rounds: number;
  /** Seed of the fault choice (default: the time). */
  readonly seed?: number;
  /** Sends and writes per second; default half the measured peak of sends. */
  readonly rate?: number;
  /** Function calls per second (default 1). */
  readonly callRate?: number;
  /** How long a validator stays SIGSTOPped, ms (default 5,000-30,000). */
  readonly pauseMs?: readonly [number, number];
  /** How long a killed process stays down before its restart, ms (default 2,000-10,000). */
  readonly downMs?: readonly [number, number];
  /** Steady load before each fault, ms (default 5,000). */
  readonly steadyMs?: number;
  /** Longest allowed time between blocks (default 20 s). */
  readonly maxBlockGapSeconds?: number;
  /** Sends per account when measuring the peak (default 20, with 50 accounts). */
  readonly peakTxsPerAccount?: number;
  readonly timeoutCommit?: string;
  readonly log?: (line: string) => void;
  /** Called after each round. */
  readonly onRound?: (round: RoundReport) => void;
}

export interface RoundReport {
  readonly round: number;
  readonly fault: Fault;
  readonly target: string;
  /** How long the fault lasted (down or stopped), s. */
  readonly faultSeconds: number;
  /** From restart or SIGCONT until every node reached the height the others had then, s. */
  readonly recoverySeconds: number;
  readonly height: number;
  readonly checks: readonly CheckResult[];
  readonly ok: boolean;
}

export interface ChaosReport {
  readonly seed: number;
  readonly peak: number;
  readonly rate: number;
  readonly callRate: number;
  readonly rounds: readonly RoundReport[];
  /** The check after the load stopped and every call settled. */
  readonly final: readonly CheckResult[];
  readonly load: LoadCounts & { committed: number };
  readonly totals: ChainChecker['totals'];
  readonly pendingCalls: number;
  readonly callOutcomes: ReturnType<ChainChecker['callOutcomes']>;
  readonly seconds: number;
  readonly ok: boolean;
}

const VALIDATORS = 4;
const BALANCE = 1_000_000_000_000n;
const PRICE = 1000n;
const TIMEOUT_BLOCKS = 40;
const SUM_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {a,b}=JSON.parse(s);process.stdout.write(JSON.stringify(a+b));});\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs the chaos rounds on a fresh localnet and returns the report (the localnet is stopped and removed after). */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? Date.now() % 1_000_000;
  const random = rng(seed); // mulberry32: the fault sequence of a seed repeats
  const between = ([lo, hi]: readonly [number, number]) => Math.round(lo + random() * (hi - lo));
  const started = Date.now();
  const keys = {
    senders: Array.from({ length: 32 }, (_, i) => testKey(`chaos/send/${i}`)),
    writers: Array.from({ length: 8 }, (_, i) => testKey(`chaos/write/${i}`)),
    caller: testKey('chaos/caller'),
    admin: testKey('chaos/admin'),
    peak: Array.from({ length: 50 }, (_, i) => testKey(`chaos/peak/${i}`)),
  };
  const tracked = [...keys.senders, ...keys.writers, keys.caller];
  const dir = mkdtempSync(join(tmpdir(), 'ain-chaos-'));
  let net: Localnet | undefined;
  let load: ChaosLoad | undefined;
  try {
    await createLocalnet({
      dir,
      validators: VALIDATORS,
      chainId: 'ain-chaos-1',
      timeoutCommit: options.timeoutCommit ?? '500ms',
      accounts: [...tracked, keys.admin, ...keys.peak].map((k) => ({ address: k.address, coins: `${BALANCE}uain` })),
    });
    net = await startLocalnet({ dir, startTimeoutMs: 180_000 });
    const localnet = net;
    log(`localnet up in ${dir}: ${localnet.rpcUrls.join(' ')}`);
    await setUpFunction(localnet, keys.admin, keys.caller);

    const peakResult = await runLoad(
      localnet.rpcUrls[0]!,
      await signedSendLanes(localnet.rpcUrls[0]!, localnet.chainId, keys.peak, options.peakTxsPerAccount ?? 20),
    );
    const peak = peakResult.txPerSecond;
    const rate = options.rate ?? Math.max(5, Math.round(peak / 2));
    const callRate = options.callRate ?? 1;
    log(
      `peak: ${peakResult.committed} sends at ${peak.toFixed(0)} tx/s; load ${rate} tx/s of sends and writes, ${callRate} call/s; seed ${seed}`,
    );

    const reader = await StargateClient.connect(localnet.rpcUrls[0]!);
    const accountNumbers = new Map<string, bigint>();
    for (const k of tracked) accountNumbers.set(k.address, BigInt((await reader.getAccount(k.address))!.accountNumber));
    reader.disconnect();

    const down = new Set<number>();
    const targets = () => [0, 1, 2, 3].filter((i) => !down.has(i));
    load = new ChaosLoad({
      chainId: localnet.chainId,
      rpcUrls: localnet.rpcUrls,
      targets,
      senders: keys.senders,
      writers: keys.writers,
      caller: keys.caller,
      accountNumbers,
      rate,
      callRate,
      writePrefix: '/apps/chaos/w',
      callPrefix: '/apps/chaos/fn/request',
    });
    const loadStart = await heightOf(localnet, 0);
    const checker = new ChainChecker({
      livenessFrom: loadStart,
      rpcUrls: localnet.rpcUrls,
      genesis: new Map(tracked.map((k) => [k.address, BALANCE])),
      sent: load.sent,
      acked: load.acked,
      price: PRICE,
      maxBlockGapSeconds: options.maxBlockGapSeconds ?? 20,
    });
    // Heights before the load are checked too (setup, peak): app hashes from height 1, liveness from the load's start.
    await load.start(loadStart);

    const rounds: RoundReport[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      await sleep(options.steadyMs ?? 5000);
      const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
      const node = Math.floor(random() * VALIDATORS);
      const onNode = fault !== 'kill-executor' && fault !== 'kill-storage';
      const target = onNode ? `node${node}` : fault === 'kill-executor' ? 'executor' : 'storage';
      const holdMs = fault === 'pause-node' ? between(options.pauseMs ?? [5000, 30_000]) : between(options.downMs ?? [2000, 10_000]);
      log(`round ${round}: ${fault} ${target} for ${(holdMs / 1000).toFixed(1)} s`);
      if (onNode) down.add(node);
      const faultAt = Date.now();
      await inject(localnet, fault, node);
      await sleep(holdMs);
      const others = onNode ? [0, 1, 2, 3].filter((i) => i !== node) : [0, 1, 2, 3];
      const restoredAt = Date.now();
      await restore(localnet, fault, node);
      const faultSeconds = (restoredAt - faultAt) / 1000;
      const targetHeight = Math.max(...(await Promise.all(others.map((i) => heightOf(localnet, i)))));
      await waitAll(localnet, targetHeight, 180_000);
      const recoverySeconds = (Date.now() - restoredAt) / 1000;
      down.delete(node);
      // waitAll saw every node at targetHeight: a lower answer is a node whose RPC timed out (0).
      const common = reachedHeight(await Promise.all([0, 1, 2, 3].map((i) => heightOf(localnet, i))), targetHeight);
      await load.trackedTo(common);
      const checks = await checker.check(common);
      const report: RoundReport = {
        round,
        fault,
        target,
        faultSeconds,
        recoverySeconds,
        height: common,
        checks,
        ok: checks.every((c) => c.ok),
      };
      rounds.push(report);
      options.onRound?.(report);
      if (!report.ok)
        log(
          `round ${round} FAILED: ${checks
            .filter((c) => !c.ok)
            .map((c) => `${c.name}: ${c.detail}`)
            .join(' | ')}`,
        );
    }

    // Stop the load, let every call settle (answered or expired), check once more.
    await load.stop();
    const drainUntil = Date.now() + 120_000;
    let checked = rounds.at(-1)?.height ?? 0;
    const nextCheck = async () => {
      checked = reachedHeight(await Promise.all([0, 1, 2, 3].map((i) => heightOf(localnet, i))), checked);
      return checker.check(checked);
    };
    let final = await nextCheck();
    while (checker.pendingCalls() > 0 && Date.now() < drainUntil) {
      await sleep(2000);
      final = await nextCheck();
    }
    const pendingCalls = checker.pendingCalls();
    const committed = [...load.acked.values()].length;
    return {
      seed,
      peak,
      rate,
      callRate,
      rounds,
      final,
      load: { ...load.counts, committed },
      totals: checker.totals,
      pendingCalls,
      callOutcomes: checker.callOutcomes(),
      seconds: (Date.now() - started) / 1000,
      ok: rounds.every((r) => r.ok) && final.every((c) => c.ok) && pendingCalls === 0,
    };
  } finally {
    await load?.stop().catch(() => {});
    await net?.stop().catch((error) => log(`stop: ${(error as Error).message}`));
    if (process.env.AIN_TEST_KEEP_HOME !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

/** The app `chaos`: writes under /apps/chaos/w by anyone, and a priced function on /apps/chaos/fn/request/$key for the caller. */
async function setUpFunction(net: Localnet, admin: TestKey, caller: TestKey): Promise<void> {
  const wallet = await DirectSecp256k1Wallet.fromKey(admin.privkey, ADDRESS_PREFIX);
  const client = await connectAin({ rpcUrl: net.rpcUrls[0]!, signer: wallet, broadcastPollIntervalMs: 200 });
  try {
    await client.createApp('chaos', { admins: [admin.address], public: false });
    await client.ref('/apps/chaos/w/$lane/$key').setRule({ write: 'true' });
    await client.ref('/apps/chaos/fn/result/$key').setRule({ write: `auth.fid == 'chaos_sum'` });
    await client.ref('/apps/chaos/fn/request/$key').setRule({ write: `auth.addr == '${caller.address}'` });
    const { hash } = await putBlob(net.storageUrl, new TextEncoder().encode(SUM_JS), admin);
    await client.ref('/apps/chaos/fn/request/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'chaos_sum',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: TIMEOUT_BLOCKS,
      price: PRICE.toString(),
      output_path: '/apps/chaos/fn/result/$key',
      executors: 'any',
    });
  } finally {
    client.disconnect();
  }
}

async function inject(net: Localnet, fault: Fault, node: number): Promise<void> {
  if (fault === 'kill-app') await net.killProcess(`node${node}/app`);
  else if (fault === 'kill-comet') await net.killProcess(`node${node}/comet`);
  else if (fault === 'kill-node') await net.killNode(node);
  else if (fault === 'kill-executor') await net.killProcess('executor');
  else if (fault === 'kill-storage') await net.killProcess('storage');
  else net.pauseNode(node);
}

async function restore(net: Localnet, fault: Fault, node: number): Promise<void> {
  if (fault === 'kill-executor') await net.restartExecutor();
  else if (fault === 'kill-storage') await net.restartStorage();
  else if (fault === 'pause-node') net.resumeNode(node);
  else await net.restartNode(node);
}

/**
 * The height node i's app has committed (ABCI Info; 0 when its RPC does not answer within the
 * timeout), the height the checks then query state at: CometBFT's `/status` shows a block a moment
 * before its app has executed it.
 */
async function heightOf(net: Localnet, i: number): Promise<number> {
  try {
    const info = await rpc<{ response: { last_block_height?: string } }>(net.rpcUrls[i]!, 'abci_info', {}, 3000);
    return Number(info.response.last_block_height ?? 0);
  } catch {
    return 0;
  }
}

/**
 * The height every node has committed: the lowest of their answers, but never below `floor`, a height
 * all of them were already seen at (heights only grow; a node whose RPC timed out answered 0, and a
 * check at height 0 queries the latest state against a replay of nothing).
 * @example reachedHeight([120, 0, 121, 119], 118) // 118
 */
export function reachedHeight(heights: readonly number[], floor: number): number {
  return Math.max(floor, Math.min(...heights));
}

async function commonHeight(net: Localnet): Promise<number> {
  return Math.min(...(await Promise.all([0, 1, 2, 3].map((i) => heightOf(net, i)))));
}

async function waitAll(net: Localnet, height: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await commonHeight(net)) < height) {
    if (Date.now() > deadline) throw new Error(`the nodes did not all reach height ${height} within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The rounds as an aligned table: fault, target, how long, recovery, each check. */
export function chaosTable(rounds: readonly RoundReport[]): string {
  const header = ['round', 'fault', 'target', 'fault s', 'recovery s', 'height', ...CHECK_NAMES];
  const rows = rounds.map((r) => [
    String(r.round),
    r.fault,
    r.target,
    r.faultSeconds.toFixed(1),
    r.recoverySeconds.toFixed(1),
    String(r.height),
    ...CHECK_NAMES.map((name) => (r.checks.find((c) => c.name === name)?.ok ? 'ok' : 'FAIL')),
  ]);
  return alignedTable(header, rows);
}

/** Faults by kind with their recovery times (p50, max). */
export function chaosSummary(rounds: readonly RoundReport[]): string {
  const rows = FAULTS.map((fault) => {
    const times = rounds
      .filter((r) => r.fault === fault)
      .map((r) => r.recoverySeconds)
      .sort((a, b) => a - b);
    return [
      fault,
      String(times.length),
      times.length ? percentile(times, 50).toFixed(1) : '-',
      times.length ? times.at(-1)!.toFixed(1) : '-',
    ];
  });
  const all = rounds.map((r) => r.recoverySeconds).sort((a, b) => a - b);
  rows.push(['all', String(all.length), all.length ? percentile(all, 50).toFixed(1) : '-', all.length ? all.at(-1)!.toFixed(1) : '-']);
  return alignedTable(['fault', 'rounds', 'recovery p50 s', 'recovery max s'], rows);
}

/** The final checks as a table. */
export function checksTable(checks: readonly CheckResult[]): string {
  return alignedTable(
    ['check', 'result', 'detail'],
    checks.map((c) => [c.name, c.ok ? 'ok' : 'FAIL', c.detail]),
  );
}

export function failedChecks(report: ChaosReport): CheckName[] {
  return [...new Set([...report.rounds.flatMap((r) => r.checks), ...report.final].filter((c) => !c.ok).map((c) => c.name))];
}

function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
