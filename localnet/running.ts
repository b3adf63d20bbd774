/**
 * Running a localnet written by `createLocalnet`: each node's app and CometBFT, storage and the
 * executor as supervised process groups (see processes.ts), waiting for heights, killing and
 * restarting nodes, adding full nodes, and stopping everything in order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { ainError, ErrConflict, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import { appHeight, cometRpc, queryExecutors } from '../client/index.ts';
import {
  AIND_SCRIPT,
  COMETBFT_BIN,
  cometbftBinary,
  homePaths,
  readGenesis,
  setTomlValues,
  type TomlValue,
  writeGenesis,
} from '../home/index.ts';
import { configureNode, initNodeHome } from './create.ts';
import {
  EXECUTOR_KEY,
  type LocalnetManifest,
  type LocalnetNode,
  MAX_NODES,
  nodeView,
  readManifest,
  storageUrl,
  writeManifest,
} from './manifest.ts';
import { nodeHeight, portFree, portOpen } from './ports.ts';
import { startShards } from './shards.ts';
import { cometbftEnvironment, logFileTail } from '../app/index.ts';
import { DEFAULT_QUOTA_BYTES_PER_ADDRESS } from '../storage/index.ts';
import {
  type GroupProcess,
  groupAlive,
  killGroup,
  removePidFile,
  runningProcesses,
  signalGroup,
  sleep,
  spawnGroup,
  stopGroup,
  writePidFile,
} from './processes.ts';

/** How long starting may take before failing with the logs (a loaded 2-core machine is slow). */
const DEFAULT_START_TIMEOUT_MS = 120_000;
const POLL_MS = 200;

export interface StartLocalnetOptions {
  readonly dir: string;
  /** Let this process exit while the localnet runs on (`aind localnet start --detach`). */
  readonly detach?: boolean;
  /** Passes `--insecure-sandbox` to the executor (a machine without bubblewrap namespaces). */
  readonly insecureSandbox?: boolean;
  /** The pid of the `aind localnet start` process that supervises the localnet, for `stop`. */
  readonly supervisor?: number;
  /** How long starting may take before failing with the logs (default 120 s). */
  readonly startTimeoutMs?: number;
  /** Progress lines (e.g. to stderr). */
  readonly log?: (line: string) => void;
}

/** How {@link Localnet.addNode} makes the new node join. */
export interface AddNodeOptions {
  /**
   * Join by CometBFT state sync: config.toml `[statesync] enable`, `rpc_servers` = nodes 0 and 1,
   * `trust_height`/`trust_hash` = node 0's latest block, so the node restores the newest snapshot the
   * others offer (their app.toml `[state-sync]`) and then fetches only the blocks after it.
   */
  readonly stateSync?: boolean;
}

/** How {@link Localnet.restartNode} starts a node again. */
export interface RestartNodeOptions {
  /**
   * Node.js arguments that run the node's app in place of aind (`cmd/aind.js`), relative to the
   * repository root: another build of the app, such as one that registers a software upgrade's
   * handler (`['--import', 'tsx', 'test/helpers/aindUpgraded.ts']`). The app gets
   * `start --home HOME --with-comet=false` after them. For this start only: a later restart without
   * it runs aind again.
   */
  readonly appScript?: readonly string[];
}

export interface LocalnetProcessInfo {
  readonly name: string;
  readonly pid: number;
  readonly running: boolean;
  /** The code it exited with by itself; null while it runs or when a signal ended it. */
  readonly exitCode: number | null;
  readonly log: string;
}

