/**
 * `npm run bench`: committed signed bank sends per second on one node of this machine, p50/p99
 * latency from broadcast to commit, and peak RSS of the app and of CometBFT; then the same load shape
 * (same lanes, tx count and tx size) against `cometbft node --proxy_app=kvstore`, and the ratio. Then
 * the same kvstore as a separate process on the ABCI socket (CometBFT's `abci-cli kvstore`, built from
 * the pinned version into .bin/): what CometBFT itself costs beside an out-of-process app that answers
 * at once, so the gap to the goal splits into CometBFT's socket and our app. Each run also prints its
 * processes' CPU per committed tx.
 *
 * Usage: tsx bench/send.ts [accounts=400] [txsPerAccount=50] [broadcast_tx_sync|broadcast_tx_async] [index=default|all] [--timeline]
 * (`index=all`: app.toml `index-events = []`, CometBFT indexes every event attribute; `--timeline`: after
 * the ain run, one row per 100 ms of the app's ABCI calls beside each process's CPU, bench/timeline.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cometbftEnvironment } from '../app/index.ts';
import { applyNodeConfig, COMETBFT_BIN, setTomlValues } from '../home/index.ts';
import { portOpen } from '../localnet/index.ts';
import { ABCI_CLI_BIN, ensureAbciCli } from '../scripts/setup.mjs';
import { freePorts, startTestNode } from '../test/helpers/node.ts';
import { until } from '../test/helpers/poll.ts';
import { cpuSeconds, peakRssMiB, rssMiB, runLoad, signedSendLanes, type LoadResult } from './load.ts';
import { CpuTimeline, printTimeline } from './timeline.ts';

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
for (const flag of flags) if (flag !== '--timeline') throw new Error(`unknown flag ${flag}; the only one is --timeline`);
const accounts = Number(args[0] ?? 400);
const txsPerAccount = Number(args[1] ?? 50);
const method = (args[2] ?? 'broadcast_tx_sync') as 'broadcast_tx_async' | 'broadcast_tx_sync';
const indexAll = args[3] === 'index=all';
const timeline = flags.includes('--timeline');
const TIMEOUT_COMMIT = '1s';

function print(name: string, r: LoadResult, rss: string): void {
  console.log(
    `${name.padEnd(9)} committed ${r.committed}/${r.sent} (rejected ${r.rejected}) in ${r.seconds.toFixed(2)} s: ` +
      `${r.txPerSecond.toFixed(0)} tx/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.blocks} blocks (max ${r.maxBlockTxs} txs); ${rss}`,
  );
}

/** CPU per committed tx, the unit of the budget in bench/README.md: what the app and CometBFT each spend. */
function perTx(appCpu: number, cometCpu: number, r: LoadResult): string {
  const us = (seconds: number) => ((seconds * 1e6) / Math.max(1, r.committed)).toFixed(0);
  return `per committed tx: app ${us(appCpu)} µs + cometbft ${us(cometCpu)} µs = ${us(appCpu + cometCpu)} µs`;
}

