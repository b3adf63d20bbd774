/**
 * AIN Functions latency: from the block that holds a request to the executor receiving the event,
 * and to the block that holds the result.
 *
 *   npx tsx bench/functions.ts [--requests N] [--burst B] [--timeout-commit 1s]
 *
 * Real parts: CometBFT and the app (test node, timeout_commit 1 s by default, like a localnet), a Big
 * Storage server, and one executor daemon (in this process, bubblewrap sandbox when available)
 * running a node program that adds a + b. The script subscribes to NewBlock on the node's websocket
 * and notes when each block arrives; that arrival is the baseline "block committed" moment, measured
 * by the same clock and over the same kind of connection as the executor's events.
 *
 * Two runs:
 * - sequential: N requests, one tx each, each sent after the previous one is committed;
 * - burst: B requests written at once (8 per tx, the chain's fan-out bound), all in one or two blocks.
 *
 * Prints, per run: event latency (executor receives the call's event minus the request block's
 * arrival) p50/p99; blocks from the request's block to the result's block p50/p99 (goal: 1, the next
 * block); time from the request block to the result block p50/p99; and, as the baseline, the block
 * interval measured in the same run, with the ratio result time / block interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { connectAin } from '../client/connectAin.ts';
import { queryCall } from '../client/queryTriggers.ts';
import { type CallOutcome, startExecutor } from '../executor/daemon.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { putBlob } from '../storage/client.ts';
import { startStorageServer } from '../storage/server.ts';
import { startTestNode } from '../test/helpers/node.ts';
import { setValueTxs } from '../test/helpers/tx.ts';
import { percentile } from './stats.ts';

const SUM_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {a,b}=JSON.parse(s);process.stdout.write(JSON.stringify(a+b));});\n`;
const WRITES_PER_TX = 8;

function parseArgs(argv: readonly string[]): { requests: number; burst: number; timeoutCommit: string } {
  const options = { requests: 40, burst: 200, timeoutCommit: '1s' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === '--requests') options.requests = Number(value);
    else if (arg === '--burst') options.burst = Number(value);
    else if (arg === '--timeout-commit') options.timeoutCommit = value;
    else throw new Error(`unknown flag ${arg}`);
  }
  return options;
}

const fmt = (ms: number) => ms.toFixed(0);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const node = await startTestNode({ accounts: 2, timeoutCommit: options.timeoutCommit });
  const storageDir = mkdtempSync(join(tmpdir(), 'ain-bench-functions-'));
  const storage = await startStorageServer({ dir: storageDir, port: 0 });
  const clientAccount = node.accounts[0]!;
  const wallet = await DirectSecp256k1Wallet.fromKey(clientAccount.privkey, ADDRESS_PREFIX);
  const client = await connectAin({ rpcUrl: node.rpcUrl, signer: wallet, broadcastPollIntervalMs: 50 });
  const reader = await StargateClient.connect(node.rpcUrl);
  const blockSeen = new Map<number, number>();
  const ws = new WebsocketClient(node.rpcUrl.replace(/^http/, 'ws'));
  const blocks = Comet38Client.create(ws)
    .subscribeNewBlockHeader()
    .subscribe({ next: (header) => blockSeen.set(header.height, Date.now()), error: () => undefined });
  let executor: Awaited<ReturnType<typeof startExecutor>> | undefined;
  try {
    await client.createApp('bench', { admins: [clientAccount.address], public: false });
    await client.ref('/apps/bench/request/$key').setRule({ write: `auth.addr == '${clientAccount.address}'` });
    await client.ref('/apps/bench/result/$key').setRule({ write: `auth.fid == 'sum'` });
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(SUM_JS), clientAccount);
    await client.ref('/apps/bench/request/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'sum',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 100,
      price: '1000',
      output_path: '/apps/bench/result/$key',
      executors: 'any',
    });
    const logs: string[] = [];
    executor = await startExecutor({
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      key: { privkey: node.accounts[1]!.privkey },
      runtimes: ['node'],
      log: (line) => logs.push(line),
    });
    const running = executor;
    console.log(`executor ${running.address}: ${running.isolation.kind} sandbox; timeout_commit ${options.timeoutCommit}`);

    const report = async (name: string, callIds: bigint[], requestHeights: Map<bigint, number>) => {
      const outcomes = new Map<bigint, CallOutcome>();
      const deadline = Date.now() + 600_000;
      while (outcomes.size < callIds.length) {
        for (const outcome of running.outcomes) if (requestHeights.has(outcome.callId)) outcomes.set(outcome.callId, outcome);
        if (Date.now() > deadline) throw new Error(`${name}: only ${outcomes.size} of ${callIds.length} calls answered`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const eventMs: number[] = [];
      const resultBlocks: number[] = [];
      const resultMs: number[] = [];
      const txHeights = new Map<string, number>();
      for (const id of callIds) {
        const outcome = outcomes.get(id)!;
        const requestHeight = requestHeights.get(id)!;
        const seen = blockSeen.get(requestHeight);
        if (seen !== undefined) eventMs.push(outcome.receivedAt - seen);
        if (outcome.kind !== 'submitted' || !outcome.txhash) throw new Error(`call ${id}: ${outcome.kind} ${outcome.detail}`);
        let resultHeight = txHeights.get(outcome.txhash);
        if (resultHeight === undefined) {
          resultHeight = (await reader.getTx(outcome.txhash))!.height;
          txHeights.set(outcome.txhash, resultHeight);
        }
        resultBlocks.push(resultHeight - requestHeight);
        const resultSeen = blockSeen.get(resultHeight);
        if (seen !== undefined && resultSeen !== undefined) resultMs.push(resultSeen - seen);
      }
      const heights = [...blockSeen.keys()].sort((a, b) => a - b);
      const intervals = heights
        .slice(1)
        .flatMap((h, i) => (h === heights[i]! + 1 ? [blockSeen.get(h)! - blockSeen.get(heights[i]!)!] : []));
      const interval = percentile(intervals, 50);
      console.log(`${name}: ${callIds.length} calls, ${txHeights.size} result txs`);
      console.log(
        `  event after request block: p50 ${fmt(percentile(eventMs, 50))} ms, p99 ${fmt(percentile(eventMs, 99))} ms (goal < 100 ms)`,
      );
      console.log(
        `  result block - request block: p50 ${percentile(resultBlocks, 50)}, p99 ${percentile(resultBlocks, 99)} blocks (goal 1); ` +
          `share in the next block ${((100 * resultBlocks.filter((b) => b === 1).length) / resultBlocks.length).toFixed(0)}%`,
      );
      console.log(
        `  request block -> result block: p50 ${fmt(percentile(resultMs, 50))} ms, p99 ${fmt(percentile(resultMs, 99))} ms; ` +
          `baseline block interval p50 ${fmt(interval)} ms; ratio ${(percentile(resultMs, 50) / interval).toFixed(2)}`,
      );
    };

    // Sequential: one request per tx, each after the previous one committed.
    const sequentialIds: bigint[] = [];
    const sequentialHeights = new Map<bigint, number>();
    for (let i = 0; i < options.requests; i++) {
      const result = await client.ref(`/apps/bench/request/s${i}`).setValue({ a: i, b: 1 });
      const event = result.events.find((e) => e.type === 'ain.triggers.v1.EventFunctionCalled')!;
      const id = BigInt(event.attributes.find((a) => a.key === 'call_id')!.value);
      sequentialIds.push(id);
      sequentialHeights.set(id, result.height);
    }
    await report('sequential', sequentialIds, sequentialHeights);

    // Burst: pre-signed txs of 8 writes, broadcast together.
    const account = (await reader.getAccount(clientAccount.address))!;
    const txs = setValueTxs({
      key: { privkey: clientAccount.privkey, pubkey: clientAccount.pubkey, address: clientAccount.address },
      chainId: node.chainId,
      accountNumber: BigInt(account.accountNumber),
      sequence: BigInt(account.sequence),
      count: options.burst,
      perTx: WRITES_PER_TX,
      pathAt: (i) => `/apps/bench/request/b${i}`,
      valueAt: (i) => ({ a: i, b: 2 }),
    });
    const firstBurstId = sequentialIds.at(-1)! + 1n;
    for (const tx of txs) {
      const sent = await client.cometClient.broadcastTxSync({ tx });
      if (sent.code !== 0) throw new Error(`burst tx refused: ${sent.log}`);
    }
    const burstIds = Array.from({ length: options.burst }, (_, i) => firstBurstId + BigInt(i));
    const burstHeights = new Map<bigint, number>();
    for (const id of burstIds) {
      for (;;) {
        try {
          burstHeights.set(id, Number((await queryCall(client.cometClient, id)).call.height));
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    await report(`burst of ${options.burst}`, burstIds, burstHeights);
  } finally {
    blocks.unsubscribe();
    ws.disconnect();
    await executor?.stop();
    client.disconnect();
    reader.disconnect();
    await storage.close();
    await node.stop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

await main();
