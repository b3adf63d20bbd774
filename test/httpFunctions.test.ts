/**
 * HTTP-triggered functions end to end, on real processes: a node, Big Storage, and `aind executor
 * --http PORT`. A payer opens a payment channel for the executor, calls a function over HTTP with a
 * voucher per call and gets each result synchronously; forged, replayed, underpaid, over-budget,
 * malformed and nearly expired vouchers are refused with their own codes; the executor redeems the
 * latest voucher in batches (fewer txs than calls, and once more when it stops) and is paid exactly
 * the calls' price; an executor killed before redeeming redeems after its restart (the accepted
 * vouchers are kept in its home); the payer closes an expired channel and gets its deposit back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AinClient,
  callHttpFunction,
  channelsMsg,
  connectAin,
  cometRpc,
  type FunctionConfig,
  int32,
  list,
  queryChannel,
  VOUCHER_HEADER,
  VoucherWallet,
} from '../client/index.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { freePorts, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';
import { txIndexCaughtUp } from './helpers/txIndex.ts';

/** The function: answers `{q}` with `{answer}` (upper case) and the length. */
const ASK_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {q}=JSON.parse(s);process.stdout.write(JSON.stringify({answer:String(q).toUpperCase(),length:String(q).length}));});\n`;
const PRICE = 10n;

describe('HTTP-triggered functions paid by vouchers', () => {
  let node: TestNode;
  let storage: StorageServer;
  let storageDir: string;
  let payer: AinClient;
  let executor: ExecutorProcess | undefined;
  let gateway: string;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 3 });
    storageDir = mkdtempSync(join(tmpdir(), 'ain-http-functions-'));
    storage = await startStorageServer({ dir: storageDir, port: 0 });
    payer = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, 'ain'),
      broadcastPollIntervalMs: 100,
    });
  }, 120_000);

  afterAll(async () => {
    await executor?.kill();
    executor?.remove();
    payer?.disconnect();
    await storage?.close();
    await node?.stop();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  }, 60_000);

  const openChannel = async (deposit: bigint, durationSeconds: bigint): Promise<bigint> => {
    const result = await payer.signAndBroadcast([
      channelsMsg.openChannel(payer.address!, {
        executor: node.accounts[1]!.address,
        deposit: deposit.toString(),
        durationSeconds,
        payerPubkey: node.accounts[0]!.pubkey,
      }),
    ]);
    const opened = result.events.find((e) => e.type === 'ain.channels.v1.EventChannelOpened');
    return BigInt(opened!.attributes.find((a) => a.key === 'channel_id')!.value);
  };
  const balance = async (address: string): Promise<bigint> => {
    const reader = await StargateClient.connect(node.rpcUrl);
    try {
      return BigInt((await reader.getBalance(address, 'uain')).amount);
    } finally {
      reader.disconnect();
    }
  };
  /** The redeem txs of a channel: their count and what they paid. */
  const redemptions = async (channelId: bigint) => {
    await txIndexCaughtUp(node.rpcUrl);
    const result = await cometRpc(node.rpcUrl, 'tx_search', {
      query: `ain.channels.v1.EventVoucherRedeemed.channel_id='${channelId}'`,
      per_page: '100',
      order_by: 'asc',
    });
    const txs = list(result, 'txs');
    let paid = 0n;
    let fees = 0n;
    for (const tx of txs) {
      const events = list((tx as { tx_result: unknown }).tx_result, 'events') as Array<{
        type: string;
        attributes: Array<{ key: string; value: string }>;
      }>;
      for (const e of events) {
        if (
          e.type === 'ain.channels.v1.EventVoucherRedeemed' &&
          e.attributes.find((a) => a.key === 'channel_id')?.value === String(channelId)
        )
          paid += BigInt(e.attributes.find((a) => a.key === 'paid')!.value);
        if (e.type === 'tx' && e.attributes.some((a) => a.key === 'fee'))
          fees += BigInt(/^(\d+)uain$/.exec(e.attributes.find((a) => a.key === 'fee')!.value)?.[1] ?? '0');
      }
    }
    return { txs: int32(result, 'total_count'), paid, fees };
  };

  it('answers paid calls synchronously, refuses bad vouchers, redeems in batches and pays the executor', async () => {
    await payer.createApp('chat', { admins: [payer.address!] });
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(ASK_JS), node.accounts[0]!);
    // The function ASK_JS answering POST /apps/chat/<name> at PRICE a call.
    const httpFunction = (name: string): FunctionConfig => ({
      function_type: 'OFFCHAIN',
      function_id: name,
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 20,
      price: '0',
      output_path: '/apps/chat/answers',
      executors: 'any',
      http: { method: 'POST', path: `/${name}`, price: PRICE.toString() },
    });
    await payer.ref('/apps/chat/ask').setFunction(httpFunction('ask'));
    const channel = await openChannel(1000n, 3600n);
    const shortChannel = await openChannel(500n, 5n);

    const [port] = await freePorts(1);
    executor = await startExecutorProcess({
      account: node.accounts[1]!,
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      args: ['--runtimes', 'node', '--http', String(port), '--redeem-interval-ms', '3000'],
    });
    const running = executor;
    await until('the gateway', async () => (running.stderr().includes('http gateway on') ? true : undefined), 60_000);
    expect(running.stderr()).toContain('POST /apps/chat/ask');
    gateway = `http://127.0.0.1:${port}`;
    const executorBefore = await balance(node.accounts[1]!.address);

    const wallet = new VoucherWallet(node.accounts[0]!.privkey, node.chainId, channel);
    const started = Date.now();
    for (let i = 1; i <= 5; i++) {
      const answer = await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { q: `hello ${i}` }, wallet.next(PRICE));
      expect(answer).toEqual({ status: 200, output: { answer: `HELLO ${i}`, length: 7 } });
    }
    const callMs = (Date.now() - started) / 5;

    // Refusals: each with its code, none runs the function or moves the channel.
    const refused = async (voucher: unknown, path = '/apps/chat/ask') => {
      const response = await fetch(`${gateway}${path}`, {
        method: 'POST',
        headers: { [VOUCHER_HEADER]: typeof voucher === 'string' ? voucher : JSON.stringify(voucher), 'content-type': 'application/json' },
        body: JSON.stringify({ q: 'x' }),
      });
      const body = (await response.json()) as { error: { codespace: string; code: number; message: string } };
      return { status: response.status, code: `${body.error.codespace}/${body.error.code}`, message: body.error.message };
    };
    const last = wallet.sign(wallet.spent, 5n);
    expect(await refused(last)).toMatchObject({ status: 402, code: 'channels/6' }); // replayed
    const impostor = new VoucherWallet(node.accounts[2]!.privkey, node.chainId, channel);
    expect(await refused(impostor.sign(wallet.spent + PRICE, 6n))).toMatchObject({ status: 402, code: 'channels/4' }); // forged
    expect(await refused({ ...wallet.sign(wallet.spent + PRICE, 6n), amount: String(wallet.spent + 100n) })).toMatchObject({
      status: 402,
      code: 'channels/4',
    }); // amount changed after signing
    expect(await refused(wallet.sign(wallet.spent + PRICE - 1n, 6n))).toMatchObject({ status: 402, code: 'executor/8' }); // underpaid
    expect(await refused(wallet.sign(1001n, 6n))).toMatchObject({
      status: 402,
      code: 'channels/5',
      message: expect.stringContaining('deposit 1000'),
    }); // over budget
    expect(await refused('not json')).toMatchObject({ status: 402, code: 'executor/7' });
    expect(await refused({ ...wallet.sign(wallet.spent + PRICE, 6n), nonce: '-1' })).toMatchObject({ status: 402, code: 'executor/7' });
    const short = new VoucherWallet(node.accounts[0]!.privkey, node.chainId, shortChannel);
    expect(await refused(short.next(PRICE))).toMatchObject({ status: 402, code: 'channels/11' }); // expires too soon
    expect(await refused(wallet.sign(wallet.spent + PRICE, 6n), '/apps/chat/nothing')).toMatchObject({ status: 404, code: 'executor/9' });
    // A function set while the gateway listens is served from its block on, and its log says so.
    await payer.ref('/apps/chat/nothing').setFunction(httpFunction('nothing'));
    await until('the new route', async () =>
      running.stderr().includes('http gateway: serving POST /apps/chat/nothing') ? true : undefined,
    );
    expect(await refused('not json', '/apps/chat/nothing')).toMatchObject({ status: 402, code: 'executor/7' });

    // The 5 calls are redeemed in batches: fewer txs than calls, 50 uain in all.
    await until(
      'the redemption',
      async () => ((await queryChannel(payer.cometClient, channel)).channel.redeemed === '50' ? true : undefined),
      30_000,
    );
    const first = await redemptions(channel);
    expect(first.paid).toBe(50n);
    expect(first.txs).toBeLessThan(5);
    expect(await balance(node.accounts[1]!.address)).toBe(executorBefore + 50n - first.fees);

    // More calls, then the executor stops: it redeems what it accepted on the way out.
    for (let i = 0; i < 6; i++)
      expect((await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { q: 'again' }, wallet.next(PRICE))).status).toBe(200);
    expect(await running.stop()).toBe(0);
    const after = await queryChannel(payer.cometClient, channel);
    expect(after.channel).toMatchObject({ redeemed: '110', nonce: 11n });
    const all = await redemptions(channel);
    expect(all.paid).toBe(110n);
    expect(all.txs).toBeLessThan(11);

    // Killed (SIGKILL) before it redeems: the vouchers it accepted are in HOME/executor-vouchers.json,
    // and the restarted executor redeems them.
    const restart = (interval: string) =>
      startExecutorProcess({
        account: node.accounts[1]!,
        rpcUrl: node.rpcUrl,
        storageUrl: storage.url,
        home: running.home,
        args: ['--runtimes', 'node', '--http', String(port), '--redeem-interval-ms', interval],
      });
    const again = await restart('600000');
    executor = again;
    await until('the gateway again', async () => (again.stderr().includes('http gateway on') ? true : undefined), 60_000);
    for (let i = 0; i < 3; i++)
      expect((await callHttpFunction(gateway, 'POST', '/apps/chat/ask', { q: 'crash' }, wallet.next(PRICE))).status).toBe(200);
    await again.kill();
    expect((await queryChannel(payer.cometClient, channel)).channel.redeemed).toBe('110');
    const revived = await restart('500');
    executor = revived;
    await until(
      'the restored vouchers redeemed',
      async () => ((await queryChannel(payer.cometClient, channel)).channel.redeemed === '140' ? true : undefined),
      60_000,
    );
    expect(revived.stderr()).toContain('1 voucher(s) accepted before a restart');
    expect(await revived.stop()).toBe(0);

    // The short channel expired unredeemed: its payer closes it and gets the deposit back.
    await until(
      'the short channel to expire',
      async () => {
        const status = await cometRpc(node.rpcUrl, 'status');
        const time = Math.floor(
          Date.parse(String((status as { sync_info: { latest_block_time: string } }).sync_info.latest_block_time)) / 1000,
        );
        return time > Number((await queryChannel(payer.cometClient, shortChannel)).channel.expiresAt) ? true : undefined;
      },
      30_000,
    );
    const closed = await payer.signAndBroadcast([channelsMsg.closeChannel(payer.address!, { channelId: shortChannel })]);
    const refund = closed.events.find((e) => e.type === 'ain.channels.v1.EventChannelClosed')!.attributes.find((a) => a.key === 'refunded');
    expect(refund?.value).toBe('500');
    console.log(
      `http functions: ${callMs.toFixed(1)} ms per paid call (sequential), 11 calls redeemed in ${all.txs} tx(s), executor paid ${all.paid} uain for ${all.fees} uain of fees`,
    );
  }, 180_000);
});
