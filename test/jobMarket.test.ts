/**
 * The job market end to end with real processes: one node (CometBFT + the app), a Big Storage
 * server, and `aind executor --jobs ...` child processes as workers and evaluators; clients drive it
 * with `aind console` (the paper's sample session) and `aind job run`, the admin with `aind job
 * evaluate` and `aind tx jobs resolve`. A dishonest evaluator, a garbage worker and a crashing
 * evaluator get bad code only through `--evaluator-code` / `--worker-code`, the executor's way of
 * running an operator's own implementation. After every block, the escrow invariant is checked: the
 * jobs module account holds exactly the live requests' escrow, and the supply moves only by what
 * distribution mints.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import {
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { jobsMsg } from '../client/jobsMessages.ts';
import { JOBS_QUERY_PATHS, queryJobNodes, queryJobRequest, queryLiveRequests } from '../client/queryJobs.ts';
import { abciQueryOrThrow, queryGet } from '../client/queryState.ts';
import { addKey, REPO_ROOT } from '../home/index.ts';
import { ADDRESS_PREFIX, moduleAddress } from '../core/address.ts';
import { QueryRequestsRequest, QueryRequestsResponse, QueryStatsRequest, QueryStatsResponse } from '../proto/gen/ain/jobs/v1/query.ts';
import { type Request, Role } from '../proto/gen/ain/jobs/v1/types.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { runAind, runAindWithInput } from './helpers/cli.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { until } from './helpers/poll.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';

const NAMES = ['alice', 'carl', 'dave', 'erin', 'e1', 'ed', 'eoff', 'w1', 'w2', 'w3', 'wg', 'woff'] as const;
type Name = (typeof NAMES)[number];
const PARAMS = {
  accept_window: '5',
  reveal_window: '3',
  rank_window: '5',
  acceptance_window: '30',
  resolve_window: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
};
const CHALLENGE_FEE = 100n;
const DEPOSIT = 200n;
const EXAMPLES = 'examples/jobs';
/** An evaluator that ranks the paper's sample worst first. */
const REVERSE_EVALUATOR = `import json, sys
envelope = json.load(sys.stdin)
y = float(envelope["request"].get("y", 0))
scored = sorted((abs(float(w["response"].get("x", 0)) ** 2 - y), w["node"]) for w in envelope["workers"])
json.dump({"node": [node for _, node in reversed(scored)]}, sys.stdout)
`;
/** An evaluator program that fails every time. */
const CRASHING_EVALUATOR = 'import sys\nsys.exit("this evaluator has crashed")\n';
/** A worker that answers the paper's sample with a value of the right type and no meaning. */
const GARBAGE_WORKER = 'import json\nprint(json.dumps({"x": "NaN"}))\n';

type Account = TestAccount & { name: Name };

