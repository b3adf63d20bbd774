/**
 * A job market on real processes for end-to-end tests: one node (CometBFT + the app) with short
 * jobs windows, a Big Storage server, a keyring with every named account, jobs registered from
 * `examples/jobs/` through `aind console` (as an admin would), `aind executor --jobs ...` child
 * processes, and the admin's approvals once the executors have applied by themselves. Also the
 * python3 the sandbox runs (`/usr/bin/python3` where it exists), for running example programs
 * outside the chain to compare with what the chain computed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { type AinClient, connectAin } from '../../client/connectAin.ts';
import { jobsMsg } from '../../client/jobsMessages.ts';
import { queryJobNodes } from '../../client/queryJobs.ts';
import { ADDRESS_PREFIX } from '../../core/address.ts';
import { addKey, REPO_ROOT } from '../../home/index.ts';
import { Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { putBlob } from '../../storage/client.ts';
import { chainView } from '../../storage/chainView.ts';
import { type StorageServer, startStorageServer } from '../../storage/server.ts';
import { type CliResult, runAind, runAindWithInput } from './cli.ts';
import { type ExecutorProcess, startExecutorProcess } from './executor.ts';
import { startTestNode, type TestAccount, type TestNode } from './node.ts';
import { until } from './poll.ts';

/** The examples' folder. */
export const EXAMPLES = join(REPO_ROOT, 'examples', 'jobs');
/** The python3 job programs run under in the sandbox (Debian's, with its packages), else the one on PATH. */
export const SANDBOX_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface JobMarket {
  readonly node: TestNode;
  readonly storage: StorageServer;
  /** A temp dir for the test's files (removed by `stop`). */
  readonly dir: string;
  /** The keyring home holding every named account. */
  readonly home: string;
  readonly accounts: Readonly<Record<string, TestAccount>>;
  /** The first named account, connected: the admin. */
  readonly admin: AinClient;
  /** `aind ARGS --home HOME --node URL`. */
  aind(...args: string[]): Promise<CliResult>;
  /** Registers example jobs (folders of examples/jobs) through `aind console` as the admin; their ids in order. */
  registerExamples(folders: readonly string[]): Promise<string[]>;
  /** Stores an operator's own code in Big Storage, signed by `name`; its hash. */
  upload(name: string, code: string): Promise<string>;
  /** Starts `aind executor` for `name` with these extra flags. */
  startExecutor(name: string, args: readonly string[]): Promise<ExecutorProcess>;
  /** Waits until each executor named has applied for its roles, approves them all, waits until each sees it. */
  approve(roles: ReadonlyArray<readonly [jobId: bigint, name: string, role: 'worker' | 'evaluator']>): Promise<void>;
  address(name: string): string;
  nameOf(address: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a node with `names.length` funded accounts (the first is the admin), storage and a keyring.
 * @example const market = await startJobMarket(['alice', 'carl', 'e1', 'w1'], { reveal_window: '3' });
 */
export async function startJobMarket(
  names: readonly string[],
  params: Record<string, string>,
  options: { readonly chainStorage?: boolean } = {},
): Promise<JobMarket> {
  const node = await startTestNode({ accounts: names.length, appState: (state) => ({ ...state, jobs: { params } }) });
  const dir = mkdtempSync(join(tmpdir(), 'ain-job-market-'));
  const home = join(dir, 'home');
  // With chainStorage the node asks the chain who may read private copies (the free quota stays).
  const storage = await startStorageServer({
    dir: join(dir, 'storage'),
    port: 0,
    ...(options.chainStorage ? { chain: chainView(node.rpcUrl) } : {}),
  });
  const accounts: Record<string, TestAccount> = {};
  for (const [i, name] of names.entries()) {
    accounts[name] = node.accounts[i]!;
    await addKey(home, name, node.accounts[i]!.mnemonic);
  }
  const adminName = names[0]!;
  const admin = await connectAin({
    rpcUrl: node.rpcUrl,
    signer: await DirectSecp256k1Wallet.fromKey(accounts[adminName]!.privkey, ADDRESS_PREFIX),
    broadcastPollIntervalMs: 100,
  });
  const executors = new Map<string, ExecutorProcess>();
  const address = (name: string) => {
    const account = accounts[name];
    if (!account) throw new Error(`no account ${name}`);
    return account.address;
  };

  return {
    node,
    storage,
    dir,
    home,
    accounts,
    admin,
    address,
    nameOf: (addr) => names.find((n) => accounts[n]!.address === addr) ?? addr,
    aind: (...args) => runAind(...args, '--home', home, '--node', node.rpcUrl),
    async registerExamples(folders) {
      const lines = folders.map(
        (f) =>
          `registerJob ${[join(EXAMPLES, f, 'job_schema.proto'), join(EXAMPLES, f, 'worker.py'), join(EXAMPLES, f, 'evaluator.py')].join(' ')}`,
      );
      const run = await runAindWithInput(
        lines.join('\n'),
        'console',
        '--from',
        adminName,
        '--home',
        home,
        '--node',
        node.rpcUrl,
        '--storage',
        storage.url,
      );
      const ids = [...run.stdout.matchAll(/Registration complete\. Job ID is (\d+)\./g)].map((m) => m[1]!);
      if (run.code !== 0 || ids.length !== folders.length) throw new Error(`registration failed:\n${run.stdout}\n${run.stderr}`);
      return ids;
    },
    async upload(name, code) {
      return (await putBlob(storage.url, new TextEncoder().encode(code), accounts[name]!)).hash;
    },
    async startExecutor(name, args) {
      const executorHome = mkdtempSync(join(tmpdir(), 'ain-test-executor-'));
      await addKey(executorHome, 'exec', accounts[name]!.mnemonic);
      const executor = await startExecutorProcess({
        account: accounts[name]!,
        rpcUrl: node.rpcUrl,
        storageUrl: storage.url,
        args,
        home: executorHome,
      });
      executors.set(name, executor);
      return executor;
    },
    async approve(roles) {
      const role = (word: 'worker' | 'evaluator') => (word === 'worker' ? Role.ROLE_WORKER : Role.ROLE_EVALUATOR);
      await until(
        'every executor to apply',
        async () => {
          for (const jobId of new Set(roles.map(([id]) => id))) {
            const { nodes } = await queryJobNodes(admin.cometClient, jobId);
            for (const [job, name, word] of roles)
              if (job === jobId && !nodes.find((n) => n.address === address(name))?.applied.includes(role(word))) return undefined;
          }
          return true;
        },
        120_000,
      );
      await admin.signAndBroadcast(
        roles.map(([jobId, name, word]) => jobsMsg.approveNode(address(adminName), { jobId, node: address(name), role: role(word) })),
      );
      for (const [jobId, name, word] of roles) {
        const executor = executors.get(name);
        if (executor)
          await until(`${name} to see its approval`, async () =>
            new RegExp(`job ${jobId} "[a-z_]+": approved as ${word}`).test(executor.stderr()) ? true : undefined,
          );
      }
    },
    async stop() {
      for (const [name, executor] of executors) {
        if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`--- executor ${name}:\n${executor.stderr()}\n`);
        await executor.stop();
        executor.remove();
      }
      admin.disconnect();
      await storage.close();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a program with `python` (default the sandbox's python3) and resolves with its stdout. */
export function runPython(args: readonly string[], input?: string, python = SANDBOX_PYTHON): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${python} ${args.join(' ')}: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}
