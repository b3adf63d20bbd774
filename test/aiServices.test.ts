/**
 * AI services end to end, on real processes: a node, Big Storage and `aind executor --http PORT`.
 * The service is the chatbot of `examples/ainft/chatbot` (a bigram model of the AI Network white
 * paper, trained here by its worker program and bundled into its service program) behind an
 * HTTP-triggered function. A client pays per call with vouchers on a channel opened with
 * `aind tx channels open` (forged, replayed and over-budget vouchers refused; the full voucher matrix
 * is in httpFunctions.test.ts), then reserves the executor with service contracts made by
 * `aind tx channels propose-contract` / `accept-contract`: one honoured (every call answered with a
 * signed receipt, contract calls served first and calls without a contract refused while the one slot
 * is busy, a false miss claim voided by the executor's dispute, the executor paid the price
 * and its deposit back at `settle-contract`), one broken (the executor stopped, the unanswered
 * calls claimed with the client's signed requests, the deposit slashed to the client).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AinClient,
  callHttpFunction,
  channelsMsg,
  ContractCaller,
  connectAin,
  cometRpc,
  queryChannels,
  queryContract,
  queryContractClaims,
  queryContracts,
  VoucherWallet,
} from '../client/index.ts';
import { addKey } from '../home/index.ts';
import { ContractStatus } from '../proto/gen/ain/channels/v1/contracts.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { buildChatbotService, CHATBOT_QUESTIONS as QUESTIONS, python } from './helpers/chatbot.ts';
import { runAind } from './helpers/cli.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { freePorts, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

const PRICE = 10n;

describe('AI services: a chatbot paid by vouchers and reserved by contracts with deposits', () => {
  let node: TestNode;
  let storage: StorageServer;
  let dir: string;
  let client: AinClient;
  let executor: ExecutorProcess | undefined;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 3 });
    dir = mkdtempSync(join(tmpdir(), 'ain-ai-services-'));
    storage = await startStorageServer({ dir: join(dir, 'storage'), port: 0 });
    for (const [i, name] of ['client', 'exec', 'impostor'].entries()) await addKey(join(dir, 'home'), name, node.accounts[i]!.mnemonic);
    client = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, 'ain'),
      broadcastPollIntervalMs: 100,
    });
  }, 120_000);

  afterAll(async () => {
    await executor?.kill();
    executor?.remove();
    client?.disconnect();
    await storage?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const aind = async (...args: string[]) => {
    const home = args[0] === 'tx' ? ['--home', join(dir, 'home')] : [];
    const result = await runAind(...args, ...home, '--node', node.rpcUrl, '--output', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  const blockTime = async (): Promise<bigint> => {
    const status = (await cometRpc(node.rpcUrl, 'status')) as { sync_info: { latest_block_time: string } };
    return BigInt(Math.floor(Date.parse(status.sync_info.latest_block_time) / 1000));
  };
  const settledEvent = (tx: Record<string, unknown>) => {
    const events =
      ((tx['events'] ?? (tx['logs'] as unknown[] | undefined)) as Array<{
        type: string;
        attributes: Array<{ key: string; value: string }>;
      }>) ?? [];
    const event = events.find((e) => e.type === 'ain.channels.v1.EventContractSettled');
    return Object.fromEntries(event?.attributes.map((a) => [a.key, a.value.replace(/^"|"$/g, '')]) ?? []);
  };
  const contractOf = async (id: bigint) => (await queryContract(client.cometClient, id)).contract;
  const makeContract = async (price: string, deposit: string, penalty: string, duration: string): Promise<bigint> => {
    const before = await queryContracts(client.cometClient, { client: node.accounts[0]!.address });
    await aind(
      'tx',
      'channels',
      'propose-contract',
      'exec',
      '--price',
      price,
      '--deposit',
      deposit,
      '--penalty',
      penalty,
      '--duration',
      duration,
      '--dispute-window',
      '4',
      '--rps',
      '5',
      '--from',
      'client',
    );
    const id = BigInt(before.length + 1);
    expect((await contractOf(id)).status).toBe(ContractStatus.CONTRACT_STATUS_PROPOSED);
    await aind('tx', 'channels', 'accept-contract', String(id), '--from', 'exec');
    expect((await contractOf(id)).status).toBe(ContractStatus.CONTRACT_STATUS_ACTIVE);
    return id;
  };
  const settleWhenDue = async (id: bigint) => {
    const contract = await contractOf(id);
    const due = contract.endsAt + 2n * contract.disputeSeconds;
    await until('the end and both dispute windows', async () => ((await blockTime()) > due ? true : undefined), 90_000);
    return settledEvent(await aind('tx', 'channels', 'settle-contract', String(id), '--from', 'client'));
  };

  it('serves the chatbot for vouchers, honours one contract and slashes a broken one to its client', async () => {
    // The service: the chatbot trained on the white paper here and bundled with its model.
    const { code: service, serviceFile } = await buildChatbotService(dir);
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(service), node.accounts[0]!);
    await client.createApp('chat', { admins: [client.address!] });
    await client.ref('/apps/chat/ask').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'ask',
      runtime: 'python3',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 20,
      price: '0',
      output_path: '/apps/chat/answers',
      executors: 'any',
      http: { method: 'POST', path: '/ask', price: PRICE.toString() },
    });
    // A slow function (8 s) to hold the executor's one slot: long enough that the probe below, sent
    // 2.5 s after it (its admission checks the contract on chain, slower on a loaded machine), meets it.
    const slow = await putBlob(
      storage.url,
      new TextEncoder().encode('import json, sys, time\njson.load(sys.stdin)\ntime.sleep(8)\njson.dump("done", sys.stdout)\n'),
      node.accounts[0]!,
    );
    await client.ref('/apps/chat/slow').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'slow',
      runtime: 'python3',
      code_hash: slow.hash,
      resources: { cpu: 1, memory_mb: 128, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 20,
      price: '0',
      output_path: '/apps/chat/slow_out',
      executors: 'any',
      http: { method: 'POST', path: '/slow', price: PRICE.toString() },
    });
    const [port] = await freePorts(1);
    executor = await startExecutorProcess({
      account: node.accounts[1]!,
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      args: ['--runtimes', 'python3', '--http', String(port), '--redeem-interval-ms', '1500', '--concurrency', '1'],
    });
    const running = executor;
    await until('the gateway', async () => (running.stderr().includes('http gateway on') ? true : undefined), 60_000);
    const gateway = `http://127.0.0.1:${port}`;

    // Pay per call: a channel opened from the CLI, a voucher per question, the answers the model gives.
    await aind('tx', 'channels', 'open', 'exec', '1000', '--duration', '3600', '--from', 'client');
    const [channel] = await queryChannels(client.cometClient, { payer: node.accounts[0]!.address });
    const listed = await aind('query', 'channels', 'channels', '--payer', node.accounts[0]!.address);
    expect((listed['channels'] as unknown[]).length).toBe(1);
    const wallet = new VoucherWallet(node.accounts[0]!.privkey, node.chainId, channel!.id);
    for (const question of QUESTIONS) {
      const answer = await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { question }, wallet.next(PRICE));
      const local = JSON.parse(await python(serviceFile, [], JSON.stringify({ question }))) as string;
      expect(answer).toEqual({ status: 200, output: local });
      expect(local.length).toBeGreaterThan(10);
    }
    const refusal = async (voucher: ReturnType<VoucherWallet['sign']>) => {
      const answer = await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { question: 'x' }, voucher);
      return `${answer.status} ${answer.error?.codespace}/${answer.error?.code}`;
    };
    expect(await refusal(wallet.sign(wallet.spent, 3n))).toBe('402 channels/6'); // replayed
    const impostor = new VoucherWallet(node.accounts[2]!.privkey, node.chainId, channel!.id);
    expect(await refusal(impostor.sign(wallet.spent + PRICE, 4n))).toBe('402 channels/4'); // forged
    expect(await refusal(wallet.sign(1001n, 4n))).toBe('402 channels/5'); // over budget
    await until(
      'the vouchers redeemed',
      async () => {
        const shown = await aind('query', 'channels', 'channel', String(channel!.id));
        return (shown['channel'] as { redeemed: string }).redeemed === '30' ? true : undefined;
      },
      30_000,
    );

    // Contract 1, honoured: every call answered with a receipt; a false claim is disputed by the gateway.
    const honoured = await makeContract('3000', '500', '100', '25');
    const executorPubkey = (await contractOf(honoured)).executorPubkey;
    const caller = new ContractCaller(node.accounts[0]!.privkey, node.chainId, honoured, executorPubkey);
    const started = Date.now();
    for (const question of QUESTIONS) {
      const answer = await caller.call(gateway, 'POST', '/apps/chat/ask', { question }, 3n);
      expect(answer.status).toBe(200);
      expect(typeof answer.output).toBe('string');
      expect(answer.receipt?.contract_id).toBe(String(honoured));
    }
    const contractCallMs = (Date.now() - started) / QUESTIONS.length;
    // Priority: a contract call holds the one slot; a call without a contract is refused while it runs
    // (the capacity is reserved), another contract call waits for the slot and is served.
    const holding = caller.call(gateway, 'POST', '/apps/chat/slow', { question: 'hold' }, 15n);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { question: 'me too' }, wallet.next(PRICE))).toMatchObject({
      status: 429,
      error: { codespace: 'executor', code: 12 },
    });
    const queued = await caller.call(gateway, 'POST', '/apps/chat/ask', { question: QUESTIONS[0] }, 15n);
    expect(queued.status).toBe(200);
    expect(await holding).toMatchObject({ status: 200, output: 'done' });
    const replayed = await fetch(`${gateway}/apps/chat/ask`, {
      method: 'POST',
      headers: {
        'ain-contract': JSON.stringify(
          new ContractCaller(node.accounts[0]!.privkey, node.chainId, honoured, executorPubkey).sign(
            { question: 'q' },
            BigInt(Math.floor(Date.now() / 1000)) + 3n,
          ),
        ),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ question: 'another body' }),
    });
    expect(replayed.status).toBe(403); // the signed body hash is not this body's
    // The first request was answered in time; the client claims it anyway, once its deadline passed.
    const firstRequest = caller.request(1n)!;
    await until('the first deadline to pass', async () => ((await blockTime()) > firstRequest.deadline ? true : undefined), 30_000);
    expect(caller.missedRequests(await blockTime())).toEqual([]);
    expect((await queryContract(client.cometClient, honoured)).claims).toEqual([]);
    await client.signAndBroadcast([channelsMsg.claimMisses(client.address!, { contractId: honoured, requests: [firstRequest] })]);
    await until(
      'the gateway to dispute the false claim',
      async () => {
        const { claims } = await queryContract(client.cometClient, honoured);
        return claims.length === 1 && claims[0]!.disputed ? true : undefined;
      },
      30_000,
    );
    // The desk found it through ContractClaims pages; the same query, in reverse with the total, from the node.
    const page = await queryContractClaims(client.cometClient, honoured, {
      key: new Uint8Array(),
      offset: 0n,
      limit: 10n,
      countTotal: true,
      reverse: true,
    });
    expect(page.claims.map((claim) => [claim.seq, claim.disputed])).toEqual([[1n, true]]);
    expect(page.pagination?.total).toBe(1n);
    const disputedLine = `disputed 1 claim(s) of contract ${honoured}`;
    await until('the dispute logged', async () => (running.stderr().includes(disputedLine) ? true : undefined), 10_000);

    // Contract 2, broken: answered once, then the executor stops; the unanswered calls are claimed.
    const broken = await makeContract('2000', '300', '200', '20');
    const brokenCaller = new ContractCaller(node.accounts[0]!.privkey, node.chainId, broken, executorPubkey);
    expect((await brokenCaller.call(gateway, 'POST', '/apps/chat/ask', { question: QUESTIONS[1] }, 3n)).status).toBe(200);
    expect(await running.stop()).toBe(0);
    for (let i = 0; i < 2; i++)
      await expect(brokenCaller.call(gateway, 'POST', '/apps/chat/ask', { question: QUESTIONS[2] }, 2n, 2_000)).rejects.toThrow(/failed/);
    let misses: ReturnType<ContractCaller['missedRequests']> = [];
    await until(
      'the unanswered calls to be due',
      async () => {
        misses = brokenCaller.missedRequests(await blockTime());
        return misses.length === 2 ? true : undefined;
      },
      30_000,
    );
    const requestsFile = join(dir, 'misses.json');
    writeFileSync(
      requestsFile,
      JSON.stringify(
        misses.map((r) => ({
          seq: r.seq.toString(),
          deadline: r.deadline.toString(),
          body_hash: Buffer.from(r.bodyHash).toString('hex'),
          signature: Buffer.from(r.signature).toString('base64'),
        })),
      ),
    );
    await aind('tx', 'channels', 'claim-misses', String(broken), `@${requestsFile}`, '--from', 'client');
    const shown = await aind('query', 'channels', 'contract', String(broken));
    expect((shown['claims'] as unknown[]).length).toBe(2);

    // Settlement: the honoured contract pays the executor the price and its whole deposit; the broken
    // one slashes 2 x 200, capped at the 300 deposit, to the client.
    expect(await settleWhenDue(honoured)).toMatchObject({ paid: '3500', slashed: '0', misses: '0' });
    expect(await settleWhenDue(broken)).toMatchObject({ paid: '2000', slashed: '300', misses: '2' });
    expect((await contractOf(broken)).status).toBe(ContractStatus.CONTRACT_STATUS_SETTLED);
    console.log(`ai services: ${contractCallMs.toFixed(0)} ms per contract call of the chatbot (sequential, python3 sandbox)`);
  }, 300_000);
});