describe('the job market end to end (real node, storage, executors, CLI)', () => {
  let node: TestNode;
  let storage: StorageServer;
  let dir: string;
  let home: string;
  let admin: AinClient;
  let monitor: EscrowMonitor;
  let registration = '';
  const accounts = {} as Record<Name, Account>;
  const executors = {} as Partial<Record<Name, ExecutorProcess>>;
  const clients: AinClient[] = [];

  const aind = (...args: string[]) => runAind(...args, '--home', home, '--node', node.rpcUrl);
  const jobRun = async (from: Name, jobId: string, input: string, ...args: string[]) => {
    const run = await aind('job', 'run', jobId, '--input', input, '--storage', storage.url, '--from', from, '--time-limit', '5', ...args);
    const result = run.stdout.trim() === '' ? undefined : (JSON.parse(run.stdout) as RunResult);
    return { ...run, result };
  };
  const comet = () => admin.cometClient;

  beforeAll(async () => {
    node = await startTestNode({ accounts: NAMES.length, appState: (state) => ({ ...state, jobs: { params: PARAMS } }) });
    dir = mkdtempSync(join(tmpdir(), 'ain-job-market-'));
    home = join(dir, 'home');
    storage = await startStorageServer({ dir: join(dir, 'storage'), port: 0 });
    for (const [i, name] of NAMES.entries()) {
      accounts[name] = { ...node.accounts[i]!, name };
      await addKey(home, name, node.accounts[i]!.mnemonic);
    }
    const connect = async (name: Name) => {
      const client = await connectAin({
        rpcUrl: node.rpcUrl,
        signer: await DirectSecp256k1Wallet.fromKey(accounts[name].privkey, ADDRESS_PREFIX),
        broadcastPollIntervalMs: 100,
      });
      clients.push(client);
      return client;
    };
    admin = await connect('alice');
    monitor = new EscrowMonitor(admin.cometClient);

    // The admin registers both sample jobs through the console, as in the paper's session.
    const register = await runAindWithInput(
      ['calculate_root', 'regression']
        .map((job) => `registerJob ${EXAMPLES}/${job}/job_schema.proto ${EXAMPLES}/${job}/worker.py ${EXAMPLES}/${job}/evaluator.py`)
        .join('\n'),
      'console',
      '--from',
      'alice',
      '--home',
      home,
      '--node',
      node.rpcUrl,
      '--storage',
      storage.url,
    );
    registration = register.stdout;
    expect(register.code, register.stdout + register.stderr).toBe(0);

    // Operators' own code, uploaded by each operator: the only way a node here is bad.
    const upload = async (name: Name, code: string) => (await putBlob(storage.url, new TextEncoder().encode(code), accounts[name])).hash;
    const worker = readFileSync(join(REPO_ROOT, EXAMPLES, 'regression', 'worker.py'), 'utf8');
    const withRate = (rate: string) => worker.replace(/^LEARNING_RATE = 0\.1$/m, `LEARNING_RATE = ${rate}`);
    expect(withRate('0.01')).not.toBe(worker);
    const code = {
      reverse: await upload('ed', REVERSE_EVALUATOR),
      crash: await upload('ed', CRASHING_EVALUATOR),
      slow: await upload('w2', withRate('0.01')),
      slower: await upload('w3', withRate('0.001')),
      garbage: await upload('wg', GARBAGE_WORKER),
    };
    const start = async (name: Name, args: string[]) => {
      executors[name] = await startExecutorProcess({ account: accounts[name], rpcUrl: node.rpcUrl, storageUrl: storage.url, args });
    };
    await Promise.all([
      start('e1', ['--jobs', 'evaluator']),
      start('ed', ['--jobs', 'evaluator', '--evaluator-code', `1=${code.reverse}`, '--evaluator-code', `2=${code.crash}`]),
      start('w1', ['--jobs', 'worker']),
      start('w2', ['--jobs', 'worker', '--worker-code', `2=${code.slow}`]),
      start('w3', ['--jobs', 'worker', '--worker-code', `2=${code.slower}`]),
      start('wg', ['--jobs', 'worker', '--job-ids', '1', '--worker-code', `1=${code.garbage}`]),
    ]);
    // Nodes with no executor behind them: an evaluator and a worker that never show up.
    await (await connect('eoff')).signAndBroadcast([jobsMsg.applyJob(accounts.eoff.address, { jobId: 1n, role: Role.ROLE_EVALUATOR })]);
    await (await connect('woff')).signAndBroadcast([jobsMsg.applyJob(accounts.woff.address, { jobId: 1n, role: Role.ROLE_WORKER })]);

    // The executors apply by themselves; the admin approves every application.
    const expected: Array<[bigint, Name, Role]> = [
      ...(['e1', 'ed', 'eoff'] as const).map((n): [bigint, Name, Role] => [1n, n, Role.ROLE_EVALUATOR]),
      ...(['w1', 'w2', 'w3', 'wg', 'woff'] as const).map((n): [bigint, Name, Role] => [1n, n, Role.ROLE_WORKER]),
      ...(['e1', 'ed'] as const).map((n): [bigint, Name, Role] => [2n, n, Role.ROLE_EVALUATOR]),
      ...(['w1', 'w2', 'w3'] as const).map((n): [bigint, Name, Role] => [2n, n, Role.ROLE_WORKER]),
    ];
    await until(
      'every executor to apply',
      async () => {
        for (const jobId of [1n, 2n]) {
          const { nodes } = await queryJobNodes(comet(), jobId);
          for (const [job, name, role] of expected)
            if (job === jobId && !nodes.find((n) => n.address === accounts[name].address)?.applied.includes(role)) return undefined;
        }
        return true;
      },
      120_000,
    );
    await admin.signAndBroadcast(
      expected.map(([jobId, name, role]) => jobsMsg.approveNode(accounts.alice.address, { jobId, node: accounts[name].address, role })),
    );
    for (const [jobId, name, role] of expected) {
      const executor = executors[name];
      const word = role === Role.ROLE_WORKER ? 'worker' : 'evaluator';
      if (executor)
        await until(`${name} to see its approval`, async () =>
          new RegExp(`job ${jobId} "[a-z_]+": approved as ${word}`).test(executor.stderr()) ? true : undefined,
        );
    }
  }, 240_000);

  afterAll(async () => {
    await monitor?.stop();
    for (const [name, executor] of Object.entries(executors)) {
      if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`--- executor ${name}:\n${executor.stderr()}\n`);
      await executor.stop();
      executor.remove();
    }
    for (const client of clients) client.disconnect();
    await storage?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const address = (name: Name) => accounts[name].address;
  const nameOf = (addr: string) => NAMES.find((n) => accounts[n].address === addr) ?? addr;
  /** uain of each account at a height, and the fees it paid in blocks (from, to]. */
  const balanceAt = async (name: Name, height: number) => {
    const answer = await abciQueryOrThrow(
      comet(),
      '/cosmos.bank.v1beta1.Query/Balance',
      QueryBalanceRequest.encode({ address: address(name), denom: 'uain' }).finish(),
      { height },
    );
    return BigInt(QueryBalanceResponse.decode(answer.value).balance?.amount ?? '0');
  };
  const feesPaid = async (name: Name, from: number, to: number) => {
    const found = await comet().txSearchAll({ query: `tx.fee_payer='${address(name)}' AND tx.height>${from} AND tx.height<=${to}` });
    let total = 0n;
    for (const tx of found.txs) {
      const fee = tx.result.events.find((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee_payer'));
      total += BigInt(/^(\d+)uain$/.exec(fee?.attributes.find((a) => a.key === 'fee')?.value ?? '')?.[1] ?? '0');
    }
    return total;
  };
  /** Each account's balance change over (from, to] with its fees added back: what the job market paid it. */
  const earned = async (names: readonly Name[], from: number, to: number) => {
    const out = {} as Record<Name, bigint>;
    for (const name of names) out[name] = (await balanceAt(name, to)) - (await balanceAt(name, from)) + (await feesPaid(name, from, to));
    return out;
  };
  /** The height once every request is settled and the monitor has checked it. */
  const settledHeight = async () => {
    const height = await until(
      'no live request',
      async () => ((await queryLiveRequests(comet(), 0n)).requests.length === 0 ? node.height() : undefined),
      60_000,
    );
    await until('the escrow monitor', async () => (monitor.checkedThrough() >= height ? true : undefined), 30_000);
    return height;
  };
  const request = async (id: string | bigint) => (await queryJobRequest(comet(), BigInt(id))).request;
  const outputOf = (req: Request, name: Name) => req.results.find((r) => r.worker === address(name))?.output;

  it("runs the paper's sample session in `aind console`: 3 workers guess roots, the closest and the evaluator are paid exactly 10", async () => {
    expect(registration).toContain('Registration complete. Job ID is 1.');
    expect(registration).toContain('Registration complete. Job ID is 2.');
    const before = await node.height();
    const session = await runAindWithInput(
      [
        'stats 1',
        'requestJob {job_id: 1, job_input: {y: 4}, reward: [10, 10], time_limit: 5000, evaluator_node: ["e1"], worker_node: ["w1", "w2", "w3"]}',
      ].join('\n'),
      'console',
      '--from',
      'carl',
      '--home',
      home,
      '--node',
      node.rpcUrl,
      '--storage',
      storage.url,
    );
    expect(session.code, session.stdout + session.stderr).toBe(0);
    expect(session.stdout).toContain('3 evaluators, 5 workers approved (0 applications waiting).');
    const after = await settledHeight();

    const id = /request (\d+) of job 1/.exec(session.stdout)?.[1];
    const req = await request(id!);
    expect(req).toMatchObject({ status: 'completed', outcome: 'accepted', evaluator: address('e1'), escrow: '0' });
    const guesses = (['w1', 'w2', 'w3'] as const).map((name) => ({ name, x: (JSON.parse(outputOf(req, name)!) as { x: number }).x }));
    expect(guesses.every((g) => g.x > 0 && g.x <= 4)).toBe(true);
    const closest = [...guesses].sort((a, b) => Math.abs(a.x * a.x - 4) - Math.abs(b.x * b.x - 4))[0]!;
    expect(nameOf(req.ranking[0]!)).toBe(closest.name);
    expect(session.stdout).toContain(`result: {"x":${closest.x}} (worker ${address(closest.name)})`);
    expect(session.stdout).toContain(
      `Total 3 workers participated. Evaluator (${address('e1')}) received 10, worker (${address(closest.name)}) received 10.`,
    );
    for (const line of [
      'accepted by evaluator',
      'committed to a result',
      'submission closed',
      'revealed its result',
      'ranked:',
      'closed: completed',
    ])
      expect(session.stdout).toContain(line);

    const paid = await earned(['carl', 'e1', 'w1', 'w2', 'w3'], before, after);
    expect(paid).toEqual({ carl: -20n, e1: 10n, w1: 0n, w2: 0n, w3: 0n, [closest.name]: 10n });
    expect(monitor.violations).toEqual([]);
  });

  it('runs a regression job: workers with different learning rates, ranked by loss on test data revealed after submission', async () => {
    const data = join(dir, 'regression');
    await new Promise<void>((resolve, reject) =>
      execFile('python3', [join(REPO_ROOT, EXAMPLES, 'regression', 'make_data.py'), data, '--seed', '11'], (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const before = await node.height();
    const run = await jobRun(
      'dave',
      '2',
      join(data, 'input.json'),
      '--test-data',
      join(data, 'test_data.json'),
      '--reward',
      '30',
      '--reward-function',
      'ranked-weights',
      '--weights',
      '3,2,1',
      '--evaluator-reward',
      '10',
      '--evaluators',
      'e1',
      '--workers',
      'w1,w2,w3',
    );
    expect(run.code, run.stderr).toBe(0);
    const after = await settledHeight();
    const req = await request(run.result!.request_id);
    // The test set stayed secret until every commitment was in: the client revealed it in the reveal phase.
    const progress = run.stderr.split('\n');
    const step = (text: string) => progress.findIndex((line) => line.includes(text));
    expect(step('test data revealed')).toBeGreaterThan(step('submission closed'));
    expect(step('submission closed')).toBeGreaterThan(step('committed to a result'));
    expect(step('ranked:')).toBeGreaterThan(step('test data revealed'));
    const test = JSON.parse(readFileSync(join(data, 'test_data.json'), 'utf8')) as { points: { x: number[]; y: number }[] };
    expect(JSON.parse(req.testData)).toEqual(test);

    // The ranking is the order of the models' mean squared error on the test set; the largest rate fits best.
    const loss = (name: Name) => {
      const { w, b } = JSON.parse(outputOf(req, name)!) as { w: number[]; b: number };
      return test.points.reduce((sum, p) => sum + (w.reduce((s, wi, i) => s + wi * p.x[i]!, b) - p.y) ** 2, 0) / test.points.length;
    };
    const byLoss = (['w1', 'w2', 'w3'] as const).slice().sort((a, b) => loss(a) - loss(b));
    expect(req.ranking.map(nameOf)).toEqual(byLoss);
    expect(byLoss[0]).toBe('w1');
    expect(loss('w1')).toBeLessThan(0.05);
    expect(run.result).toMatchObject({ status: 'completed', outcome: 'accepted', worker: address('w1') });
    expect(run.result!.result).toEqual(JSON.parse(outputOf(req, 'w1')!));

    const paid = await earned(['dave', 'e1', 'w1', 'w2', 'w3'], before, after);
    expect(paid).toEqual({ dave: -40n, e1: 10n, [byLoss[0]!]: 15n, [byLoss[1]!]: 10n, [byLoss[2]!]: 5n });
    expect(monitor.violations).toEqual([]);
  });

  it('pays a worker whose code returns garbage nothing: it reveals, the evaluator drops it, the others split the reward', async () => {
    const input = join(dir, 'y4.json');
    writeFileSync(input, '{"y":4}');
    const before = await node.height();
    const run = await jobRun(
      'carl',
      '1',
      input,
      '--reward',
      '10',
      '--reward-function',
      'even-split',
      '--evaluator-reward',
      '10',
      '--evaluators',
      'e1',
      '--workers',
      'w1,w2,wg',
    );
    expect(run.code, run.stderr).toBe(0);
    const after = await settledHeight();
    const req = await request(run.result!.request_id);
    expect(outputOf(req, 'wg')).toBe('{"x":"NaN"}');
    expect(req.ranking.map(nameOf).sort()).toEqual(['w1', 'w2']);
    const paid = await earned(['carl', 'e1', 'w1', 'w2', 'wg'], before, after);
    expect(paid).toEqual({ carl: -20n, e1: 10n, w1: 5n, w2: 5n, wg: 0n });
    expect(req.results.find((r) => r.worker === address('wg'))?.paid).toBe('0');
    expect(monitor.violations).toEqual([]);
  });

  it('challenges a dishonest evaluator: the client re-evaluates, the admin re-evaluates and upholds, the client receives the deposit', async () => {
    const input = join(dir, 'y4.json');
    const before = await node.height();
    const running = jobRun(
      'erin',
      '1',
      input,
      '--reward',
      '10',
      '--evaluator-reward',
      '10',
      '--evaluators',
      'ed',
      '--workers',
      'w1,w2,w3',
      '--verify',
    );
    const challenged = await until(
      'the challenge',
      async () => (await queryLiveRequests(comet(), 1n)).requests.find((r) => r.status === 'challenged'),
      60_000,
    );
    expect(challenged).toMatchObject({ evaluator: address('ed'), challenger: address('erin'), resolver: address('alice') });
    // The admin re-runs the job's evaluator code on the revealed results, then decides with that ranking.
    const evaluation = await runAind('job', 'evaluate', String(challenged.id), '--storage', storage.url, '--node', node.rpcUrl);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const { ranking } = JSON.parse(evaluation.stdout) as { ranking: string[] };
    expect(ranking).toHaveLength(3);
    expect(ranking).toEqual([...challenged.ranking].reverse());
    const resolved = await aind(
      'tx',
      'jobs',
      'resolve',
      String(challenged.id),
      '--uphold',
      '--ranking',
      ranking.join(','),
      '--from',
      'alice',
      '--gas',
      'auto',
      '--reason',
      'the evaluator ranked worst first',
    );
    expect(JSON.parse(resolved.stdout)).toMatchObject({ code: 0 });

    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('challenging the evaluator');
    expect(run.result).toMatchObject({ status: 'completed', outcome: 'challenge_upheld', challenged: true, ranking, worker: ranking[0] });
    expect(run.result!.payouts).toContainEqual({ recipient: address('erin'), amount: String(DEPOSIT), kind: 'deposit_forfeit' });
    const after = await settledHeight();
    const paid = await earned(['erin', 'alice', 'ed', 'w1', 'w2', 'w3'], before, after);
    expect(paid).toEqual({
      erin: DEPOSIT - CHALLENGE_FEE - 10n,
      alice: CHALLENGE_FEE,
      ed: -DEPOSIT,
      w1: 0n,
      w2: 0n,
      w3: 0n,
      [nameOf(ranking[0]!)]: 10n,
    });
    expect(monitor.violations).toEqual([]);
  });

  it('ends each request nobody completes with its escrow returned: no evaluator, no worker, an evaluator whose code crashes', async () => {
    const input = join(dir, 'y4.json');
    const data = join(dir, 'regression', 'input.json');
    const before = await node.height();
    const [noEvaluator, noWorker, crashed] = await Promise.all([
      jobRun('carl', '1', input, '--reward', '10', '--evaluator-reward', '10', '--evaluators', 'eoff', '--workers', 'w1'),
      jobRun('dave', '1', input, '--reward', '10', '--evaluator-reward', '10', '--evaluators', 'e1', '--workers', 'woff'),
      jobRun('erin', '2', data, '--reward', '10', '--evaluator-reward', '10', '--evaluators', 'ed', '--workers', 'w1'),
    ]);
    for (const run of [noEvaluator, noWorker, crashed]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Error: request \d+: no result: the request ended /);
    }
    expect(noEvaluator.result).toMatchObject({ status: 'expired', outcome: 'no_evaluator', result: null });
    expect(noWorker.result).toMatchObject({ status: 'no_results', outcome: 'no_commitments', evaluator: address('e1') });
    expect(crashed.result).toMatchObject({ status: 'evaluator_timeout', evaluator: address('ed') });
    expect(executors.ed!.stderr()).toMatch(/the evaluator program failed: exit \(exit 1\): this evaluator has crashed/);
    expect(crashed.result!.payouts).toContainEqual({ recipient: address('erin'), amount: String(DEPOSIT), kind: 'deposit_forfeit' });
    const after = await settledHeight();
    const paid = await earned(['carl', 'dave', 'erin', 'e1', 'ed', 'w1'], before, after);
    expect(paid).toEqual({ carl: 0n, dave: 0n, erin: DEPOSIT, e1: 0n, ed: -DEPOSIT, w1: 0n });
    expect(monitor.violations).toEqual([]);
  });

  it('kept the escrow invariant at every height of the run', async () => {
    const checked = monitor.heights();
    expect(checked.length).toBeGreaterThan(50);
    expect(checked[checked.length - 1]! - checked[0]! + 1).toBe(checked.length);
    expect(monitor.violations).toEqual([]);
    expect(monitor.maxEscrow).toBeGreaterThan(0n);
  });
});

interface RunResult {
  request_id: string;
  status: string;
  outcome: string;
  result: unknown;
  worker: string;
  ranking: string[];
  evaluator: string;
  payouts: { recipient: string; amount: string; kind: string }[];
  challenged: boolean;
}

/**
 * Checks at every height, reading the state of that very block: the jobs module account's balance
 * equals the chain's escrow total and the sum of the live requests' escrow; the total supply minus
 * what distribution minted never changes.
 */
class EscrowMonitor {
  readonly violations: string[] = [];
  maxEscrow = 0n;
  private readonly checked: number[] = [];
  private supplyBase: bigint | undefined;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly comet: CometClient) {
    this.loop = this.run();
  }

  heights(): readonly number[] {
    return this.checked;
  }

  checkedThrough(): number {
    return this.checked[this.checked.length - 1] ?? 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let next = (await this.comet.status()).syncInfo.latestBlockHeight;
    while (!this.stopped) {
      const latest = (await this.comet.status()).syncInfo.latestBlockHeight;
      let waits = 0;
      while (next <= latest && !this.stopped) {
        try {
          await this.check(next);
        } catch (error) {
          // CometBFT shows a height a moment before the app has committed that block: wait for it.
          if (/above the latest height/.test((error as Error).message) && waits++ < 200) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          this.violations.push(`height ${next}: ${(error as Error).message}`);
        }
        next += 1;
        waits = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async check(height: number): Promise<void> {
    const query = async <T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T) =>
      decode((await abciQueryOrThrow(this.comet, path, data, { height })).value);
    const held = BigInt(
      (
        await query(
          '/cosmos.bank.v1beta1.Query/Balance',
          QueryBalanceRequest.encode({ address: moduleAddress('jobs'), denom: 'uain' }).finish(),
          QueryBalanceResponse.decode,
        )
      ).balance?.amount ?? '0',
    );
    const stats = await query(JOBS_QUERY_PATHS.stats, QueryStatsRequest.encode({ jobId: 0n }).finish(), QueryStatsResponse.decode);
    const live = await query(
      JOBS_QUERY_PATHS.requests,
      QueryRequestsRequest.encode({ jobId: 0n, limit: 100, pagination: undefined }).finish(),
      QueryRequestsResponse.decode,
    );
    const sum = live.requests.reduce((total, r) => total + BigInt(r.escrow), 0n);
    if (held !== BigInt(stats.escrow) || held !== sum)
      this.violations.push(`height ${height}: the jobs account holds ${held}, escrow_total ${stats.escrow}, live requests ${sum}`);
    if (held > this.maxEscrow) this.maxEscrow = held;
    const supply = BigInt(
      (
        await query(
          '/cosmos.bank.v1beta1.Query/SupplyOf',
          QuerySupplyOfRequest.encode({ denom: 'uain' }).finish(),
          QuerySupplyOfResponse.decode,
        )
      ).amount?.amount ?? '0',
    );
    const minted = BigInt(String((await queryGet(this.comet, { path: '/distribution/minted', height })).value ?? '0'));
    const base = supply - minted;
    this.supplyBase ??= base;
    if (base !== this.supplyBase)
      this.violations.push(`height ${height}: supply ${supply} minus minted ${minted} is ${base}, was ${this.supplyBase}`);
    this.checked.push(height);
  }
}