async function benchApp(): Promise<{ result: LoadResult; txBytes: number; cometCpu: number }> {
  // --timeline: the app counts its ABCI calls per 100 ms and writes them here when it stops.
  const timelineDir = timeline ? mkdtempSync(join(tmpdir(), 'ain-bench-timeline-')) : undefined;
  const timelineFile = timelineDir && join(timelineDir, 'abci.json');
  if (timelineFile) Object.assign(process.env, { AIN_ABCI_STATS: '1', AIN_ABCI_TIMELINE: timelineFile });
  let cpuTimeline: CpuTimeline | undefined;
  let loadWindow: [number, number] | undefined;
  const node = await startTestNode({
    accounts,
    balance: '1000000000000uain',
    timeoutCommit: TIMEOUT_COMMIT,
    chainId: 'ain-bench-1',
    startTimeoutMs: 120_000,
    ...(indexAll ? { appToml: { '': { 'index-events': [] } } } : {}),
  });
  try {
    const started = Date.now();
    const lanes = await signedSendLanes(node.rpcUrl, node.chainId, node.accounts, txsPerAccount);
    const txBytes = Math.round(lanes.flat().reduce((n, tx) => n + tx.length, 0) / (accounts * txsPerAccount));
    console.log(`pre-signed ${accounts * txsPerAccount} sends (${txBytes} bytes each) in ${Date.now() - started} ms`);
    const cpu = [cpuSeconds(node.appPid()), cpuSeconds(node.cometPid()), process.cpuUsage()];
    cpuTimeline = timeline ? new CpuTimeline(node.appPid(), node.cometPid()) : undefined;
    cpuTimeline?.start();
    const loadStart = Date.now();
    const result = await runLoad(node.rpcUrl, lanes, method);
    cpuTimeline?.stop();
    loadWindow = [loadStart, loadStart + result.seconds * 1000];
    const benchCpu = process.cpuUsage(cpu[2] as NodeJS.CpuUsage);
    const cometCpu = cpuSeconds(node.cometPid()) - (cpu[1] as number);
    print(
      'ain',
      result,
      `peak RSS app ${peakRssMiB(node.appPid()).toFixed(0)} MiB, cometbft ${peakRssMiB(node.cometPid()).toFixed(0)} MiB`,
    );
    const appCpu = cpuSeconds(node.appPid()) - (cpu[0] as number);
    console.log(
      `          CPU during the load: app ${appCpu.toFixed(1)} s, cometbft ${cometCpu.toFixed(1)} s, ` +
        `load generator ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s (2 cores); ${perTx(appCpu, cometCpu, result)}`,
    );
    const end = rssMiB(node.appPid());
    console.log(
      `          app RSS at the end: ${end.total.toFixed(0)} MiB (anonymous ${end.anon.toFixed(0)}, file pages ${end.file.toFixed(0)}: lmdb's map of the store)`,
    );
    return { result, txBytes, cometCpu };
  } finally {
    await node.stop();
    delete process.env.AIN_ABCI_STATS;
    delete process.env.AIN_ABCI_TIMELINE;
    // The app wrote its calls when it stopped.
    if (cpuTimeline && loadWindow && timelineFile) {
      try {
        printTimeline(cpuTimeline, timelineFile, ...loadWindow);
      } catch (error) {
        console.log(`no timeline: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (timelineDir) rmSync(timelineDir, { recursive: true, force: true });
  }
}

/**
 * CometBFT's kvstore under the same load: in CometBFT's process (`in-process`, the issue's baseline),
 * or as `abci-cli kvstore` on the ABCI socket (`socket`).
 */
async function benchKvstore(txBytes: number, where: 'in-process' | 'socket'): Promise<LoadResult & { cometCpu: number }> {
  const home = mkdtempSync(join(tmpdir(), 'ain-bench-kvstore-'));
  const init = spawn(COMETBFT_BIN, ['init', '--home', home], { stdio: 'ignore' });
  await new Promise((resolve) => init.once('exit', resolve));
  const [rpc, p2p, abci = 0] = await freePorts(3);
  const proxyApp = where === 'socket' ? `tcp://127.0.0.1:${abci}` : 'kvstore';
  const configPath = join(home, 'config', 'config.toml');
  const config = setTomlValues(applyNodeConfig(readFileSync(configPath, 'utf8'), 'kvstore'), {
    '': { proxy_app: proxyApp },
    rpc: { laddr: `tcp://127.0.0.1:${rpc}`, pprof_laddr: '' },
    p2p: { laddr: `tcp://127.0.0.1:${p2p}` },
    consensus: { timeout_commit: TIMEOUT_COMMIT },
  });
  writeFileSync(configPath, config);
  const app =
    where === 'socket' ? spawn(ABCI_CLI_BIN, ['kvstore', '--address', proxyApp, '--log_level', 'error'], { stdio: 'ignore' }) : undefined;
  let node: ChildProcess | undefined;
  try {
    if (app) await until(`abci-cli kvstore to listen on ${proxyApp}`, async () => ((await portOpen(abci)) ? true : undefined), 10_000);
    // The same Go runtime settings (scheduler slots, GOGC) as the ain node's CometBFT (`cometbftEnvironment`, app/node.ts).
    node = spawn(COMETBFT_BIN, ['node', '--home', home, `--proxy_app=${proxyApp}`, '--log_level', 'error'], {
      stdio: 'ignore',
      env: cometbftEnvironment(),
    });
    const rpcUrl = `http://127.0.0.1:${rpc}`;
    for (let i = 0; i < 200; i++) {
      try {
        const status = (await (await fetch(`${rpcUrl}/status`)).json()) as { result: { sync_info: { latest_block_height: string } } };
        if (Number(status.result.sync_info.latest_block_height) >= 1) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // Same lanes, counts and sizes: `key=value` txs padded to the app's tx size.
    const lanes = Array.from({ length: accounts }, (_, lane) =>
      Array.from({ length: txsPerAccount }, (_, i) => {
        const head = `k${lane}_${i}=`;
        return Buffer.from(head + 'v'.repeat(Math.max(1, txBytes - head.length)));
      }),
    );
    const cpu = [cpuSeconds(node.pid), cpuSeconds(app?.pid), process.cpuUsage()] as const;
    const result = await runLoad(rpcUrl, lanes, method);
    const benchCpu = process.cpuUsage(cpu[2]);
    const cometCpu = cpuSeconds(node.pid) - cpu[0];
    print(where === 'socket' ? 'kvstore/s' : 'kvstore', result, `peak RSS cometbft ${peakRssMiB(node.pid).toFixed(0)} MiB`);
    const appCpu = app ? cpuSeconds(app.pid) - cpu[1] : 0;
    console.log(
      `          CPU during the load: ${app ? `abci-cli ${appCpu.toFixed(1)} s, ` : ''}cometbft ${cometCpu.toFixed(1)} s, ` +
        `load generator ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s; ${perTx(appCpu, cometCpu, result)}`,
    );
    return { ...result, cometCpu };
  } finally {
    for (const child of [node, app]) {
      if (!child || child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(home, { recursive: true, force: true });
  }
}

console.log(
  `bench/send: ${accounts} accounts x ${txsPerAccount} sends via ${method}, timeout_commit ${TIMEOUT_COMMIT}, one node on 127.0.0.1, ` +
    `index-events ${indexAll ? '[] (all)' : "app.toml's default"}`,
);
ensureAbciCli();
const ain = await benchApp();
const kv = await benchKvstore(ain.txBytes, 'in-process');
const kvSocket = await benchKvstore(ain.txBytes, 'socket');
console.log(
  `ratio ain/kvstore: ${(ain.result.txPerSecond / kv.txPerSecond).toFixed(2)} (goal >= 0.60; goal >= 5000 tx/s), ` +
    `p50 ${(ain.result.p50Ms / kv.p50Ms).toFixed(2)}x (goal <= 1.3x)`,
);
console.log(
  `          kvstore on the ABCI socket / in process: ${(kvSocket.txPerSecond / kv.txPerSecond).toFixed(2)} ` +
    `(CometBFT's CPU ${kvSocket.cometCpu.toFixed(1)} s against ${kv.cometCpu.toFixed(1)} s, and ${ain.cometCpu.toFixed(1)} s beside ain); ` +
    `ain / kvstore on the socket: ${(ain.result.txPerSecond / kvSocket.txPerSecond).toFixed(2)}`,
);
