/**
 * HTTP-triggered functions through one executor: calls per second and latency of a function called
 * over HTTP and paid by vouchers, beside the same function triggered by state writes, and what each
 * costs on chain per call. Two programs: `echo`, a trivial node program, and `chatbot`, a GPU-free
 * model inference (the bigram chatbot of `examples/ainft/chatbot`, trained on the white paper by its
 * worker program and bundled by bundle.py as the AI services test does, answering questions in python3).
 *
 *   npx tsx bench/httpFunctions.ts [--program echo|chatbot|all] [--calls N] [--concurrency C] [--writes W] [--redeem-ms MS]
 *
 * Real parts: CometBFT and the app (test node, timeout_commit 200 ms), Big Storage, and one executor
 * daemon in this process with its HTTP gateway (bubblewrap sandbox when available); every call runs
 * the program in the sandbox. For each program (`all`, the default: echo then chatbot, on one chain):
 * - http: C callers, each with its own payment channel (vouchers of one channel are sequential), send
 *   N calls in all after one warm-up call each; latency = request to response. On chain: the
 *   executor's MsgRedeem txs (one per interval, the latest voucher of each channel) amortised over the
 *   calls;
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
import { ADDRESS_PREFIX, type JsonValue } from '../core/index.ts';
import { startExecutor } from '../executor/daemon.ts';
import { putBlob } from '../storage/client.ts';
import { startStorageServer } from '../storage/server.ts';
import { buildChatbotService, CHATBOT_QUESTIONS } from '../test/helpers/chatbot.ts';
import { startTestNode } from '../test/helpers/node.ts';
import { percentile } from './stats.ts';

const ECHO_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{process.stdout.write(JSON.stringify({echo:JSON.parse(s)}));});\n`;
const WRITES_PER_TX = 8;

const PROGRAMS = ['echo', 'chatbot'] as const;
type ProgramName = (typeof PROGRAMS)[number];

const { values } = parseArgs({
  options: {
    program: { type: 'string', default: 'all' },
    calls: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    writes: { type: 'string', default: '48' },
    'redeem-ms': { type: 'string', default: '2000' },
  },
});
const CALLS = Number(values.calls);
const CONCURRENCY = Number(values.concurrency);
const WRITES = Number(values.writes);
const SELECTED: readonly ProgramName[] = values.program === 'all' ? PROGRAMS : PROGRAMS.filter((name) => name === values.program);
if (SELECTED.length === 0) throw new Error(`--program must be echo, chatbot or all, not ${values.program}`);

/** A program served both ways: its function, where it is triggered and answers, and a call's body. */
interface Program {
  readonly name: ProgramName;
  readonly runtime: 'node' | 'python3';
  readonly code: string;
  readonly memoryMb: number;
  /** Function id, HTTP path (/<id>) and state paths (/apps/bench/<id>_req/$key, <id>_res/$key). */
  readonly id: string;
  /** The body of call i, over HTTP or written on chain. */
  body(i: number): JsonValue;
  /** Whether an HTTP answer's output is what the program answers. */
  answered(output: unknown): boolean;
}

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
const p = (xs: number[], q: number) => ms(percentile(xs, q));
type Cost = Awaited<ReturnType<typeof onChainCost>>;
const minus = (after: Cost, before: Cost): Cost => ({
  txs: after.txs - before.txs,
  gas: after.gas - before.gas,
  fees: after.fees - before.fees,
});

