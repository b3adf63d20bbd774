/**
 * HTTP-triggered functions through one executor: calls per second and latency of a trivial function
 * called over HTTP and paid by vouchers, beside the same function triggered by state writes, and what
 * each costs on chain per call.
 *
 *   npx tsx bench/httpFunctions.ts [--calls N] [--concurrency C] [--writes W] [--redeem-ms MS]
 *
 * Real parts: CometBFT and the app (test node, timeout_commit 200 ms), Big Storage, and one executor
 * daemon in this process with its HTTP gateway (bubblewrap sandbox when available); every call runs
 * the program in the sandbox. Runs:
 * - http: C callers, each with its own payment channel (vouchers of one channel are sequential), send
 *   N calls in all; latency = request to response. On chain: the executor's MsgRedeem txs (one per
 *   interval, the latest voucher of each channel) amortised over the calls;
 * - state (baseline): W request values written in txs of 8 (the chain's fan-out bound per tx), each
 *   triggering the function; latency = broadcast of its tx to the result's event on the websocket.
 *   On chain: the writers' txs and the executor's result txs per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { type AinClient, callHttpFunction, channelsMsg, connectAin, cometRpc, list, stateMsg, VoucherWallet } from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/index.ts';
import { startExecutor } from '../executor/daemon.ts';
import { putBlob } from '../storage/client.ts';
import { startStorageServer } from '../storage/server.ts';
import { startTestNode } from '../test/helpers/node.ts';
import { percentile } from './stats.ts';

const ECHO_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{process.stdout.write(JSON.stringify({echo:JSON.parse(s)}));});\n`;
const WRITES_PER_TX = 8;

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    writes: { type: 'string', default: '48' },
    'redeem-ms': { type: 'string', default: '2000' },
  },
});
const CALLS = Number(values.calls);
const CONCURRENCY = Number(values.concurrency);
const WRITES = Number(values.writes);

/** Gas used and fees (uain) of the txs matching a query. */
async function onChainCost(rpcUrl: string, query: string): Promise<{ txs: number; gas: bigint; fees: bigint }> {
  let txs = 0;
  let gas = 0n;
  let fees = 0n;
  for (let page = 1; ; page++) {
    const result = await cometRpc(rpcUrl, 'tx_search', { query, page: String(page), per_page: '100', order_by: 'asc' });
    const found = list(result, 'txs') as Array<{
      tx_result: { gas_used: string; events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }> };
    }>;
    for (const tx of found) {
      txs += 1;
      gas += BigInt(tx.tx_result.gas_used);
      const fee = tx.tx_result.events
        .find((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee'))
        ?.attributes.find((a) => a.key === 'fee')?.value;
      fees += BigInt(/^(\d+)uain/.exec(fee ?? '')?.[1] ?? '0');
    }
    if (found.length < 100) return { txs, gas, fees };
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const node = await startTestNode({ accounts: 2 + CONCURRENCY });
  const storageDir = mkdtempSync(join(tmpdir(), 'ain-bench-http-'));
  const storage = await startStorageServer({ dir: storageDir, port: 0 });
  const clients: AinClient[] = [];
  const connect = async (i: number) => {
    const client = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(node.accounts[i]!.privkey, ADDRESS_PREFIX),
      broadcastPollIntervalMs: 50,
    });
    clients.push(client);
    return client;
  };
  let executor: Awaited<ReturnType<typeof startExecutor>> | undefined;
  try {
    const owner = await connect(0);
    const executorAccount = node.accounts[1]!;
    await owner.createApp('bench', { admins: [owner.address!] });
    await owner.ref('/apps/bench/res/$key').setRule({ write: "auth.fid == 'echo'" });
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(ECHO_JS), node.accounts[0]!);
    await owner.ref('/apps/bench/req/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'echo',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 128, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 100,
      price: '0',
      output_path: '/apps/bench/res/$key',
      executors: 'any',
      http: { method: 'POST', path: '/echo', price: '10' },
    });
    executor = await startExecutor({
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      key: { privkey: executorAccount.privkey },
      runtimes: ['node'],
      http: { port: 0, redeemIntervalMs: Number(values['redeem-ms']) },
      log: () => undefined,
    });
    const gateway = executor.http!;
    console.log(`executor ${executor.address}, sandbox ${executor.isolation.kind}, gateway ${gateway.url}`);

    // ---- http: C callers, one channel each.
    const callers = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => connect(2 + i)));
    const wallets: VoucherWallet[] = [];
    for (const [i, caller] of callers.entries()) {
      const opened = await caller.signAndBroadcast([
        channelsMsg.openChannel(caller.address!, {
          executor: executorAccount.address,
          deposit: '1000000',
          durationSeconds: 3600n,
          payerPubkey: node.accounts[2 + i]!.pubkey,
        }),
      ]);
      const id = BigInt(
        opened.events.find((e) => e.type === 'ain.channels.v1.EventChannelOpened')!.attributes.find((a) => a.key === 'channel_id')!.value,
      );
      wallets.push(new VoucherWallet(node.accounts[2 + i]!.privkey, node.chainId, id));
    }
    // Warm up: the code fetched and cached, one run per caller.
    await Promise.all(wallets.map((w) => callHttpFunction(gateway.url, 'POST', '/apps/bench/echo', { warm: true }, w.next(10n))));
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const httpStart = performance.now();
    await Promise.all(
      wallets.map(async (wallet) => {
        while (next < CALLS) {
          const i = next++;
          const t0 = performance.now();
          const answer = await callHttpFunction(gateway.url, 'POST', '/apps/bench/echo', { i }, wallet.next(10n));
          latencies.push(performance.now() - t0);
          if (answer.status !== 200) failed += 1;
        }
      }),
    );
    const httpSeconds = (performance.now() - httpStart) / 1000;
    await gateway.redeemer.flush();
    const redeem = await onChainCost(node.rpcUrl, `message.action='/ain.channels.v1.MsgRedeem'`);
    const httpCalls = CALLS + CONCURRENCY;

    // ---- state writes (baseline): W values in txs of 8; results heard on the websocket.
    const arrived = new Map<string, number>();
    const listener = owner.onEvent("ain.state.v1.EventValueWritten.path CONTAINS '/apps/bench/res'", (event) => {
      for (const e of event.events)
        if (e.type === 'ain.state.v1.EventValueWritten')
          for (const a of e.attributes) if (a.key === 'path') arrived.set(a.value.split('/').pop()!, performance.now());
    });
    await listener.ready;
    const sent = new Map<string, number>();
    const stateStart = performance.now();
    const writers: Promise<unknown>[] = [];
    for (let tx = 0; tx * WRITES_PER_TX < WRITES; tx++) {
      const keys = Array.from({ length: Math.min(WRITES_PER_TX, WRITES - tx * WRITES_PER_TX) }, (_, j) => `k${tx * WRITES_PER_TX + j}`);
      const t0 = performance.now();
      for (const key of keys) sent.set(key, t0);
      writers.push(
        owner.signAndBroadcast([
          stateMsg.batch(
            owner.address!,
            keys.map((key) => ({ type: 'setValue' as const, path: `/apps/bench/req/${key}`, value: { key } })),
          ),
        ]),
      );
      await writers.at(-1); // one account: its txs go one after the other
    }
    await Promise.all(writers);
    const deadline = Date.now() + 120_000;
    while (arrived.size < WRITES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const stateSeconds = (Math.max(...arrived.values()) - stateStart) / 1000;
    listener.stop();
    const stateLatencies = [...sent].filter(([key]) => arrived.has(key)).map(([key, t0]) => arrived.get(key)! - t0);
    const writes = await onChainCost(node.rpcUrl, `message.action='/ain.state.v1.MsgBatch'`);
    const results = await onChainCost(
      node.rpcUrl,
      `message.sender='${executorAccount.address}' AND message.action='/ain.triggers.v1.MsgSubmitResults'`,
    );

    const p = (xs: number[], q: number) => ms(percentile(xs, q));
    console.log(`\nhttp-triggered (vouchers), ${httpCalls} calls, ${CONCURRENCY} callers, ${failed} failed:`);
    console.log(`  ${(CALLS / httpSeconds).toFixed(1)} calls/s, latency p50 ${p(latencies, 50)}, p99 ${p(latencies, 99)}`);
    console.log(
      `  on chain: ${redeem.txs} MsgRedeem tx(s), ${redeem.gas} gas, ${redeem.fees} uain fees = ${(Number(redeem.gas) / httpCalls).toFixed(0)} gas, ${(Number(redeem.fees) / httpCalls).toFixed(2)} uain per call (paid ${gateway.redeemer.stats.paid} uain)`,
    );
    console.log(`state-triggered (baseline), ${arrived.size} of ${WRITES} calls, ${WRITES_PER_TX} per tx:`);
    console.log(
      `  ${(arrived.size / stateSeconds).toFixed(1)} calls/s, latency p50 ${p(stateLatencies, 50)}, p99 ${p(stateLatencies, 99)}`,
    );
    const stateGas = Number(writes.gas + results.gas);
    const stateFees = Number(writes.fees + results.fees);
    console.log(
      `  on chain: ${writes.txs} write tx(s) + ${results.txs} result tx(s), ${stateGas} gas, ${stateFees} uain fees = ${(stateGas / WRITES).toFixed(0)} gas, ${(stateFees / WRITES).toFixed(2)} uain per call`,
    );
    console.log(
      `ratio http/state: ${(CALLS / httpSeconds / (arrived.size / stateSeconds)).toFixed(2)}x calls/s, p50 latency ${(percentile(latencies, 50) / percentile(stateLatencies, 50)).toFixed(3)}x, on-chain gas per call ${(Number(redeem.gas) / httpCalls / (stateGas / WRITES)).toFixed(4)}x`,
    );
  } finally {
    await executor?.stop();
    for (const client of clients) client.disconnect();
    await storage.close();
    await node.stop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

await main();
