/**
 * The one helper that integration tests and benchmarks use to run a real node: a temp home made
 * with `aind init`'s code, funded test accounts in genesis, free ports on 127.0.0.1, and TWO child
 * processes (the app `aind start --with-comet=false` and `.bin/cometbft node`) so a test can kill -9
 * either one and start it again.
 *
 * @example
 * const node = await startTestNode({ accounts: 2 });
 * try {
 *   const { client, address } = await fundedClient(node, 0);
 *   await client.sendTokens(address, node.accounts[1]!.address, [{ denom: 'uain', amount: '1' }], 'auto');
 * } finally {
 *   await node.stop();
 * }
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { GasPrice, type IndexedTx, SigningStargateClient, type StargateClient } from '@cosmjs/stargate';
import { addGenesisAccount } from '../../app/index.ts';
import { appHeight } from '../../client/index.ts';
import { ADDRESS_PREFIX } from '../../core/address.ts';
import { parseCoins } from '../../core/coins.ts';
import {
  AIND_SCRIPT,
  addGenesisValidatorToHome,
  COMETBFT_BIN,
  deriveKey,
  generateMnemonic,
  getTomlValue,
  homePaths,
  initHome,
  REPO_ROOT,
  setTomlValues,
  type TomlValue,
  updateAppState,
} from '../../home/index.ts';
import { cometbftEnvironment, logFileTail } from '../../app/index.ts';
import { freePorts, nodeHeight, portOpen } from '../../localnet/index.ts';
import { ensureCometbft } from '../../scripts/setup.mjs';

/** Re-exported for the benchmarks that import it from here. */
export { freePorts };

export interface StartTestNodeOptions {
  /** Funded accounts to create (default 2). */
  readonly accounts?: number;
  /** Genesis balance of each account, CLI coin syntax (default 1000000000000uain = 1,000,000 AIN). */
  readonly balance?: string;
  /** CometBFT `timeout_commit` (default "200ms"). */
  readonly timeoutCommit?: string;
  readonly chainId?: string;
  /** CometBFT `create_empty_blocks` (default true, so heights advance without txs). */
  readonly createEmptyBlocks?: boolean;
  /** How long starting may take before failing with the logs (default 60 s). */
  readonly startTimeoutMs?: number;
  /** Self-delegation of the node's one validator, CLI coin syntax (default 100000000000uain: power 100,000). */
  readonly validatorStake?: string;
  /** Changes genesis.json's app_state last, e.g. to set a module's params (`jobs: { params: {...} }`). */
  readonly appState?: Parameters<typeof updateAppState>[1];
  /** app.toml settings written over `aind init`'s, by section, e.g. `{ state: { min_retain_blocks: 50 } }`. */
  readonly appToml?: Record<string, Record<string, TomlValue>>;
}

/** A funded genesis account. `privkey`/`pubkey`/`address` fit test/helpers/tx.ts's `TestKey`. */
export interface TestAccount {
  readonly mnemonic: string;
  readonly address: string;
  readonly privkey: Uint8Array;
  /** 33-byte compressed secp256k1 public key. */
  readonly pubkey: Uint8Array;
}