/** A running localnet. */
export interface Localnet {
  readonly dir: string;
  readonly chainId: string;
  readonly manifest: LocalnetManifest;
  /** Every node, validators first, then nodes added by `addNode`. */
  readonly nodes: readonly LocalnetNode[];
  readonly rpcUrls: readonly string[];
  readonly storageUrl: string;
  readonly executorAddress: string;
  readonly faucetAddress: string;
  /** The processes this handle started, with pids. */
  processes(): LocalnetProcessInfo[];
  /** Node i's latest height from CometBFT's /status, undefined when its RPC does not answer. */
  height(i: number): Promise<number | undefined>;
  /** Resolves when the app of each of `nodes` (default: all running) has committed h (ABCI Info), with the lowest height they reached; fails with log tails after `timeoutMs`. */
  waitForHeight(h: number, options?: { nodes?: readonly number[]; timeoutMs?: number }): Promise<number>;
  /** SIGKILLs node i's app and CometBFT process groups and waits until they are gone. */
  killNode(i: number): Promise<void>;
  /**
   * SIGKILLs one process group by name (`node2/app`, `node2/comet`, `executor`, `storage`) and waits
   * until it is gone. A node's CometBFT exits by itself once its app is gone.
   */
  killProcess(name: string): Promise<void>;
  /** SIGSTOPs node i's app and CometBFT (a partition: its peers see it hang); {@link resumeNode} sends SIGCONT. */
  pauseNode(i: number): void;
  resumeNode(i: number): void;
  /**
   * Starts whatever of node i's app and CometBFT is not running on the same home (a CometBFT whose app
   * was killed is stopped first), the app as `options.appScript` runs it when given; resolves when its
   * RPC answers.
   */
  restartNode(i: number, options?: RestartNodeOptions): Promise<void>;
  /** Starts the executor again after it was killed; resolves when it is registered on chain. */
  restartExecutor(): Promise<void>;
  /** Starts Big Storage again after it was killed; resolves when it listens. */
  restartStorage(): Promise<void>;
  /**
   * Adds a full node (not a validator) that syncs from the others; resolves when its RPC answers.
   * With `stateSync` it joins from the validators' snapshots (CometBFT state sync) instead of
   * replaying every block (see {@link AddNodeOptions}).
   */
  addNode(options?: AddNodeOptions): Promise<LocalnetNode>;
  /** The last lines of one process's log, e.g. logTail('node3/comet'). */
  logTail(name: string, lines?: number): string;
  /** Stops everything (executor, storage, then each node's CometBFT and app), checks that nothing is left, removes the pid file. */
  stop(): Promise<void>;
}

/**
 * Starts a localnet written by `createLocalnet`: every node's app and CometBFT, storage, then the
 * executor; resolves when all nodes have committed height 1 and the executor is registered on chain.
 * Throws `sdk/36` when it already runs or a port is taken.
 */
export async function startLocalnet(options: StartLocalnetOptions): Promise<Localnet> {
  const dir = resolve(options.dir);
  const manifest = readManifest(dir);
  if (manifest.docker) throw ainError(ErrInvalidRequest, `${dir} was written for docker compose (--docker); run it with docker compose up`);
  const running = runningProcesses(dir);
  if (running.length > 0) {
    throw ainError(ErrConflict, `the localnet in ${dir} already runs (${running.join(', ')}); aind localnet stop --dir ${dir}`);
  }
  removePidFile(dir);
  await checkPortsFree(manifest);
  cometbftBinary();
  const net = new RunningLocalnet(dir, manifest, options);
  try {
    await net.start();
  } catch (error) {
    await net.stop().catch(() => {});
    throw error;
  }
  return net;
}

async function checkPortsFree(manifest: LocalnetManifest): Promise<void> {
  const wanted = [
    { what: 'storage', port: manifest.storage.port },
    ...manifest.nodes.flatMap((n) => Object.entries(n.ports).map(([k, port]) => ({ what: `${n.name} ${k}`, port }))),
  ];
  const taken: string[] = [];
  for (const { what, port } of wanted) if (!(await portFree(port))) taken.push(`${port} (${what})`);
  if (taken.length > 0) {
    throw ainError(
      ErrConflict,
      `ports in use: ${taken.join(', ')}; stop what uses them, or create the localnet again with another --base-port`,
    );
  }
}

