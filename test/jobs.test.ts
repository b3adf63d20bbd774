/**
 * The job market against a real CometBFT node: the paper's Calculate Root sample driven through the
 * `aind tx jobs` / `aind query jobs` CLI and the client library, with the events an executor needs
 * received over CometBFT's websocket (a tx event, and a block event of a phase the end of a block
 * opened). Short windows come from genesis `app_state.jobs.params`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { WebsocketClient } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { jobsMsg } from '../client/jobsMessages.ts';
import { queryJobRequest } from '../client/queryJobs.ts';
import { addKey } from '../home/index.ts';
import { ADDRESS_PREFIX, moduleAddress } from '../core/address.ts';
import { CALCULATE_ROOT_SCHEMA } from './helpers/jobsTestdata.ts';
import { RewardFunction, Role } from '../proto/gen/ain/jobs/v1/types.ts';
import { runAind } from './helpers/cli.ts';
import { until } from './helpers/poll.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';

const HASH = 'a1'.repeat(32);
const SALT = '5a'.repeat(32);
const ANSWER = '{"x":2.01}';

describe('the job market on a real node', () => {
  let node: TestNode;
  let home: string;
  let ws: WebsocketClient;
  let reader: StargateClient;
  const clients: AinClient[] = [];
  const received: Array<{ query: string; events: Record<string, string[]> }> = [];

  const connect = async (account: TestAccount) => {
    const client = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(account.privkey, ADDRESS_PREFIX),
      broadcastPollIntervalMs: 100,
    });
    clients.push(client);
    return client;
  };
  /** Subscribes as an executor would; `events` maps "type.attribute" to its values (CometBFT's composite keys). */
  let nextId = 1;
  const subscribe = (query: string) =>
    ws.listen({ jsonrpc: '2.0', id: nextId++, method: 'subscribe', params: { query } }).subscribe({
      next: (event) => received.push({ query, events: (event as unknown as { events: Record<string, string[]> }).events }),
      error: (error) => received.push({ query, events: { error: [String(error)] } }),
    });
  const aind = async (...args: string[]) => {
    const result = await runAind(...args, '--home', home, '--node', node.rpcUrl, '--output', 'json', '--gas', 'auto', '--yes');
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { code: number; raw_log: string; gas_wanted: string; events: Array<{ type: string }> };
  };
  const query = async (...args: string[]) => {
    const result = await runAind('query', 'jobs', ...args, '--node', node.rpcUrl, '--output', 'json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
  };

  beforeAll(async () => {
    node = await startTestNode({
      accounts: 4,
      appState: (state) => ({
        ...state,
        jobs: { params: { reveal_window: '2', acceptance_window: '60', challenge_fee: '100', min_evaluator_deposit: '200' } },
      }),
    });
    home = mkdtempSync(join(tmpdir(), 'ain-jobs-cli-'));
    for (const [i, name] of ['alice', 'eve', 'w1', 'carl'].entries()) await addKey(home, name, node.accounts[i]!.mnemonic);
    writeFileSync(join(home, 'job_schema.proto'), CALCULATE_ROOT_SCHEMA);
    reader = await StargateClient.connect(node.rpcUrl);
  }, 120_000);

  afterAll(async () => {
    ws?.disconnect();
    reader?.disconnect();
    for (const client of clients) client.disconnect();
    await node?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('registers, requests, commits, reveals, ranks and pays through the CLI and the client, with events on the websocket', async () => {
    const [alice, eve, w1, carl] = node.accounts as [TestAccount, TestAccount, TestAccount, TestAccount];
    const balance = async (address: string) => BigInt((await reader.getBalance(address, 'uain')).amount);

    const registered = await aind(
      'tx',
      'jobs',
      'register',
      'calculate root',
      join(home, 'job_schema.proto'),
      '--worker-code-hash',
      HASH,
      '--evaluator-code-hash',
      HASH,
      '--from',
      'alice',
    );
    expect([registered.code, registered.raw_log]).toEqual([0, '']);
    expect(registered.events.map((e) => e.type)).toContain('ain.jobs.v1.EventJobRegistered');
    const job = await query('job', '1');
    expect(job['job']).toMatchObject({
      admin: alice.address,
      worker_rpc: 'Worker.CalculateRoot',
      input_type: 'Request',
      output_type: 'WorkerReply',
    });

    // As an executor: a tx event (evaluators and workers act on requests) and a block event (a phase
    // the end of a block opened). A block delivered on the same socket afterwards shows they are live.
    ws = new WebsocketClient(node.rpcUrl.replace(/^http/, 'ws'));
    subscribe("tm.event='Tx' AND ain.jobs.v1.EventJobRequested.job_id='1'");
    subscribe("tm.event='NewBlockEvents' AND ain.jobs.v1.EventSubmissionClosed.job_id='1'");
    subscribe("tm.event='NewBlock'");
    await until('a block on the websocket', async () => received.find((r) => r.query === "tm.event='NewBlock'"));

    const [admin, evaluator, worker, client] = await Promise.all([alice, eve, w1, carl].map(connect));
    await evaluator!.signAndBroadcast([jobsMsg.applyJob(eve.address, { jobId: 1n, role: Role.ROLE_EVALUATOR })]);
    await worker!.signAndBroadcast([jobsMsg.applyJob(w1.address, { jobId: 1n, role: Role.ROLE_WORKER })]);
    await admin!.signAndBroadcast([
      jobsMsg.approveNode(alice.address, { jobId: 1n, node: eve.address, role: Role.ROLE_EVALUATOR }),
      jobsMsg.approveNode(alice.address, { jobId: 1n, node: w1.address, role: Role.ROLE_WORKER }),
    ]);
    const before = { w1: await balance(w1.address), eve: await balance(eve.address) };

    await client!.signAndBroadcast([
      jobsMsg.requestJob(carl.address, {
        jobId: 1n,
        input: '{"y":4}',
        workerReward: '10',
        rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
        evaluatorReward: '10',
        evaluatorDeposit: '200',
        timeLimitSeconds: 3n,
      }),
    ]);
    const requested = await until('EventJobRequested on the websocket', async () =>
      received.find((r) => r.query.includes('EventJobRequested')),
    );
    expect(requested.events['ain.jobs.v1.EventJobRequested.request_id']).toEqual(['1']);
    expect(requested.events['ain.jobs.v1.EventJobRequested.client']).toEqual([carl.address]);

    const evaluatorFee = await evaluator!.signAndBroadcast([jobsMsg.acceptJob(eve.address, { requestId: 1n, role: Role.ROLE_EVALUATOR })]);
    const joinFee = await worker!.signAndBroadcast([jobsMsg.acceptJob(w1.address, { requestId: 1n, role: Role.ROLE_WORKER })]);
    const submitted = await aind('tx', 'jobs', 'submit', '1', ANSWER, '--salt', SALT, '--from', 'w1');
    expect([submitted.code, submitted.raw_log]).toEqual([0, '']);

    const closed = await until(
      'EventSubmissionClosed on the websocket',
      async () => received.find((r) => r.query.includes('SubmissionClosed')),
      30_000,
    );
    expect(closed.events['ain.jobs.v1.EventSubmissionClosed.request_id']).toEqual(['1']);
    const revealed = await aind('tx', 'jobs', 'reveal', '1', ANSWER, '--salt', SALT, '--from', 'w1');
    expect([revealed.code, revealed.raw_log]).toEqual([0, '']);

    await until(
      'the ranking to open',
      async () => ((await queryJobRequest(client!.cometClient, 1n)).request.status === 'evaluating' ? true : undefined),
      30_000,
    );
    const ranked = await evaluator!.signAndBroadcast([jobsMsg.rank(eve.address, { requestId: 1n, ranking: [w1.address] })]);
    const accepted = await aind('tx', 'jobs', 'accept-result', '1', '--from', 'carl');
    expect([accepted.code, accepted.raw_log]).toEqual([0, '']);

    const request = (await query('request', '1'))['request']!;
    expect(request).toMatchObject({
      status: 'completed',
      outcome: 'accepted',
      escrow: '0',
      ranking: [w1.address],
      reward_function: 'winner-takes-all',
    });
    expect((request['results'] as Array<Record<string, unknown>>)[0]).toMatchObject({ worker: w1.address, output: ANSWER, paid: '10' });
    const stats = await query('stats', '1');
    expect(stats['job']).toMatchObject({ requests: '1', completed: '1', paid_workers: '10', paid_evaluators: '10' });
    expect(stats).toMatchObject({ mean_payout: '20', escrow: '0' });
    const workerNode = await query('node', '1', w1.address);
    expect(workerNode['node']).toMatchObject({ roles: ['worker'], parent: alice.address, depth: 1, rating: '1500000' });
    expect(workerNode['overall']).toMatchObject({ jobs: '1', acceptances: '1', earned: '10' });

    // Exact money: the worker got 10, the evaluator 10 and its deposit back, less the fees each paid
    // (gas limit x 0.025 uain, rounded up); the escrow account is empty.
    const feeOf = (gasWanted: bigint | string) => (BigInt(gasWanted) * 25n + 999n) / 1000n;
    expect(await balance(moduleAddress('jobs'))).toBe(0n);
    expect(await balance(eve.address)).toBe(before.eve - feeOf(evaluatorFee.gasWanted) - feeOf(ranked.gasWanted) + 10n);
    expect(await balance(w1.address)).toBe(
      before.w1 - feeOf(joinFee.gasWanted) - feeOf(submitted.gas_wanted) - feeOf(revealed.gas_wanted) + 10n,
    );
  });
});
