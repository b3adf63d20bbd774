/**
 * `npx tsx bench/txIndex.ts [accounts=200] [txsPerAccount=25]`: what app.toml `index-events` saves.
 * The same pre-signed sends go to a node with a new home's default list and to one with `[]` (every
 * attribute indexed, the baseline); for each it prints committed tx/s, CometBFT's and the app's CPU
 * seconds during the load, and the size of CometBFT's tx index once the last block is indexed, with the
 * ratios default / all.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestNode } from '../test/helpers/node.ts';
import { cpuSeconds, type LoadResult, runLoad, signedSendLanes } from './load.ts';

const accounts = Number(process.argv[2] ?? 200);
const txsPerAccount = Number(process.argv[3] ?? 25);

interface Run {
  readonly result: LoadResult;
  readonly cometCpu: number;
  readonly appCpu: number;
  readonly indexMiB: number;
}

function sizeMiB(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes / 2 ** 20;
}

async function run(indexAll: boolean): Promise<Run> {
  const node = await startTestNode({
    accounts,
    balance: '1000000000000uain',
    timeoutCommit: '1s',
    chainId: 'ain-bench-1',
    startTimeoutMs: 120_000,
    ...(indexAll ? { appToml: { '': { 'index-events': [] } } } : {}),
  });
  try {
    const lanes = await signedSendLanes(node.rpcUrl, node.chainId, node.accounts, txsPerAccount);
    const before = [cpuSeconds(node.cometPid()), cpuSeconds(node.appPid())];
    const result = await runLoad(node.rpcUrl, lanes, 'broadcast_tx_sync');
    // The indexer runs behind the blocks: the tx index is complete once a later block is indexed.
    await node.waitForHeight((await node.height()) + 2, 60_000);
    const cometCpu = cpuSeconds(node.cometPid()) - before[0]!;
    const appCpu = cpuSeconds(node.appPid()) - before[1]!;
    const run = { result, cometCpu, appCpu, indexMiB: sizeMiB(join(node.home, 'data', 'tx_index.db')) };
    console.log(
      `${(indexAll ? 'index all' : 'default').padEnd(9)} ${result.committed}/${result.sent} sends, ${result.txPerSecond.toFixed(0)} tx/s, p50 ${result.p50Ms} ms; ` +
        `CPU cometbft ${cometCpu.toFixed(1)} s, app ${appCpu.toFixed(1)} s; tx index ${run.indexMiB.toFixed(1)} MiB`,
    );
    return run;
  } finally {
    await node.stop();
  }
}

console.log(`bench/txIndex: ${accounts} accounts x ${txsPerAccount} sends, one node, timeout_commit 1s`);
const all = await run(true);
const chosen = await run(false);
console.log(
  `ratio default / all: tx index ${(chosen.indexMiB / all.indexMiB).toFixed(2)}, cometbft CPU ${(chosen.cometCpu / all.cometCpu).toFixed(2)}, ` +
    `tx/s ${(chosen.result.txPerSecond / all.result.txPerSecond).toFixed(2)}`,
);