async function main(): Promise<void> {
  const node = await startTestNode({ accounts: 2 + CONCURRENCY });
  const workDir = mkdtempSync(join(tmpdir(), 'ain-bench-http-'));
  const storage = await startStorageServer({ dir: join(workDir, 'storage'), port: 0 });
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
    const programs: Program[] = [];
    if (SELECTED.includes('echo'))
      programs.push({
        name: 'echo',
        runtime: 'node',
        code: ECHO_JS,
        memoryMb: 128,
        id: 'echo',
        body: (i) => ({ i }),
        answered: (output) => typeof output === 'object' && output !== null && 'echo' in output,
      });
    if (SELECTED.includes('chatbot')) {
      const service = await buildChatbotService(workDir);
      programs.push({
        name: 'chatbot',
        runtime: 'python3',
        code: service.code,
        memoryMb: 256,
        id: 'ask',
        body: (i) => ({ question: CHATBOT_QUESTIONS[i % CHATBOT_QUESTIONS.length]! }),
        answered: (output) => typeof output === 'string' && output.length > 10,
      });
    }
    await owner.createApp('bench', { admins: [owner.address!] });
    for (const program of programs) {
      await owner.ref(`/apps/bench/${program.id}_res/$key`).setRule({ write: `auth.fid == '${program.id}'` });
      const { hash } = await putBlob(storage.url, new TextEncoder().encode(program.code), node.accounts[0]!);
      await owner.ref(`/apps/bench/${program.id}_req/$key`).setFunction({
        function_type: 'OFFCHAIN',
        function_id: program.id,
        runtime: program.runtime,
        code_hash: hash,
        resources: { cpu: 1, memory_mb: program.memoryMb, gpus: 0, gpu_memory_mb: 0 },
        timeout_blocks: 100,
        price: '0',
        output_path: `/apps/bench/${program.id}_res/$key`,
        executors: 'any',
        http: { method: 'POST', path: `/${program.id}`, price: '10' },
      });
    }
    executor = await startExecutor({
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      key: { privkey: executorAccount.privkey },
      runtimes: [...new Set(programs.map((program) => program.runtime))],
      http: { port: 0, redeemIntervalMs: Number(values['redeem-ms']) },
      log: () => undefined,
    });
    const gateway = executor.http!;
    console.log(`executor ${executor.address}, sandbox ${executor.isolation.kind}, gateway ${gateway.url}`);

    // C callers, one channel each, shared by the programs (a voucher pays for a call of any of them).
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
    const redeemQuery = `message.action='/ain.channels.v1.MsgRedeem'`;
    const writesQuery = `message.action='/ain.state.v1.MsgBatch'`;
    const resultsQuery = `message.sender='${executorAccount.address}' AND message.action='/ain.triggers.v1.MsgSubmitResults'`;
    const summary: string[] = [];

    for (const program of programs) {
      // ---- http. Costs are counted from here: every earlier voucher was redeemed by the flush.
      const redeemBefore = await onChainCost(node.rpcUrl, redeemQuery);
      const paidBefore = gateway.redeemer.stats.paid;
      const route = `/apps/bench/${program.id}`;
      // Warm up: the code fetched and cached, one run per caller.
      await Promise.all(wallets.map((w, i) => callHttpFunction(gateway.url, 'POST', route, program.body(i), w.next(10n))));
      const latencies: number[] = [];
      let next = 0;
      let failed = 0;
      const httpStart = performance.now();
      await Promise.all(
        wallets.map(async (wallet) => {
          while (next < CALLS) {
            const i = next++;
            const t0 = performance.now();
            const answer = await callHttpFunction(gateway.url, 'POST', route, program.body(i), wallet.next(10n));
            latencies.push(performance.now() - t0);
            if (answer.status !== 200 || !program.answered(answer.output)) failed += 1;
          }
        }),
      );
      const httpSeconds = (performance.now() - httpStart) / 1000;
      await gateway.redeemer.flush();
      const redeem = minus(await onChainCost(node.rpcUrl, redeemQuery), redeemBefore);
      const httpCalls = CALLS + CONCURRENCY;

      // ---- state writes (baseline): W values in txs of 8; results heard on the websocket.
      const writesBefore = await onChainCost(node.rpcUrl, writesQuery);
      const resultsBefore = await onChainCost(node.rpcUrl, resultsQuery);
      const arrived = new Map<string, number>();
      const listener = owner.onEvent(`ain.state.v1.EventValueWritten.path CONTAINS '/apps/bench/${program.id}_res/'`, (event) => {
        for (const e of event.events)
          if (e.type === 'ain.state.v1.EventValueWritten')
            for (const a of e.attributes) if (a.key === 'path') arrived.set(a.value.split('/').pop()!, performance.now());
      });
      await listener.ready;
      const sent = new Map<string, number>();
      const stateStart = performance.now();
      for (let tx = 0; tx * WRITES_PER_TX < WRITES; tx++) {
        const keys = Array.from({ length: Math.min(WRITES_PER_TX, WRITES - tx * WRITES_PER_TX) }, (_, j) => tx * WRITES_PER_TX + j);
        const t0 = performance.now();
        for (const key of keys) sent.set(`k${key}`, t0);
        // One account: its txs go one after the other.
        await owner.signAndBroadcast([
          stateMsg.batch(
            owner.address!,
            keys.map((key) => ({ type: 'setValue' as const, path: `/apps/bench/${program.id}_req/k${key}`, value: program.body(key) })),
          ),
        ]);
      }
      const deadline = Date.now() + 120_000;
      while (arrived.size < WRITES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const stateSeconds = (Math.max(stateStart, ...arrived.values()) - stateStart) / 1000;
      listener.stop();
      const stateLatencies = [...sent].filter(([key]) => arrived.has(key)).map(([key, t0]) => arrived.get(key)! - t0);
      const writes = minus(await onChainCost(node.rpcUrl, writesQuery), writesBefore);
      const results = minus(await onChainCost(node.rpcUrl, resultsQuery), resultsBefore);

      const httpRate = CALLS / httpSeconds;
      const stateRate = arrived.size / stateSeconds;
      const httpGas = Number(redeem.gas) / httpCalls;
      const stateGas = Number(writes.gas + results.gas) / WRITES;
      const stateFees = Number(writes.fees + results.fees) / WRITES;
      console.log(`\n== ${program.name} (${program.runtime})`);
      console.log(`http-triggered (vouchers), ${httpCalls} calls, ${CONCURRENCY} callers, ${failed} failed:`);
      console.log(`  ${httpRate.toFixed(1)} calls/s, latency p50 ${p(latencies, 50)}, p99 ${p(latencies, 99)}`);
      console.log(
        `  on chain: ${redeem.txs} MsgRedeem tx(s), ${redeem.gas} gas, ${redeem.fees} uain fees = ${httpGas.toFixed(0)} gas, ${(Number(redeem.fees) / httpCalls).toFixed(2)} uain per call (paid ${gateway.redeemer.stats.paid - paidBefore} uain)`,
      );
      console.log(`state-triggered (baseline), ${arrived.size} of ${WRITES} calls, ${WRITES_PER_TX} per tx:`);
      console.log(`  ${stateRate.toFixed(1)} calls/s, latency p50 ${p(stateLatencies, 50)}, p99 ${p(stateLatencies, 99)}`);
      console.log(
        `  on chain: ${writes.txs} write tx(s) + ${results.txs} result tx(s), ${writes.gas + results.gas} gas, ${writes.fees + results.fees} uain fees = ${stateGas.toFixed(0)} gas, ${stateFees.toFixed(2)} uain per call`,
      );
      const ratio = `ratio http/state: ${(httpRate / stateRate).toFixed(2)}x calls/s, p50 latency ${(percentile(latencies, 50) / percentile(stateLatencies, 50)).toFixed(3)}x, on-chain gas per call ${(httpGas / stateGas).toFixed(4)}x`;
      console.log(ratio);
      summary.push(
        `${program.name.padEnd(8)} http ${httpRate.toFixed(1)} calls/s p50 ${p(latencies, 50)} p99 ${p(latencies, 99)} | state ${stateRate.toFixed(1)} calls/s p50 ${p(stateLatencies, 50)} p99 ${p(stateLatencies, 99)} | gas/call ${httpGas.toFixed(0)} vs ${stateGas.toFixed(0)}`,
      );
    }
    if (summary.length > 1) console.log(`\nsummary:\n${summary.join('\n')}`);
  } finally {
    await executor?.stop();
    for (const client of clients) client.disconnect();
    await storage.close();
    await node.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