export type NodeProcess = 'app' | 'comet';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface TestNode {
  readonly home: string;
  readonly chainId: string;
  /** CometBFT RPC, e.g. http://127.0.0.1:41234 (what CosmJS connects to). */
  readonly rpcUrl: string;
  /** The app's REST API, e.g. http://127.0.0.1:41236. */
  readonly apiUrl: string;
  /** The ABCI address the app listens on and CometBFT dials (config.toml proxy_app). */
  readonly abciAddress: string;
  readonly ports: { readonly rpc: number; readonly p2p: number; readonly abci: number; readonly api: number };
  readonly accounts: readonly TestAccount[];
  /**
   * The node's one validator, made with `aind genesis add-validator`'s code: its operator (a genesis
   * account besides `accounts`, funded with `balance` plus the stake it self-delegates), its
   * `ainvaloper1...` address and the stake (uain).
   */
  readonly validator: { readonly operator: TestAccount; readonly operatorAddress: string; readonly stake: bigint };
  /** Pid of the running app process, undefined when it is not running. */
  appPid(): number | undefined;
  /** Pid of the running CometBFT process, undefined when it is not running. */
  cometPid(): number | undefined;
  isRunning(which: NodeProcess): boolean;
  /**
   * Sends `signal` (default SIGKILL) to one process and resolves when it has exited. Killing the app
   * makes CometBFT stop by itself (it loses its ABCI connections): use `cometStopsAfterApp`.
   */
  kill(which: NodeProcess, signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Resolves when the process has exited (at once when it is not running). */
  waitForExit(which: NodeProcess, timeoutMs?: number): Promise<ExitStatus>;
  /**
   * Resolves when CometBFT has stopped after its app died, which it does by itself. CometBFT v0.38 can
   * hang in that shutdown: when the app dies while a Commit's recheck is in flight, the recheck's Flush
   * is queued on a socket client that has already stopped and waits forever
   * (`abci/client/socket_client.go`), holding consensus. So after `timeoutMs` it is SIGKILLed, as an
   * operator would; what it committed is on disk either way (the crash tests restart from there).
   */
  cometStopsAfterApp(timeoutMs?: number): Promise<ExitStatus>;
  /**
   * Starts the app again on the same home; resolves when its ABCI port accepts connections. `entry`:
   * node's arguments before `start` (default the aind script), e.g. a test build's entry script.
   */
  startApp(entry?: readonly string[]): Promise<void>;
  /** Starts CometBFT again on the same home; resolves when its RPC answers /status. */
  startComet(): Promise<void>;
  /** The latest committed height CometBFT reports. */
  height(): Promise<number>;
  /** Resolves with the height once it is >= h; fails with the logs after `timeoutMs` (default 30 s). */
  waitForHeight(h: number, timeoutMs?: number): Promise<number>;
  /** The last `lines` lines of a process's log (stdout and stderr). */
  logTail(which: NodeProcess, lines?: number): string;
  /** Stops both processes (SIGTERM, SIGKILL after a grace period), waits for them, removes the home. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  accounts: 2,
  balance: '1000000000000uain',
  timeoutCommit: '200ms',
  chainId: 'ain-test-1',
  createEmptyBlocks: true,
  startTimeoutMs: 60_000,
  validatorStake: '100000000000uain',
} as const;
/** Time a process gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;
const POLL_MS = 100;
/** Set AIN_TEST_KEEP_HOME=1 to keep the temp homes for a post-mortem. */
const KEEP_HOME = process.env.AIN_TEST_KEEP_HOME === '1';

/**
 * Starts a one-validator node in a temp home with `accounts` funded accounts and waits until it has
 * committed height 1.
 */
export async function startTestNode(options: StartTestNodeOptions = {}): Promise<TestNode> {
  const settings = { ...DEFAULTS, ...options };
  ensureCometbft({ quiet: false });
  const home = mkdtempSync(join(tmpdir(), 'ain-test-node-'));
  homesToRemove.add(home);
  try {
    // The code of `aind init`, in process (it runs `cometbft init` itself).
    initHome({ home, chainId: settings.chainId, moniker: 'test-node' });
    const accounts = await makeAccounts(settings.accounts);
    const coins = parseCoins(settings.balance, 'balance');
    updateAppState(home, (state) => accounts.reduce((s, a) => addGenesisAccount(s, a.address, coins), state));
    // The validator: a funded operator self-delegates, with the node's consensus key, as `aind genesis add-validator` does.
    const [operator] = await makeAccounts(1);
    const [stake] = parseCoins(settings.validatorStake, 'validatorStake');
    const operatorCoins = coins.some((c) => c.denom === stake!.denom)
      ? coins.map((c) => (c.denom === stake!.denom ? { denom: c.denom, amount: c.amount + stake!.amount } : c))
      : parseCoins(`${settings.balance},${settings.validatorStake}`, 'balance');
    updateAppState(home, (state) => addGenesisAccount(state, operator!.address, operatorCoins));
    const added = addGenesisValidatorToHome(home, { address: operator!.address, amount: settings.validatorStake, moniker: 'test-node' });
    const validator = { operator: operator!, operatorAddress: added.validator, stake: parseCoins(added.amount)[0]!.amount };
    if (options.appState) updateAppState(home, options.appState);

    const [rpc, p2p, abci, api] = await freePorts(4);
    const ports = { rpc: rpc!, p2p: p2p!, abci: abci!, api: api! };
    configure(home, ports, settings.timeoutCommit, settings.createEmptyBlocks);
    if (options.appToml) {
      const { appToml } = homePaths(home);
      writeFileSync(appToml, setTomlValues(readFileSync(appToml, 'utf8'), options.appToml));
    }

    const node = new RunningNode(home, settings.chainId, ports, accounts, settings.startTimeoutMs, validator);
    try {
      await node.startApp();
      await node.startComet();
      await node.waitForHeight(1, settings.startTimeoutMs);
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  } catch (error) {
    if (!KEEP_HOME) removeHome(home);
    throw error;
  }
}

/**
 * Starts a node on a home made elsewhere (e.g. by `aind shard init`, whose genesis and keys it keeps)
 * on free ports, and waits for height 1. `validator` and `accounts` are what the caller knows of it.
 */
export async function startHomeNode(options: {
  readonly home: string;
  readonly chainId: string;
  readonly timeoutCommit?: string;
  readonly accounts?: readonly TestAccount[];
  readonly startTimeoutMs?: number;
}): Promise<TestNode> {
  ensureCometbft({ quiet: false });
  homesToRemove.add(options.home);
  const [rpc, p2p, abci, api] = await freePorts(4);
  const ports = { rpc: rpc!, p2p: p2p!, abci: abci!, api: api! };
  const current = getTomlValue(readFileSync(homePaths(options.home).configToml, 'utf8'), 'consensus', 'timeout_commit');
  configure(options.home, ports, options.timeoutCommit ?? (typeof current === 'string' ? current : DEFAULTS.timeoutCommit), true);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULTS.startTimeoutMs;
  const none = {
    operator: { mnemonic: '', address: '', privkey: new Uint8Array(), pubkey: new Uint8Array() },
    operatorAddress: '',
    stake: 0n,
  };
  const node = new RunningNode(options.home, options.chainId, ports, options.accounts ?? [], startTimeoutMs, none);
  try {
    await node.startApp();
    await node.startComet();
    await node.waitForHeight(1, startTimeoutMs);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}

/**
 * A connected SigningStargateClient for one of the node's funded accounts (gas price 0.025uain, so
 * `fee: 'auto'` works). Disconnect it when done.
 */
export async function fundedClient(
  node: TestNode,
  accountIndex = 0,
): Promise<{ client: SigningStargateClient; address: string; account: TestAccount }> {
  const account = node.accounts[accountIndex];
  if (!account) throw new Error(`the node has ${node.accounts.length} accounts; there is no account ${accountIndex}`);
  const wallet = await DirectSecp256k1Wallet.fromKey(account.privkey, ADDRESS_PREFIX);
  const client = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString('0.025uain'),
    broadcastPollIntervalMs: 200,
    broadcastTimeoutMs: 30_000,
  });
  return { client, address: account.address, account };
}

/** Validator addresses (upper-case hex) with a signature in the commits of blocks `from`..`to`. */
export async function commitSigners(comet: CometClient, from: number, to: number): Promise<Set<string>> {
  const found = new Set<string>();
  for (let h = from; h <= to; h++) {
    for (const s of (await comet.commit(h)).commit.signatures) {
      if (s.signature && s.signature.length > 0 && s.validatorAddress) found.add(toHex(s.validatorAddress).toUpperCase());
    }
  }
  return found;
}

/** Polls `getTx` until the tx is in a block; fails after `timeoutMs` (default 30 s). */
export async function waitForTx(client: StargateClient, hash: string, timeoutMs = 30_000): Promise<IndexedTx> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tx = await client.getTx(hash);
    if (tx) return tx;
    if (Date.now() > deadline) throw new Error(`tx ${hash} was not included within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
}

class RunningNode implements TestNode {
  readonly rpcUrl: string;
  readonly apiUrl: string;
  readonly abciAddress: string;
  private readonly processes: Partial<Record<NodeProcess, Running>> = {};
  private stopping: Promise<void> | undefined;

  constructor(
    readonly home: string,
    readonly chainId: string,
    readonly ports: TestNode['ports'],
    readonly accounts: readonly TestAccount[],
    private readonly startTimeoutMs: number,
    readonly validator: TestNode['validator'],
  ) {
    this.rpcUrl = `http://127.0.0.1:${ports.rpc}`;
    this.apiUrl = `http://127.0.0.1:${ports.api}`;
    this.abciAddress = `tcp://127.0.0.1:${ports.abci}`;
  }

  appPid(): number | undefined {
    return this.running('app')?.child.pid;
  }

  cometPid(): number | undefined {
    return this.running('comet')?.child.pid;
  }

  isRunning(which: NodeProcess): boolean {
    return this.running(which) !== undefined;
  }

  async kill(which: NodeProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    const proc = this.processes[which];
    if (!proc) throw new Error(`${which} was never started`);
    if (this.isRunning(which)) proc.child.kill(signal);
    return this.waitForExit(which, STOP_GRACE_MS * 2);
  }

  async waitForExit(which: NodeProcess, timeoutMs = 30_000): Promise<ExitStatus> {
    const proc = this.processes[which];
    if (!proc) throw new Error(`${which} was never started`);
    return withTimeout(proc.exited, timeoutMs, () => this.failure(`${which} did not exit within ${timeoutMs} ms`));
  }

  async cometStopsAfterApp(timeoutMs = 30_000): Promise<ExitStatus> {
    const proc = this.processes.comet;
    if (!proc) throw new Error('comet was never started');
    const exited = await Promise.race([proc.exited, sleep(timeoutMs).then(() => undefined)]);
    if (exited !== undefined) return exited;
    console.log(`CometBFT did not stop within ${timeoutMs} ms of losing its app (a CometBFT v0.38 shutdown hang); killing it`);
    return this.kill('comet', 'SIGKILL');
  }

  async startApp(entry: readonly string[] = [AIND_SCRIPT]): Promise<void> {
    this.assertStartable('app');
    // AIN_APP_NODE_FLAGS passes flags to the app's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark.
    const nodeFlags = (process.env.AIN_APP_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
    const proc = this.spawn('app', process.execPath, [...nodeFlags, ...entry, 'start', '--home', this.home, '--with-comet=false']);
    await this.until(`the app to listen on ${this.abciAddress}`, this.startTimeoutMs, () => portOpen(this.ports.abci), ['app'], proc);
  }

  async startComet(): Promise<void> {
    this.assertStartable('comet');
    const proc = this.spawn('comet', COMETBFT_BIN, ['node', '--home', this.home], cometbftEnvironment());
    await this.until(
      `CometBFT RPC ${this.rpcUrl} to answer /status`,
      this.startTimeoutMs,
      async () => (await nodeHeight(this.rpcUrl, 2_000)) !== undefined,
      ['comet'],
      proc,
    );
  }

  async height(): Promise<number> {
    const height = await nodeHeight(this.rpcUrl, 2_000);
    if (height === undefined) throw this.failure(`CometBFT RPC ${this.rpcUrl} does not answer`);
    return height;
  }

  /** Waits until the app has committed `h` (ABCI Info), so queries and block results at `h` answer. */
  async waitForHeight(h: number, timeoutMs = 30_000): Promise<number> {
    let latest = 0;
    await this.until(
      `the app to commit height ${h} (latest seen: see below)`,
      timeoutMs,
      async () => {
        latest = await appHeight(this.rpcUrl).catch(() => latest);
        return latest >= h;
      },
      ['comet', 'app'],
    );
    return latest;
  }

  logTail(which: NodeProcess, lines = 40): string {
    return logFileTail(this.logFile(which), lines);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    // CometBFT first, so it does not log the app's disappearance as a crash.
    for (const which of ['comet', 'app'] as const) {
      const proc = this.running(which);
      if (!proc) continue;
      proc.child.kill('SIGTERM');
      const exited = await Promise.race([proc.exited, sleep(STOP_GRACE_MS).then(() => undefined)]);
      if (!exited) {
        proc.child.kill('SIGKILL');
        await proc.exited;
      }
    }
    if (!KEEP_HOME) removeHome(this.home);
  }

  private running(which: NodeProcess): Running | undefined {
    const proc = this.processes[which];
    return proc && proc.child.exitCode === null && proc.child.signalCode === null ? proc : undefined;
  }

  private assertStartable(which: NodeProcess): void {
    if (this.stopping) throw new Error(`the node in ${this.home} is stopped`);
    if (this.isRunning(which)) throw new Error(`${which} is already running (pid ${this.processes[which]!.child.pid})`);
  }

  private logFile(which: NodeProcess): string {
    return join(this.home, `${which}.log`);
  }

  private spawn(which: NodeProcess, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Running {
    const log = this.logFile(which);
    appendFileSync(log, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
    const fd = openSync(log, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', fd, fd], env });
    } finally {
      closeSync(fd);
    }
    liveChildren.add(child);
    const exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        appendFileSync(log, `spawn error: ${error.message}\n`);
        liveChildren.delete(child);
        resolve({ code: null, signal: null });
      });
    });
    const proc = { child, exited };
    this.processes[which] = proc;
    return proc;
  }

  /**
   * Polls `check` until it is true. Fails with both logs' tails on timeout, or at once when one of
   * `mustRun` has exited (or the specific process `proc`, when given).
   */
  private async until(
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean>,
    mustRun: readonly NodeProcess[],
    proc?: Running,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
        throw this.failure(`waiting for ${what}: the process exited (code ${proc.child.exitCode}, signal ${proc.child.signalCode})`);
      }
      const dead = mustRun.find((which) => !this.isRunning(which));
      if (dead) throw this.failure(`waiting for ${what}: ${dead} is not running`);
      if (Date.now() > deadline) throw this.failure(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(POLL_MS);
    }
  }

  private failure(message: string): Error {
    const tails = (['app', 'comet'] as const).map((w) => `--- ${w} log (${this.logFile(w)}), last lines:\n${this.logTail(w)}`);
    return new Error(`test node ${this.home}: ${message}\n${tails.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up helpers

async function makeAccounts(count: number): Promise<TestAccount[]> {
  const accounts: TestAccount[] = [];
  for (let i = 0; i < count; i++) {
    const mnemonic = generateMnemonic();
    const { address, privkey, pubkey } = await deriveKey(mnemonic);
    accounts.push({ mnemonic, address, privkey, pubkey });
  }
  return accounts;
}

function configure(home: string, ports: TestNode['ports'], timeoutCommit: string, createEmptyBlocks: boolean): void {
  const paths = homePaths(home);
  writeFileSync(
    paths.configToml,
    setTomlValues(readFileSync(paths.configToml, 'utf8'), {
      '': { proxy_app: `tcp://127.0.0.1:${ports.abci}` },
      // AIN_COMET_PPROF=host:port serves CometBFT's pprof there, to profile it under a benchmark.
      rpc: { laddr: `tcp://127.0.0.1:${ports.rpc}`, pprof_laddr: process.env.AIN_COMET_PPROF ?? '' },
      p2p: { laddr: `tcp://127.0.0.1:${ports.p2p}` },
      consensus: { timeout_commit: timeoutCommit, create_empty_blocks: createEmptyBlocks },
      instrumentation: { prometheus: false },
    }),
  );
  writeFileSync(paths.appToml, setTomlValues(readFileSync(paths.appToml, 'utf8'), { api: { address: `tcp://127.0.0.1:${ports.api}` } }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
  homesToRemove.delete(home);
}

// ---------------------------------------------------------------------------------------------
// Safety net: no node process outlives the test run, whatever happens to the test.

interface SafetyNet {
  readonly liveChildren: Set<ChildProcess>;
  readonly homesToRemove: Set<string>;
}

// Vitest evaluates this module afresh for every test file of a worker process: one registry and one
// set of process listeners serve them all (one set per file would pile up listeners on `process`).
const SAFETY_NET = Symbol.for('ain-chain/test/helpers/node safety net');
const { liveChildren, homesToRemove } = ((globalThis as { [SAFETY_NET]?: SafetyNet })[SAFETY_NET] ??= installSafetyNet());

function installSafetyNet(): SafetyNet {
  const net: SafetyNet = { liveChildren: new Set(), homesToRemove: new Set() };
  const killEverything = (): void => {
    for (const child of net.liveChildren) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    net.liveChildren.clear();
    if (!KEEP_HOME) for (const home of net.homesToRemove) rmSync(home, { recursive: true, force: true });
  };
  process.on('exit', killEverything);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killEverything();
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
  return net;
}
