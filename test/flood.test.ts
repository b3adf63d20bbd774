// Floods (issue 17, item 3): one node offered 5 s of invalid txs (bad signature, wrong sequence, low
// fee) and then 5 s of valid signed sends, each at 1,500 tx/s, while a balance is queried every 100 ms
// through REST and RPC. The node must not crash, every query must be answered, the mempool must drain
// afterwards, and the app's memory must stay bounded. Rates and latencies are bench/flood.ts's to report.
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flood, invalidTxs, probeBalance, sampleRss, waitMempoolEmpty } from '../bench/floodLoad.ts';
import { signedSendLanes } from '../bench/load.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';

const RATE = 1_500;
const SECONDS = 5;
/** The app's resident memory stays below this through both floods (it idles near 200 MiB). */
const APP_RSS_BOUND_MIB = 1_024;

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ accounts: 40, balance: '1000000000000uain', timeoutCommit: '500ms' });
});
afterAll(async () => node?.stop());

describe('a flood of valid and invalid txs', () => {
  it('leaves the node up, its queries answered, its mempool drained and its memory bounded', async () => {
    const validKeys = node.accounts.slice(0, 20);
    const invalidKeys = node.accounts.slice(20);
    const client = await StargateClient.connect(node.rpcUrl);
    const numbers = await Promise.all(invalidKeys.map(async (k) => BigInt((await client.getAccount(k.address))!.accountNumber)));
    client.disconnect();
    const invalid = invalidTxs(node.chainId, invalidKeys, numbers);
    // 2,000 distinct valid sends, offered again once used (the mempool's cache refuses repeats), so the
    // drain afterwards stays short.
    const lanes = await signedSendLanes(node.rpcUrl, node.chainId, validKeys, 100);
    const valid = lanes[0]!.flatMap((_, seq) => lanes.map((lane) => lane[seq]!));

    let done!: () => void;
    const stop = new Promise<void>((resolve) => {
      done = resolve;
    });
    const probe = probeBalance(node.apiUrl, node.rpcUrl, node.accounts[0]!.address, stop);
    const rss = sampleRss(() => [node.appPid(), node.cometPid()], stop);
    const bad = await flood(node.rpcUrl, invalid, RATE, SECONDS);
    const good = await flood(
      node.rpcUrl,
      (i) => valid[i % valid.length]!,
      RATE,
      SECONDS,
      'broadcast_tx_sync',
      (i) => i % lanes.length,
    );
    done();
    const queries = await probe;
    const [appRss] = await rss;

    expect(node.isRunning('app') && node.isRunning('comet')).toBe(true);
    // Every invalid tx is refused by CheckTx, none gets in.
    expect(bad.accepted).toBe(0);
    expect(bad.refused).toBeGreaterThan(0);
    expect(good.accepted).toBeGreaterThan(0);
    for (const which of ['rest', 'rpc'] as const) {
      expect(queries[which].count).toBeGreaterThan(20);
      expect(queries[which].failed).toBe(0);
    }
    expect(await waitMempoolEmpty(node.rpcUrl, 30_000)).toBeDefined();
    expect(appRss).toBeGreaterThan(0);
    expect(appRss).toBeLessThan(APP_RSS_BOUND_MIB);
  }, 60_000);
});