class RunningLocalnet implements Localnet {
  readonly chainId: string;
  private readonly procs = new Map<string, GroupProcess>();
  /** Groups stopped with SIGSTOP (pauseNode), resumed before a kill or stop. */
  private readonly paused = new Set<string>();
  private readonly startTimeoutMs: number;
  private readonly log: (line: string) => void;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    public manifest: LocalnetManifest,
    private readonly options: StartLocalnetOptions,
  ) {
    this.chainId = manifest.chainId;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.log = options.log ?? (() => {});
  }

  get nodes(): LocalnetNode[] {
    return this.manifest.nodes.map((n) => nodeView(this.dir, n));
  }

  get rpcUrls(): string[] {
    return this.nodes.map((n) => n.rpcUrl);
  }

  get storageUrl(): string {
    return storageUrl(this.manifest);
  }

  get executorAddress(): string {
    return this.manifest.executor.address;
  }

  get faucetAddress(): string {
    return this.manifest.faucet.address;
  }

  async start(): Promise<void> {
    this.log(`starting ${this.manifest.nodes.length} nodes, storage and an executor from ${this.dir}`);
    await Promise.all([...this.manifest.nodes.map((_, i) => this.startNode(i)), this.startStorage()]);
    const height = await this.waitForHeight(1, { timeoutMs: this.startTimeoutMs });
    this.log(`all nodes committed height ${height} or later; starting the executor`);
    await this.startExecutor();
    // Child chains (--shards): branched on first start, then each node with its relayer.
    await startShards({
      dir: this.dir,
      parentRpc: this.node(0).rpcUrl,
      parentChainId: this.chainId,
      timeoutCommit: this.manifest.timeoutCommit,
      spawn: (name, command, args, env) => this.spawn(name, command, args, env),
      until: (what, check, watch) => this.until(() => what, this.startTimeoutMs, check, watch),
      log: this.log,
    });
  }

  processes(): LocalnetProcessInfo[] {
    return [...this.procs.values()].map((p) => ({
      name: p.name,
      pid: p.pid,
      running: p.running(),
      exitCode: p.child.exitCode,
      log: p.log,
    }));
  }

  async height(i: number): Promise<number | undefined> {
    return nodeHeight(this.node(i).rpcUrl);
  }

  async waitForHeight(h: number, options: { nodes?: readonly number[]; timeoutMs?: number } = {}): Promise<number> {
    const indexes = options.nodes ?? this.manifest.nodes.map((_, i) => i).filter((i) => this.nodeRunning(i));
    const latest = new Map<number, number | undefined>();
    await this.until(
      () => `height ${h} on ${indexes.map((i) => `node${i} (at ${latest.get(i) ?? '?'})`).join(', ')}`,
      options.timeoutMs ?? 60_000,
      async () => {
        // The app's committed height, not /status's: queries and block results at h must answer.
        const heights = await Promise.all(indexes.map((i) => appHeight(this.node(i).rpcUrl).catch(() => undefined)));
        indexes.forEach((i, k) => latest.set(i, heights[k]));
        return heights.every((x) => x !== undefined && x >= h);
      },
      indexes.flatMap((i) => this.nodeProcs(i)),
    );
    return Math.min(...indexes.map((i) => latest.get(i)!));
  }

  async killNode(i: number): Promise<void> {
    const procs = this.nodeProcs(i);
    if (procs.length === 0) throw ainError(ErrInvalidRequest, `node${i} is not running`);
    await Promise.all(procs.map((p) => killGroup(p)));
    this.writePids();
  }

  async killProcess(name: string): Promise<void> {
    const proc = this.procs.get(name);
    if (!proc?.running()) throw ainError(ErrInvalidRequest, `${name} is not running`);
    this.paused.delete(name);
    await killGroup(proc);
    this.writePids();
  }

  pauseNode(i: number): void {
    for (const p of this.nodeProcs(i)) {
      signalGroup(p.pid, 'SIGSTOP');
      this.paused.add(p.name);
    }
  }

  resumeNode(i: number): void {
    for (const p of this.nodeProcs(i)) {
      signalGroup(p.pid, 'SIGCONT');
      this.paused.delete(p.name);
    }
  }

  async restartNode(i: number, options: RestartNodeOptions = {}): Promise<void> {
    this.assertNotStopped();
    if (this.nodeRunning(i)) throw ainError(ErrConflict, `node${i} is running; killNode(${i}) first`);
    const name = this.node(i).name;
    const app = this.procs.get(`${name}/app`);
    const comet = this.procs.get(`${name}/comet`);
    if (app?.running()) {
      await this.startComet(i);
      return;
    }
    // CometBFT stops itself when its app connection breaks; make sure it has before starting both.
    if (comet?.running()) await stopGroup(comet, 5_000);
    await this.startNode(i, options.appScript);
  }

  async restartExecutor(): Promise<void> {
    this.assertNotStopped();
    if (this.procs.get('executor')?.running()) throw ainError(ErrConflict, 'the executor is running');
    await this.startExecutor();
  }

  async restartStorage(): Promise<void> {
    this.assertNotStopped();
    if (this.procs.get('storage')?.running()) throw ainError(ErrConflict, 'storage is running');
    await this.startStorage();
  }

  async addNode(options: AddNodeOptions = {}): Promise<LocalnetNode> {
    this.assertNotStopped();
    const index = this.manifest.nodes.length;
    if (index >= MAX_NODES) throw ainError(ErrInvalidRequest, `a localnet has at most ${MAX_NODES} nodes`);
    if (options.stateSync && index < 2) throw ainError(ErrInvalidRequest, 'state sync needs two nodes to serve light blocks');
    const node = await initNodeHome(this.dir, this.chainId, index, false, false, this.manifest.basePort);
    const home = join(this.dir, node.name);
    writeGenesis(home, readGenesis(join(this.dir, this.manifest.nodes[0]!.name)));
    configureNode(this.dir, node, [...this.manifest.nodes, node], this.manifest.timeoutCommit, false, this.manifest.snapshots);
    if (options.stateSync) {
      const settings = await stateSyncSettings([this.node(0).rpcUrl, this.node(1).rpcUrl]);
      const configToml = homePaths(home).configToml;
      writeFileSync(configToml, setTomlValues(readFileSync(configToml, 'utf8'), { statesync: settings }));
    }
    this.manifest = { ...this.manifest, nodes: [...this.manifest.nodes, node] };
    writeManifest(this.dir, this.manifest);
    await this.startNode(index);
    return this.node(index);
  }

  logTail(name: string, lines = 40): string {
    const proc = this.procs.get(name);
    return logFileTail(proc?.log ?? this.logPath(name), lines);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  // -------------------------------------------------------------------------------------------

  private async shutdown(): Promise<void> {
    const byName = (prefix: string) => [...this.procs.values()].filter((p) => p.name.endsWith(prefix));
    // A stopped (SIGSTOP) group would not see SIGTERM.
    for (const name of this.paused) {
      const p = this.procs.get(name);
      if (p?.running()) signalGroup(p.pid, 'SIGCONT');
    }
    this.paused.clear();
    // Clients first, then CometBFT before its app (so it does not log the app's loss as a crash).
    for (const group of [byName('/relayer'), byName('executor'), byName('storage'), byName('/comet'), byName('/app')]) {
      await Promise.all(group.map((p) => stopGroup(p)));
    }
    const left = [...this.procs.values()].filter((p) => groupAlive(p.pid));
    if (left.length > 0) throw ainError(ErrIO, `still running after stop: ${left.map((p) => `${p.name} (${p.pid})`).join(', ')}`);
    removePidFile(this.dir);
  }

  private node(i: number): LocalnetNode {
    const node = this.manifest.nodes[i];
    if (!node) throw ainError(ErrInvalidRequest, `no node${i}; the localnet has nodes 0..${this.manifest.nodes.length - 1}`);
    return nodeView(this.dir, node);
  }

  private nodeProcs(i: number): GroupProcess[] {
    const name = this.node(i).name;
    return [this.procs.get(`${name}/app`), this.procs.get(`${name}/comet`)].filter((p): p is GroupProcess => p?.running() === true);
  }

  private nodeRunning(i: number): boolean {
    return this.nodeProcs(i).length === 2;
  }

  private assertNotStopped(): void {
    if (this.stopping) throw ainError(ErrInvalidRequest, `the localnet in ${this.dir} is stopped`);
  }

  private async startNode(i: number, appScript: readonly string[] = [AIND_SCRIPT]): Promise<void> {
    const node = this.node(i);
    const app = this.spawn(`${node.name}/app`, process.execPath, [...appScript, 'start', '--home', node.home, '--with-comet=false']);
    await this.until(
      () => `${node.name}'s app to listen on ${node.abciAddress}`,
      this.startTimeoutMs,
      () => portOpen(node.ports.abci),
      [app],
    );
    await this.startComet(i);
  }

  /** Starts node i's CometBFT (its app runs); resolves when its RPC answers. */
  private async startComet(i: number): Promise<void> {
    const node = this.node(i);
    const app = this.procs.get(`${node.name}/app`)!;
    const comet = this.spawn(`${node.name}/comet`, COMETBFT_BIN, ['node', '--home', node.home], cometbftEnvironment());
    await this.until(
      () => `${node.name}'s CometBFT RPC ${node.rpcUrl} to answer /status`,
      this.startTimeoutMs,
      async () => (await nodeHeight(node.rpcUrl)) !== undefined,
      [app, comet],
    );
    this.log(`${node.name} up: RPC ${node.rpcUrl}`);
  }

  /**
   * Starts Big Storage on the executor's node (`--chain`: private copies, such as a private job's
   * input, are served to the readers the chain admits), with the free quota of a node without a
   * chain, since the localnet registers no provider to reserve space with.
   */
  private async startStorage(): Promise<void> {
    const { host, port } = this.manifest.storage;
    const chainNode = this.node(this.manifest.nodes.findIndex((n) => n.name === this.manifest.executor.node));
    const proc = this.spawn('storage', process.execPath, [
      AIND_SCRIPT,
      'storage',
      '--dir',
      join(this.dir, 'storage'),
      '--host',
      host,
      '--port',
      String(port),
      '--chain',
      chainNode.rpcUrl,
      '--quota-bytes',
      String(DEFAULT_QUOTA_BYTES_PER_ADDRESS),
    ]);
    await this.until(
      () => `storage to listen on ${this.storageUrl}`,
      this.startTimeoutMs,
      () => portOpen(port, host),
      [proc],
    );
  }

  private async startExecutor(): Promise<void> {
    const node = this.node(this.manifest.nodes.findIndex((n) => n.name === this.manifest.executor.node));
    const proc = this.spawn('executor', process.execPath, [
      AIND_SCRIPT,
      'executor',
      '--home',
      this.dir,
      '--key',
      EXECUTOR_KEY,
      '--node',
      node.rpcUrl,
      '--storage',
      this.storageUrl,
      ...(this.options.insecureSandbox ? ['--insecure-sandbox'] : []),
    ]);
    const comet = await Comet38Client.connect(node.rpcUrl);
    try {
      await this.until(
        () => `the executor ${this.executorAddress} to be registered on chain`,
        this.startTimeoutMs,
        async () => (await queryExecutors(comet, 1000)).some((e) => e.address === this.executorAddress),
        [proc],
      );
    } finally {
      comet.disconnect();
    }
  }

  private logPath(name: string): string {
    // node2/app -> DIR/node2/app.log; storage -> DIR/storage.log
    return join(this.dir, `${name}.log`);
  }

  private spawn(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): GroupProcess {
    this.assertNotStopped();
    const proc = spawnGroup(name, command, args, this.logPath(name), this.options.detach === true, env);
    this.procs.set(name, proc);
    this.writePids();
    return proc;
  }

  private writePids(): void {
    if (this.stopping) return;
    writePidFile({
      dir: this.dir,
      ...(this.options.supervisor === undefined ? {} : { supervisor: this.options.supervisor }),
      processes: [...this.procs.values()].filter((p) => p.running()).map((p) => ({ name: p.name, pid: p.pid, log: p.log })),
    });
  }

  /**
   * Polls `check` until it is true. Fails with the watched processes' log tails on timeout, or at
   * once when one of them has exited.
   */
  private async until(what: () => string, timeoutMs: number, check: () => Promise<boolean>, watch: readonly GroupProcess[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      const dead = watch.find((p) => !p.running());
      if (dead) throw this.failure(`waiting for ${what()}: ${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode})`, watch);
      if (Date.now() > deadline) throw this.failure(`timed out after ${timeoutMs} ms waiting for ${what()}`, watch);
      await sleep(POLL_MS);
    }
  }

  private failure(message: string, watch: readonly GroupProcess[]): Error {
    const tails = watch.map((p) => `--- ${p.name} (${p.log}), last lines:\n${this.logTail(p.name, 30)}`);
    return ainError(ErrIO, `localnet ${this.dir}: ${message}\n${tails.join('\n')}`);
  }
}

/**
 * config.toml `[statesync]` for a node that joins from snapshots: `rpc_servers` (two, for the light
 * client to cross-check), the trusted height and block hash read from the first (its latest block),
 * a week's trust period, the shortest discovery and chunk timeouts CometBFT accepts.
 * @example writeFileSync(configToml, setTomlValues(text, { statesync: await stateSyncSettings([rpc0, rpc1]) }))
 */
export async function stateSyncSettings(rpcServers: readonly string[]): Promise<Record<string, TomlValue>> {
  const height = await nodeHeight(rpcServers[0]!);
  if (height === undefined) throw ainError(ErrIO, `${rpcServers[0]} does not answer /status`);
  const block = (await cometRpc(rpcServers[0]!, 'block', { height: String(height) })) as { block_id?: { hash?: string } };
  const hash = block.block_id?.hash;
  if (!hash) throw ainError(ErrIO, `${rpcServers[0]} gave no block id for height ${height}`);
  return {
    enable: true,
    rpc_servers: rpcServers.join(','),
    trust_height: height,
    trust_hash: hash,
    trust_period: '168h0m0s',
    discovery_time: '5s',
    chunk_request_timeout: '5s',
  };
}
