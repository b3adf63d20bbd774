/**
 * The web explorer (ui/, served under /ui by the REST server) in headless Chromium against a real node:
 * the test makes traffic (a send, an app with a rule and a value, an executor, a function call, a job
 * with a worker and a request), loads every page, checks what each shows, verifies a state proof in the
 * browser, and takes the screenshots README.md shows (written to docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 *
 * Needs Debian's `chromium` (`.ci/run` installs it) or a Chromium at $CHROMIUM_PATH.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin, jobsMsg, queryJobRequest, resultCommitment, TRIGGERS_TYPE_URLS } from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { REPO_ROOT } from '../home/index.ts';
import { RewardFunction, Role } from '../proto/gen/ain/jobs/v1/types.ts';
import { MsgRegisterExecutor, MsgSubmitResult } from '../proto/gen/ain/triggers/v1/tx.ts';
import { CALCULATE_ROOT_SCHEMA } from './helpers/jobsTestdata.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

/**
 * The README's screenshots are rewritten only when asked (UPDATE_SCREENSHOTS=1), so that `npm test`
 * leaves the clone unmodified; otherwise they go to a temp folder, still taken and checked.
 */
const UPDATE = process.env['UPDATE_SCREENSHOTS'] === '1';
const SHOTS = UPDATE ? join(REPO_ROOT, 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'ain-ui-shots-'));
const CHROMIUM = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));
/** The worker's answer to the paper's sample input y = 4, and its commitment salt. */
const ANSWER = '{"x":2.01}';
const SALT = '5a'.repeat(32);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the web explorer', () => {
  let node: TestNode;
  let browser: Browser;
  let page: Page;
  const clients: AinClient[] = [];
  let sendHash = '';
  const started = Date.now();

  /** Opens `#/<route>` and waits until the page has rendered it. */
  const open = async (route: string): Promise<void> => {
    await page.goto(`${node.apiUrl}/ui/#/${route}`);
    await page.waitForSelector(`#app[data-loaded="${route}"]`, { timeout: 30_000 });
    expect(await page.locator('[data-testid="error"]').count(), await text('error')).toBe(0);
  };
  /** The rendered text of the first element with a test id (cells apart by tabs, rows by newlines). */
  const text = async (testId: string): Promise<string> =>
    (await page.locator(`[data-testid="${testId}"]`).first().allInnerTexts()).join('\n');
  const shot = async (name: string): Promise<void> => {
    const png = await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    expect(png.length).toBeGreaterThan(10_000);
  };

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error("no Chromium: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH");
    mkdirSync(SHOTS, { recursive: true });
    // Short job windows so that a request runs to its payout within the test.
    node = await startTestNode({
      accounts: 3,
      timeoutCommit: '300ms',
      appState: (state) => ({
        ...state,
        jobs: { params: { reveal_window: '2', acceptance_window: '60', challenge_fee: '100', min_evaluator_deposit: '200' } },
      }),
    });
    for (const account of node.accounts) {
      const signer = await DirectSecp256k1Wallet.fromKey(account.privkey, ADDRESS_PREFIX);
      clients.push(await connectAin({ rpcUrl: node.rpcUrl, signer, broadcastPollIntervalMs: 100 }));
    }
    const [alice, bob, carol] = clients as [AinClient, AinClient, AinClient];
    const [a, b, c] = [alice.address!, bob.address!, carol.address!];

    // A send, and an app with a rule and a value.
    sendHash = (
      await alice.signAndBroadcast([
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: a, toAddress: b, amount: [{ denom: 'uain', amount: '1234567' }] },
        },
      ])
    ).transactionHash;
    await alice.createApp('explorer', { admins: [a] });
    await alice.ref('/apps/explorer/notes/$id').setRule({ write: `auth.addr == '${a}'` });
    await alice.ref('/apps/explorer/notes/first').setValue('hello from the explorer test');

    // An executor with a GPU, and a function whose trigger records a call.
    await bob.signAndBroadcast([
      {
        typeUrl: TRIGGERS_TYPE_URLS.registerExecutor,
        value: MsgRegisterExecutor.fromPartial({
          signer: b,
          runtimes: ['python3'],
          cpu: 4,
          memoryMb: 8192n,
          gpus: 1,
          gpuMemoryMb: 24576n,
          price: '1000',
        }),
      },
    ]);
    await alice.ref('/apps/explorer/requests/$key').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'echo',
      runtime: 'python3',
      code_hash: sha256('print(input())'),
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 300,
      price: '1000',
      output_path: '/apps/explorer/results/$key',
      executors: 'any',
    });
    await alice.ref('/apps/explorer/requests/$key').setRule({ write: `auth.addr == '${a}'` });
    await alice.ref('/apps/explorer/results/$key').setRule({ write: "auth.fid == 'echo'" });
    await alice.ref('/apps/explorer/requests/r1').setValue('ping');
    // Bob's executor answers the first call (as `aind executor` would); the second stays pending.
    await bob.signAndBroadcast([
      { typeUrl: TRIGGERS_TYPE_URLS.submitResult, value: MsgSubmitResult.fromPartial({ signer: b, callId: 1n, output: '"pong"' }) },
    ]);
    await alice.ref('/apps/explorer/requests/r2').setValue('ping again');

    // A job with carol approved as its evaluator and bob as its worker; one request runs to its payout
    // (commit, reveal, rank, accept), a second stays open.
    await alice.signAndBroadcast([
      jobsMsg.registerJob(a, {
        name: 'calculate root',
        schema: CALCULATE_ROOT_SCHEMA,
        workerCodeHash: sha256('worker'),
        evaluatorCodeHash: sha256('evaluator'),
        runtime: 'python3',
        resources: { cpu: 1, memoryMb: 256n, gpus: 0, gpuMemoryMb: 0n },
        delegation: { adminDepth: 0, maxChildren: 0 },
        description: 'the architecture paper sample',
      }),
    ]);
    await bob.signAndBroadcast([jobsMsg.applyJob(b, { jobId: 1n, role: Role.ROLE_WORKER })]);
    await carol.signAndBroadcast([jobsMsg.applyJob(c, { jobId: 1n, role: Role.ROLE_EVALUATOR })]);
    await alice.signAndBroadcast([
      jobsMsg.approveNode(a, { jobId: 1n, node: b, role: Role.ROLE_WORKER }),
      jobsMsg.approveNode(a, { jobId: 1n, node: c, role: Role.ROLE_EVALUATOR }),
    ]);
    const request = (timeLimitSeconds: bigint) =>
      jobsMsg.requestJob(a, {
        jobId: 1n,
        input: '{"y":4}',
        workerReward: '10',
        rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
        evaluatorReward: '10',
        evaluatorDeposit: '200',
        timeLimitSeconds,
      });
    const phase = (status: string) => async () =>
      (await queryJobRequest(alice.cometClient, 1n)).request.status === status ? true : undefined;
    await alice.signAndBroadcast([request(3n)]);
    await carol.signAndBroadcast([jobsMsg.acceptJob(c, { requestId: 1n, role: Role.ROLE_EVALUATOR })]);
    await bob.signAndBroadcast([
      jobsMsg.acceptJob(b, { requestId: 1n, role: Role.ROLE_WORKER }),
      jobsMsg.submitResult(b, { requestId: 1n, commitment: resultCommitment(1n, b, SALT, ANSWER, '') }),
    ]);
    await until('the submission to close', phase('revealing'), 30_000);
    await bob.signAndBroadcast([jobsMsg.revealResult(b, { requestId: 1n, output: ANSWER, salt: SALT })]);
    await until('the ranking to open', phase('evaluating'), 30_000);
    await carol.signAndBroadcast([jobsMsg.rank(c, { requestId: 1n, ranking: [b] })]);
    await alice.signAndBroadcast([jobsMsg.acceptResult(a, { requestId: 1n })]);
    await alice.signAndBroadcast([request(60n)]);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const client of clients) client.disconnect();
    await node?.stop();
    if (!UPDATE) rmSync(SHOTS, { recursive: true, force: true });
    console.log(`the explorer test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it('serves the bundle and the RPC address under /ui', async () => {
    const config = (await (await fetch(`${node.apiUrl}/ui/config.json`)).json()) as { rpcUrl: string };
    expect(config.rpcUrl).toBe(node.rpcUrl);
    const redirect = await fetch(`${node.apiUrl}/ui`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/ui/']);
    const bundle = await fetch(`${node.apiUrl}/ui/app.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${node.apiUrl}/ui/nothing.js`)).status).toBe(404);
  });

  it('shows the dashboard: chain facts, charts, job statistics, latest blocks and txs', async () => {
    await open('');
    expect(await text('chain-facts')).toContain(node.chainId);
    for (const chart of ['chart-tps', 'chart-block-time', 'chart-per-minute']) {
      expect(await page.locator(`[data-testid="${chart}"] canvas`).count()).toBe(1);
    }
    expect(await text('job-totals')).toMatch(/Jobs\s+1\s+Requests\s+2\b/);
    // Job 1: 2 requests, 1 completed, 0 / 0, 0 (0), 10 uain to the worker and 10 to the evaluator, mean payout 20.
    expect(await text('job-stats')).toMatch(/1 calculate root\t2\t1\t0 \/ 0\t0 \(0\)\t0\.00001 AIN\t0\.00001 AIN\t0\.00002 AIN\t\d+ s\t/);
    expect(await text('latest-txs')).toMatch(/MsgRequestJob\s+ok\s+0\.\d+ AIN/);
    // Live: a NewBlock event on CometBFT's websocket re-renders the page with a higher height.
    const shownHeight = async () => Number(await page.locator('[data-testid="chain-facts"] a').first().textContent());
    const height = await shownHeight();
    await until('the dashboard to show a newer block', async () => ((await shownHeight()) > height ? true : undefined), 15_000);
    await shot('dashboard');
  });

  it('shows a tx with its decoded message, fee and events, and its block', async () => {
    await open(`tx/${sendHash}`);
    expect(await text('tx-hash')).toBe(sendHash);
    expect(await text('tx-message')).toContain('1234567');
    expect(await text('tx-fee')).toMatch(/AIN$/);
    expect(await text('tx-events')).toContain('transfer');
    await shot('transaction');
    const height = (await page.locator('[data-testid="tx-facts"] a').first().textContent())?.trim();
    await open(`blocks/${height}`);
    expect(await text('block-txs')).toContain(sendHash.slice(0, 10));
  });

  it('shows an account with its balance, and the validators with their delegations', async () => {
    const bob = clients[1]!.address!;
    await open(`account/${bob}`);
    const rest = (await (await fetch(`${node.apiUrl}/cosmos/bank/v1beta1/balances/${bob}/by_denom?denom=uain`)).json()) as {
      balance: { amount: string };
    };
    const whole = BigInt(rest.balance.amount) / 1_000_000n;
    expect(await text('account-facts')).toContain(`${whole.toLocaleString('en-US')}.`);
    await shot('account');
    await open('validators');
    expect(await text('validators')).toContain(node.validator.operatorAddress.slice(0, 10));
    await open(`validators/${node.validator.operatorAddress}`);
    expect(await text('validator-delegations')).toContain(node.validator.operator.address);
  });

  it('walks the state tree to a value, shows its rule, and verifies its proof in the browser', async () => {
    await open('state/apps/explorer');
    expect(await text('state-children')).toContain('notes');
    await page.locator('[data-testid="state-children"] a', { hasText: 'notes' }).click();
    await page.waitForSelector('#app[data-loaded="state/apps/explorer/notes"]');
    await page.locator('[data-testid="state-children"] a', { hasText: 'first' }).click();
    await page.waitForSelector('#app[data-loaded="state/apps/explorer/notes/first"]');
    expect(await text('state-value')).toBe('"hello from the explorer test"');
    expect(await text('state-rule')).toContain(`auth.addr == '${clients[0]!.address}'`);
    await page.locator('[data-testid="verify-proof"]').click();
    await page.waitForSelector('[data-testid="proof-result"]', { timeout: 30_000 });
    expect(await text('proof-result')).toBe('proof verified');
    await shot('state');
  });

  it('shows the executors with their GPUs and prices, and the function calls with their status and latency', async () => {
    await open('executors');
    const executors = await text('executors');
    expect(executors).toContain('python3');
    expect(executors).toContain('24576 MB');
    expect(executors).toContain('0.001 AIN');
    const calls = (await text('calls')).split('\n');
    expect(calls.find((row) => row.includes('/apps/explorer/requests/r1'))).toMatch(/\tdone\t.*\t\d+\.\d s \(\d+ blocks?\)$/);
    expect(calls.find((row) => row.includes('/apps/explorer/requests/r2'))).toMatch(/\tpending\t-\t0\.001 AIN\t-$/);
    await shot('executors');
  });

  it('shows the job, its reputation tree with Elo ratings, and its requests with their phases and payouts', async () => {
    const bob = clients[1]!.address!;
    await open('jobs');
    expect(await text('jobs')).toContain('calculate root');
    expect(await text('live-requests')).toContain('open');
    await open('jobs/1');
    const tree = await text('reputation-tree');
    expect(tree).toMatch(/admin · approved/);
    expect(tree).toMatch(/worker · approved · Elo \d+\.\d · 1 accepted, earned 0\.00001 AIN/);
    expect(tree).toMatch(/evaluator · approved · Elo \d+\.\d/);
    expect(await text('job-facts')).toMatch(/Requests \(completed\)\s+2 \(1\)/);
    expect(await text('job-requests')).toMatch(/\bcompleted\b/);
    await shot('job');
    await open('requests/1');
    expect(await text('request-status')).toBe('completed');
    const phases = (await text('request-phases')).split('\n');
    for (const name of ['requested', 'accepted by an evaluator', 'ranked', 'settled'])
      expect(phases.find((row) => row.startsWith(name))).toMatch(/\t\d{4}-\d\d-\d\dT/);
    const results = await text('request-results');
    expect(results).toMatch(new RegExp(`${bob.slice(0, 10)}.*\t1\t.+\t0\\.00001 AIN`));
    expect(results).toContain('\t{"x":2.01}\t');
    await shot('request');
    await open('requests/2');
    expect(await text('request-status')).toBe('open');
  });
});
