/**
 * `npm run bench:flood`: one node flooded at 10x its measured peak rate, first with valid signed sends,
 * then with invalid ones (bad signature, wrong sequence, fee below the minimum). During each flood a
 * balance is queried every 100 ms through REST and through CometBFT's RPC; the run prints the p50/p99 of
 * those queries against a quiet baseline taken in the same run, the highest RSS of the app and of
 * CometBFT, whether both processes are still up, and how long the mempool takes to drain afterwards.
 *
 * Usage: tsx bench/flood.ts [--seconds 60] [--peak TX_PER_S] [--accounts 300] [--drain-seconds 120] [--async]
 * (without --peak the peak is measured first, as bench/send.ts does, on a third of the accounts).
 * By default txs go through `broadcast_tx_sync`, so every refusal is counted, and the node's answers pace
 * the offer (at most 1,024 requests in flight); `--async` uses `broadcast_tx_async`, which CometBFT takes
 * without waiting for CheckTx, so the full 10x is offered.
 */
import { parseArgs } from 'node:util';
import { StargateClient } from '@cosmjs/stargate';
import { startTestNode, type TestNode } from '../test/helpers/node.ts';
import { flood, type FloodResult, invalidTxs, type ProbeResult, probeBalance, sampleRss, waitMempoolEmpty } from './floodLoad.ts';
import { runLoad, signedSendLanes } from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    peak: { type: 'string' },
    accounts: { type: 'string', default: '300' },
    'drain-seconds': { type: 'string', default: '120' },
    'max-presigned': { type: 'string', default: '50000' },
    async: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const accounts = Number(values.accounts);
const drainSeconds = Number(values['drain-seconds']);
const maxPresigned = Number(values['max-presigned']);
const method = values.async ? 'broadcast_tx_async' : 'broadcast_tx_sync';
for (const [name, value] of Object.entries({ seconds, accounts, drainSeconds, maxPresigned })) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
}

interface Phase {
  readonly name: string;
  readonly flood?: FloodResult;
  readonly probe: ProbeResult;
  readonly rss: readonly number[];
  readonly up: boolean;
  readonly drainSeconds?: number | undefined;
}

/** Queries the node and samples RSS while `work` runs (or for `quietSeconds` with no load). */
async function phase(node: TestNode, name: string, work: () => Promise<FloodResult | undefined>): Promise<Phase> {
  let done!: () => void;
  const stop = new Promise<void>((resolve) => {
    done = resolve;
  });
  const probe = probeBalance(node.apiUrl, node.rpcUrl, node.accounts[0]!.address, stop);
  const rss = sampleRss(() => [node.appPid(), node.cometPid()], stop);
  const result = await work().finally(done);
  const up = node.isRunning('app') && node.isRunning('comet');
  const drained = result ? await waitMempoolEmpty(node.rpcUrl, drainSeconds * 1000) : undefined;
  return { name, ...(result ? { flood: result } : {}), probe: await probe, rss: await rss, up, drainSeconds: drained };
}

function report(p: Phase, baseline: Phase | undefined): void {
  const f = p.flood;
  const load = f
    ? `offered ${f.sent} txs in ${f.seconds.toFixed(1)} s (${(f.sent / f.seconds).toFixed(0)} tx/s): accepted ${f.accepted}, refused ${f.refused}, unanswered ${f.lost}`
    : 'no load';
  console.log(`\n${p.name}: ${load}`);
  if (f && f.reasons.length > 0)
    console.log(
      `  refusals: ${f.reasons
        .slice(0, 4)
        .map(([r, n]) => `${n} x "${r}"`)
        .join('; ')}`,
    );
  for (const which of ['rest', 'rpc'] as const) {
    const q = p.probe[which];
    const ratio = baseline
      ? `  (x${(q.p50Ms / baseline.probe[which].p50Ms).toFixed(1)} p50, x${(q.p99Ms / baseline.probe[which].p99Ms).toFixed(1)} p99 vs quiet)`
      : '';
    console.log(`  balance via ${which.padEnd(4)}: ${q.count} queries, ${q.failed} failed, p50 ${q.p50Ms} ms, p99 ${q.p99Ms} ms${ratio}`);
  }
  console.log(
    `  highest RSS: app ${p.rss[0]!.toFixed(0)} MiB, cometbft ${p.rss[1]!.toFixed(0)} MiB; processes ${p.up ? 'both up' : 'NOT ALL UP (crash)'}` +
      (f
        ? `; mempool ${p.drainSeconds === undefined ? `NOT drained within ${drainSeconds} s` : `drained ${p.drainSeconds.toFixed(1)} s after the flood`}`
        : ''),
  );
}

const node = await startTestNode({
  accounts,
  balance: '1000000000000uain',
  timeoutCommit: '1s',
  chainId: 'ain-flood-1',
  startTimeoutMs: 120_000,
});
try {
  const third = Math.floor(accounts / 3);
  const peakKeys = node.accounts.slice(0, third);
  const validKeys = node.accounts.slice(third, 2 * third);
  const invalidKeys = node.accounts.slice(2 * third);
  console.log(`bench/flood: one node on 127.0.0.1, timeout_commit 1s, ${accounts} accounts, ${seconds} s per flood, ${method}`);
  const quiet = await phase(node, 'quiet baseline', async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.min(10, seconds) * 1000));
    return undefined;
  });
  report(quiet, undefined);

  let peak = values.peak === undefined ? Number.NaN : Number(values.peak);
  if (values.peak === undefined) {
    const measured = await runLoad(node.rpcUrl, await signedSendLanes(node.rpcUrl, node.chainId, peakKeys, 20));
    peak = measured.txPerSecond;
    console.log(`\npeak measured: ${measured.committed} sends committed at ${peak.toFixed(0)} tx/s (p99 ${measured.p99Ms} ms to commit)`);
  }
  const rate = Math.round(10 * peak);
  console.log(`flood rate: ${rate} tx/s (10x the peak of ${peak.toFixed(0)} tx/s)`);

  const perAccount = Math.max(1, Math.ceil(Math.min(rate * seconds, maxPresigned) / validKeys.length));
  const signing = Date.now();
  const lanes = await signedSendLanes(node.rpcUrl, node.chainId, validKeys, perAccount);
  // Interleaved so every account's sequences go out in order: tx i is account i % n, sequence i / n.
  const valid = lanes[0]!.flatMap((_, seq) => lanes.map((lane) => lane[seq]!));
  console.log(`pre-signed ${valid.length} valid sends in ${Date.now() - signing} ms (past them the same txs are offered again)`);
  const validPhase = await phase(node, 'valid flood', () =>
    flood(
      node.rpcUrl,
      (i) => valid[i % valid.length]!,
      rate,
      seconds,
      method,
      (i) => i % lanes.length,
    ),
  );
  report(validPhase, quiet);

  const client = await StargateClient.connect(node.rpcUrl);
  const numbers = await Promise.all(invalidKeys.map(async (k) => BigInt((await client.getAccount(k.address))!.accountNumber)));
  client.disconnect();
  const invalid = invalidTxs(node.chainId, invalidKeys, numbers);
  const invalidPhase = await phase(node, 'invalid flood (bad signature, wrong sequence, low fee)', () =>
    flood(node.rpcUrl, invalid, rate, seconds, method),
  );
  report(invalidPhase, quiet);
  const ok = [validPhase, invalidPhase].every((p) => p.up && p.drainSeconds !== undefined);
  console.log(`\n${ok ? 'OK' : 'FAILED'}: no crash and the mempool drained after both floods: ${ok}`);
  if (!ok) process.exitCode = 1;
} finally {
  await node.stop();
}
