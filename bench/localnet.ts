/**
 * Committed signed bank sends per second and p50/p99 latency (broadcast to the block that holds the
 * tx) on a 4-validator localnet beside a single node, with the same load (bench/load.ts: same lanes,
 * tx count and size, all broadcast to one node's RPC) and the same timeout_commit, in one run. The
 * localnet also runs its storage service and (idle) executor, as `aind localnet start` does. Then the
 * localnet again at half the single node's peak rate, paced for `steadySeconds` (default 30), for the
 * latency a steady load sees (issue 15's goal: p50 <= 1.5 s), or at `steadyRate` tx/s when given (to
 * see the latency below the localnet's own capacity).
 *
 * Usage: npx tsx bench/localnet.ts [accounts=200] [txsPerAccount=20] [validators=4] [steadySeconds=30] [steadyRate]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalnet, startLocalnet } from '../localnet/index.ts';
import { startTestNode } from '../test/helpers/node.ts';
import { testKey } from '../test/helpers/tx.ts';
import { type LoadResult, runLoad, signedSendLanes } from './load.ts';

const accounts = Number(process.argv[2] ?? 200);
const txsPerAccount = Number(process.argv[3] ?? 20);
const validators = Number(process.argv[4] ?? 4);
const steadySeconds = Number(process.argv[5] ?? 30);
const steadyRate = process.argv[6] === undefined ? undefined : Number(process.argv[6]);
const TIMEOUT_COMMIT = '1s';
const BALANCE = '1000000000000uain';

function print(name: string, r: LoadResult): void {
  console.log(
    `${name.padEnd(24)} committed ${r.committed}/${r.sent} (rejected ${r.rejected}) in ${r.seconds.toFixed(2)} s: ` +
      `${r.txPerSecond.toFixed(0)} tx/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.blocks} blocks (max ${r.maxBlockTxs} txs)`,
  );
}

async function benchSingleNode(): Promise<LoadResult> {
  const node = await startTestNode({
    accounts,
    balance: BALANCE,
    timeoutCommit: TIMEOUT_COMMIT,
    chainId: 'ain-bench-1',
    startTimeoutMs: 120_000,
  });
  try {
    const lanes = await signedSendLanes(node.rpcUrl, node.chainId, node.accounts, txsPerAccount);
    const result = await runLoad(node.rpcUrl, lanes);
    print('single node', result);
    return result;
  } finally {
    await node.stop();
  }
}

async function benchLocalnet(steadyRate: number): Promise<{ burst: LoadResult; steady: LoadResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-bench-localnet-'));
  const keys = Array.from({ length: accounts }, (_, i) => testKey(`bench-localnet/${i}`));
  try {
    await createLocalnet({
      dir,
      validators,
      chainId: 'ain-bench-localnet-1',
      timeoutCommit: TIMEOUT_COMMIT,
      accounts: keys.map((k) => ({ address: k.address, coins: BALANCE })),
    });
    const net = await startLocalnet({ dir });
    try {
      const rpcUrl = net.nodes[0]!.rpcUrl;
      const lanes = await signedSendLanes(rpcUrl, net.chainId, keys, txsPerAccount);
      const burst = await runLoad(rpcUrl, lanes);
      print(`localnet (${validators} validators)`, burst);
      const perAccount = Math.ceil((steadyRate * steadySeconds) / accounts);
      const paced = await signedSendLanes(rpcUrl, net.chainId, keys, perAccount);
      const steady = await runLoad(rpcUrl, paced, 'broadcast_tx_sync', 120_000, 8_000, steadyRate);
      print(`localnet at ${steadyRate.toFixed(0)} tx/s`, steady);
      return { burst, steady };
    } finally {
      await net.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `bench/localnet: ${accounts} accounts x ${txsPerAccount} sends via broadcast_tx_sync to one node, timeout_commit ${TIMEOUT_COMMIT}, 127.0.0.1`,
);
const single = await benchSingleNode();
const { burst, steady } = await benchLocalnet(steadyRate ?? single.txPerSecond / 2);
console.log(
  `ratio localnet/single: throughput ${(burst.txPerSecond / single.txPerSecond).toFixed(2)}, ` +
    `p50 ${(burst.p50Ms / single.p50Ms).toFixed(2)}x, p99 ${(burst.p99Ms / single.p99Ms).toFixed(2)}x`,
);
console.log(
  `localnet at ${steadyRate === undefined ? "half the single node's peak" : 'a given rate'} (${(steadyRate ?? single.txPerSecond / 2).toFixed(0)} tx/s offered, ` +
    `${steady.txPerSecond.toFixed(0)} tx/s committed): p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms (goal p50 <= 1500 ms at half the single node's peak)`,
);
