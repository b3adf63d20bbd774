/**
 * Joining a localnet at height >= 1,000 by state sync against joining by replay, side by side. A
 * 4-validator localnet with short blocks, extra genesis accounts and a burst of signed sends (so
 * replay has real blocks to execute) snapshots every `interval` heights; once the chain passes
 * `height`, a fifth node joins by CometBFT state sync (`addNode({ stateSync: true })`), then a sixth
 * by replaying every block from genesis (`addNode()`). Each join is timed from the node's start until
 * its height reaches the validators' height at that start. Prints both times, their ratio, and the
 * size and cost of the validators' latest snapshot (from their log).
 *
 * Usage: npx tsx bench/stateSync.ts [height=1000] [interval=500] [timeoutCommit=50ms] [accounts=2000]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalnet, type Localnet, startLocalnet } from '../localnet/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { runLoad, signedSendLanes } from './load.ts';

const targetHeight = Number(process.argv[2] ?? 1000);
const interval = Number(process.argv[3] ?? 500);
const timeoutCommit = process.argv[4] ?? '50ms';
const accounts = Number(process.argv[5] ?? 2000);
const SENDERS = 100;
const TXS_PER_SENDER = 10;
const BALANCE = '1000000000uain';

interface Join {
  readonly how: string;
  readonly from: number;
  readonly to: number;
  readonly ms: number;
}

/** Adds a node and times it until it reaches node 0's height at its start. */
async function timedJoin(net: Localnet, how: string, stateSync: boolean): Promise<Join> {
  const to = (await net.height(0))!;
  const started = performance.now();
  const node = await net.addNode({ stateSync });
  const index = net.nodes.findIndex((n) => n.name === node.name);
  await net.waitForHeight(to, { nodes: [index], timeoutMs: 1_800_000 });
  const ms = performance.now() - started;
  const status = (await fetch(`${node.rpcUrl}/status`).then((r) => r.json())) as {
    result: { sync_info: { earliest_block_height: string } };
  };
  return { how, from: Number(status.result.sync_info.earliest_block_height), to, ms };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-bench-statesync-'));
  const keys = Array.from({ length: accounts }, (_, i) => testKey(`bench-statesync/${i}`));
  try {
    await createLocalnet({
      dir,
      validators: 4,
      chainId: 'ain-bench-statesync-1',
      timeoutCommit,
      accounts: keys.map((k) => ({ address: k.address, coins: BALANCE })),
      snapshots: { interval, chunkSize: 4 * 1024 * 1024, keepRecent: 4 },
    });
    const net = await startLocalnet({ dir, log: (line) => console.error(line) });
    try {
      const lanes = await signedSendLanes(net.nodes[0]!.rpcUrl, net.chainId, keys.slice(0, SENDERS), TXS_PER_SENDER);
      const load = await runLoad(net.nodes[0]!.rpcUrl, lanes);
      console.log(`load: ${load.committed} signed sends committed in ${load.blocks} blocks`);
      const startedWaiting = performance.now();
      const startHeight = (await net.height(0))!;
      await net.waitForHeight(targetHeight + 2, { timeoutMs: 3_600_000 });
      const blockMs = (performance.now() - startedWaiting) / Math.max(1, targetHeight + 2 - startHeight);
      console.log(`chain at height ${(await net.height(0))!} (about ${blockMs.toFixed(0)} ms a block while waiting)`);

      const bySnapshot = await timedJoin(net, 'state sync', true);
      const byReplay = await timedJoin(net, 'replay from genesis', false);
      const snapshotLine = readFileSync(join(dir, 'node0', 'app.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('snapshot taken'))
        .at(-1);
      console.log('');
      console.log('join                 blocks in store   reached height   time');
      for (const j of [bySnapshot, byReplay]) {
        console.log(`${j.how.padEnd(20)} ${`${j.from}..`.padEnd(17)} ${String(j.to).padEnd(16)} ${(j.ms / 1000).toFixed(1)} s`);
      }
      console.log(`replay / state sync: ${(byReplay.ms / bySnapshot.ms).toFixed(2)}x`);
      console.log(`latest snapshot on node0: ${snapshotLine?.replace(/^.*snapshot taken /, '') ?? '(none logged)'}`);
    } finally {
      await net.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
